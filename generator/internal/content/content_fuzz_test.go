package content

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/adrg/frontmatter"

	"peerpress/generator/internal/config"
)

// fuzzSite is the site.yaml the content tests decode against.
const fuzzSite = `title: T
base_url: https://example.org/
vocabularies:
  streams: {rural: Rural Schools}
  regions: {north: North}
  skills: {coaching: Coaching}
  inspection_grades: {good: Good}
`

func fuzzConfig(t testing.TB) *config.Config {
	t.Helper()
	cfg, diags := config.Parse([]byte(fuzzSite))
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	return cfg
}

// FuzzParse feeds any bytes to the front-matter splitting and decoding of
// every section. Parse must not panic or hang, and every problem must name
// the file and a line within it (or none).
func FuzzParse(f *testing.F) {
	f.Add([]byte("---\ntitle: T\nstream: rural\n---\nBody.\n"))
	f.Add([]byte("---\nname: A\nrole: B\nregion: north\nschool: {name: S, pupils: 3}\nheadship_since: 2015-09-01\n---\n"))
	cfg := fuzzConfig(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		// YAML also ends a line at a lone carriage return.
		lines := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) - bytes.Count(data, []byte("\r\n")) + 2
		for _, file := range []string{"content/networks/x.md", "content/supporters/x.md", "content/training/x.md", "content/testimonials/x.md", "content/news/x.md", "content/_index.md"} {
			p := Parse(file, data, cfg)
			if p == nil || p.Data == nil || p.Meta == nil {
				t.Fatalf("Parse(%s) = %+v", file, p)
			}
			for _, d := range p.Diags {
				if d.Pos.File != file || d.Pos.Line < 0 || d.Pos.Line > lines || d.Pos.Col < 0 {
					t.Errorf("Parse(%s): problem at %s, outside a %d-line file: %v", file, d.Pos, lines, d)
				}
				if d.Msg == "" {
					t.Errorf("Parse(%s): problem without a message at %s", file, d.Pos)
				}
			}
			for path, pos := range p.Pos.All() {
				if pos.Line < 1 || pos.Line > lines {
					t.Errorf("Parse(%s): field %s at line %d, outside a %d-line file", file, path, pos.Line, lines)
				}
			}
		}
	})
}

// TestParseBadInput covers what editors and their tools actually commit by
// mistake: every case gets a clear problem with a position, or is read
// correctly, and none takes long.
func TestParseBadInput(t *testing.T) {
	cfg := fuzzConfig(t)
	aliasBomb := "---\ntitle: T\nstream: rural\n" +
		"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" +
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n" +
		"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n" +
		"tags: *f\n---\n"
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", []string{
			"content/networks/x.md:1:1: file is not UTF-8 text (is it a binary file saved as .md?)"}},
		{"latin-1", "---\ntitle: Caf\xe9\nstream: rural\n---\n", []string{
			"content/networks/x.md:2:11: byte 0xE9 is not UTF-8 (the file was saved in another encoding, such as Latin-1 or Windows-1252: save it as UTF-8)"}},
		{"latin-1 after accented UTF-8", "---\ntitle: Zoë’s café\nstream: rural\n---\nCaf\xe9 au lait\n", []string{
			"content/networks/x.md:5:4: byte 0xE9 is not UTF-8 (the file was saved in another encoding, such as Latin-1 or Windows-1252: save it as UTF-8)"}},
		{"Windows-1252 quote", "---\ntitle: T\nstream: rural\n---\nIt\x92s here\n", []string{
			"content/networks/x.md:5:3: byte 0x92 is not UTF-8 (the file was saved in another encoding, such as Latin-1 or Windows-1252: save it as UTF-8)"}},
		{"UTF-16", "\xff\xfe-\x00-\x00-\x00\n\x00", []string{
			"content/networks/x.md:1:1: file is UTF-16 text, not UTF-8 (save it as UTF-8)"}},
		{"UTF-16 big-endian", "\xfe\xff\x00-\x00-\x00-\x00\n", []string{
			"content/networks/x.md:1:1: file is UTF-16 text, not UTF-8 (save it as UTF-8)"}},
		{"empty", "", []string{
			"content/networks/x.md:1:1: no front matter (a content file starts with a line of three hyphens, ---, then YAML fields, then another --- line)"}},
		{"only ---", "---", []string{
			"content/networks/x.md:1:1: front matter opened on line 1 is not closed (expected a line of three hyphens, ---, after the fields)"}},
		{"only --- and a newline", "---\n", []string{
			"content/networks/x.md:1:1: front matter opened on line 1 is not closed (expected a line of three hyphens, ---, after the fields)"}},
		{"empty front matter", "---\n---\nBody\n", []string{
			"content/networks/x.md:1:1: title: required field is missing",
			"content/networks/x.md:2:1: stream: required field is missing"}},
		{"comments only", "---\n# nothing yet\n---\n", []string{
			"content/networks/x.md:1:1: title: required field is missing",
			"content/networks/x.md:2:1: stream: required field is missing"}},
		{"tab indentation", "---\ntitle: T\nstream: rural\ngroup_size:\n\tmin: 3\n---\n", []string{
			"content/networks/x.md:5:1: invalid YAML: found a tab character in the indentation (YAML is indented with spaces, never tabs)"}},
		{"tab in nested indentation", "---\ntitle: T\ngroup_size:\n  min: 3\n\t max: 5\n---\n", []string{
			"content/networks/x.md:5:1: invalid YAML: found a tab character in the indentation (YAML is indented with spaces, never tabs)"}},
		{"BOM", "\ufeff---\ntitle: T\nstream: rural\nformat: circle\n---\n", []string{
			`content/networks/x.md:4:9: format: "circle" is not allowed (expected one of: network, triad, cluster)`}},
		{"CRLF", "---\r\ntitle: T\r\nstream: rural\r\nformat: circle\r\n---\r\nBody\r\n", []string{
			`content/networks/x.md:4:9: format: "circle" is not allowed (expected one of: network, triad, cluster)`}},
		{"blank lines first", "\n\n---\ntitle: T\nstream: rural\nformat: circle\n---\n", []string{
			`content/networks/x.md:6:9: format: "circle" is not allowed (expected one of: network, triad, cluster)`}},
		{"over 10 MB", "---\ntitle: T\nstream: rural\n---\n" + strings.Repeat("word ", MaxFileSize/5+1), []string{
			"content/networks/x.md:1:1: file is larger than 10 MiB, the most a content file may be (is it a generated or binary file?)"}},
		{"just under 10 MB", "---\ntitle: T\nstream: rural\n---\n" + strings.Repeat("word ", MaxFileSize/5-10), nil},
		{"deeply nested flow", "---\ntitle: T\nstream: rural\ntags: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n---\n", []string{
			"content/networks/x.md:4: invalid YAML: values are nested too deeply (exceeded max depth of 10000)"}},
		{"deeply nested block", "---\ntitle: T\nstream: rural\ntags:\n" + nestedBlock(3000) + "---\n", []string{
			"content/networks/x.md:6:5: tags[0]: expected text, found a list"}},
		{"alias bomb", aliasBomb, []string{
			"content/networks/x.md:4:1: a: unknown field",
			"content/networks/x.md:5:1: b: unknown field",
			"content/networks/x.md:6:1: c: unknown field",
			"content/networks/x.md:7:1: d: unknown field",
			"content/networks/x.md:8:1: e: unknown field",
			"content/networks/x.md:9:1: f: unknown field",
			"content/networks/x.md:10:7: tags: YAML anchors and aliases are not supported here; write the value out"}},
		{"news post in the networks folder", "---\ntitle: T\nstream: rural\nauthor: Jo\nquote: Q\nstreem: x\ncolour: red\n---\n", []string{
			"content/networks/x.md:4:1: author: unknown field (it is a field of a news post or a free page: is the file in the right folder?)",
			"content/networks/x.md:5:1: quote: unknown field (it is a field of a testimonial: is the file in the right folder?)",
			`content/networks/x.md:6:1: streem: unknown field (did you mean "stream"?)`,
			"content/networks/x.md:7:1: colour: unknown field"}},
		{"vocabulary label for its id", "---\ntitle: T\nstream: Rural Schools\n---\n", []string{
			`content/networks/x.md:3:9: stream: "Rural Schools" is not in site.yaml vocabularies.streams (that is the label of "rural": write the id) (expected one of: rural)`}},
		{"range as text", "---\ntitle: T\nstream: rural\ngroup_size: 3-5\n---\n", []string{
			`content/networks/x.md:4:13: group_size: expected a set of fields (key: value lines), found "3-5" (its fields: min, max)`}},
		{"text instead of fields", "---\nJust a title\n---\n", []string{
			"content/networks/x.md:1:1: title: required field is missing",
			`content/networks/x.md:2:1: expected a set of fields (key: value lines), found "Just a title"`}},
		{"second document", "---\ntitle: T\nstream: rural\n...\n---\n", nil},
		{"huge key", "---\ntitle: T\nstream: rural\n" + strings.Repeat("k", 1<<20) + ": v\n---\n", []string{
			"content/networks/x.md:4: invalid YAML: could not find expected ':' (each line is a field, name: value, with a space after the colon)"}},
		{"long key", "---\ntitle: T\nstream: rural\n" + strings.Repeat("k", 1000) + ": v\n---\n", []string{
			"content/networks/x.md:4:1: " + strings.Repeat("k", 1000) + ": unknown field"}},
		{"huge value", "---\ntitle: T\nstream: " + strings.Repeat("r", 5<<20) + "\n---\n", []string{
			`content/networks/x.md:3:9: stream: "` + strings.Repeat("r", 5<<20) + `" is not in site.yaml vocabularies.streams (expected one of: rural)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			p := Parse("content/networks/x.md", []byte(tt.in), cfg)
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("Parse took %v", d)
			}
			var got []string
			for _, d := range p.Diags.Sort() {
				got = append(got, d.Error())
			}
			if g, w := strings.Join(got, "\n"), strings.Join(tt.want, "\n"); g != w {
				if len(g) > 2000 {
					g = g[:2000] + "..."
				}
				t.Errorf("problems:\n%s\nwant:\n%s", g, w)
			}
		})
	}
}

// nestedBlock is a list nested n levels deep in block style.
func nestedBlock(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat("  ", i+1))
		b.WriteString("-\n")
	}
	return strings.TrimSuffix(b.String(), "-\n") + "- x\n"
}

// FuzzSplitFrontMatter checks that splitFrontMatter splits every input
// exactly as github.com/adrg/frontmatter, which it replaced, does.
func FuzzSplitFrontMatter(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: T\n---\nBody.\n",
		"\n \n---\na: 1\n---",
		"---\n---\n",
		"--- \r\na: 1\r\n ---\t\r\nbody",
		"---",
		"---\n",
		"---\na: 1\n",
		"title: T\n---\n",
		"---\na\n----\n---\nb\n---\nc",
		"\u00a0---\u0085\n---\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var want []byte
		format := frontmatter.NewFormat("---", "---", func(b []byte, _ any) error {
			want = b
			return nil
		})
		wantBody, err := frontmatter.MustParse(bytes.NewReader(data), nil, format)
		yamlText, body, ok := splitFrontMatter(data)
		if ok != (err == nil) {
			t.Fatalf("splitFrontMatter(%q) ok = %v, frontmatter error %v", data, ok, err)
		}
		if ok && (!bytes.Equal(yamlText, want) || !bytes.Equal(body, wantBody)) {
			t.Fatalf("splitFrontMatter(%q) = %q, %q; frontmatter gives %q, %q", data, yamlText, body, want, wantBody)
		}
	})
}
