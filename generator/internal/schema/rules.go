package schema

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/content"
	"peerpress/generator/internal/decode"
	"peerpress/generator/internal/diag"
)

// RuleSet is site.yaml's rules, checked against the content types and ready
// to evaluate. Rules with problems are left out (their problems are
// reported by CompileRules).
type RuleSet struct {
	bySection map[content.Section][]*rule
	loc       *time.Location
}

// rule is a config.Rule resolved against its content type.
type rule struct {
	*config.Rule
	// steps lead from the page's data to the field; nil for the body and
	// the whole file.
	steps []step
	body  bool // the Markdown body
	whole bool // every text field and the body
	kind  kind
	sev   diag.Severity
}

// step is one key of a field path.
type step struct {
	key   string
	index []int
}

// kind is what a rule's field holds, which decides the tests it may have.
type kind int

const (
	kindText kind = iota
	kindBool
	kindInt
	kindDate
	kindTime
	kindTextList
	kindList
	kindGroup
)

func (k kind) String() string {
	return [...]string{"text", "true or false", "a whole number", "a date", "a date and time", "a list of text", "a list", "a set of fields"}[k]
}

// allowed says which kinds of field each test applies to, and how to say so.
var allowed = map[string]struct {
	kinds []kind
	what  string
}{
	"one_of":          {[]kind{kindText, kindBool, kindInt, kindTextList}, "text, true/false, whole numbers and lists of text"},
	"min":             {[]kind{kindInt, kindTextList, kindList}, "whole numbers and lists (the number of items)"},
	"max":             {[]kind{kindInt, kindTextList, kindList}, "whole numbers and lists (the number of items)"},
	"at_least_before": {[]kind{kindDate, kindTime}, "dates"},
	"at_most_before":  {[]kind{kindDate, kindTime}, "dates"},
	"matches":         {[]kind{kindText, kindTextList}, "text, lists of text, body and *"},
	"not_matches":     {[]kind{kindText, kindTextList}, "text, lists of text, body and *"},
}

// SectionType returns the Go type a section's front matter decodes into.
func SectionType(s content.Section) reflect.Type {
	switch s {
	case content.Networks:
		return reflect.TypeFor[content.Network]()
	case content.Supporters:
		return reflect.TypeFor[content.Supporter]()
	case content.Training:
		return reflect.TypeFor[content.Course]()
	case content.Testimonials:
		return reflect.TypeFor[content.Testimonial]()
	case content.News, content.Pages:
		return reflect.TypeFor[content.Article]()
	}
	return reflect.TypeFor[content.HomePage]()
}

var (
	dateType        = reflect.TypeFor[decode.Date]()
	timeType        = reflect.TypeFor[time.Time]()
	unmarshalerType = reflect.TypeFor[decode.Unmarshaler]()
)

// CompileRules resolves site.yaml's rules against the content types. The
// problems it returns (with the rules' own, from config) are all in
// site.yaml: a field no content type has, a test that cannot apply to its
// field, a one_of value that the field can never take.
func CompileRules(cfg *config.Config) (*RuleSet, diag.List) {
	rs := &RuleSet{bySection: map[content.Section][]*rule{}, loc: cfg.Location}
	if rs.loc == nil {
		rs.loc = time.UTC
	}
	diags := slices.Clone(cfg.Rules.Diags)
	for _, name := range config.RuleSections {
		section := content.Section(name)
		rules := cfg.Rules.For(name)
		for i := range rules {
			if rules[i].Broken {
				continue
			}
			if r := compileRule(&rules[i], section, cfg, &diags); r != nil {
				rs.bySection[section] = append(rs.bySection[section], r)
			}
		}
	}
	return rs, diags.Sort()
}

func compileRule(cr *config.Rule, section content.Section, cfg *config.Config, diags *diag.List) *rule {
	r := &rule{Rule: cr, sev: cr.Severity()}
	bad := func(key, format string, args ...any) {
		diags.Add(cr.PosOf(key), cr.Path+"."+key, format, args...)
	}
	tests := cr.Tests()
	switch cr.Field {
	case config.FieldAny:
		r.whole = true
		return r // config allows only matches and not_matches here
	case config.FieldBody:
		r.body = true
		ok := true
		for _, t := range tests {
			if t != "present" && t != "matches" && t != "not_matches" {
				bad(t, "%s cannot test the body (it applies to %s)", t, allowed[t].what)
				ok = false
			}
		}
		if !ok {
			return nil
		}
		return r
	}
	field, leaf, ok := resolveField(cr, section, bad)
	if !ok {
		return nil
	}
	r.steps = field
	r.kind = kindOf(leaf.Type)
	ok = true
	for _, t := range tests {
		if a, limited := allowed[t]; limited && !slices.Contains(a.kinds, r.kind) {
			bad(t, "%s cannot test %s, which is %s (it applies to %s)", t, cr.Field, r.kind, a.what)
			ok = false
		}
	}
	if ok && cr.OneOf != nil {
		ok = checkOneOf(cr, r.kind, leaf, cfg, bad)
	}
	if !ok {
		return nil
	}
	return r
}

// resolveField follows a rule's dotted field path through the section's
// type, returning the steps and the decode.Field at the end.
func resolveField(cr *config.Rule, section content.Section, bad func(key, format string, args ...any)) ([]step, decode.Field, bool) {
	t := SectionType(section)
	var steps []step
	var f decode.Field
	segs := strings.Split(cr.Field, ".")
	for i, seg := range segs {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() == reflect.Slice {
			t = t.Elem() // a path through a list applies to every item
		}
		at := strings.Join(segs[:i], ".")
		if at == "" {
			at = string(section)
		}
		if strings.ContainsAny(seg, "[]") {
			bad("field", "%q picks a list item; write the path without [n] (such as sessions.start) and the rule applies to every item", cr.Field)
			return nil, f, false
		}
		if t.Kind() != reflect.Struct || t == dateType || t == timeType || reflect.PointerTo(t).Implements(unmarshalerType) {
			bad("field", "%s has no field %q (it is %s)", at, seg, kindOf(t))
			return nil, f, false
		}
		fields := decode.FieldsOf(t)
		j := slices.IndexFunc(fields, func(f decode.Field) bool { return f.Key == seg })
		if j < 0 {
			keys := make([]string, len(fields))
			for k, f := range fields {
				keys[k] = f.Key
			}
			if i == 0 {
				keys = append(keys, config.FieldBody, config.FieldAny)
			}
			bad("field", "%s has no field %q%s (expected one of: %s)", at, seg, decode.Suggest(seg, keys), strings.Join(keys, ", "))
			return nil, f, false
		}
		f = fields[j]
		steps = append(steps, step{key: f.Key, index: f.Index})
		t = f.Type
	}
	return steps, f, true
}

func kindOf(t reflect.Type) kind {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == dateType:
		return kindDate
	case t == timeType:
		return kindTime
	}
	switch t.Kind() {
	case reflect.String:
		return kindText
	case reflect.Bool:
		return kindBool
	case reflect.Int, reflect.Int64:
		return kindInt
	case reflect.Slice:
		if t.Elem().Kind() == reflect.String {
			return kindTextList
		}
		return kindList
	}
	return kindGroup
}

// checkOneOf makes sure every value of one_of is one the field can take.
func checkOneOf(cr *config.Rule, k kind, f decode.Field, cfg *config.Config, bad func(key, format string, args ...any)) bool {
	ok := true
	var ids []string
	var source string
	switch {
	case len(f.Enum) > 0:
		ids, source = f.Enum, "the values "+cr.Field+" may take"
	case f.Vocab != "":
		ids, _ = cfg.Vocabularies.Lookup(f.Vocab)
		source = "site.yaml vocabularies." + f.Vocab
	}
	for i, v := range cr.OneOf {
		key := fmt.Sprintf("one_of[%d]", i)
		switch {
		case k == kindBool && v != "true" && v != "false":
			bad(key, "%s is true or false, never %s", cr.Field, config.Quote(v))
			ok = false
		case k == kindInt:
			if _, err := strconv.ParseInt(v, 10, 64); err != nil {
				bad(key, "%s is a whole number, never %s", cr.Field, config.Quote(v))
				ok = false
			}
		case ids != nil && !slices.Contains(ids, v):
			bad(key, "%s is not in %s%s (expected one of: %s)", config.Quote(v), source, decode.Suggest(v, ids), strings.Join(ids, ", "))
			ok = false
		}
	}
	return ok
}

// Check evaluates the rules of p's section at the build date today. A page
// whose front matter could not be read at all is not evaluated: its rules
// would only repeat that.
func (rs *RuleSet) Check(p *content.Page, today decode.Date) diag.List {
	if rs == nil || unreadable(p) {
		return nil
	}
	var l diag.List
	for _, r := range rs.bySection[p.Section] {
		rs.check(r, p, today, &l)
	}
	return l
}

// unreadable reports whether p has a problem with the file as a whole (no
// front matter, invalid YAML, not text).
func unreadable(p *content.Page) bool {
	return slices.ContainsFunc(p.Diags, func(d diag.Diagnostic) bool { return d.Field == "" && d.Severity == diag.Error })
}

// Upcoming is a rule that a page passes at the build date but fails within
// the days after it, such as training about to lapse.
type Upcoming struct {
	Page *content.Page
	// Rule is the rule's id; Field the field it tests.
	Rule  string
	Field string
	// Date is the first day the rule fails.
	Date decode.Date
	// Problem is the failure as it will be reported on that day.
	Problem diag.Diagnostic
}

// Upcoming lists the date rules that p passes today but fails within days
// after it, with the first day each fails.
func (rs *RuleSet) Upcoming(p *content.Page, today decode.Date, days int) []Upcoming {
	if rs == nil || unreadable(p) {
		return nil
	}
	var out []Upcoming
	for _, r := range rs.bySection[p.Section] {
		if r.AtLeastBefore == nil && r.AtMostBefore == nil {
			continue // nothing else changes with the date
		}
		var now diag.List
		if rs.check(r, p, today, &now); len(now) > 0 {
			continue
		}
		for k := 1; k <= days; k++ {
			day := config.Duration{Days: k}.After(today)
			var then diag.List
			if rs.check(r, p, day, &then); len(then) > 0 {
				out = append(out, Upcoming{Page: p, Rule: r.ID, Field: r.Field, Date: day, Problem: then[0]})
				break
			}
		}
	}
	return out
}

// maxHits is how many failures of one rule in one file are listed; a pasted
// phone list should not bury every other problem.
const maxHits = 20

// check evaluates one rule on one page.
func (rs *RuleSet) check(r *rule, p *content.Page, today decode.Date, l *diag.List) {
	hits := 0
	var last diag.Pos
	var lastField string
	fail := func(pos diag.Pos, field, format string, args ...any) {
		hits++
		if hits > maxHits {
			return
		}
		last, lastField = pos, field
		msg := fmt.Sprintf(format, args...)
		if r.Message != "" {
			msg += "; " + r.Message
		}
		l.Append(diag.Diagnostic{Pos: pos, Field: field, Msg: msg, Severity: r.sev, Rule: r.ID})
	}
	defer func() {
		if hits > maxHits {
			l.Append(diag.Diagnostic{Pos: last, Field: lastField, Msg: fmt.Sprintf("the first %d failures of this rule in this file are listed; there are more", maxHits), Severity: r.sev, Rule: r.ID})
		}
	}()
	switch {
	case r.body:
		rs.checkBody(r, p, fail)
	case r.whole:
		found := false
		for _, lf := range textFields(p) {
			if rs.checkText(r, p, lf.path, lf.v.String(), fail) {
				found = true
			}
		}
		if r.Matches != nil && !found && !(r.Matches.MayMatch(p.Body) && r.Matches.Match(p.Body)) {
			fail(p.FieldPos(""), "", "nothing in the file matches the rule's pattern")
		}
		if r.NotMatches != nil {
			checkBodyNotMatches(r, p, fail)
		}
	default:
		var leaves []leaf
		walk(reflect.ValueOf(p.Data), r.steps, "", &leaves)
		for _, lf := range leaves {
			rs.checkLeaf(r, p, lf, today, fail)
		}
	}
}

type failFunc func(pos diag.Pos, field, format string, args ...any)

// leaf is a value a rule tests: path is where it is ("sessions[1].start"),
// v the value, invalid when it could not be decoded.
type leaf struct {
	path string
	v    reflect.Value
}

// walk follows steps from v, into every item of a list on the way.
func walk(v reflect.Value, steps []step, path string, out *[]leaf) {
	for v.IsValid() && v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v = reflect.Value{}
			break
		}
		v = v.Elem()
	}
	if len(steps) == 0 {
		*out = append(*out, leaf{path, v})
		return
	}
	if !v.IsValid() {
		*out = append(*out, leaf{join(path, steps), reflect.Value{}})
		return
	}
	if v.Kind() == reflect.Slice {
		for i := range v.Len() {
			walk(v.Index(i), steps, fmt.Sprintf("%s[%d]", path, i), out)
		}
		return
	}
	s := steps[0]
	next := s.key
	if path != "" {
		next = path + "." + s.key
	}
	walk(v.FieldByIndex(s.index), steps[1:], next, out)
}

func join(path string, steps []step) string {
	for _, s := range steps {
		if path != "" {
			path += "."
		}
		path += s.key
	}
	return path
}

// missingPos is where to report that path is missing: the nearest enclosing
// field that is present, or the start of the file.
func missingPos(p *content.Page, path string) diag.Pos {
	for {
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return p.FieldPos("")
		}
		path = path[:i]
		if pos, ok := p.Pos.Lookup(path); ok {
			return pos
		}
	}
}

func (rs *RuleSet) checkLeaf(r *rule, p *content.Page, lf leaf, today decode.Date, fail failFunc) {
	pos, written := p.Pos.Lookup(lf.path)
	if !written {
		if _, typo := p.Typos[lf.path]; r.Present && !typo {
			fail(missingPos(p, lf.path), lf.path, "required field is missing")
		}
		return
	}
	v := lf.v
	if !v.IsValid() || reported(p, lf.path) {
		return // written but not decoded, or not a valid value: already reported
	}
	if empty(v) {
		if r.Present {
			fail(pos, lf.path, "required field is empty")
		}
		return
	}
	switch r.kind {
	case kindText, kindBool, kindInt:
		rs.checkScalar(r, p, lf.path, pos, v, fail)
	case kindTextList:
		for i := range v.Len() {
			ip := fmt.Sprintf("%s[%d]", lf.path, i)
			if reported(p, ip) {
				continue
			}
			rs.checkScalar(r, p, ip, p.FieldPos(ip), v.Index(i), fail)
		}
	case kindDate, kindTime:
		var d decode.Date
		if r.kind == kindDate {
			d = v.Interface().(decode.Date)
		} else {
			d = decode.DateOf(v.Interface().(time.Time).In(rs.loc))
		}
		if !d.IsZero() {
			checkDate(r, lf.path, pos, d, today, fail)
		}
	}
	if r.kind == kindTextList || r.kind == kindList {
		n := int64(v.Len())
		if r.Min != nil && n < *r.Min {
			fail(pos, lf.path, "has %s (expected at least %d)", items(n), *r.Min)
		}
		if r.Max != nil && n > *r.Max {
			fail(pos, lf.path, "has %s (expected at most %d)", items(n), *r.Max)
		}
	}
}

// reported reports whether reading p already found a problem with the
// value at path. A rule would only repeat it, and about the value the field
// was left with rather than what the editor wrote: "yes" for a true-or-false
// field was reported as "false is not allowed".
func reported(p *content.Page, path string) bool {
	return slices.ContainsFunc(p.Diags, func(d diag.Diagnostic) bool { return d.Field == path })
}

func items(n int64) string {
	if n == 1 {
		return "1 item"
	}
	return fmt.Sprintf("%d items", n)
}

// empty reports whether a decoded value holds nothing: blank text or an
// empty list.
func empty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		return strings.TrimSpace(v.String()) == ""
	case reflect.Slice:
		return v.Len() == 0
	}
	return false
}

// checkScalar runs one_of, min, max, matches and not_matches on one value.
func (rs *RuleSet) checkScalar(r *rule, p *content.Page, path string, pos diag.Pos, v reflect.Value, fail failFunc) {
	var s, shown string
	switch v.Kind() {
	case reflect.String:
		s = v.String()
		shown = config.Quote(s)
	case reflect.Bool:
		s = strconv.FormatBool(v.Bool())
		shown = s
	case reflect.Int, reflect.Int64:
		s = strconv.FormatInt(v.Int(), 10)
		shown = s
		n := v.Int()
		if r.Min != nil && n < *r.Min {
			fail(pos, path, "%d is below the minimum %d", n, *r.Min)
		}
		if r.Max != nil && n > *r.Max {
			fail(pos, path, "%d is above the maximum %d", n, *r.Max)
		}
	}
	if r.OneOf != nil && !slices.Contains(r.OneOf, s) {
		if len(r.OneOf) == 1 {
			fail(pos, path, "%s is not allowed (expected %s)", shown, r.OneOf[0])
		} else {
			fail(pos, path, "%s is not allowed (expected one of: %s)", shown, strings.Join(r.OneOf, ", "))
		}
	}
	if v.Kind() == reflect.String {
		rs.checkText(r, p, path, s, fail)
	}
}

// checkText runs matches and not_matches on a text value at path, and
// reports whether matches found its pattern.
func (rs *RuleSet) checkText(r *rule, p *content.Page, path, s string, fail failFunc) bool {
	pos := p.FieldPos(path)
	found := false
	if r.Matches != nil {
		found = r.Matches.MayMatchString(s) && r.Matches.MatchString(s)
		if !found && !r.whole {
			fail(pos, path, "%s does not match the rule's pattern", config.Quote(s))
		}
	}
	if r.NotMatches != nil {
		if !r.NotMatches.MayMatchString(s) {
			return found
		}
		if m := r.NotMatches.FindStringIndex(s); m != nil {
			fail(pos, path, "contains %s", config.Quote(s[m[0]:m[1]]))
		}
	}
	return found
}

// checkDate runs at_least_before and at_most_before.
func checkDate(r *rule, path string, pos diag.Pos, d, today decode.Date, fail failFunc) {
	if a := r.AtLeastBefore; a != nil {
		if limit := a.Before(today); limit.Before(d) {
			if today.Before(d) {
				fail(pos, path, "%s is after the build date (%s); at least %s before it required", d, today, a)
			} else {
				fail(pos, path, "%s is %s before the build date (%s); at least %s required", d, elapsed(d, today), today, a)
			}
		}
	}
	if a := r.AtMostBefore; a != nil {
		if limit := a.Before(today); d.Before(limit) {
			fail(pos, path, "%s is %s before the build date (%s); at most %s allowed, so it ran out after %s", d, elapsed(d, today), today, a, a.After(d))
		}
	}
}

// elapsed says how long before to d is, in whole years, months or days.
func elapsed(d, to decode.Date) string {
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	if y := d.YearsUntil(to); y >= 1 {
		return plural(y, "year")
	}
	m := (to.Year-d.Year)*12 + int(to.Month) - int(d.Month)
	if to.Day < d.Day {
		m--
	}
	if m >= 1 {
		return plural(m, "month")
	}
	return plural(int(to.In(time.UTC).Sub(d.In(time.UTC)).Hours()/24), "day")
}

// checkBody runs present, matches and not_matches on the Markdown body.
func (rs *RuleSet) checkBody(r *rule, p *content.Page, fail failFunc) {
	start := diag.Pos{File: p.File, Line: p.BodyLine, Col: 1}
	if len(bytes.TrimSpace(p.Body)) == 0 {
		if r.Present {
			fail(start, config.FieldBody, "the body is empty")
		}
		return
	}
	if r.Matches != nil && !(r.Matches.MayMatch(p.Body) && r.Matches.Match(p.Body)) {
		fail(start, config.FieldBody, "the body does not match the rule's pattern")
	}
	checkBodyNotMatches(r, p, fail)
}

// checkBodyNotMatches reports each match of not_matches in the body at its
// own line and column.
func checkBodyNotMatches(r *rule, p *content.Page, fail failFunc) {
	if r.NotMatches == nil || !r.NotMatches.MayMatch(p.Body) {
		return
	}
	for _, m := range r.NotMatches.FindAllIndex(p.Body, maxHits+1) {
		before := p.Body[:m[0]]
		line := p.BodyLine + bytes.Count(before, []byte("\n"))
		col := utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
		fail(diag.Pos{File: p.File, Line: line, Col: col}, config.FieldBody, "contains %s", config.Quote(string(p.Body[m[0]:m[1]])))
	}
}

// textFields lists every text value written in p's front matter, list
// items included, with its path.
func textFields(p *content.Page) []leaf {
	var out []leaf
	var visit func(v reflect.Value, path string)
	visit = func(v reflect.Value, path string) {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return
			}
			v = v.Elem()
		}
		if path != "" {
			if _, ok := p.Pos.Lookup(path); !ok {
				return // not written: a default, not the editor's text
			}
		}
		switch v.Kind() {
		case reflect.String:
			out = append(out, leaf{path, v})
		case reflect.Slice:
			for i := range v.Len() {
				visit(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
			}
		case reflect.Struct:
			if v.Type() == dateType || v.Type() == timeType {
				return
			}
			fields := decode.FieldsOf(v.Type())
			if len(fields) == 0 {
				// A type that decodes itself (a programme item): its text
				// is reported at its own position.
				for i := range v.NumField() {
					if f := v.Field(i); v.Type().Field(i).IsExported() {
						visitLoose(f, path, &out)
					}
				}
				return
			}
			for _, f := range fields {
				next := f.Key
				if path != "" {
					next = path + "." + f.Key
				}
				visit(v.FieldByIndex(f.Index), next)
			}
		}
	}
	visit(reflect.ValueOf(p.Data), "")
	return out
}

// visitLoose lists the text in v, all at path.
func visitLoose(v reflect.Value, path string, out *[]leaf) {
	switch v.Kind() {
	case reflect.String:
		*out = append(*out, leaf{path, v})
	case reflect.Slice:
		for i := range v.Len() {
			visitLoose(v.Index(i), path, out)
		}
	}
}
