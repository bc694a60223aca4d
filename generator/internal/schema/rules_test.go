package schema

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/content"
	"peerpress/generator/internal/decode"
	"peerpress/generator/internal/diag"
)

// ruleSite is the site.yaml of the rule tests; a test appends its rules.
const ruleSite = `title: T
base_url: https://example.org/
vocabularies:
  streams: {s: S}
  regions: {north: North, south: South}
  inspection_grades: {outstanding: Outstanding, good: Good, requires-improvement: Requires improvement}
  skills: {coaching: Coaching, finance: Finance, send: SEND}
rules:
`

// supporter is a supporter's profile that passes every rule of the tests
// at ruleDate; tests replace parts of it.
const supporter = `---
name: Jo Evans
role: Headteacher
school:
  name: North School
  pupils: 240
  inspection:
    grade: good
region: north
headship_since: 2015-09-01
training:
  completed: 2025-03-12
coaching: Accredited coach.
local_knowledge: true
skills: [coaching, finance]
---
I lead a primary school in the north of the county.
`

const ruleDate = "2026-11-22"

func mustDate(t *testing.T, s string) decode.Date {
	t.Helper()
	d, err := decode.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func compile(t *testing.T, rules string) (*config.Config, *RuleSet, diag.List) {
	t.Helper()
	cfg, diags := config.Parse([]byte(ruleSite + rules))
	if len(diags) > 0 {
		t.Fatalf("site.yaml: %v", diags)
	}
	rs, rdiags := CompileRules(cfg)
	return cfg, rs, rdiags
}

// evaluate runs rules (the text under rules:) over one content file at date.
func evaluate(t *testing.T, rules, file, src, date string) []string {
	t.Helper()
	cfg, rs, diags := compile(t, rules)
	if len(diags) > 0 {
		t.Fatalf("rules: %v", diags)
	}
	p := content.Parse(file, []byte(src), cfg)
	var got []string
	for _, d := range rs.Check(p, mustDate(t, date)).Sort() {
		got = append(got, d.Error())
	}
	return got
}

// edit returns the supporter profile with old replaced by new.
func edit(old, new string) string {
	if !strings.Contains(supporter, old) {
		panic("no " + old)
	}
	return strings.Replace(supporter, old, new, 1)
}

func TestRuleTests(t *testing.T) {
	const jo = "content/supporters/jo.md"
	rule := func(field string, tests ...string) string {
		return "  supporters:\n    - id: r\n      field: " + field + "\n      " + strings.Join(tests, "\n      ") + "\n      message: the rule's message\n"
	}
	tests := []struct {
		name, rules, src string
		date             string // default ruleDate
		want             []string
	}{
		// present
		{"present passes", rule("coaching", "present: true"), supporter, "", nil},
		{"present missing", rule("coaching", "present: true"), edit("coaching: Accredited coach.\n", ""), "",
			[]string{`content/supporters/jo.md:1:1: coaching: required field is missing; the rule's message (rule "r")`}},
		{"present empty", rule("coaching", "present: true"), edit("coaching: Accredited coach.", `coaching: "  "`), "",
			[]string{`content/supporters/jo.md:13:11: coaching: required field is empty; the rule's message (rule "r")`}},
		{"present null", rule("coaching", "present: true"), edit("coaching: Accredited coach.", "coaching:"), "",
			[]string{`content/supporters/jo.md:1:1: coaching: required field is missing; the rule's message (rule "r")`}},
		{"present nested missing at parent", rule("school.inspection.date", "present: true"), supporter, "",
			[]string{`content/supporters/jo.md:8:5: school.inspection.date: required field is missing; the rule's message (rule "r")`}},
		{"present empty list", rule("skills", "present: true"), edit("skills: [coaching, finance]", "skills: []"), "",
			[]string{`content/supporters/jo.md:15:9: skills: required field is empty; the rule's message (rule "r")`}},
		{"present bool false is present", rule("local_knowledge", "present: true"), edit("local_knowledge: true", "local_knowledge: false"), "", nil},
		{"present whole section missing", rule("training.completed", "present: true"), edit("training:\n  completed: 2025-03-12\n", ""), "",
			[]string{`content/supporters/jo.md:1:1: training.completed: required field is missing; the rule's message (rule "r")`}},

		// one_of
		{"one_of passes", rule("school.inspection.grade", "one_of: [outstanding, good]"), supporter, "", nil},
		{"one_of fails", rule("school.inspection.grade", "one_of: [outstanding, good]"), edit("grade: good", "grade: requires-improvement"), "",
			[]string{`content/supporters/jo.md:8:12: school.inspection.grade: "requires-improvement" is not allowed (expected one of: outstanding, good); the rule's message (rule "r")`}},
		{"one_of absent passes", rule("school.inspection.grade", "one_of: [outstanding, good]"), edit("  inspection:\n    grade: good\n", ""), "", nil},
		{"one_of bool", rule("local_knowledge", "one_of: [true]"), edit("local_knowledge: true", "local_knowledge: false"), "",
			[]string{`content/supporters/jo.md:14:18: local_knowledge: false is not allowed (expected true); the rule's message (rule "r")`}},
		{"one_of list items", rule("skills", "one_of: [coaching, send]"), supporter, "",
			[]string{`content/supporters/jo.md:15:20: skills[1]: "finance" is not allowed (expected one of: coaching, send); the rule's message (rule "r")`}},
		{"one_of number", rule("school.pupils", "one_of: [100, 200]"), supporter, "",
			[]string{`content/supporters/jo.md:6:11: school.pupils: 240 is not allowed (expected one of: 100, 200); the rule's message (rule "r")`}},

		// min and max
		{"min max pass", rule("school.pupils", "min: 100", "max: 400"), supporter, "", nil},
		{"min fails", rule("school.pupils", "min: 300"), supporter, "",
			[]string{`content/supporters/jo.md:6:11: school.pupils: 240 is below the minimum 300; the rule's message (rule "r")`}},
		{"max fails", rule("school.pupils", "max: 200"), supporter, "",
			[]string{`content/supporters/jo.md:6:11: school.pupils: 240 is above the maximum 200; the rule's message (rule "r")`}},
		{"min on a list counts items", rule("skills", "min: 3"), supporter, "",
			[]string{`content/supporters/jo.md:15:9: skills: has 2 items (expected at least 3); the rule's message (rule "r")`}},
		{"max on a list counts items", rule("skills", "max: 1"), supporter, "",
			[]string{`content/supporters/jo.md:15:9: skills: has 2 items (expected at most 1); the rule's message (rule "r")`}},

		// at_least_before
		{"at_least_before passes", rule("headship_since", "at_least_before: 5y"), supporter, "", nil},
		{"at_least_before on the day", rule("headship_since", "at_least_before: 5y"), edit("2015-09-01", "2021-11-22"), "", nil},
		{"at_least_before a day short", rule("headship_since", "at_least_before: 5y"), edit("2015-09-01", "2021-11-23"), "",
			[]string{`content/supporters/jo.md:10:17: headship_since: 2021-11-23 is 4 years before the build date (2026-11-22); at least 5 years required; the rule's message (rule "r")`}},
		{"at_least_before recent", rule("headship_since", "at_least_before: 5y"), edit("2015-09-01", "2023-09-01"), "",
			[]string{`content/supporters/jo.md:10:17: headship_since: 2023-09-01 is 3 years before the build date (2026-11-22); at least 5 years required; the rule's message (rule "r")`}},
		{"at_least_before months", rule("headship_since", "at_least_before: 1y"), edit("2015-09-01", "2026-03-01"), "",
			[]string{`content/supporters/jo.md:10:17: headship_since: 2026-03-01 is 8 months before the build date (2026-11-22); at least 1 year required; the rule's message (rule "r")`}},
		{"at_least_before days", rule("headship_since", "at_least_before: 1y"), edit("2015-09-01", "2026-11-01"), "",
			[]string{`content/supporters/jo.md:10:17: headship_since: 2026-11-01 is 21 days before the build date (2026-11-22); at least 1 year required; the rule's message (rule "r")`}},
		{"at_least_before future", rule("headship_since", "at_least_before: 5y"), edit("2015-09-01", "2027-01-01"), "",
			[]string{`content/supporters/jo.md:10:17: headship_since: 2027-01-01 is after the build date (2026-11-22); at least 5 years before it required; the rule's message (rule "r")`}},
		{"at_least_before absent passes", rule("headship_since", "at_least_before: 5y"), edit("headship_since: 2015-09-01\n", ""), "", nil},

		// at_most_before
		{"at_most_before passes", rule("training.completed", "at_most_before: 3y"), supporter, "", nil},
		{"at_most_before last day", rule("training.completed", "at_most_before: 3y"), supporter, "2028-03-12", nil},
		{"at_most_before lapsed", rule("training.completed", "at_most_before: 3y"), supporter, "2028-03-13",
			[]string{`content/supporters/jo.md:12:14: training.completed: 2025-03-12 is 3 years before the build date (2028-03-13); at most 3 years allowed, so it ran out after 2028-03-12; the rule's message (rule "r")`}},
		{"at_most_before date-time in site time", "  training:\n    - {id: r, field: sessions.start, at_most_before: 1d, message: m}\n",
			"---\ntitle: C\nsessions:\n  - start: 2026-11-20 23:30\n    location: {online: true}\n  - start: 2026-11-21T23:30:00Z\n    location: {online: true}\n---\n", "",
			[]string{`content/training/c.md:4:12: sessions[0].start: 2026-11-20 is 2 days before the build date (2026-11-22); at most 1 day allowed, so it ran out after 2026-11-21; m (rule "r")`}},

		// matches and not_matches
		{"matches passes", rule("school.name", `matches: 'School$'`), supporter, "", nil},
		{"matches fails", rule("school.name", `matches: '^St '`), supporter, "",
			[]string{`content/supporters/jo.md:5:9: school.name: "North School" does not match the rule's pattern; the rule's message (rule "r")`}},
		{"not_matches passes", rule("coaching", `not_matches: '\d'`), supporter, "", nil},
		{"not_matches fails", rule("coaching", `not_matches: '(?i)coach'`), supporter, "",
			[]string{`content/supporters/jo.md:13:11: coaching: contains "coach"; the rule's message (rule "r")`}},
		{"not_matches list item", rule("skills", `not_matches: 'fin'`), supporter, "",
			[]string{`content/supporters/jo.md:15:20: skills[1]: contains "fin"; the rule's message (rule "r")`}},
		{"body present", rule("body", "present: true"), "---\nname: A\nrole: B\nregion: north\nschool: {name: S}\n---\n\n  \n", "",
			[]string{`content/supporters/jo.md:7:1: body: the body is empty; the rule's message (rule "r")`}},
		{"body matches", rule("body", `matches: 'county'`), supporter, "", nil},
		{"body does not match", rule("body", `matches: 'city'`), supporter, "",
			[]string{`content/supporters/jo.md:17:1: body: the body does not match the rule's pattern; the rule's message (rule "r")`}},
		{"body not_matches at the match", rule("body", `not_matches: '0\d{4} ?\d{6}'`), supporter + "\nCall me on 07700 900123 or 01632 960000.\n", "",
			[]string{
				`content/supporters/jo.md:19:12: body: contains "07700 900123"; the rule's message (rule "r")`,
				`content/supporters/jo.md:19:28: body: contains "01632 960000"; the rule's message (rule "r")`,
			}},
		{"whole file not_matches", rule("'*'", `not_matches: '@'`), edit("coaching: Accredited coach.", "coaching: jo@example.org") + "Mail jo@example.org\n", "",
			[]string{
				`content/supporters/jo.md:13:11: coaching: contains "@"; the rule's message (rule "r")`,
				`content/supporters/jo.md:18:8: body: contains "@"; the rule's message (rule "r")`,
			}},
		{"whole file not_matches in nested and list text", rule("any", `not_matches: 'North|finance'`), supporter, "",
			[]string{
				`content/supporters/jo.md:5:9: school.name: contains "North"; the rule's message (rule "r")`,
				`content/supporters/jo.md:15:20: skills[1]: contains "finance"; the rule's message (rule "r")`,
			}},
		{"whole file skips defaults", rule("'*'", `not_matches: 'available'`), supporter, "", nil},
		{"whole file matches somewhere", rule("'*'", `matches: 'primary'`), supporter, "", nil},
		{"whole file matches nowhere", rule("'*'", `matches: 'secondary'`), supporter, "",
			[]string{`content/supporters/jo.md:1:1: nothing in the file matches the rule's pattern; the rule's message (rule "r")`}},

		// what a failure does
		{"on_fail warning", rule("coaching", "present: true", "on_fail: warning"), edit("coaching: Accredited coach.\n", ""), "",
			[]string{`content/supporters/jo.md:1:1: warning: coaching: required field is missing; the rule's message (rule "r")`}},
		{"on_fail hide", rule("coaching", "present: true", "on_fail: hide"), edit("coaching: Accredited coach.\n", ""), "",
			[]string{`content/supporters/jo.md:1:1: hidden: coaching: required field is missing; the rule's message (rule "r")`}},

		// several tests in one rule, and pages the rules leave alone
		{"present and a date test", rule("headship_since", "present: true", "at_least_before: 5y"), edit("headship_since: 2015-09-01\n", ""), "",
			[]string{`content/supporters/jo.md:1:1: headship_since: required field is missing; the rule's message (rule "r")`}},
		{"bad value already reported", rule("headship_since", "present: true", "at_least_before: 5y"), edit("2015-09-01", "last year"), "", nil},
		{"not true or false already reported", rule("local_knowledge", "present: true", "one_of: [true]"), edit("local_knowledge: true", "local_knowledge: yes"), "", nil},
		{"quoted true already reported", rule("local_knowledge", "one_of: [true]"), edit("local_knowledge: true", `local_knowledge: "true"`), "", nil},
		{"value not in the vocabulary already reported", rule("school.inspection.grade", "one_of: [outstanding, good]"), edit("grade: good", "grade: Good"), "", nil},
		{"list item not in the vocabulary already reported", rule("skills", "one_of: [coaching, send]"), edit("[coaching, finance]", "[finance, Coaching]"), "",
			[]string{`content/supporters/jo.md:15:10: skills[0]: "finance" is not allowed (expected one of: coaching, send); the rule's message (rule "r")`}},
		{"number not a number already reported", rule("school.pupils", "min: 100"), edit("pupils: 240", "pupils: lots"), "", nil},
		{"unreadable file", rule("coaching", "present: true"), "no front matter", "", nil},
		{"other section", rule("coaching", "present: true"), "---\ntitle: N\nstream: s\n---\n", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := jo
			if strings.Contains(tt.rules, "  training:") {
				file = "content/training/c.md"
			}
			if strings.Contains(tt.name, "other section") {
				file = "content/networks/n.md"
			}
			date := tt.date
			if date == "" {
				date = ruleDate
			}
			got := evaluate(t, tt.rules, file, tt.src, date)
			if g, w := strings.Join(got, "\n"), strings.Join(tt.want, "\n"); g != w {
				t.Errorf("problems:\n%s\nwant:\n%s", g, w)
			}
		})
	}
}

func TestCompileRulesErrors(t *testing.T) {
	rule := func(section, field string, tests ...string) string {
		return "  " + section + ":\n    - id: r\n      field: " + field + "\n      " + strings.Join(tests, "\n      ") + "\n      message: m\n"
	}
	tests := []struct {
		name, rules string
		want        []string
	}{
		{"unknown field", rule("supporters", "heaship_since", "present: true"),
			[]string{`site.yaml:11:14: rules.supporters[0].field: supporters has no field "heaship_since" (did you mean "headship_since"?) (expected one of: title, summary, draft, date, aliases, tags, layout, name, role, school, region, headship_since, training, coaching, local_knowledge, skills, networks, availability, caseload, photo, body, *)`}},
		{"unknown nested field", rule("supporters", "school.inspection.grde", "present: true"),
			[]string{`site.yaml:11:14: rules.supporters[0].field: school.inspection has no field "grde" (did you mean "grade"?) (expected one of: grade, date)`}},
		{"field of a text", rule("supporters", "name.first", "present: true"),
			[]string{`site.yaml:11:14: rules.supporters[0].field: name has no field "first" (it is text)`}},
		{"field of a date", rule("supporters", "headship_since.year", "present: true"),
			[]string{`site.yaml:11:14: rules.supporters[0].field: headship_since has no field "year" (it is a date)`}},
		{"list index", rule("training", "sessions[0].start", "present: true"),
			[]string{`site.yaml:11:14: rules.training[0].field: "sessions[0].start" picks a list item; write the path without [n] (such as sessions.start) and the rule applies to every item`}},
		{"field of another type", rule("testimonials", "headship_since", "present: true"),
			[]string{`site.yaml:11:14: rules.testimonials[0].field: testimonials has no field "headship_since" (expected one of: title, summary, draft, date, aliases, tags, layout, quote, attribution, cohort, networks, supporter, consent, body, *)`}},
		{"date test on text", rule("supporters", "coaching", "at_least_before: 5y"),
			[]string{`site.yaml:12:24: rules.supporters[0].at_least_before: at_least_before cannot test coaching, which is text (it applies to dates)`}},
		{"min on a date", rule("supporters", "headship_since", "min: 5"),
			[]string{`site.yaml:12:12: rules.supporters[0].min: min cannot test headship_since, which is a date (it applies to whole numbers and lists (the number of items))`}},
		{"matches on a number", rule("supporters", "caseload", "matches: '1'"),
			[]string{`site.yaml:12:16: rules.supporters[0].matches: matches cannot test caseload, which is a whole number (it applies to text, lists of text, body and *)`}},
		{"one_of on a set of fields", rule("supporters", "school", "one_of: [x]"),
			[]string{`site.yaml:12:15: rules.supporters[0].one_of: one_of cannot test school, which is a set of fields (it applies to text, true/false, whole numbers and lists of text)`}},
		{"min on the body", rule("supporters", "body", "min: 10"),
			[]string{`site.yaml:12:12: rules.supporters[0].min: min cannot test the body (it applies to whole numbers and lists (the number of items))`}},
		{"one_of not in vocabulary", rule("supporters", "school.inspection.grade", "one_of: [outstanding, goood]"),
			[]string{`site.yaml:12:29: rules.supporters[0].one_of[1]: "goood" is not in site.yaml vocabularies.inspection_grades (did you mean "good"?) (expected one of: outstanding, good, requires-improvement)`}},
		{"one_of not in enum", rule("supporters", "availability", "one_of: [open]"),
			[]string{`site.yaml:12:16: rules.supporters[0].one_of[0]: "open" is not in the values availability may take (expected one of: available, limited, unavailable)`}},
		{"one_of yes for a bool", rule("testimonials", "consent", "one_of: [yes]"),
			[]string{`site.yaml:12:16: rules.testimonials[0].one_of[0]: consent is true or false, never "yes"`}},
		{"one_of text for a number", rule("supporters", "caseload", "one_of: [two]"),
			[]string{`site.yaml:12:16: rules.supporters[0].one_of[0]: caseload is a whole number, never "two"`}},
		{"config problems come through", rule("supporters", "coaching", "presnt: true"),
			[]string{`site.yaml:12:7: rules.supporters[0].presnt: unknown test or setting "presnt" (did you mean "present"?)`}},
		{"valid paths", rule("training", "sessions.location.online", "one_of: [true]") +
			strings.Replace(rule("networks", "group_size.max", "max: 20"), "id: r", "id: r2", 1) +
			strings.Replace(rule("pages", "aliases", "max: 3"), "id: r", "id: r3", 1), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, diags := compile(t, tt.rules)
			var got []string
			for _, d := range diags {
				got = append(got, d.Error())
			}
			if g, w := strings.Join(got, "\n"), strings.Join(tt.want, "\n"); g != w {
				t.Errorf("problems:\n%s\nwant:\n%s", g, w)
			}
		})
	}
}

// TestRulesAcrossLists checks that a path through a list tests every item,
// each at its own position, and reports missing ones at the item.
func TestRulesAcrossLists(t *testing.T) {
	rules := "  training:\n    - {id: cap, field: sessions.capacity, present: true, max: 12, message: twelve schools at most}\n"
	src := "---\ntitle: C\nsessions:\n  - start: 2027-01-10 09:00\n    location: {online: true}\n    capacity: 20\n  - start: 2027-02-10 09:00\n    location: {online: true}\n---\n"
	got := strings.Join(evaluate(t, rules, "content/training/c.md", src, ruleDate), "\n")
	want := strings.Join([]string{
		`content/training/c.md:6:15: sessions[0].capacity: 20 is above the maximum 12; twelve schools at most (rule "cap")`,
		`content/training/c.md:7:5: sessions[1].capacity: required field is missing; twelve schools at most (rule "cap")`,
	}, "\n")
	if got != want {
		t.Errorf("problems:\n%s\nwant:\n%s", got, want)
	}
}

func TestRulesManyHits(t *testing.T) {
	rules := "  supporters:\n    - {id: digits, field: body, not_matches: '\\d', message: m}\n"
	got := evaluate(t, rules, "content/supporters/jo.md", supporter+strings.Repeat("1 ", 50)+"\n", ruleDate)
	if len(got) != maxHits+1 {
		t.Fatalf("%d problems, want %d", len(got), maxHits+1)
	}
	if want := `content/supporters/jo.md:18:39: body: the first 20 failures of this rule in this file are listed; there are more (rule "digits")`; !slices.Contains(got, want) {
		t.Errorf("problems = %s, want one to be %s", strings.Join(got, "\n"), want)
	}
}

func TestUpcoming(t *testing.T) {
	rules := `  supporters:
    - {id: training, field: training.completed, present: true, at_most_before: 3y, message: m, on_fail: hide}
    - {id: headship, field: headship_since, at_least_before: 5y, message: m}
    - {id: coaching, field: coaching, present: true, message: m}
`
	cfg, rs, diags := compile(t, rules)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	p := content.Parse("content/supporters/jo.md", []byte(supporter), cfg)
	tests := []struct {
		today, want string
	}{
		{"2026-11-22", ""}, // lapses 2028-03-13, beyond 90 days
		{"2028-01-01", "training 2028-03-13 training.completed hidden"}, // within 90 days
		{"2028-03-12", "training 2028-03-13 training.completed hidden"}, // tomorrow
		{"2028-03-13", ""}, // already failing: a problem, not a warning
	}
	for _, tt := range tests {
		var got []string
		for _, u := range rs.Upcoming(p, mustDate(t, tt.today), 90) {
			got = append(got, strings.Join([]string{u.Rule, u.Date.String(), u.Field, u.Problem.Severity.String()}, " "))
		}
		if g := strings.Join(got, "; "); g != tt.want {
			t.Errorf("Upcoming at %s = %q, want %q", tt.today, g, tt.want)
		}
	}
}

// TestConsentRule checks that a site's own consent rule replaces the
// built-in check rather than repeating it, and that without one the
// built-in check still hides a testimonial.
func TestConsentRule(t *testing.T) {
	src := "---\nquote: Q\nattribution: A\nconsent: false\n---\n"
	for _, tt := range []struct {
		name, rules, want string
	}{
		{"built-in", "", `content/testimonials/q.md:4:10: hidden: consent: not published: a testimonial needs consent: true`},
		{"site rule", "  testimonials:\n    - {id: consent, field: consent, one_of: [true], on_fail: hide, message: needs consent}\n",
			`content/testimonials/q.md:4:10: hidden: consent: false is not allowed (expected true); needs consent (rule "consent")`},
		{"site rule that passes keeps built-in", "  testimonials:\n    - {id: consent, field: consent, one_of: [true], on_fail: hide, message: needs consent}\n",
			`content/testimonials/q.md:1:1: hidden: consent: not published: a testimonial needs consent: true`},
		{"site warning keeps built-in", "  testimonials:\n    - {id: consent, field: consent, one_of: [true], on_fail: warning, message: needs consent}\n",
			`content/testimonials/q.md:4:10: warning: consent: false is not allowed (expected true); needs consent (rule "consent")` +
				"\ncontent/testimonials/q.md:4:10: hidden: consent: not published: a testimonial needs consent: true"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _, _ := compile(t, tt.rules)
			src := src
			if strings.Contains(tt.name, "passes") {
				src = strings.Replace(src, "consent: false\n", "", 1)
			}
			p := content.Parse("content/testimonials/q.md", []byte(src), cfg)
			got := Check([]*content.Page{p}, cfg, Options{Today: mustDate(t, ruleDate)}).Error()
			if got != tt.want {
				t.Errorf("Check:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// TestExamplePolicyRules runs the example site's phone and e-mail rules
// over texts that must and must not be caught.
func TestExamplePolicyRules(t *testing.T) {
	cfg, diags := config.Load(os.DirFS(filepath.Join("..", "..", "..")))
	if diags.Err() != nil || len(cfg.Rules.Diags) > 0 {
		t.Fatal(diags, cfg.Rules.Diags)
	}
	rs, diags := CompileRules(cfg)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	profile := "---\nname: A\nrole: B\nregion: north\nschool: {name: S, inspection: {grade: good}}\nheadship_since: 2010-09-01\n" +
		"training: {completed: 2026-01-01}\ncoaching: C\nlocal_knowledge: true\n---\n"
	tests := []struct {
		text string
		rule string // the rule that must catch it, or "" for none
	}{
		{"Ring 07700 900123.", "no-phone-numbers"},
		{"Ring 07700900123.", "no-phone-numbers"},
		{"Ring 07700-900-123.", "no-phone-numbers"},
		{"Ring +44 7700 900123.", "no-phone-numbers"},
		{"Ring +447700900123.", "no-phone-numbers"},
		{"Ring +44 (0)1632 960000.", "no-phone-numbers"},
		{"Ring 01632 960 000.", "no-phone-numbers"},
		{"Ring (01632) 960000.", "no-phone-numbers"},
		{"Ring 020 7946 0000.", "no-phone-numbers"},
		{"Mail jo.evans@gmail.com.", "no-email-addresses"},
		{"Mail head@school.sch.uk.", "no-email-addresses"},
		{"I have led the school since 2010.", ""},
		{"Pupils aged 4 to 19, in 2024-25.", ""},
		{"Inspected on 01/09/2024 and 2026-10-07.", ""},
		{"A network of 1,200 schools and a budget of £1,200,000.", ""},
		{"Our URN is 123456; we have 0 exclusions.", ""},
		{"Follow @wealdshireheads for news.", ""},
	}
	for _, tt := range tests {
		p := content.Parse("content/supporters/a.md", []byte(profile+tt.text+"\n"), cfg)
		if len(p.Diags) > 0 {
			t.Fatal(p.Diags)
		}
		var got []string
		for _, d := range rs.Check(p, mustDate(t, ruleDate)) {
			got = append(got, d.Rule)
		}
		var want []string
		if tt.rule != "" {
			want = []string{tt.rule}
		}
		if !slices.Equal(got, want) {
			t.Errorf("rules failing on %q = %v, want %v", tt.text, got, want)
		}
	}
}
