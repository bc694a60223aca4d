package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/content"
	"peerpress/generator/internal/decode"
	"peerpress/generator/internal/schema"
)

// TestNew writes a file of every type into the example site's settings and
// checks that it parses with only the problems of required fields the editor
// has yet to fill in, and that every field of the type appears.
func TestNew(t *testing.T) {
	tests := []struct {
		typ, title, file string
		// problems are the "field: message" parts Parse reports.
		problems []string
	}{
		{"network", "Fenland Rural Heads", "content/networks/fenland-rural-heads.md", []string{"stream: required field is empty"}},
		{"supporter", "Jo Évans", "content/supporters/jo-evans.md", []string{"school.name: required field is empty", "role: required field is empty", "region: required field is empty"}},
		{"course", "Coaching skills", "content/training/coaching-skills.md", nil},
		{"training", "Second course", "content/training/second-course.md", nil},
		{"testimonial", "It helped me: truly.", "content/testimonials/it-helped-me-truly.md", []string{"attribution: required field is empty"}},
		{"news", "Dates for \"2027\"", "content/news/dates-for-2027.md", nil},
		{"page", "Privacy notice", "content/pages/privacy-notice.md", nil},
	}
	src := t.TempDir()
	site, err := os.ReadFile("../../../site.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "site.yaml"), site, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, diags := config.Load(os.DirFS(src))
	if diags.Err() != nil {
		t.Fatal(diags.Err())
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "new", "--source", src, "--now", "2026-11-22", tt.typ, tt.title)
			if code != ExitOK || stdout != "Wrote "+tt.file+"\n" {
				t.Fatalf("new %s %q = %d, %q, %q; want 0 and Wrote %s", tt.typ, tt.title, code, stdout, stderr, tt.file)
			}
			b, err := os.ReadFile(filepath.Join(src, filepath.FromSlash(tt.file)))
			if err != nil {
				t.Fatal(err)
			}
			p := content.Parse(tt.file, b, cfg)
			var got []string
			for _, d := range p.Diags {
				got = append(got, d.Field+": "+d.Msg)
			}
			if !slices.Equal(got, tt.problems) {
				t.Errorf("Parse of the new file: problems %q, want %q\n%s", got, tt.problems, b)
			}
			if p.Meta.Title == "" && p.Section != content.Testimonials {
				t.Errorf("title not filled in:\n%s", b)
			}
			if !p.Meta.Draft {
				t.Errorf("a new page is not a draft")
			}
			for _, f := range decode.FieldsOf(schema.SectionType(p.Section)) {
				if !strings.Contains(string(b), f.Key+":") {
					t.Errorf("field %s missing from\n%s", f.Key, b)
				}
			}
			if !strings.Contains(string(b), "2026-11-22") {
				t.Errorf("no date from --now in\n%s", b)
			}

			// A second run refuses to replace the file.
			code, _, stderr = runCLI(t, "new", "--source", src, tt.typ, tt.title)
			if code != ExitContent || !strings.Contains(stderr, tt.file+" already exists") {
				t.Errorf("second new = %d, %q; want 1 and already exists", code, stderr)
			}
			if after, _ := os.ReadFile(filepath.Join(src, filepath.FromSlash(tt.file))); string(after) != string(b) {
				t.Errorf("second new changed the file")
			}
		})
	}
}

// TestNewUncommented checks that removing every "# " from a new course's
// field lines still gives front matter that parses: the comments sit at the
// right indentation.
func TestNewUncommented(t *testing.T) {
	cfg, diags := config.Parse([]byte("title: T\nbase_url: https://x.example/\nvocabularies:\n  streams: {s: S}\n  regions: {r: R}\n  audiences: {heads: Heads}\n  school_types: {academy: Academy}\n  phases: {primary: Primary}\n  inspection_grades: {good: Good}\n  skills: {coaching: Coaching}\n"))
	if diags.Err() != nil {
		t.Fatal(diags.Err())
	}
	for _, sec := range content.Sections {
		b := Scaffold(sec, "Title", decode.Date{Year: 2026, Month: 11, Day: 22}, cfg)
		var lines []string
		for l := range strings.Lines(string(b)) {
			trimmed := strings.TrimLeft(l, " ")
			indent := l[:len(l)-len(trimmed)]
			// Field lines ("# key:" or "# - key:") are uncommented; prose
			// comments stay.
			if rest, ok := strings.CutPrefix(trimmed, "# "); ok && isFieldLine(rest) {
				l = indent + rest
			}
			lines = append(lines, l)
		}
		out := strings.Join(lines, "")
		p := content.Parse("content/"+string(sec)+"/title.md", []byte(out), cfg)
		for _, d := range p.Diags {
			if !strings.Contains(d.Msg, "required field is empty") {
				t.Errorf("%s uncommented: %s\n%s", sec, d.Error(), out)
			}
		}
	}
}

func isFieldLine(s string) bool {
	s = strings.TrimPrefix(s, "- ")
	s = strings.TrimLeft(s, " ")
	k, _, ok := strings.Cut(s, ":")
	return ok && k != "" && !strings.ContainsAny(k, " .()") && strings.ToLower(k) == k
}

func TestNewUsage(t *testing.T) {
	src := t.TempDir()
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"new"}, ExitUsage, "expected a type and a title"},
		{[]string{"new", "supporter"}, ExitUsage, "expected a type and a title"},
		{[]string{"new", "robot", "X"}, ExitUsage, `unknown type "robot"`},
		{[]string{"new", "page", "!!!"}, ExitUsage, "no letters or digits"},
		{[]string{"new", "--source", src, "page", "About"}, ExitContent, "site.yaml"},
		{[]string{"new", "-h"}, ExitOK, "Usage: generator new"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%q = %d, %q; want %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
}

// TestNewFilledIn checks that a new file of each type passes every check of
// a page alone (schema.CheckPage, without site.yaml's rules) once the
// editor fills in the fields the scaffold leaves empty and removes draft:
// a course's session, for instance, comes with the place it needs.
func TestNewFilledIn(t *testing.T) {
	cfg, diags := config.Parse([]byte("title: T\nbase_url: https://x.example/\nvocabularies:\n  streams: {s: S}\n  regions: {r: R}\n"))
	if diags.Err() != nil {
		t.Fatal(diags.Err())
	}
	// fill maps a line of a scaffold, without its indentation, to what the
	// editor writes there.
	fill := map[string]string{
		"role:":            "role: Headteacher",
		"name:":            "name: North School",
		"region:":          "region: r",
		"stream:":          "stream: s",
		"attribution:":     "attribution: A head",
		`name: ""`:         "name: Education Centre",
		"# consent: false": "consent: true",
		"draft: true":      "draft: false",
	}
	for _, sec := range content.Sections {
		t.Run(string(sec), func(t *testing.T) {
			b := Scaffold(sec, "Title", decode.Date{Year: 2026, Month: 11, Day: 22}, cfg)
			var lines []string
			for l := range strings.Lines(string(b)) {
				trimmed := strings.TrimLeft(l, " ")
				if v, ok := fill[strings.TrimRight(trimmed, "\n")]; ok {
					l = l[:len(l)-len(trimmed)] + v + "\n"
				}
				lines = append(lines, l)
			}
			out := strings.Join(lines, "")
			p := content.Parse("content/"+string(sec)+"/title.md", []byte(out), cfg)
			all := append(p.Diags, schema.CheckPage(p, cfg, schema.Options{})...)
			for _, d := range all {
				t.Errorf("filled-in %s: %s\n%s", sec, d.Error(), out)
			}
		})
	}
}

// TestNewReservedPage checks that new refuses a free page whose address
// the site already uses, rather than writing a file check then rejects.
func TestNewReservedPage(t *testing.T) {
	src := t.TempDir()
	site, err := os.ReadFile("../../../site.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "site.yaml"), site, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		typ, title string
		code       int
		want       string
	}{
		{"page", "News", ExitContent, `a free page may not be called "news"`},
		{"page", "Search", ExitContent, `a free page may not be called "search"`},
		{"news", "News", ExitOK, "Wrote content/news/news.md"},
		{"page", "News and views", ExitOK, "Wrote content/pages/news-and-views.md"},
	}
	for _, tt := range tests {
		t.Run(tt.typ+" "+tt.title, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "new", "--source", src, tt.typ, tt.title)
			if code != tt.code || !strings.Contains(stdout+stderr, tt.want) {
				t.Errorf("new %s %q = %d, %q%q; want %d and %q", tt.typ, tt.title, code, stdout, stderr, tt.code, tt.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(src, "content", "pages", "news.md")); err == nil {
		t.Errorf("content/pages/news.md was written")
	}
}
