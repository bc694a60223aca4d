package decode

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

type inner struct {
	Grade string `yaml:"grade" pp:"vocab=grades"`
	Date  Date   `yaml:"date"`
}

type Base struct {
	Title string `yaml:"title"`
}

type doc struct {
	Base    `yaml:",inline"`
	Name    string    `yaml:"name" pp:"required"`
	Count   *int      `yaml:"count" pp:"min=1"`
	Flag    bool      `yaml:"flag"`
	Kind    string    `yaml:"kind" pp:"enum=a|b"`
	Tags    []string  `yaml:"tags" pp:"vocab=grades"`
	Start   time.Time `yaml:"start"`
	Inner   inner     `yaml:"inner"`
	Items   []inner   `yaml:"items"`
	Skipped string    `yaml:"-"`
}

func decodeDoc(t *testing.T, src string) (*doc, *Decoder) {
	t.Helper()
	n, diags := Parse([]byte(src), "f.md", 1)
	if n == nil {
		t.Fatalf("Parse(%q): %v", src, diags)
	}
	loc, _ := time.LoadLocation("Europe/London")
	d := &Decoder{File: "f.md", LineOffset: 1, Location: loc, Vocab: func(name string) ([]string, bool) {
		if name == "grades" {
			return []string{"good", "outstanding"}, true
		}
		return nil, false
	}}
	var v doc
	d.Decode(n, &v)
	return &v, d
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // diagnostics, in order
	}{
		{"valid", "name: A\ncount: 2\nflag: true\nkind: a\ntags: [good]\nstart: 2027-03-30 09:30\ninner: {grade: good, date: 2024-01-02}\n", nil},
		{"missing required", "title: T\n", []string{"f.md:2:1: name: required field is missing"}},
		{"empty required", "name: \"\"\n", []string{`f.md:2:7: name: required field is empty`}},
		{"null required", "name:\n", []string{"f.md:2:6: name: required field is empty"}},
		{"unknown with suggestion", "name: A\nnmae: B\n", []string{`f.md:3:1: nmae: unknown field (did you mean "name"?)`}},
		{"misspelt required field reported once", "nmae: B\n", []string{`f.md:2:1: nmae: unknown field (did you mean "name"?)`}},
		{"unknown far off", "name: A\nzzzzzzzz: B\n", []string{`f.md:3:1: zzzzzzzz: unknown field`}},
		{"duplicate key", "name: A\nname: B\n", []string{`f.md:3:1: name: field appears twice (first on line 2)`}},
		{"int from text", "name: A\ncount: many\n", []string{`f.md:3:8: count: "many" is not a whole number (expected a number such as 12)`}},
		{"int from float", "name: A\ncount: 1.5\n", []string{`f.md:3:8: count: "1.5" is not a whole number (expected a number such as 12)`}},
		{"int below min", "name: A\ncount: 0\n", []string{`f.md:3:8: count: 0 is too small (expected at least 1)`}},
		{"bool from text", "name: A\nflag: yes\n", []string{`f.md:3:7: flag: "yes" is not true or false (expected true or false)`}},
		{"enum", "name: A\nkind: c\n", []string{`f.md:3:7: kind: "c" is not allowed (expected one of: a, b)`}},
		{"vocab with suggestion", "name: A\ninner: {grade: goood}\n", []string{`f.md:3:16: inner.grade: "goood" is not in site.yaml vocabularies.grades (did you mean "good"?) (expected one of: good, outstanding)`}},
		{"vocab in list", "name: A\ntags: [good, bad]\n", []string{`f.md:3:14: tags[1]: "bad" is not in site.yaml vocabularies.grades (expected one of: good, outstanding)`}},
		{"vocab value twice in list", "name: A\ntags: [good, outstanding, good]\n", []string{`f.md:3:27: tags[2]: "good" is already in the list, as tags[0] (write each value once)`}},
		{"vocab value twice in long list", "name: A\ntags: [good, outstanding" + strings.Repeat(", good", 1) + strings.Repeat(", outstanding", 15) + "]\n", longListWant()},
		{"list expected", "name: A\ntags: good\n", []string{`f.md:3:7: tags: expected a list, found "good" (write [a, b] or one "- item" a line)`}},
		{"empty list item", "name: A\ntags:\n  -\n", []string{`f.md:4:4: tags[0]: list item is empty`}},
		{"string expected", "name: [A]\n", []string{`f.md:2:7: name: expected text, found a list`}},
		{"mapping expected", "name: A\ninner: good\n", []string{`f.md:3:8: inner: expected a set of fields (key: value lines), found "good" (its fields: grade, date)`}},
		{"bad date", "name: A\ninner: {date: 2024-13-01}\n", []string{`f.md:3:15: inner.date: "2024-13-01" is not a date: there is no month 13 (expected YYYY-MM-DD, such as 2024-09-01)`}},
		{"bad date-time", "name: A\nstart: soon\n", []string{`f.md:3:8: start: "soon" is not a date and time (expected YYYY-MM-DD HH:MM, such as 2026-03-04 09:30)`}},
		{"nested list position", "name: A\nitems:\n  - grade: good\n  - grade: poor\n", []string{`f.md:5:12: items[1].grade: "poor" is not in site.yaml vocabularies.grades (expected one of: good, outstanding)`}},
		{"anchor", "name: &x A\ntitle: *x\n", []string{`f.md:2:7: name: YAML anchors and aliases are not supported here; write the value out`, `f.md:3:8: title: YAML anchors and aliases are not supported here; write the value out`}},
		{"ignored field", "name: A\nSkipped: x\n", []string{`f.md:3:1: Skipped: unknown field`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, d := decodeDoc(t, tt.src)
			var got []string
			for _, x := range d.Diags.Sort() {
				got = append(got, x.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("Decode(%q) problems:\n%s\nwant:\n%s", tt.src, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestDecodeValues(t *testing.T) {
	v, d := decodeDoc(t, "title: T\nname: A\ncount: 2\nflag: true\nstart: 2027-03-30 09:30\ninner: {grade: good, date: 2024-01-02}\nitems: [{grade: outstanding}]\n")
	if len(d.Diags) > 0 {
		t.Fatalf("unexpected problems: %v", d.Diags)
	}
	if v.Title != "T" || v.Name != "A" || *v.Count != 2 || !v.Flag {
		t.Errorf("decoded %+v", v)
	}
	if got, want := v.Start.Format(time.RFC3339), "2027-03-30T09:30:00+01:00"; got != want {
		t.Errorf("start = %s, want %s (British Summer Time)", got, want)
	}
	if got, want := v.Inner.Date, (Date{2024, time.January, 2}); got != want {
		t.Errorf("inner.date = %v, want %v", got, want)
	}
	if len(v.Items) != 1 || v.Items[0].Grade != "outstanding" {
		t.Errorf("items = %+v", v.Items)
	}
	for path, want := range map[string]string{"name": "f.md:3:7", "inner.date": "f.md:7:28", "items[0].grade": "f.md:8:17"} {
		if got := d.Pos[path].String(); got != want {
			t.Errorf("Pos[%q] = %s, want %s", path, got, want)
		}
	}
}

// longListWant is what a list of good, outstanding, good and 15 more
// outstanding gives: past 16 items, duplicates are found with a map.
func longListWant() []string {
	want := []string{`f.md:3:27: tags[2]: "good" is already in the list, as tags[0] (write each value once)`}
	for i := 3; i < 18; i++ {
		want = append(want, fmt.Sprintf(`f.md:3:%d: tags[%d]: "outstanding" is already in the list, as tags[1] (write each value once)`, 33+13*(i-3), i))
	}
	return want
}

func TestParseSyntaxErrorLine(t *testing.T) {
	tests := []struct{ src, want string }{
		{"a: 1\nb: [x\n", "f.md:3: invalid YAML: did not find expected ',' or ']' (a list written [a, b] needs its closing ], and an item that contains a comma or \": \" needs double quotes)"},
		{"a: 1\n\tb: 2\n", "f.md:3:1: invalid YAML: found a tab character in the indentation (YAML is indented with spaces, never tabs)"},
		{"a: 1\nb: c: d\n", `f.md:3:5: invalid YAML: mapping values are not allowed in this context (a value that contains ": " must be in double quotes, such as role: "Headteacher: Hollowford")`},
		{"a: 1\nrole: Héad: teacher\n", `f.md:3:11: invalid YAML: mapping values are not allowed in this context (a value that contains ": " must be in double quotes, such as role: "Headteacher: Hollowford")`},
		{"a: 1\n- x\n", "f.md:3: invalid YAML: did not find expected key (check the indentation of this line and the lines above it: the fields of one set line up exactly; and a quoted value ends only at its closing quote mark)"},
		{"a: 1\nrole: \"Head\nb: 2\n", "f.md:3: invalid YAML: found unexpected end of stream (a value opened with a quote mark on this line is never closed: end it with the same quote mark)"},
		{"a: 1\nrole:Head\nb: 2\n", "f.md:3: invalid YAML: could not find expected ':' (each line is a field, name: value, with a space after the colon)"},
		{"a: 1\nsummary: - Head\n", `f.md:3: invalid YAML: block sequence entries are not allowed in this context (a value that starts with "- " must be in double quotes; a list goes on the lines below its field, each item starting with "- ")`},
		{"a: 1\nrole: 'Helen's role'\nb: 2\n", `f.md:3:13: invalid YAML: text after the closing quote mark (inside '…', write '' for an apostrophe, or put the value in double quotes)`},
		{"a: 1\nrole: \"Helen \"the head\" Marsh\"\nb: 2\n", `f.md:3:14: invalid YAML: text after the closing quote mark (inside "…", write \" for a quote mark, or put the value in single quotes)`},
		{"a: 1\nrole: 'Head\nb: 2\nc: Jo's\nd: 3\n", `f.md:3:7: invalid YAML: the value in quotes that starts here is not closed on its line (end it with another ')`},
		{"a: 1\nlist:\n  - 'it''s fine'\n  - 'Jo's'\n", `f.md:5:8: invalid YAML: text after the closing quote mark (inside '…', write '' for an apostrophe, or put the value in double quotes)`},
		{"a: 1\nrole: \"say \\\"hi\\\"\" # ok\n  b: 2\n", "f.md:4: invalid YAML: did not find expected key (check the indentation of this line and the lines above it: the fields of one set line up exactly; and a quoted value ends only at its closing quote mark)"},
		{"a: 1\nb: {c: 1\n", `f.md:3: invalid YAML: did not find expected ',' or '}' (a set written {key: value} needs its closing }, and a value that contains a comma or ": " needs double quotes)`},
		{"a: 1\nb: &\n", "f.md:3: invalid YAML: did not find expected alphabetic or numeric character"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			n, diags := Parse([]byte(tt.src), "f.md", 1)
			if n != nil || len(diags) != 1 {
				t.Fatalf("Parse(%q) = %v, %v; want one problem", tt.src, n, diags)
			}
			if got := diags[0].Error(); got != tt.want {
				t.Errorf("Parse(%q) = %s, want %s", tt.src, got, tt.want)
			}
		})
	}
}

func TestYearsUntil(t *testing.T) {
	since := Date{2019, time.September, 1}
	tests := []struct {
		at   Date
		want int
	}{
		{Date{2024, time.August, 31}, 4},
		{Date{2024, time.September, 1}, 5},
		{Date{2024, time.September, 2}, 5},
		{Date{2019, time.September, 1}, 0},
	}
	for _, tt := range tests {
		if got := since.YearsUntil(tt.at); got != tt.want {
			t.Errorf("%s.YearsUntil(%s) = %d, want %d", since, tt.at, got, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	keys := []string{"headship_since", "school", "skills", "networks"}
	tests := []struct{ in, want string }{
		{"heaship_since", ` (did you mean "headship_since"?)`},
		{"skils", ` (did you mean "skills"?)`},
		{"network", ` (did you mean "networks"?)`},
		{"colour", ""},
		{"c", ""},
		{"nmae", ""},
	}
	for _, tt := range tests {
		if got := suggest(tt.in, keys); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFieldsOf(t *testing.T) {
	var keys []string
	for _, f := range FieldsOf(reflect.TypeFor[doc]()) {
		keys = append(keys, f.Key)
	}
	if got, want := strings.Join(keys, ","), "title,name,count,flag,kind,tags,start,inner,items"; got != want {
		t.Errorf("FieldsOf(doc) keys = %s, want %s", got, want)
	}
}

// TestCompactPositions checks that Positions record what Pos records.
func TestCompactPositions(t *testing.T) {
	src := "name: A\ncount: 2\ntags: [good, outstanding]\ninner: {grade: good}\nitems:\n  - grade: good\n  - {date: 2024-01-02}\nname: B\n"
	_, d := decodeDoc(t, src)
	n, _ := Parse([]byte(src), "f.md", 1)
	c := &Decoder{File: "f.md", LineOffset: 1, Compact: true}
	var v doc
	c.Decode(n, &v)
	if c.Pos != nil || c.Positions.Len() != len(d.Pos) {
		t.Fatalf("compact decoder recorded %d positions (and map %v), want %d", c.Positions.Len(), c.Pos, len(d.Pos))
	}
	for path, want := range d.Pos {
		if got, ok := c.Positions.Lookup(path); !ok || got != want {
			t.Errorf("Positions.Lookup(%q) = %v, %v; want %v", path, got, ok, want)
		}
	}
	var last string
	for path := range c.Positions.All() {
		if path <= last {
			t.Errorf("Positions.All: %q after %q", path, last)
		}
		last = path
	}
	if _, ok := c.Positions.Lookup("nope"); ok {
		t.Error("Positions.Lookup found a field never written")
	}
}

// TestParseDateOnly compares parseDateOnly with time.Parse on every date
// of four years and on malformed text.
// TestDateMessages checks that the usual ways of writing a date wrongly
// are explained, not only refused.
func TestDateMessages(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2026-02-31", `"2026-02-31" is not a date: February 2026 has 28 days (expected YYYY-MM-DD, such as 2024-09-01)`},
		{"2028-02-30", `"2028-02-30" is not a date: February 2028 has 29 days (expected YYYY-MM-DD, such as 2024-09-01)`},
		{"2026-13-01", `"2026-13-01" is not a date: there is no month 13 (expected YYYY-MM-DD, such as 2024-09-01)`},
		{"2026-9-1", `"2026-9-1" is not a date: write the month and day with two digits, 2026-09-01 (expected YYYY-MM-DD, such as 2024-09-01)`},
		{"01/09/2012", `"01/09/2012" is not a date: dates are written year first; for 1 September 2012 write 2012-09-01 (expected YYYY-MM-DD, such as 2024-09-01)`},
		{"1.9.2012", `"1.9.2012" is not a date: dates are written year first; for 1 September 2012 write 2012-09-01 (expected YYYY-MM-DD, such as 2024-09-01)`},
		{"31/02/2026", `"31/02/2026" is not a date: February 2026 has 28 days (expected YYYY-MM-DD, such as 2024-09-01)`},
		{"next Tuesday", `"next Tuesday" is not a date (expected YYYY-MM-DD, such as 2024-09-01)`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseDate(tt.in)
			if got := fmt.Sprint(err); got != tt.want {
				t.Errorf("ParseDate(%q):\n got %s\nwant %s", tt.in, got, tt.want)
			}
		})
	}
	const expect = " (expected YYYY-MM-DD HH:MM, such as 2026-03-04 09:30)"
	timeTests := []struct{ in, want string }{
		{"2025-03-12 09:30 BST", `"2025-03-12 09:30 BST" is not a date and time: leave out "BST"; times are in site.yaml's time zone (or give an offset, such as 2025-03-12T09:30:00+01:00)`},
		{"2025-03-12T09:30Z", `"2025-03-12T09:30Z" is not a date and time: leave out "Z"; times are in site.yaml's time zone (or give an offset, such as 2025-03-12T09:30:00+01:00)`},
		{"2025-03-12 9.30am", `"2025-03-12 9.30am" is not a date and time: write the time as HH:MM on the 24-hour clock, such as 09:30 or 14:00`},
		{"2025-03-12", `"2025-03-12" is not a date and time: the time is needed as well as the date`},
		{"12:30", `"12:30" is not a date and time: the date is needed as well as the time`},
		{"2025-02-30 09:30", `"2025-02-30 09:30" is not a date and time: February 2025 has 28 days`},
		{"12/03/2025 09:30", `"12/03/2025 09:30" is not a date and time: dates are written year first; for 12 March 2025 write 2025-03-12`},
		{"tomorrow", `"tomorrow" is not a date and time`},
	}
	for _, tt := range timeTests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseDateTime(tt.in, time.UTC)
			if got := fmt.Sprint(err); got != tt.want+expect {
				t.Errorf("ParseDateTime(%q):\n got %s\nwant %s", tt.in, got, tt.want+expect)
			}
		})
	}
}

func TestParseDateOnly(t *testing.T) {
	var texts []string
	for y := 2023; y <= 2025; y++ {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				texts = append(texts, fmt.Sprintf("%04d-%02d-%02d", y, m, d))
			}
		}
	}
	texts = append(texts, "2024-02-29", "1900-02-29", "2000-02-29", "0000-01-01", "9999-12-31", "2024-1-01", "2024-01-1", "2024/01/01",
		"2024-01-01 ", "+024-01-01", "2024-0a-01", "", "2024-01-011", "-024-01-01")
	for _, s := range texts {
		want, err := time.Parse(time.DateOnly, s)
		got, ok := parseDateOnly(s)
		if ok != (err == nil) || (ok && got != DateOf(want)) {
			t.Errorf("parseDateOnly(%q) = %v, %v; time.Parse gives %v, %v", s, got, ok, want, err)
		}
	}
}
