package config

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"peerpress/generator/internal/decode"
	"peerpress/generator/internal/diag"
)

// Rules are site.yaml's eligibility and content-policy rules, by content
// type: each scheme states its own criteria, such as
//
//	rules:
//	  supporters:
//	    - id: five-years-headship
//	      field: headship_since
//	      present: true
//	      at_least_before: 5y
//	      message: supporters need five years' experience as a headteacher
//
// This package checks what a rule says on its own (its tests, durations and
// patterns); package schema checks its field against the content types and
// evaluates it.
type Rules struct {
	Supporters   []Rule `yaml:"supporters"`
	Networks     []Rule `yaml:"networks"`
	Training     []Rule `yaml:"training"`
	Testimonials []Rule `yaml:"testimonials"`
	News         []Rule `yaml:"news"`
	Pages        []Rule `yaml:"pages"`

	// Diags are the problems found in the rules. They are kept apart from
	// the other settings' problems (which stop a build before content is
	// read) so that a broken rule does not hide the content's problems: the
	// check reports them with everything else.
	Diags diag.List `yaml:"-"`
}

// RuleSections are the keys of rules:, the content sections rules apply to.
var RuleSections = []string{"supporters", "networks", "training", "testimonials", "news", "pages"}

// For returns the rules of a content section ("supporters").
func (r *Rules) For(section string) []Rule {
	switch section {
	case "supporters":
		return r.Supporters
	case "networks":
		return r.Networks
	case "training":
		return r.Training
	case "testimonials":
		return r.Testimonials
	case "news":
		return r.News
	case "pages":
		return r.Pages
	}
	return nil
}

// The field names with a meaning of their own.
const (
	// FieldBody is the Markdown body.
	FieldBody = "body"
	// FieldAny is the whole file: every text field and the body.
	FieldAny = "*"
)

// Rule is one rule. It names a field, one or more tests the field's value
// must pass, a message for editors and what a failure does. Tests other than
// present pass when the field is absent, so a rule that requires a value
// says present: true as well.
type Rule struct {
	// ID names the rule in reports: a slug, unique in site.yaml.
	ID string `yaml:"id" pp:"required"`
	// Field is a dotted path such as school.inspection.grade (a path
	// through a list applies to each item: sessions.capacity), "body" for
	// the Markdown body, or "*" (also written "any") for the whole file.
	Field string `yaml:"field" pp:"required"`
	// Message says what the rule requires, in the editor's terms; it
	// follows the generated explanation of each failure.
	Message string `yaml:"message" pp:"required"`
	// OnFail is what a failure does: "error" (the default) fails the check
	// and the build, "warning" is reported only, "hide" leaves the page out
	// of the site.
	OnFail string `yaml:"on_fail" pp:"enum=error|warning|hide"`

	// Present requires a non-empty value.
	Present bool `yaml:"present"`
	// OneOf lists the values allowed; for a list, each item must be one.
	OneOf []string `yaml:"one_of"`
	// Min and Max bound a number, or the number of items of a list.
	Min *int64 `yaml:"min"`
	Max *int64 `yaml:"max"`
	// AtLeastBefore requires a date at least this long before the build
	// date (headship at least 5y ago); AtMostBefore at most this long
	// before it (training within the last 3y).
	AtLeastBefore *Duration `yaml:"at_least_before"`
	AtMostBefore  *Duration `yaml:"at_most_before"`
	// Matches is a pattern the text must contain; NotMatches one it must
	// not contain anywhere. They are Go regular expressions (RE2).
	Matches    *Pattern `yaml:"matches"`
	NotMatches *Pattern `yaml:"not_matches"`

	// Pos is the position of the rule (its first key).
	Pos diag.Pos `yaml:"-"`
	// KeyPos holds the position of each setting's value, by key ("field",
	// "one_of[2]").
	KeyPos map[string]diag.Pos `yaml:"-"`
	// Path is the rule's path in site.yaml, "rules.supporters[0]".
	Path string `yaml:"-"`
	// Broken says the rule has problems of its own: it is reported, not
	// evaluated.
	Broken bool `yaml:"-"`
}

// Severity is what a failure of the rule does, as a diagnostic severity.
func (r *Rule) Severity() diag.Severity {
	switch r.OnFail {
	case "warning":
		return diag.Warning
	case "hide":
		return diag.Hidden
	}
	return diag.Error
}

// PosOf returns the position of a setting's value, or of the rule itself if
// the setting is absent.
func (r *Rule) PosOf(key string) diag.Pos {
	if p, ok := r.KeyPos[key]; ok {
		return p
	}
	return r.Pos
}

// ruleFields is Rule without its DecodeYAML method, for the generic decoder.
type ruleFields Rule

// ruleKeys are the keys a rule may have, and ruleTests the tests among them.
var (
	ruleKeys  = keysOf(reflect.TypeFor[ruleFields]())
	ruleTests = []string{"present", "one_of", "min", "max", "at_least_before", "at_most_before", "matches", "not_matches"}
)

func keysOf(t reflect.Type) []string {
	var keys []string
	for _, f := range decode.FieldsOf(t) {
		keys = append(keys, f.Key)
	}
	return keys
}

// DecodeYAML implements decode.Unmarshaler. Problems go to a decoder of
// their own and end up in Diags.
func (r *Rules) DecodeYAML(d *decode.Decoder, path string, n *yaml.Node) {
	sub := &decode.Decoder{File: d.File, LineOffset: d.LineOffset, Location: d.Location, Pos: d.Pos}
	type sections Rules // without this method
	var s sections
	sub.DecodeValue(n, path, &s)
	*r = Rules(s)
	ids := map[string]diag.Pos{}
	for _, section := range RuleSections {
		rules := r.For(section)
		for i := range rules {
			rule := &rules[i]
			if rule.Path == "" {
				// The decoder refused the item before Rule.DecodeYAML
				// ran (an alias); it has said why.
				rule.Broken = true
			}
			if rule.ID == "" {
				continue
			}
			if first, dup := ids[rule.ID]; dup {
				sub.Diags.Add(rule.PosOf("id"), rule.Path+".id", "rule id %q is already used on line %d (ids must be unique)", rule.ID, first.Line)
				rule.Broken = true
				continue
			}
			ids[rule.ID] = rule.PosOf("id")
		}
	}
	r.Diags = sub.Diags.Sort()
}

// DecodeYAML implements decode.Unmarshaler.
func (r *Rule) DecodeYAML(d *decode.Decoder, path string, n *yaml.Node) {
	before := len(d.Diags)
	defer func() { r.Broken = r.Broken || len(d.Diags) > before }()
	r.Path = path
	r.Pos = d.PosOf(n)
	if n.Kind != yaml.MappingNode {
		d.Errorf(n, path, "expected a rule (id, field, one or more tests and message lines), found %s", decode.Describe(n))
		return
	}
	// Unknown keys get a message of their own (most are a misspelt or
	// made-up test); the rest is decoded as usual.
	known := &yaml.Node{Kind: yaml.MappingNode, Tag: n.Tag, Line: n.Line, Column: n.Column}
	unknown := 0
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !isKey(k, ruleKeys) {
			unknown++
			if s := decode.Suggest(k.Value, ruleKeys); s != "" {
				d.Errorf(k, path+"."+k.Value, "unknown test or setting %s%s", Quote(k.Value), s)
			} else {
				d.Errorf(k, path+"."+k.Value, "unknown test or setting %s (expected one of: %s)", Quote(k.Value), strings.Join(ruleKeys, ", "))
			}
			continue
		}
		if v := n.Content[i+1]; v.Kind == yaml.ScalarNode && v.Tag == "!!null" && (isKey(k, ruleTests) || k.Value == "on_fail") {
			// The decoder takes "key:" as "not given" (and reports it
			// when the key is required), but a test written without a
			// value is surely unfinished.
			d.Errorf(k, path+"."+k.Value, "%s has no value", k.Value)
		}
		known.Content = append(known.Content, k, n.Content[i+1])
	}
	d.DecodeValue(known, path, (*ruleFields)(r))
	r.KeyPos = map[string]diag.Pos{}
	for i := 0; i+1 < len(known.Content); i += 2 {
		key := known.Content[i].Value
		if pos, ok := d.Pos[path+"."+key]; ok {
			r.KeyPos[key] = pos
		}
		for j := range known.Content[i+1].Content {
			item := fmt.Sprintf("%s[%d]", key, j)
			if pos, ok := d.Pos[path+"."+item]; ok {
				r.KeyPos[item] = pos
			}
		}
	}

	if r.ID != "" && !IsSlug(r.ID) {
		d.Diags.Add(r.PosOf("id"), path+".id", "rule id %q is not a slug (expected lower-case letters, digits and hyphens, such as \"five-years-headship\")", r.ID)
	}
	if r.Field == "any" {
		r.Field = FieldAny
	}
	tests := r.Tests()
	if unknown == 0 && !slices.ContainsFunc(ruleTests, func(t string) bool { return hasKey(known, t) }) {
		d.Diags.Add(r.Pos, path, "rule %q has no test (expected one or more of: %s)", r.ID, strings.Join(ruleTests, ", "))
	}
	if pos, ok := r.KeyPos["present"]; ok && !r.Present {
		d.Diags.Add(pos, path+".present", "present: false tests nothing (write present: true, or leave it out)")
	}
	if r.Min != nil && r.Max != nil && *r.Max < *r.Min {
		d.Diags.Add(r.PosOf("max"), path+".max", "%d is below min %d (expected max >= min)", *r.Max, *r.Min)
	}
	if r.Field == FieldAny {
		for _, t := range tests {
			if t != "matches" && t != "not_matches" {
				d.Diags.Add(r.PosOf(t), path+"."+t, "%s cannot test the whole file (field: %q); only matches and not_matches can", t, r.Field)
			}
		}
	}
}

// Tests lists the tests the rule has, in this order: present, one_of, min,
// max, at_least_before, at_most_before, matches, not_matches.
func (r *Rule) Tests() []string {
	var out []string
	for _, t := range ruleTests {
		set := false
		switch t {
		case "present":
			set = r.Present
		case "one_of":
			set = r.OneOf != nil
		case "min":
			set = r.Min != nil
		case "max":
			set = r.Max != nil
		case "at_least_before":
			set = r.AtLeastBefore != nil
		case "at_most_before":
			set = r.AtMostBefore != nil
		case "matches":
			set = r.Matches != nil
		case "not_matches":
			set = r.NotMatches != nil
		}
		if set {
			out = append(out, t)
		}
	}
	return out
}

func isKey(k *yaml.Node, keys []string) bool {
	if k.Kind != yaml.ScalarNode {
		return false
	}
	for _, key := range keys {
		if k.Value == key {
			return true
		}
	}
	return false
}

func hasKey(n *yaml.Node, key string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}

// Duration is a length of calendar time, written as a number and a unit:
// 5y, 6mo, 2w, 90d, or several of them from the largest unit down: 1y6mo.
// Years and months are calendar years and months, so 5y before 2026-11-22 is
// 2021-11-22.
type Duration struct {
	Years, Months, Days int
}

// durationUnits are the units of a duration, from the largest: each may be
// written in any of its forms.
var durationUnits = []struct {
	forms []string
	apply func(d *Duration, n int)
	max   int
}{
	{[]string{"y", "yr", "yrs", "year", "years"}, func(d *Duration, n int) { d.Years = n }, 200},
	{[]string{"mo", "month", "months"}, func(d *Duration, n int) { d.Months = n }, 2400},
	{[]string{"w", "week", "weeks"}, func(d *Duration, n int) { d.Days += 7 * n }, 10000},
	{[]string{"d", "day", "days"}, func(d *Duration, n int) { d.Days += n }, 100000},
}

// ParseDuration parses a duration: a number and a unit (y, mo, w or d, or
// the words year(s), month(s), week(s), day(s)), optionally followed by
// smaller units, with or without spaces: "5y", "6mo", "1y 6mo", "90 days".
func ParseDuration(s string) (Duration, error) {
	var d Duration
	bad := func(why string) (Duration, error) {
		return Duration{}, fmt.Errorf("%s is not a duration: %s (expected a number and a unit: y, mo, w or d, such as 5y, 6mo, 2w or 90d)", Quote(s), why)
	}
	rest := strings.TrimSpace(s)
	if rest == "" {
		return bad("it is empty")
	}
	next := 0 // the first unit still allowed
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 {
			return bad(fmt.Sprintf("%s does not start with a number", Quote(rest)))
		}
		if i > 6 {
			return bad("the number is too large")
		}
		n, _ := strconv.Atoi(rest[:i])
		rest = strings.TrimLeft(rest[i:], " ")
		j := 0
		for j < len(rest) && rest[j] >= 'a' && rest[j] <= 'z' {
			j++
		}
		word := rest[:j]
		rest = strings.TrimLeft(rest[j:], " ,")
		if word == "" {
			return bad(fmt.Sprintf("%d has no unit", n))
		}
		u := -1
		for k, unit := range durationUnits {
			for _, f := range unit.forms {
				if f == word {
					u = k
				}
			}
		}
		switch {
		case u < 0 && (word == "m" || word == "min" || word == "mins"):
			return bad(fmt.Sprintf("%q is ambiguous (write mo for months)", word))
		case u < 0:
			return bad(fmt.Sprintf("unknown unit %s", Quote(word)))
		case u < next:
			return bad("units go from the largest to the smallest, each once (such as 1y6mo)")
		case n > durationUnits[u].max:
			return bad(fmt.Sprintf("%d%s is too long", n, word))
		}
		durationUnits[u].apply(&d, n)
		next = u + 1
	}
	return d, nil
}

// Before returns the date d before date t: 5y before 2026-11-22 is
// 2021-11-22. A date that does not exist (29 February in another year)
// becomes the day after, as time.AddDate does.
func (d Duration) Before(t decode.Date) decode.Date {
	return decode.DateOf(t.In(time.UTC).AddDate(-d.Years, -d.Months, -d.Days))
}

// After returns the date d after date t.
func (d Duration) After(t decode.Date) decode.Date {
	return decode.DateOf(t.In(time.UTC).AddDate(d.Years, d.Months, d.Days))
}

// String spells the duration out: "5 years", "1 year 6 months", "90 days".
func (d Duration) String() string {
	var parts []string
	add := func(n int, one, many string) {
		if n == 1 {
			parts = append(parts, "1 "+one)
		} else if n > 1 {
			parts = append(parts, strconv.Itoa(n)+" "+many)
		}
	}
	add(d.Years, "year", "years")
	add(d.Months, "month", "months")
	add(d.Days, "day", "days")
	if len(parts) == 0 {
		return "0 days"
	}
	return strings.Join(parts, " ")
}

// DecodeYAML implements decode.Unmarshaler.
func (d *Duration) DecodeYAML(dec *decode.Decoder, path string, n *yaml.Node) {
	if n.Kind != yaml.ScalarNode {
		dec.Errorf(n, path, "expected a duration such as 5y, 6mo, 2w or 90d, found %s", decode.Describe(n))
		return
	}
	v, err := ParseDuration(n.Value)
	if err != nil {
		dec.Errorf(n, path, "%v", err)
		return
	}
	*d = v
}

// Pattern is a regular expression in Go's RE2 syntax, compiled.
type Pattern struct {
	*regexp.Regexp
	// needs is what every match contains, within window characters when
	// window is not negative (see MayMatch).
	needs  []need
	window int
}

// maxPattern bounds the length of a pattern: longer ones are surely pasted
// by mistake.
const maxPattern = 2000

// DecodeYAML implements decode.Unmarshaler.
func (p *Pattern) DecodeYAML(d *decode.Decoder, path string, n *yaml.Node) {
	if n.Kind != yaml.ScalarNode {
		d.Errorf(n, path, "expected a regular expression, found %s", decode.Describe(n))
		return
	}
	switch {
	case n.Value == "":
		d.Errorf(n, path, "the pattern is empty (it would match every text)")
		return
	case len(n.Value) > maxPattern:
		d.Errorf(n, path, "the pattern is %d characters long (expected at most %d)", len(n.Value), maxPattern)
		return
	}
	re, err := regexp.Compile(n.Value)
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "error parsing regexp: ")
		d.Errorf(n, path, "the pattern does not compile: %s (Go RE2 syntax: https://github.com/google/re2/wiki/Syntax)", msg)
		return
	}
	p.Regexp = re
	p.needs, p.window = prefilter(n.Value)
}

// Quote quotes s for a message, shortened to its first 60 characters if it
// is longer: messages show what was written without repeating a pasted
// essay.
func Quote(s string) string {
	const max = 60
	n := 0
	for i := range s {
		if n == max {
			return strconv.Quote(s[:i]) + "…"
		}
		n++
	}
	return strconv.Quote(s)
}
