package formspec

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/decode"
)

// everyType is a form with a field of every type.
func everyType() *Form {
	return &Form{Name: "all", Title: "All", Submit: "Send", Action: "/forms/all", Consent: "We keep it.",
		Fields: []Field{
			{Name: "name", Label: "Your name", Type: config.FieldText, Required: true, MinLength: 2, MaxLength: 20, Autocomplete: "name", Help: "As you sign letters."},
			{Name: "email", Label: "E-mail", Type: config.FieldEmail, MaxLength: 254},
			{Name: "text", Label: "Text", Type: config.FieldTextarea, MaxLength: 50},
			{Name: "pick", Label: "Pick", Type: config.FieldChoice, MaxLength: 200, Choices: []Option{{Value: "a", Label: "A"}, {Value: "b", Label: "B"}}},
			{Name: "many", Label: "Many", Type: config.FieldMultiChoice, MaxLength: 200, Choices: []Option{{Value: "x", Label: "X"}, {Value: "y", Label: "Y"}, {Value: "z", Label: "Z"}}},
			{Name: "when", Label: "When", Type: config.FieldDate, MaxLength: 40},
			{Name: "tick", Label: "Tick", Type: config.FieldCheckbox, MaxLength: 200},
			{Name: "ref", Type: config.FieldHidden, MaxLength: 30, From: config.FromSupporters, Choices: []Option{{Value: "jo", Label: "Jo"}}},
		}}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		query string
		want  map[string]string // answers, or the field in error as "!field"
	}{
		{"name=Jo&consent=yes", map[string]string{"name": "Jo", "tick": "no"}},
		{"name=Jo&consent=on&many=z&many=x&many=x", map[string]string{"many": "x; z"}},
		{"name=Jo&consent=yes&pick=b&when=2020-02-29&tick=on&ref=jo&email=a%40b.org", map[string]string{"pick": "b", "when": "2020-02-29", "tick": "yes", "ref": "jo", "email": "a@b.org"}},
		{"name=Jo&consent=yes&text=a%0D%0Ab%00c", map[string]string{"text": "a\nbc"}},
		// Direction overrides and isolates go; the marks stay.
		{"name=Jo%E2%80%AE+Smith&consent=yes&text=%E2%81%A6a%E2%81%A9%E2%80%8Fb", map[string]string{"name": "Jo Smith", "text": "a\u200fb"}},
		{"consent=yes", map[string]string{"!": "name"}},
		{"name=J&consent=yes", map[string]string{"!": "name"}},
		{"name=Jo", map[string]string{"!": "consent"}},
		{"name=Jo&consent=no", map[string]string{"!": "consent"}},
		{"name=Jo&consent=yes&pick=c", map[string]string{"!": "pick"}},
		{"name=Jo&consent=yes&pick=a&pick=b", map[string]string{"!": "pick"}},
		{"name=Jo&consent=yes&many=w", map[string]string{"!": "many"}},
		{"name=Jo&consent=yes&when=2021-02-29", map[string]string{"!": "when"}},
		{"name=Jo&consent=yes&when=1066-10-14", map[string]string{"!": "when"}},
		{"name=Jo&consent=yes&when=27%2F3%2F2019", map[string]string{"when": "2019-03-27"}},
		{"name=Jo&consent=yes&when=1+September++2019", map[string]string{"when": "2019-09-01"}},
		{"name=Jo&consent=yes&when=31%2F4%2F2019", map[string]string{"!": "when"}},
		{"name=Jo&consent=yes&when=3%2F27%2F2019", map[string]string{"!": "when"}},
		{"name=Jo&consent=yes&ref=sam", map[string]string{"!": "ref"}},
		{"name=Jo&consent=yes&email=a%40b", map[string]string{"!": "email"}},
		{"name=Jo&consent=yes&email=%40b.org", map[string]string{"!": "email"}},
		{"name=Jo&consent=yes&text=" + strings.Repeat("é", 51), map[string]string{"!": "text"}},
		{"name=Jo&consent=yes&text=" + strings.Repeat("é", 50), map[string]string{"text": strings.Repeat("é", 50)}},
	}
	for _, tt := range tests {
		v, err := url.ParseQuery(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		answers, errs := Validate(everyType(), v)
		if field, bad := tt.want["!"]; bad {
			if len(errs) != 1 || errs[0].Field != field {
				t.Errorf("Validate(%q) errors = %+v, want one for %s", tt.query, errs, field)
			}
			continue
		}
		if len(errs) > 0 {
			t.Errorf("Validate(%q) errors = %+v, want none", tt.query, errs)
			continue
		}
		got := map[string]string{}
		for _, a := range answers {
			got[a.Name] = a.Text()
		}
		for k, want := range tt.want {
			if got[k] != want {
				t.Errorf("Validate(%q)[%s] = %q, want %q", tt.query, k, got[k], want)
			}
		}
	}
}

func TestValidateMessages(t *testing.T) {
	_, errs := Validate(everyType(), url.Values{})
	want := []FieldError{{"name", "Enter your name"}, {"consent", "Tick the box to agree to how your answers are used"}}
	if !slices.Equal(errs, want) {
		t.Errorf("errors = %+v, want %+v", errs, want)
	}
}

// TestValidateWording checks that each message names its question so
// that it reads as a sentence, whether the label is a noun ("Your name")
// or a question ("When did you become a headteacher?").
func TestValidateWording(t *testing.T) {
	tests := []struct {
		field Field
		value []string
		want  string
	}{
		{Field{Name: "name", Label: "Your name", Type: config.FieldText, Required: true, MaxLength: 10}, nil, "Enter your name"},
		{Field{Name: "name", Label: "Your name", Type: config.FieldText, MaxLength: 3}, []string{"Zoë Ó"}, "Your name must be 3 characters or fewer (it has 5)"},
		{Field{Name: "name", Label: "Your name", Type: config.FieldText, MaxLength: 10}, []string{"a", "b"}, "Give your name only once"},
		{Field{Name: "since", Label: "When did you become a headteacher?", Type: config.FieldDate, Required: true, MaxLength: 40}, nil,
			"Enter your answer to “When did you become a headteacher?”"},
		{Field{Name: "since", Label: "When did you become a headteacher?", Type: config.FieldDate, MaxLength: 40}, []string{"soon"},
			"Your answer to “When did you become a headteacher?” must be a real date, such as 27/3/2019"},
		{Field{Name: "rating", Label: "How useful have the meetings been?", Type: config.FieldChoice, Required: true, MaxLength: 200,
			Choices: []Option{{Value: "very", Label: "Very"}}}, []string{"wow"}, "Choose your answer to “How useful have the meetings been?” from the list"},
		{Field{Name: "skills", Label: "What would you like support with?", Type: config.FieldMultiChoice, Required: true, MaxLength: 200,
			Choices: []Option{{Value: "send", Label: "SEND"}}}, nil, "Choose at least one: your answer to “What would you like support with?”"},
		{Field{Name: "ok", Label: "SEND support", Type: config.FieldCheckbox, Required: true}, nil, "Tick the box: SEND support"},
	}
	for _, tt := range tests {
		f := &Form{Name: "f", Fields: []Field{tt.field}}
		_, errs := Validate(f, url.Values{tt.field.Name: tt.value})
		if len(errs) != 1 || errs[0].Message != tt.want {
			t.Errorf("%s %q: errors %+v, want %q", tt.field.Label, tt.value, errs, tt.want)
		}
	}
}

// FuzzValidate decodes arbitrary bodies as a form: nothing panics, and
// whatever is accepted is valid UTF-8, within its limit and one of the
// choices.
func FuzzValidate(f *testing.F) {
	for _, s := range []string{"name=Jo&consent=yes", "name=%FF&consent=1", "many=x&many=y&many=x", "when=2020-13-01", "a=%zz", "name=" + strings.Repeat("x", 30), "text=%0D%0A%00", ";;&&==",
		"supporter=zoe+o%27neil", "supporter=HELEN++MARSH", "supporter=marsh", "supporter=Zo%C3%AB"} {
		f.Add(s)
	}
	// With a long list too, whose typed names the server resolves.
	form := everyType()
	form.Fields = append(form.Fields, *people())
	f.Fuzz(func(t *testing.T, body string) {
		v, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		answers, errs := Validate(form, v)
		if len(errs) > 0 {
			return
		}
		for _, a := range answers {
			fl := form.Field(a.Name)
			for _, s := range append([]string{a.Value}, a.Values...) {
				if !utf8.ValidString(s) || utf8.RuneCountInString(s) > fl.MaxLength {
					t.Errorf("answer %s = %q is not valid or too long", a.Name, s)
				}
				if s != "" && len(fl.Choices) > 0 && !hasChoice(fl, s) {
					t.Errorf("answer %s = %q is not a choice", a.Name, s)
				}
				if fl.Type != config.FieldTextarea && strings.ContainsAny(s, "\n\r") {
					t.Errorf("one-line answer %s = %q has a line break", a.Name, s)
				}
			}
		}
		// The form renders with whatever was sent.
		if _, err := Render(View{Form: form, Values: v, Errors: errs}); err != nil {
			t.Error(err)
		}
	})
}

func TestRender(t *testing.T) {
	v, _ := url.ParseQuery("name=%3Cb%3EJo&pick=b&many=y&tick=yes")
	_, errs := Validate(everyType(), v)
	html, err := Render(View{Form: everyType(), Values: v, Errors: errs, Prefix: "p-", Fixed: map[string]string{"ref": "jo"}})
	if err != nil {
		t.Fatal(err)
	}
	s := string(html)
	for _, want := range []string{
		`<h2 class="error-summary__title" id="p-error-title">There is a problem</h2>`,
		`<a href="#p-consent">Tick the box`,
		`<label for="p-name">Your name</label>`,
		`<p class="hint" id="p-name-hint">As you sign letters.</p>`,
		`autocomplete="name"`,
		`aria-describedby="p-name-hint"`,
		`value="&lt;b&gt;Jo"`,
		`<option value="b" selected>B</option>`,
		`<legend>Many (optional)</legend>`,
		`value="y" checked`,
		`<input type="hidden" name="ref" value="jo">`,
		`<p class="hint" id="p-when-hint">For example, 27/3/2019.</p>`,
		`type="email"`,
		`<div class="form-hp" aria-hidden="true">`,
		`name="_visit"`,
		`id="p-consent-error"`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("form lacks %s:\n%s", want, s)
		}
	}
	if strings.Contains(s, "<b>Jo") {
		t.Errorf("a value is not escaped")
	}
	ext := everyType()
	ext.External = true
	html, _ = Render(View{Form: ext})
	if strings.Contains(string(html), "_visit") || strings.Contains(string(html), "homepage") {
		t.Errorf("a third-party form gets the form server's own fields")
	}
}

func TestEligibility(t *testing.T) {
	m := &Manifest{Timezone: "Europe/London", Rules: []Rule{
		{ID: "five-years", Field: "headship_since", Message: "five years", Present: true, AtLeastBefore: "5 years"},
		{ID: "grade", Field: "school.inspection.grade", Message: "good or better", Present: true, OneOf: []string{"good", "outstanding"}},
		{ID: "coaching", Field: "coaching", Message: "coaching record", Present: true},
		{ID: "local", Field: "local_knowledge", Message: "local", OneOf: []string{"true"}},
	}}
	e, err := NewEligibility(m)
	if err != nil {
		t.Fatal(err)
	}
	f := &Form{Eligibility: true, Fields: []Field{
		{Name: "since", Type: config.FieldDate, RuleField: "headship_since"},
		{Name: "grade", Type: config.FieldChoice, RuleField: "school.inspection.grade"},
		{Name: "coaching", Type: config.FieldTextarea, RuleField: "coaching"},
		{Name: "local", Type: config.FieldCheckbox, RuleField: "local_knowledge"},
	}}
	today := decode.Date{Year: 2026, Month: 11, Day: 22}
	tests := []struct {
		answers []Answer
		want    []string
	}{
		{[]Answer{{Name: "since", Value: "2020-09-01"}, {Name: "grade", Value: "good"}, {Name: "coaching", Value: "ten years"}, {Name: "local", Value: "yes"}}, nil},
		{[]Answer{{Name: "since", Value: "2021-11-23"}, {Name: "grade", Value: "requires-improvement"}, {Name: "coaching", Value: "x"}, {Name: "local", Value: "no"}}, []string{"five-years", "grade", "local"}},
		{[]Answer{{Name: "local", Value: "yes"}}, []string{"five-years", "grade", "coaching"}},
	}
	for _, tt := range tests {
		var got []string
		for _, u := range e.Check(f, tt.answers, today) {
			got = append(got, u.ID)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Check(%v) = %v, want %v", tt.answers, got, tt.want)
		}
	}
}

func TestBuild(t *testing.T) {
	cfg, diags := config.Parse([]byte(`title: T
base_url: https://example.org/peer/
vocabularies:
  streams: {s: S}
  regions: {north: North, south: South}
rules:
  supporters:
    - id: since
      field: headship_since
      at_least_before: 5y
      message: five years
    - id: grade
      field: school.inspection.grade
      one_of: [good]
      message: good
forms:
  definitions:
    - name: offer
      title: Offer
      eligibility: true
      fields:
        - {name: since, label: Since, type: date, rule_field: headship_since}
        - {name: region, label: Region, type: choice, from: regions}
        - {name: who, label: Who, type: choice, from: supporters}
        - {name: session, label: Session, type: hidden, from: open-sessions}
    - name: elsewhere
      title: Elsewhere
      endpoint: https://formspree.example/f/{form}
      fields:
        - {name: x, label: X, type: text}
`))
	if diags.Err() != nil {
		t.Fatal(diags)
	}
	m, err := Build(cfg, Sources{Supporters: []Option{{Value: "jo", Label: "Jo"}}, Sessions: []Session{{ID: "c/2027-01-01", Label: "C", Capacity: 4, State: "open"}}})
	if err != nil {
		t.Fatal(err)
	}
	offer := m.Form("offer")
	if offer.Action != "/peer/forms/offer" || offer.URL != "/forms/offer/" || offer.External {
		t.Errorf("offer: action %q, url %q, external %v", offer.Action, offer.URL, offer.External)
	}
	if got := offer.Field("region").Choices; len(got) != 2 || got[0] != (Option{Value: "north", Label: "North"}) {
		t.Errorf("region choices = %v", got)
	}
	if got := offer.Field("who").Choices; len(got) != 1 || got[0].Value != "jo" {
		t.Errorf("supporter choices = %v", got)
	}
	if bf := offer.BookingField(); bf == nil || bf.Choices[0].Value != "c/2027-01-01" {
		t.Errorf("booking field = %+v", bf)
	}
	if len(m.Rules) != 1 || m.Rules[0].ID != "since" || m.Rules[0].AtLeastBefore != "5 years" {
		t.Errorf("rules = %+v, want only the one a field answers", m.Rules)
	}
	if e := m.Form("elsewhere"); e.Action != "https://formspree.example/f/elsewhere" || !e.External {
		t.Errorf("elsewhere: %q %v", e.Action, e.External)
	}
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(b)
	if err != nil || !back.Form("elsewhere").External || back.Form("offer").Field("since").RuleField != "headship_since" {
		t.Errorf("Parse(Marshal) lost something: %v", err)
	}
	if _, err := NewEligibility(back); err != nil {
		t.Errorf("NewEligibility: %v", err)
	}
}
