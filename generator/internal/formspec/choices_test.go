package formspec

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/textfold"
)

// people is a searchable supporters field: two supporters share a name,
// two names have accents, one an apostrophe.
func people() *Field {
	return &Field{Name: "supporter", Label: "Preferred supporter", Type: config.FieldChoice, MaxLength: 200,
		From: config.FromSupporters, ChoicesURL: "/forms/supporters.x.json",
		Choices: []Option{
			{Value: "jo-evans", Label: "Jo Evans", Hint: "Oak Primary"},
			{Value: "jo-evans-2", Label: "Jo Evans", Hint: "Ash Academy"},
			{Value: "zoe-oneil", Label: "Zoë O’Neil"},
			{Value: "ines-garcia", Label: "Inés García-Ruiz"},
			{Value: "joanna-evanson", Label: "Joanna Evanson"},
			{Value: "sam-lee", Label: "Sam Lee"},
		}}
}

func values(opts []Option) string {
	var v []string
	for _, o := range opts {
		v = append(v, o.Value)
	}
	return strings.Join(v, ",")
}

// TestResolve is the form server's reading of a typed name: a value, or
// the one label that reads the same, case, accents, apostrophes and
// spacing aside; several of that name, or none, leave choices to pick.
func TestResolve(t *testing.T) {
	tests := []struct {
		typed, value, same, like string
	}{
		{"sam-lee", "sam-lee", "", ""},
		{"SAM-LEE", "sam-lee", "", ""},
		{"Sam Lee", "sam-lee", "", ""},
		{"  sam   LEE ", "sam-lee", "", ""},
		{"zoe o'neil", "zoe-oneil", "", ""},
		{"Zoe ONeil", "zoe-oneil", "", ""},
		{"neil", "", "", "zoe-oneil"},
		{"o neil", "", "", "zoe-oneil"},
		{"ines garcia ruiz", "ines-garcia", "", ""},
		{"Inés García-Ruiz", "ines-garcia", "", ""},
		{"Jo Evans", "", "jo-evans,jo-evans-2", ""},
		{"jo", "", "", "jo-evans,jo-evans-2,joanna-evanson"},
		{"evans jo", "", "", "jo-evans,jo-evans-2,joanna-evanson"},
		{"garcia", "", "", "ines-garcia"},
		{"lee sam x", "", "", ""},
		{"Jo Evens", "", "", ""},
		{"", "", "", ""},
		{"--", "", "", ""},
	}
	fl := people()
	for _, tt := range tests {
		m := fl.Resolve(tt.typed)
		if m.Value != tt.value || values(m.Same) != tt.same || values(m.Like) != tt.like {
			t.Errorf("Resolve(%q) = %q, same [%s], like [%s]; want %q, [%s], [%s]",
				tt.typed, m.Value, values(m.Same), values(m.Like), tt.value, tt.same, tt.like)
		}
	}
}

// TestValidateTyped checks what the server stores for, or says of, a name
// typed into a searchable field.
func TestValidateTyped(t *testing.T) {
	f := &Form{Name: "r", Fields: []Field{*people()}}
	many := people()
	for i := range 40 {
		many.Choices = append(many.Choices, Option{Value: fmt.Sprintf("jo-%d", i), Label: fmt.Sprintf("Jo Smith %d", i)})
	}
	tests := []struct {
		field *Field
		typed string
		value string // stored, or
		msg   string // the error
	}{
		{people(), "joanna evanson", "joanna-evanson", ""},
		{people(), "jo-evans-2", "jo-evans-2", ""},
		{people(), "Jo Evans", "", "More than one choice for preferred supporter is called “Jo Evans”: choose the one you mean"},
		{people(), "Evans", "", "“Evans” is not a choice for preferred supporter: choose from those that match"},
		{people(), "Jo Evnas", "", "“Jo Evnas” is not a choice for preferred supporter: check the spelling"},
		{many, "jo", "", "“jo” matches 43 choices for preferred supporter: type more of the name"},
	}
	for _, tt := range tests {
		f.Fields[0] = *tt.field
		answers, errs := Validate(f, url.Values{"supporter": {tt.typed}})
		switch {
		case tt.msg != "" && (len(errs) != 1 || errs[0].Message != tt.msg):
			t.Errorf("Validate(%q) errors %+v, want %q", tt.typed, errs, tt.msg)
		case tt.msg == "" && (len(errs) != 0 || answers[0].Value != tt.value):
			t.Errorf("Validate(%q) = %+v, %+v; want %q", tt.typed, answers, errs, tt.value)
		}
	}
	// A drop-down's field takes a label too, but says no more than before.
	sel := people()
	sel.ChoicesURL = ""
	f.Fields[0] = *sel
	if answers, errs := Validate(f, url.Values{"supporter": {"sam lee"}}); len(errs) != 0 || answers[0].Value != "sam-lee" {
		t.Errorf("a drop-down's label: %+v, %+v", answers, errs)
	}
	if _, errs := Validate(f, url.Values{"supporter": {"Evans"}}); len(errs) != 1 || errs[0].Message != "Choose preferred supporter from the list" {
		t.Errorf("a drop-down's unknown answer: %+v", errs)
	}
}

// TestRenderListSizes checks what a choice field is at each list size: a
// drop-down up to its limit (30, or search_above), a text box with the
// address of its choices file above it; and that the choices file lists
// every choice, and is named by its content.
func TestRenderListSizes(t *testing.T) {
	for _, tt := range []struct {
		n, above int
		search   bool
	}{{2, 0, false}, {30, 0, false}, {31, 0, true}, {4800, 0, true}, {10, 9, true}, {10, 10, false}, {100, 200, false}} {
		t.Run(fmt.Sprintf("%d-above-%d", tt.n, tt.above), func(t *testing.T) {
			var sup []Option
			for i := range tt.n {
				sup = append(sup, Option{Value: fmt.Sprintf("s-%04d", i), Label: fmt.Sprintf("Supporter %d", i), Hint: "School"})
			}
			yaml := fmt.Sprintf(`base_url: https://peer.example.org/peer/
vocabularies:
  streams: {s: S}
  regions: {north: North}
forms:
  definitions:
    - name: request
      title: Request
      fields:
        - {name: supporter, label: Supporter, type: choice, from: supporters, search_above: %d}
`, tt.above)
			m := buildManifest(t, yaml, Sources{Supporters: sup})
			fl := m.Form("request").Field("supporter")
			html, err := Render(View{Form: m.Form("request")})
			if err != nil {
				t.Fatal(err)
			}
			page := string(html)
			if got := fl.Searchable(); got != tt.search {
				t.Fatalf("searchable = %v, want %v", got, tt.search)
			}
			files := m.ChoicesFiles()
			if !tt.search {
				if n := strings.Count(page, "<option"); n != tt.n+1 || len(files) != 0 || strings.Contains(page, "data-choices") {
					t.Errorf("drop-down has %d options (want %d), %d choices files", n, tt.n+1, len(files))
				}
				return
			}
			if strings.Contains(page, "<option") || strings.Contains(page, "Supporter 1") {
				t.Errorf("a long list is inlined in the page:\n%s", page)
			}
			for _, want := range []string{`<div class="combobox" data-pp-combobox><input class="input" id="f-supporter" name="supporter"`,
				`data-choices="/peer/forms/supporters.`, `autocomplete="off"`, `aria-describedby="f-supporter-hint"`, `data-pp-how`} {
				if !strings.Contains(page, want) {
					t.Errorf("text box lacks %s:\n%s", want, page)
				}
			}
			if len(files) != 1 {
				t.Fatalf("choices files %v, want 1", len(files))
			}
			for p, body := range files {
				if "/peer/"+p != fl.ChoicesURL || !strings.HasPrefix(p, "forms/supporters.") {
					t.Errorf("choices file at %s, URL %s", p, fl.ChoicesURL)
				}
				var rows [][]string
				if err := json.Unmarshal(body, &rows); err != nil || len(rows) != tt.n || rows[0][0] != "s-0000" || rows[0][1] != "Supporter 0" || rows[0][2] != "School" {
					t.Errorf("choices file: %d rows, %v", len(rows), err)
				}
			}
			if again := buildManifest(t, yaml, Sources{Supporters: sup}); again.Form("request").Field("supporter").ChoicesURL != fl.ChoicesURL {
				t.Errorf("the choices file's name is not deterministic")
			}
		})
	}
}

func buildManifest(t *testing.T, yaml string, src Sources) *Manifest {
	t.Helper()
	cfg, diags := config.Parse([]byte("title: T\n" + yaml))
	if diags.Err() != nil {
		t.Fatal(diags)
	}
	m, err := Build(cfg, src)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRenderSearchable checks a searchable field shown again: with a
// choice (from a link's ?supporter= or a failed send), its label in the
// box and its value for the script; with a typed name that names several
// or matches a few, a drop-down of those, with their hints; with one that
// matches none, the text as typed.
func TestRenderSearchable(t *testing.T) {
	f := &Form{Name: "r", Action: "/forms/r", Fields: []Field{*people()}}
	render := func(typed string, failed bool) string {
		v := View{Form: f, Values: url.Values{"supporter": {typed}}}
		if failed {
			v.Errors = []FieldError{{"supporter", "Wrong"}}
		}
		h, err := Render(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(h)
	}
	if p := render("zoe-oneil", false); !strings.Contains(p, `value="Zoë O’Neil" data-value="zoe-oneil"`) {
		t.Errorf("chosen: %s", p)
	}
	p := render("Jo Evans", true)
	if !strings.Contains(p, `<select class="input" id="f-supporter" name="supporter" aria-describedby="f-supporter-error" aria-invalid="true">`) ||
		!strings.Contains(p, `<option value="jo-evans">Jo Evans (Oak Primary)</option><option value="jo-evans-2">Jo Evans (Ash Academy)</option>`) ||
		strings.Contains(p, "Sam Lee") || strings.Contains(p, "data-choices") {
		t.Errorf("ambiguous: %s", p)
	}
	if p := render("Jo Evnas", true); !strings.Contains(p, `name="supporter" value="Jo Evnas" data-choices=`) || !strings.Contains(p, `aria-invalid="true"`) {
		t.Errorf("unknown: %s", p)
	}
	if p := render("Jo Evans", false); !strings.Contains(p, `name="supporter" value="Jo Evans" data-choices=`) {
		t.Errorf("typed, not yet sent: %s", p)
	}
}

// TestFoldMatchesScript checks that forms.js folds names as the server
// does: its FOLD table is textfold.Table.
func TestFoldMatchesScript(t *testing.T) {
	src, err := os.ReadFile("../layout/theme/assets/forms.js")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)var FOLD = (\[\[.*?\]\]);`).FindSubmatch(src)
	if m == nil {
		t.Fatal("forms.js has no FOLD table")
	}
	var table [][2]string
	if err := json.Unmarshal(m[1], &table); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(table, textfold.Table) {
		t.Errorf("forms.js FOLD = %q,\nwant textfold.Table %q", table, textfold.Table)
	}
}
