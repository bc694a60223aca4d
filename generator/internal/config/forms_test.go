package config

import (
	"strings"
	"testing"
)

func TestFormsParse(t *testing.T) {
	c, diags := Parse([]byte(minimal + `forms:
  endpoint: https://forms.example.org/
  definitions:
    - name: request-support
      title: Request
      consent: We keep it.
      thank_you: {title: Thanks, text: We will reply.}
      fields:
        - {name: supporter, label: Supporter, type: choice, from: supporters}
        - {name: email, label: E-mail, type: email, required: true, autocomplete: email}
        - {name: rating, label: Rating, type: choice, choices: {good: Good, bad: Bad}}
        - {name: notes, label: Notes, type: textarea}
        - {name: session, type: hidden, from: open-sessions}
`))
	if len(diags) > 0 {
		t.Fatalf("Parse: %v", diags)
	}
	if !c.Forms.Enabled() {
		t.Errorf("Enabled() = false")
	}
	f := c.Forms.Lookup("request-support")
	if f == nil || len(f.Fields) != 5 || f.ThankYou.Title != "Thanks" {
		t.Fatalf("form = %+v", f)
	}
	if got := f.Fields[2].Choices.IDs(); strings.Join(got, ",") != "good,bad" {
		t.Errorf("choices = %v", got)
	}
	for _, tt := range []struct {
		i    int
		want int
	}{{1, 254}, {3, 5000}, {0, 200}} {
		if got := f.Fields[tt.i].Limit(); got != tt.want {
			t.Errorf("Limit(%s) = %d, want %d", f.Fields[tt.i].Name, got, tt.want)
		}
	}
	off, _ := Parse([]byte(minimal + "forms:\n  endpoint: none\n  definitions:\n    - {name: a, title: A, fields: [{name: x, label: X, type: text}]}\n"))
	if off.Forms.Enabled() {
		t.Errorf("endpoint: none is Enabled()")
	}
}

// TestFormsErrors checks that each mistake is reported at its line and
// column.
func TestFormsErrors(t *testing.T) {
	tests := []struct {
		yaml string
		want string
	}{
		{"  endpoint: ftp://x\n", "site.yaml:13:13: forms.endpoint: \"ftp://x\" is not an absolute http(s) URL"},
		{"  definitions:\n    - name: Bad Name\n      title: T\n      fields: [{name: x, label: X, type: text}]\n", "site.yaml:14:13: forms.definitions[0].name: form name \"Bad Name\" is not a slug"},
		{"  definitions:\n    - name: a\n      title: T\n      fields:\n        - {name: x, label: X, type: radio}\n", "site.yaml:17:37: forms.definitions[0].fields[0].type: \"radio\" is not allowed"},
		{"  definitions:\n    - name: a\n      title: T\n      fields:\n        - {name: x, label: X, type: select, from: regions}\n", "site.yaml:17:37: forms.definitions[0].fields[0].type: \"select\" is not allowed"},
		{"  definitions:\n    - name: a\n      title: T\n      fields:\n        - {name: x, label: X, type: choice}\n", "site.yaml:17:37: forms.definitions[0].fields[0].choices: a choice field needs choices"},
		{"  definitions:\n    - name: a\n      title: T\n      fields:\n        - {name: x, label: X, type: choice, from: teachers}\n", "site.yaml:17:51: forms.definitions[0].fields[0].from: unknown list \"teachers\""},
		{"  definitions:\n    - name: a\n      title: T\n      fields:\n        - {name: x, label: X, type: text, from: regions}\n", "forms.definitions[0].fields[0].from: from applies to choice"},
		{"  definitions:\n    - name: a\n      title: T\n      fields:\n        - {name: x, label: X, type: choice, from: region}\n", `site.yaml:17:51: forms.definitions[0].fields[0].from: unknown list "region" (did you mean "regions"?) (expected supporters, open-sessions or a vocabulary: streams, regions, themes, audiences, school_types, phases, inspection_grades, skills, size_bands)`},
		{"  definitions:\n    - name: a\n      title: T\n      fields:\n        - {name: x, label: X, type: text}\n        - {name: x, label: Y, type: text}\n", "site.yaml:18:18: forms.definitions[0].fields[1].name: field name \"x\" appears twice"},
		{"  definitions:\n    - name: a\n      title: T\n      fields:\n        - {name: homepage, label: X, type: text}\n", "field name \"homepage\" is used by the form server itself"},
		{"  definitions:\n    - name: a\n      title: T\n      fields:\n        - {name: x, type: text}\n", "forms.definitions[0].fields[0].label: a text field needs a label"},
		{"  definitions:\n    - name: a\n      title: T\n      fields:\n        - {name: x, label: X, type: text, max_length: 20000}\n", "max_length: 20000 is above 10000"},
		{"  definitions:\n    - name: a\n      title: T\n      fields:\n        - {name: x, label: X, type: date, rule_field: headship_since}\n", "forms.definitions[0].eligibility: fields name a rule_field"},
		{"  definitions:\n    - name: a\n      title: T\n      fields:\n        - {name: x, label: X, type: text, search_above: 5}\n", "forms.definitions[0].fields[0].search_above: search_above applies to choice fields, not text"},
		{"  definitions:\n    - name: a\n      title: T\n      fields: [{name: x, label: X, type: text}]\n    - name: a\n      title: U\n      fields: [{name: x, label: X, type: text}]\n", "site.yaml:17:13: forms.definitions[1].name: form name \"a\" is already used"},
		{"  definitions:\n    - name: a\n      title: T\n      feilds: []\n", "unknown field (did you mean \"fields\"?)"},
	}
	for _, tt := range tests {
		_, diags := Parse([]byte(minimal + "forms:\n" + tt.yaml))
		if strings.Contains(tt.yaml, "type: select") {
			// Only the type is reported: what suits a select field cannot
			// be said.
			if len(diags) != 1 {
				t.Errorf("Parse(forms:\n%s) = %d problems, want 1:\n%v", tt.yaml, len(diags), diags.Error())
			}
		}
		var got []string
		for _, d := range diags {
			got = append(got, d.Error())
		}
		if !strings.Contains(strings.Join(got, "\n"), tt.want) {
			t.Errorf("Parse(forms:\n%s) = \n%s\nwant %s", tt.yaml, strings.Join(got, "\n"), tt.want)
		}
	}
}

// FuzzParseForms decodes arbitrary forms: sections: every problem is at a
// line of the file, and a form without problems is complete.
func FuzzParseForms(f *testing.F) {
	f.Add("forms:\n  endpoint: https://f.example.org/\n  definitions:\n    - name: a\n      title: T\n      fields:\n        - {name: x, label: X, type: choice, choices: {a: A}}\n")
	f.Add("forms:\n  definitions:\n    - {name: b, title: B, eligibility: true, fields: [{name: d, label: D, type: date, rule_field: headship_since, max_length: 20}]}\n")
	f.Add("forms:\n  endpoint: none\n")
	f.Fuzz(func(t *testing.T, forms string) {
		src := minimal + forms
		c, diags := Parse([]byte(src))
		lines := strings.Count(src, "\n") + strings.Count(src, "\r") - strings.Count(src, "\r\n") + 2
		for _, d := range diags {
			if d.Pos.File != File || d.Pos.Line < 0 || d.Pos.Line > lines || d.Msg == "" {
				t.Errorf("problem %v", d)
			}
		}
		if c == nil || diags.Err() != nil {
			return
		}
		for _, form := range c.Forms.Definitions {
			if !IsSlug(form.Name) || form.Title == "" || len(form.Fields) == 0 {
				t.Errorf("form without problems is incomplete: %+v", form)
			}
			for _, fl := range form.Fields {
				if fl.Limit() < 1 || fl.Limit() > MaxFieldLength {
					t.Errorf("field %s has limit %d", fl.Name, fl.Limit())
				}
				if (fl.Type == FieldChoice || fl.Type == FieldMultiChoice) && fl.From == "" && len(fl.Choices) == 0 {
					t.Errorf("choice field %s without choices passed", fl.Name)
				}
			}
		}
	})
}
