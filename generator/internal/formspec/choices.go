package formspec

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"unicode"

	"peerpress/generator/internal/textfold"
)

// A choice field with more choices than its list limit (site.yaml's
// search_above, 30 by default) is not a drop-down: a native list of
// thousands of names cannot be used on a phone, and it made each such page
// 200 KB. It is a text box the sender types a name into; the page's script
// (forms.js) makes it a combobox that suggests the choices whose words
// start with what was typed, from a JSON file the build writes beside the
// form and the script fetches on first focus. Without the script the typed
// name is sent, and the form server maps it to its choice (Resolve).

// ChoicesFile is the JSON of a field's choices that the page's script
// fetches: [[value, label], [value, label, hint], ...], in the field's
// order.
func (fl *Field) ChoicesFile() []byte {
	rows := make([][]string, len(fl.Choices))
	for i, o := range fl.Choices {
		rows[i] = []string{o.Value, o.Label}
		if o.Hint != "" {
			rows[i] = append(rows[i], o.Hint)
		}
	}
	b, _ := json.Marshal(rows) // strings only: it cannot fail
	return b
}

// choicesPath is the path, relative to public/, of the choices file of
// field fl of form: beside the forms' pages, named by its list and its
// content, so that a browser never keeps a list a rebuild has changed, and
// forms that take the same list (the request and feedback forms both
// name a supporter) share one file, fetched once.
func choicesPath(form string, fl *Field) string {
	sum := sha256.Sum256(fl.ChoicesFile())
	name := fl.From
	if name == "" {
		name = form + "-" + fl.Name
	}
	return "forms/" + name + "." + hex.EncodeToString(sum[:4]) + ".json"
}

// Searchable reports whether the field is a text box that suggests its
// choices, rather than a drop-down.
func (fl *Field) Searchable() bool { return fl.ChoicesURL != "" }

// Match is what a typed answer to a choice field means.
type Match struct {
	// Value is the choice the answer names, when it names exactly one:
	// its value, or its label, case, accents and spacing aside.
	Value string
	// Same are the choices whose labels read the same as the answer,
	// when more than one does; Like are those whose words start with the
	// answer's words, when none reads the same.
	Same, Like []Option
}

// Resolve finds the choice a typed answer names. A value is taken as it
// is; otherwise the answer is compared with each label as forms.js
// compares them (fold): one label that reads the same names its choice,
// several are ambiguous, and none leaves the choices whose words start
// with the answer's words (as the script suggests them) to choose from.
func (fl *Field) Resolve(s string) Match {
	s = strings.TrimSpace(s)
	if s == "" {
		return Match{}
	}
	if hasChoice(fl, s) {
		return Match{Value: s}
	}
	if lower := strings.ToLower(s); hasChoice(fl, lower) {
		return Match{Value: lower}
	}
	want := words(s)
	if len(want) == 0 {
		return Match{}
	}
	key := strings.Join(want, " ")
	var m Match
	for _, o := range fl.Choices {
		have := words(o.Label)
		if strings.Join(have, " ") == key {
			m.Same = append(m.Same, o)
		} else if m.Same == nil && wordsStartWith(searchWords(o.Label, have), want) {
			m.Like = append(m.Like, o)
		}
	}
	switch len(m.Same) {
	case 0:
	case 1:
		return Match{Value: m.Same[0].Value}
	default:
		m.Like = nil
	}
	return m
}

// wordsStartWith reports whether each word of want starts a word of have,
// a different one for each.
func wordsStartWith(have, want []string) bool {
	used := make([]bool, len(have))
next:
	for _, w := range want {
		for i, h := range have {
			if !used[i] && strings.HasPrefix(h, w) {
				used[i] = true
				continue next
			}
		}
		return false
	}
	return true
}

// apostrophes are the characters fold drops inside a word.
const apostrophes = "'’ʼ"

// searchWords are the words a typed word may start: the label's words
// (have), and, when it has an apostrophe, the words on each side of it, so
// that "neil" finds "O’Neil" as "oneil" does.
func searchWords(label string, have []string) []string {
	if !strings.ContainsAny(label, apostrophes) {
		return have
	}
	split := strings.Map(func(r rune) rune {
		if strings.ContainsRune(apostrophes, r) {
			return ' '
		}
		return r
	}, label)
	return append(have[:len(have):len(have)], words(split)...)
}

// fold lower-cases s and folds its accented letters (textfold.Table).
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if f, ok := textfold.Rune(r); ok {
			b.WriteString(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// words are the folded words of s: its runs of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}
