package config

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"peerpress/generator/internal/decode"
)

// Forms is site.yaml's forms: where the site's forms send their answers and
// what each form asks. A site without forms: keeps mailto links to the
// coordinator.
type Forms struct {
	// Endpoint is where answers go. Empty means the form server
	// (generator forms) on the site's own origin, at <base>/forms/<name>;
	// an absolute URL puts that server elsewhere (its /forms/<name> is
	// appended); a URL containing {form} is used as it is, with {form}
	// replaced by the form's name, for a third-party service; "none" turns
	// the forms off and keeps mailto links.
	Endpoint string `yaml:"endpoint"`
	// Definitions are the forms, in the order of the forms index.
	Definitions []Form `yaml:"definitions"`
}

// FormsOff is the endpoint that turns the forms off.
const FormsOff = "none"

// Enabled reports whether the site publishes its forms.
func (f *Forms) Enabled() bool { return f.Endpoint != FormsOff && len(f.Definitions) > 0 }

// Lookup returns the form of that name, or nil.
func (f *Forms) Lookup(name string) *Form {
	for i := range f.Definitions {
		if f.Definitions[i].Name == name {
			return &f.Definitions[i]
		}
	}
	return nil
}

// Form is one form.
type Form struct {
	// Name is the form's slug: its page is /forms/<name>/.
	Name  string `yaml:"name" pp:"required"`
	Title string `yaml:"title" pp:"required"`
	// Intro is a paragraph shown above the fields.
	Intro string `yaml:"intro"`
	// Submit is the button's text ("Send request").
	Submit string `yaml:"submit"`
	// Consent is a statement of how the answers are used, which the sender
	// must agree to before sending.
	Consent string `yaml:"consent"`
	// Endpoint overrides forms.endpoint for this form.
	Endpoint string `yaml:"endpoint"`
	// Eligibility applies the supporters rules of rules: to the answers of
	// the fields that name a rule_field; the answers are stored either way,
	// marked with the criteria not met.
	Eligibility bool     `yaml:"eligibility"`
	ThankYou    ThankYou `yaml:"thank_you"`
	Fields      []Field  `yaml:"fields" pp:"required"`
}

// ThankYou is the page shown after a form is sent.
type ThankYou struct {
	Title string `yaml:"title"`
	Text  string `yaml:"text"`
}

// The field types.
const (
	FieldText        = "text"
	FieldEmail       = "email"
	FieldTextarea    = "textarea"
	FieldChoice      = "choice"
	FieldMultiChoice = "multi-choice"
	FieldDate        = "date"
	FieldCheckbox    = "checkbox"
	FieldHidden      = "hidden"
)

// The lists a choice can be taken from, besides a vocabulary.
const (
	FromSupporters   = "supporters"
	FromOpenSessions = "open-sessions"
)

// Field is one question of a form.
type Field struct {
	// Name is the field's name in the answers: a slug.
	Name  string `yaml:"name" pp:"required"`
	Label string `yaml:"label"`
	Type  string `yaml:"type" pp:"required,enum=text|email|textarea|choice|multi-choice|date|checkbox|hidden"`
	// Help is a hint shown under the label.
	Help     string `yaml:"help"`
	Required bool   `yaml:"required"`
	// MinLength and MaxLength bound a text's length in characters;
	// MaxLength has a default per type and is never above 10,000.
	MinLength int `yaml:"min_length" pp:"min=0"`
	MaxLength int `yaml:"max_length" pp:"min=0"`
	// Choices are the options of a choice or multi-choice field, as
	// id: label lines; From takes them from content instead: supporters
	// (those available), open-sessions (training sessions open for
	// booking) or the name of a vocabulary (regions, inspection_grades).
	Choices Vocabulary `yaml:"choices"`
	From    string     `yaml:"from"`
	// Autocomplete is the HTML autocomplete token (name, email,
	// organization, organization-title).
	Autocomplete string `yaml:"autocomplete"`
	// RuleField is the supporters field (a rule's field:, such as
	// headship_since) that this answer stands for, on an eligibility form.
	RuleField string `yaml:"rule_field"`
	// SearchAbove is the most choices a choice field shows as a drop-down;
	// with more, it is a text box that suggests choices as the sender
	// types (0: DefaultSearchAbove).
	SearchAbove int `yaml:"search_above" pp:"min=0"`
}

// DefaultSearchAbove is the most choices a choice field shows as a
// drop-down unless it says otherwise: a native list of more is hard to use
// on a phone, and few lists of so few need searching.
const DefaultSearchAbove = 30

// ListLimit is the most choices the field shows as a drop-down.
func (f *Field) ListLimit() int {
	if f.SearchAbove > 0 {
		return f.SearchAbove
	}
	return DefaultSearchAbove
}

// MaxFieldLength is the most characters any answer may have.
const MaxFieldLength = 10000

// Limit is the most characters the field's answer may have.
func (f *Field) Limit() int {
	if f.MaxLength > 0 {
		return min(f.MaxLength, MaxFieldLength)
	}
	switch f.Type {
	case FieldTextarea:
		return 5000
	case FieldEmail:
		return 254
	case FieldDate:
		return 40 // "27 September 2019", with room for spaces
	}
	return 200
}

// reservedFields are names the form server uses itself.
var reservedFields = []string{"homepage", "consent"}

// formFields is Form without its DecodeYAML method, for the generic decoder.
type formFields Form

// DecodeYAML implements decode.Unmarshaler: it decodes the form and checks
// what the generic decoder cannot, each problem at its line.
func (f *Form) DecodeYAML(d *decode.Decoder, path string, n *yaml.Node) {
	d.DecodeValue(n, path, (*formFields)(f))
	pos := func(field string) *yaml.Node {
		if p, ok := d.Pos[field]; ok {
			return &yaml.Node{Line: p.Line - d.LineOffset, Column: p.Col}
		}
		return n
	}
	if f.Name != "" && !IsSlug(f.Name) {
		d.Errorf(pos(path+".name"), path+".name", "form name %q is not a slug (expected lower-case letters, digits and hyphens, such as \"request-support\")", f.Name)
	}
	if f.Endpoint != "" {
		if msg := checkEndpoint(f.Endpoint); msg != "" {
			d.Errorf(pos(path+".endpoint"), path+".endpoint", "%s", msg)
		}
	}
	if _, given := d.Pos[path+".fields"]; given && len(f.Fields) == 0 {
		d.Errorf(pos(path+".fields"), path+".fields", "a form needs at least one field")
	}
	seen := map[string]bool{}
	eligible := false
	for i := range f.Fields {
		fl := &f.Fields[i]
		fp := fmt.Sprintf("%s.fields[%d]", path, i)
		at := func(key string) *yaml.Node { return pos(fp + "." + key) }
		switch {
		case fl.Name == "":
		case !IsSlug(fl.Name) && !isSnake(fl.Name):
			d.Errorf(at("name"), fp+".name", "field name %q is not a slug (expected lower-case letters, digits, hyphens or underscores)", fl.Name)
		case seen[fl.Name]:
			d.Errorf(at("name"), fp+".name", "field name %q appears twice in the form", fl.Name)
		case containsString(reservedFields, fl.Name):
			d.Errorf(at("name"), fp+".name", "field name %q is used by the form server itself (choose another)", fl.Name)
		}
		seen[fl.Name] = true
		if fl.Label == "" && fl.Type != FieldHidden {
			d.Errorf(at("name"), fp+".label", "a %s field needs a label", fl.Type)
		}
		choice := fl.Type == FieldChoice || fl.Type == FieldMultiChoice
		if !slices.Contains(fieldTypes, fl.Type) {
			// The type is reported already; what suits it cannot be said.
			continue
		}
		switch {
		case fl.From != "" && fl.Choices != nil:
			d.Errorf(at("from"), fp+".from", "give choices or from, not both")
		case fl.From != "" && !choice && fl.Type != FieldHidden:
			d.Errorf(at("from"), fp+".from", "from applies to choice, multi-choice and hidden fields, not %s", fl.Type)
		case fl.From != "" && !knownFrom(fl.From):
			d.Errorf(at("from"), fp+".from", "unknown list %q%s (expected supporters, open-sessions or a vocabulary: %s)", fl.From, didYouMean(fl.From, fromLists()), strings.Join(vocabularyNames, ", "))
		case fl.From == FromOpenSessions && fl.Type == FieldMultiChoice:
			d.Errorf(at("from"), fp+".from", "a booking is for one session: use a choice field")
		case choice && fl.From == "" && len(fl.Choices) == 0:
			d.Errorf(at("type"), fp+".choices", "a %s field needs choices (id: label lines) or from", fl.Type)
		case !choice && fl.Choices != nil:
			d.Errorf(at("choices"), fp+".choices", "choices apply to choice and multi-choice fields, not %s", fl.Type)
		}
		if fl.SearchAbove != 0 && fl.Type != FieldChoice {
			d.Errorf(at("search_above"), fp+".search_above", "search_above applies to choice fields, not %s", fl.Type)
		}
		if fl.MaxLength > MaxFieldLength {
			d.Errorf(at("max_length"), fp+".max_length", "%d is above %d, the most an answer may have", fl.MaxLength, MaxFieldLength)
		}
		if fl.MaxLength > 0 && fl.MinLength > fl.MaxLength {
			d.Errorf(at("min_length"), fp+".min_length", "%d is above max_length %d", fl.MinLength, fl.MaxLength)
		}
		if fl.RuleField != "" {
			eligible = true
		}
	}
	if eligible && !f.Eligibility {
		d.Errorf(n, path+".eligibility", "fields name a rule_field but the form does not say eligibility: true")
	}
}

// checkEndpoint returns what is wrong with an endpoint, or "".
func checkEndpoint(s string) string {
	if s == "" || s == FormsOff {
		return ""
	}
	u, err := url.Parse(strings.ReplaceAll(s, "{form}", "form"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Sprintf("%s is not an absolute http(s) URL (expected empty for this site's own server, none, or a URL such as https://forms.example.org/)", Quote(s))
	}
	return ""
}

// DecodeYAML implements decode.Unmarshaler.
func (f *Forms) DecodeYAML(d *decode.Decoder, path string, n *yaml.Node) {
	type plain Forms // without this method
	var p plain
	d.DecodeValue(n, path, &p)
	*f = Forms(p)
	if msg := checkEndpoint(f.Endpoint); msg != "" {
		p, ok := d.Pos[path+".endpoint"]
		at := n
		if ok {
			at = &yaml.Node{Line: p.Line - d.LineOffset, Column: p.Col}
		}
		d.Errorf(at, path+".endpoint", "%s", msg)
	}
	names := map[string]int{}
	for i, form := range f.Definitions {
		if form.Name == "" {
			continue
		}
		if j, dup := names[form.Name]; dup {
			fp := fmt.Sprintf("%s.definitions[%d].name", path, i)
			at := n
			if p, ok := d.Pos[fp]; ok {
				at = &yaml.Node{Line: p.Line - d.LineOffset, Column: p.Col}
			}
			d.Errorf(at, fp, "form name %q is already used by definitions[%d]", form.Name, j)
			continue
		}
		names[form.Name] = i
	}
}

// fieldTypes are the types a form field may have.
var fieldTypes = []string{FieldText, FieldEmail, FieldTextarea, FieldChoice, FieldMultiChoice, FieldDate, FieldCheckbox, FieldHidden}

// fromLists are the names a field's from may give.
func fromLists() []string {
	return append([]string{FromSupporters, FromOpenSessions}, vocabularyNames...)
}

// didYouMean is ` (did you mean "x"?)` for the closest of known to s, or "".
func didYouMean(s string, known []string) string {
	if c := decode.Closest(s, known); c != "" {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	return ""
}

func knownFrom(s string) bool {
	if s == FromSupporters || s == FromOpenSessions {
		return true
	}
	_, ok := (&Vocabularies{}).Lookup(s)
	return ok
}

func isSnake(s string) bool { return IsSlug(strings.ReplaceAll(s, "_", "-")) }

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
