package config

import (
	"strings"
	"testing"

	"peerpress/generator/internal/decode"
	"peerpress/generator/internal/diag"
)

// rulesSite is a site.yaml with nothing but the required settings; tests
// append a rules: section. Its rules start on line 5.
const rulesSite = "title: T\nbase_url: https://example.org/\nvocabularies: {streams: {s: S}, regions: {r: R}}\nrules:\n"

// parseRules parses rulesSite plus rules and returns the config and the
// rules' problems, one a line.
func parseRules(t *testing.T, rules string) (*Config, string) {
	t.Helper()
	c, diags := Parse([]byte(rulesSite + rules))
	if len(diags) > 0 {
		t.Fatalf("Parse: problems outside rules: %v", diags)
	}
	return c, c.Rules.Diags.Error()
}

func TestRulesDecode(t *testing.T) {
	c, problems := parseRules(t, `  supporters:
    - id: five-years
      field: headship_since
      present: true
      at_least_before: 5y
      message: five years as a head
    - id: no-phones
      field: any
      not_matches: '0\d{10}'
      message: no phone numbers
      on_fail: warning
  testimonials:
    - id: consent
      field: consent
      one_of: [true]
      message: consent needed
      on_fail: hide
    - id: pupils
      field: school.pupils
      min: 1
      max: 2000
      message: a plausible size
`)
	if problems != "" {
		t.Fatalf("problems:\n%s", problems)
	}
	s := c.Rules.For("supporters")
	if len(s) != 2 {
		t.Fatalf("supporters rules = %d, want 2", len(s))
	}
	r := s[0]
	if r.ID != "five-years" || r.Field != "headship_since" || !r.Present || r.AtLeastBefore == nil || *r.AtLeastBefore != (Duration{Years: 5}) || r.Severity() != diag.Error {
		t.Errorf("rule 0 = %+v", r)
	}
	if got, want := strings.Join(r.Tests(), ","), "present,at_least_before"; got != want {
		t.Errorf("Tests() = %s, want %s", got, want)
	}
	if got, want := r.Pos.String(), "site.yaml:6:7"; got != want {
		t.Errorf("Pos = %s, want %s", got, want)
	}
	if got, want := r.PosOf("at_least_before").String(), "site.yaml:9:24"; got != want {
		t.Errorf("PosOf(at_least_before) = %s, want %s", got, want)
	}
	if got, want := r.Path, "rules.supporters[0]"; got != want {
		t.Errorf("Path = %s, want %s", got, want)
	}
	if s[1].Field != FieldAny || s[1].NotMatches == nil || !s[1].NotMatches.MatchString("07700900123") || s[1].Severity() != diag.Warning {
		t.Errorf("rule 1 = %+v", s[1])
	}
	tm := c.Rules.For("testimonials")
	if len(tm) != 2 || strings.Join(tm[0].OneOf, ",") != "true" || tm[0].Severity() != diag.Hidden || *tm[1].Min != 1 || *tm[1].Max != 2000 {
		t.Errorf("testimonials rules = %+v", tm)
	}
	if got := tm[0].PosOf("one_of[0]").String(); got != "site.yaml:19:16" {
		t.Errorf("PosOf(one_of[0]) = %s, want site.yaml:19:16", got)
	}
}

func TestRulesErrors(t *testing.T) {
	rule := func(lines ...string) string {
		return "  supporters:\n    - " + strings.Join(lines, "\n      ") + "\n"
	}
	tests := []struct {
		name, rules string
		want        []string
	}{
		{"unknown test with suggestion", rule("id: a", "field: name", "is_present: true", "message: m"),
			[]string{`site.yaml:8:7: rules.supporters[0].is_present: unknown test or setting "is_present" (did you mean "present"?)`}},
		{"unknown test", rule("id: a", "field: name", "is_true: true", "message: m"),
			[]string{`site.yaml:8:7: rules.supporters[0].is_true: unknown test or setting "is_true" (expected one of: id, field, message, on_fail, present, one_of, min, max, at_least_before, at_most_before, matches, not_matches)`}},
		{"no test", rule("id: a", "field: name", "message: m"),
			[]string{`site.yaml:6:7: rules.supporters[0]: rule "a" has no test (expected one or more of: present, one_of, min, max, at_least_before, at_most_before, matches, not_matches)`}},
		{"present false", rule("id: a", "field: name", "present: false", "message: m"),
			[]string{`site.yaml:8:16: rules.supporters[0].present: present: false tests nothing (write present: true, or leave it out)`}},
		{"missing id, field and message", rule("present: true"),
			[]string{
				`site.yaml:6:7: rules.supporters[0].field: required field is missing`,
				`site.yaml:6:7: rules.supporters[0].id: required field is missing`,
				`site.yaml:6:7: rules.supporters[0].message: required field is missing`,
			}},
		{"id not a slug", rule("id: Five Years", "field: name", "present: true", "message: m"),
			[]string{`site.yaml:6:11: rules.supporters[0].id: rule id "Five Years" is not a slug (expected lower-case letters, digits and hyphens, such as "five-years-headship")`}},
		{"duplicate id", "  supporters:\n    - {id: a, field: name, present: true, message: m}\n  testimonials:\n    - {id: a, field: quote, present: true, message: m}\n",
			[]string{`site.yaml:8:12: rules.testimonials[0].id: rule id "a" is already used on line 6 (ids must be unique)`}},
		{"bad on_fail", rule("id: a", "field: name", "present: true", "message: m", "on_fail: stop"),
			[]string{`site.yaml:10:16: rules.supporters[0].on_fail: "stop" is not allowed (expected one of: error, warning, hide)`}},
		{"bad duration", rule("id: a", "field: headship_since", "at_least_before: 5 yeers", "message: m"),
			[]string{`site.yaml:8:24: rules.supporters[0].at_least_before: "5 yeers" is not a duration: unknown unit "yeers" (expected a number and a unit: y, mo, w or d, such as 5y, 6mo, 2w or 90d)`}},
		{"test without a value", "  supporters:\n    - {id: a, field: headship_since, at_least_before, message: m}\n",
			[]string{`site.yaml:6:38: rules.supporters[0].at_least_before: at_least_before has no value`}},
		{"present without a value", rule("id: a", "field: name", "present:", "message: m"),
			[]string{`site.yaml:8:7: rules.supporters[0].present: present has no value`}},
		{"empty setting", rule("id: a", "field:", "present: true", "message: m"),
			[]string{`site.yaml:7:13: rules.supporters[0].field: required field is empty`}},
		{"duration as a list", rule("id: a", "field: headship_since", "at_most_before: [3y]", "message: m"),
			[]string{`site.yaml:8:23: rules.supporters[0].at_most_before: expected a duration such as 5y, 6mo, 2w or 90d, found a list`}},
		{"regex does not compile", rule("id: a", "field: name", "not_matches: '(0\\d+'", "message: m"),
			[]string{"site.yaml:8:20: rules.supporters[0].not_matches: the pattern does not compile: missing closing ): `(0\\d+` (Go RE2 syntax: https://github.com/google/re2/wiki/Syntax)"}},
		{"regex with Perl lookahead", rule("id: a", "field: name", "matches: '(?!x)y'", "message: m"),
			[]string{"site.yaml:8:16: rules.supporters[0].matches: the pattern does not compile: invalid or unsupported Perl syntax: `(?!` (Go RE2 syntax: https://github.com/google/re2/wiki/Syntax)"}},
		{"empty regex", rule("id: a", "field: name", "matches: ''", "message: m"),
			[]string{`site.yaml:8:16: rules.supporters[0].matches: the pattern is empty (it would match every text)`}},
		{"min not a number", rule("id: a", "field: caseload", "min: few", "message: m"),
			[]string{`site.yaml:8:12: rules.supporters[0].min: "few" is not a whole number (expected a number such as 12)`}},
		{"max below min", rule("id: a", "field: caseload", "min: 3", "max: 1", "message: m"),
			[]string{`site.yaml:9:12: rules.supporters[0].max: 1 is below min 3 (expected max >= min)`}},
		{"one_of not a list", rule("id: a", "field: region", "one_of: north", "message: m"),
			[]string{`site.yaml:8:15: rules.supporters[0].one_of: expected a list, found "north" (write [a, b] or one "- item" a line)`}},
		{"whole file with present", rule("id: a", "field: '*'", "present: true", "message: m"),
			[]string{`site.yaml:8:16: rules.supporters[0].present: present cannot test the whole file (field: "*"); only matches and not_matches can`}},
		{"rule not a mapping", "  supporters:\n    - no phone numbers\n",
			[]string{`site.yaml:6:7: rules.supporters[0]: expected a rule (id, field, one or more tests and message lines), found "no phone numbers"`}},
		{"unknown section", "  supporter:\n    - {id: a, field: name, present: true, message: m}\n",
			[]string{`site.yaml:5:3: rules.supporter: unknown field (did you mean "supporters"?)`}},
		{"rules not a mapping", "  - {id: a}\n",
			[]string{`site.yaml:5:3: rules: expected a set of fields (key: value lines), found a list (its fields: supporters, networks, training, testimonials, news, pages)`}},
		{"anchor", "  supporters:\n    - &r {id: a, field: name, present: true, message: m}\n  news:\n    - *r\n",
			[]string{
				`site.yaml:6:7: rules.supporters[0]: YAML anchors and aliases are not supported here; write the value out`,
				`site.yaml:8:7: rules.news[0]: YAML anchors and aliases are not supported here; write the value out`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := parseRules(t, tt.rules)
			if want := strings.Join(tt.want, "\n"); got != want {
				t.Errorf("rules problems:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestRulesProblemsApart checks that a broken rule does not make site.yaml
// itself fail to load, so that the content is still checked.
func TestRulesProblemsApart(t *testing.T) {
	c, diags := Parse([]byte(rulesSite + "  supporters:\n    - {id: a, field: name, at_least_before: soon, message: m}\n"))
	if len(diags) > 0 {
		t.Fatalf("Parse problems = %v, want none (rule problems are kept in Rules.Diags)", diags)
	}
	if len(c.Rules.Diags) != 1 || !c.Rules.Supporters[0].Broken {
		t.Errorf("Rules.Diags = %v, Broken = %v; want one problem and a broken rule", c.Rules.Diags, c.Rules.Supporters[0].Broken)
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want Duration
		err  string
	}{
		{"5y", Duration{Years: 5}, ""},
		{"3y", Duration{Years: 3}, ""},
		{"6mo", Duration{Months: 6}, ""},
		{"90d", Duration{Days: 90}, ""},
		{"2w", Duration{Days: 14}, ""},
		{"1y6mo", Duration{Years: 1, Months: 6}, ""},
		{"1y 6mo 2w 3d", Duration{Years: 1, Months: 6, Days: 17}, ""},
		{"5 years", Duration{Years: 5}, ""},
		{"1 year, 6 months", Duration{Years: 1, Months: 6}, ""},
		{"18 months", Duration{Months: 18}, ""},
		{" 5yrs ", Duration{Years: 5}, ""},
		{"0d", Duration{}, ""},
		{"", Duration{}, `"" is not a duration: it is empty`},
		{"y", Duration{}, `"y" is not a duration: "y" does not start with a number`},
		{"5", Duration{}, `"5" is not a duration: 5 has no unit`},
		{"5x", Duration{}, `"5x" is not a duration: unknown unit "x"`},
		{"6m", Duration{}, `"6m" is not a duration: "m" is ambiguous (write mo for months)`},
		{"5Y", Duration{}, `"5Y" is not a duration: 5 has no unit`},
		{"6mo1y", Duration{}, `"6mo1y" is not a duration: units go from the largest to the smallest, each once (such as 1y6mo)`},
		{"1y2y", Duration{}, `"1y2y" is not a duration: units go from the largest to the smallest, each once (such as 1y6mo)`},
		{"-5y", Duration{}, `"-5y" is not a duration: "-5y" does not start with a number`},
		{"1.5y", Duration{}, `"1.5y" is not a duration: 1 has no unit`},
		{"201y", Duration{}, `"201y" is not a duration: 201y is too long`},
		{"9999999d", Duration{}, `"9999999d" is not a duration: the number is too large`},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("ParseDuration(%q) error %v, want %+v", tt.in, err, tt.want)
		case tt.err != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.err)):
			t.Errorf("ParseDuration(%q) = %+v, %v; want error %s...", tt.in, got, err, tt.err)
		case got != tt.want:
			t.Errorf("ParseDuration(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestDurationDates(t *testing.T) {
	date := func(s string) decode.Date {
		d, err := decode.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		d            Duration
		at           string
		before, afta string
		text         string
	}{
		{Duration{Years: 5}, "2026-11-22", "2021-11-22", "2031-11-22", "5 years"},
		{Duration{Years: 1, Months: 6}, "2026-11-22", "2025-05-22", "2028-05-22", "1 year 6 months"},
		{Duration{Days: 90}, "2026-11-22", "2026-08-24", "2027-02-20", "90 days"},
		{Duration{Years: 3}, "2028-02-29", "2025-03-01", "2031-03-01", "3 years"},
		{Duration{Months: 1, Days: 1}, "2026-03-31", "2026-03-02", "2026-05-02", "1 month 1 day"},
		{Duration{}, "2026-11-22", "2026-11-22", "2026-11-22", "0 days"},
	}
	for _, tt := range tests {
		if got := tt.d.Before(date(tt.at)).String(); got != tt.before {
			t.Errorf("%v.Before(%s) = %s, want %s", tt.d, tt.at, got, tt.before)
		}
		if got := tt.d.After(date(tt.at)).String(); got != tt.afta {
			t.Errorf("%v.After(%s) = %s, want %s", tt.d, tt.at, got, tt.afta)
		}
		if got := tt.d.String(); got != tt.text {
			t.Errorf("String() = %q, want %q", got, tt.text)
		}
	}
}

func TestQuote(t *testing.T) {
	long := strings.Repeat("é", 100)
	if got, want := Quote(long), `"`+strings.Repeat("é", 60)+`"…`; got != want {
		t.Errorf("Quote(100 é) = %s, want %s", got, want)
	}
	if got := Quote("a\nb"); got != `"a\nb"` {
		t.Errorf(`Quote("a\nb") = %s`, got)
	}
}
