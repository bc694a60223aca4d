package formspec

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"peerpress/generator/internal/config"
)

// The names of the fields every form of the form server has besides its
// own: the honeypot, the consent box, the per-visit key and the fill time
// the page's script sets.
const (
	HoneypotField = "homepage"
	ConsentField  = "consent"
	VisitField    = "_visit"
	ElapsedField  = "_elapsed"
)

// Answer is one validated answer: Value for one value, Values for a
// multi-choice field.
type Answer struct {
	Name   string   `json:"name"`
	Value  string   `json:"value,omitempty"`
	Values []string `json:"values,omitempty"`
}

// Text is the answer as one line of text.
func (a Answer) Text() string {
	if a.Values != nil {
		return strings.Join(a.Values, "; ")
	}
	return a.Value
}

// FieldError is a problem with one answer, in words for the sender; with
// no Field, a problem with the whole form (the answers could not be
// saved), listed above it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Validate checks the answers v to form f, returning the answers in the
// form's order or the problems, one per field. Parameters the form does
// not have are ignored, so nothing unasked for is ever stored.
func Validate(f *Form, v url.Values) ([]Answer, []FieldError) {
	var answers []Answer
	var errs []FieldError
	for i := range f.Fields {
		fl := &f.Fields[i]
		a, msg := validateField(fl, v[fl.Name])
		if msg != "" {
			errs = append(errs, FieldError{fl.Name, msg})
			continue
		}
		answers = append(answers, a)
	}
	if f.Consent != "" && !isYes(first(v[ConsentField])) {
		errs = append(errs, FieldError{ConsentField, "Tick the box to agree to how your answers are used"})
	}
	return answers, errs
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

func isYes(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "on", "true", "1":
		return true
	}
	return false
}

// what names a field in a message: its label with a lower-case first
// letter ("your e-mail address"), or, for a label that is a question,
// "your answer to “How useful have the meetings been?”", since the
// question lower-cased reads wrongly in a message ("Enter when did you
// become a headteacher").
func what(fl *Field) string {
	l := fl.Label
	if l == "" {
		l = fl.Name
	}
	if strings.HasSuffix(l, "?") {
		return "your answer to “" + l + "”"
	}
	r, n := utf8.DecodeRuneInString(l)
	if n < len(l) && unicode.IsUpper(r) && !unicode.IsUpper(rune(l[n])) {
		l = string(unicode.ToLower(r)) + l[n:]
	}
	return l
}

func validateField(fl *Field, raw []string) (Answer, string) {
	a := Answer{Name: fl.Name}
	if fl.Type == config.FieldMultiChoice {
		seen := map[string]bool{}
		for _, s := range raw {
			s = strings.TrimSpace(s)
			if s == "" || seen[s] {
				continue
			}
			if !hasChoice(fl, s) {
				return a, fmt.Sprintf("Choose %s from the list", what(fl))
			}
			seen[s] = true
			a.Values = append(a.Values, s)
		}
		if fl.Required && len(a.Values) == 0 {
			return a, fmt.Sprintf("Choose at least one: %s", what(fl))
		}
		// Keep the choices' order, whatever the order posted.
		slices.SortFunc(a.Values, func(x, y string) int { return choiceIndex(fl, x) - choiceIndex(fl, y) })
		return a, ""
	}
	if len(raw) > 1 && fl.Type != config.FieldCheckbox {
		return a, fmt.Sprintf("Give %s only once", what(fl))
	}
	s := first(raw)
	if !utf8.ValidString(s) {
		return a, fmt.Sprintf("%s contains characters that cannot be read", upper(what(fl)))
	}
	s = clean(s, fl.Type == config.FieldTextarea)
	if fl.Type == config.FieldCheckbox {
		if isYes(s) {
			a.Value = "yes"
		} else if fl.Required {
			return a, fmt.Sprintf("Tick the box: %s", what(fl))
		} else {
			a.Value = "no"
		}
		return a, ""
	}
	if s == "" {
		if fl.Required {
			switch fl.Type {
			case config.FieldChoice, config.FieldHidden:
				return a, fmt.Sprintf("Choose %s", what(fl))
			case config.FieldDate:
				return a, fmt.Sprintf("Enter %s", what(fl))
			}
			return a, fmt.Sprintf("Enter %s", what(fl))
		}
		return a, ""
	}
	n := utf8.RuneCountInString(s)
	if n > fl.MaxLength {
		return a, fmt.Sprintf("%s must be %d characters or fewer (it has %d)", upper(what(fl)), fl.MaxLength, n)
	}
	if n < fl.MinLength {
		return a, fmt.Sprintf("%s must be at least %d characters", upper(what(fl)), fl.MinLength)
	}
	switch fl.Type {
	case config.FieldEmail:
		if !isEmail(s) {
			return a, "Enter an e-mail address in the correct format, like name@example.org"
		}
	case config.FieldDate:
		t, ok := parseDate(s)
		if !ok {
			return a, fmt.Sprintf("%s must be a real date, such as 27/3/2019", upper(what(fl)))
		}
		s = t.Format(time.DateOnly)
	case config.FieldChoice:
		if hasChoice(fl, s) {
			break
		}
		// A name typed into a searchable field (or posted by a form of
		// another design) stands for its choice; the answer is the
		// choice's value, as a drop-down would send.
		m := fl.Resolve(s)
		if m.Value == "" {
			return a, choiceMessage(fl, s, m)
		}
		s = m.Value
	case config.FieldHidden:
		if fl.From != "" && !hasChoice(fl, s) {
			return a, fmt.Sprintf("Choose %s from the list", what(fl))
		}
	}
	a.Value = s
	return a, ""
}

// MaxCandidates is the most choices that a form sent back with a typed
// answer that names none lists to choose from.
const MaxCandidates = config.DefaultSearchAbove

// choiceMessage says why the typed answer s to a choice field names no
// choice, as m found.
func choiceMessage(fl *Field, s string, m Match) string {
	if !fl.Searchable() {
		return fmt.Sprintf("Choose %s from the list", what(fl))
	}
	switch n := len(m.Like); {
	case len(m.Same) > 1:
		return fmt.Sprintf("More than one choice for %s is called “%s”: choose the one you mean", what(fl), s)
	case n > MaxCandidates:
		return fmt.Sprintf("“%s” matches %d choices for %s: type more of the name", s, n, what(fl))
	case n > 0:
		return fmt.Sprintf("“%s” is not a choice for %s: choose from those that match", s, what(fl))
	}
	return fmt.Sprintf("“%s” is not a choice for %s: check the spelling", s, what(fl))
}

// Candidates are the choices that a form sent back with the typed answer
// s, which names no choice of fl, lists to choose from: those of the same
// name, or those that match, if there are not too many.
func (fl *Field) Candidates(s string) []Option {
	m := fl.Resolve(s)
	switch {
	case m.Value != "":
		return nil
	case len(m.Same) > 1:
		return m.Same
	case len(m.Like) <= MaxCandidates:
		return m.Like
	}
	return nil
}

func upper(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func hasChoice(fl *Field, v string) bool { return choiceIndex(fl, v) >= 0 }

func choiceIndex(fl *Field, v string) int {
	return slices.IndexFunc(fl.Choices, func(o Option) bool { return o.Value == v })
}

// clean trims s, makes line ends \n (or spaces, for a one-line field) and
// drops other control characters, and the characters that override or
// embed a direction of writing: "Jo\u202Egro.elpmaxe@" shows in the export
// as another address than it is. Right-to-left text needs none of them;
// the marks (U+200E, U+200F) that only nudge it stay.
func clean(s string, multiline bool) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r':
			if multiline {
				return '\n'
			}
			return ' '
		case r == '\t':
			return ' '
		case unicode.IsControl(r) || r == utf8.RuneError,
			r >= '\u202A' && r <= '\u202E', r >= '\u2066' && r <= '\u2069':
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// isEmail is a plausibility check: one @, something before it, a dotted
// domain after it, no spaces. The address is proved only by a reply.
func isEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || strings.Contains(domain, "@") || strings.ContainsAny(s, " ,;<>()[]\\\"") {
		return false
	}
	i := strings.LastIndexByte(domain, '.')
	return i > 0 && i < len(domain)-1 && !strings.HasPrefix(domain, ".") && !strings.Contains(domain, "..")
}

// dateLayouts are the ways a date may be written: day first, as in the UK,
// or year first.
var dateLayouts = []string{"2006-01-02", "2/1/2006", "2-1-2006", "2.1.2006", "2 1 2006", "2 January 2006", "2 Jan 2006"}

// parseDate reads a date written in one of dateLayouts.
func parseDate(s string) (time.Time, bool) {
	s = strings.Join(strings.Fields(s), " ")
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil && t.Year() >= 1900 && t.Year() <= 2200 {
			return t, true
		}
	}
	return time.Time{}, false
}
