package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden files of check's output")

// checkFixture is a fixture site of testdata/check/sites: its archive
// comment says what it shows, and an "args:" line gives the flags.
type checkFixture struct {
	name string
	dir  string   // the extracted site
	args []string // from the archive's "args:" line
}

func loadCheckFixtures(t *testing.T) []checkFixture {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join("testdata", "check", "sites", "*.txtar"))
	if len(paths) == 0 {
		t.Fatal("no fixtures")
	}
	var out []checkFixture
	for _, p := range paths {
		a, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		fx := checkFixture{name: strings.TrimSuffix(filepath.Base(p), ".txtar"), dir: t.TempDir()}
		for line := range strings.SplitSeq(string(a.Comment), "\n") {
			if args, ok := strings.CutPrefix(line, "args:"); ok {
				fx.args = strings.Fields(args)
			}
		}
		for _, f := range a.Files {
			dst := filepath.Join(fx.dir, filepath.FromSlash(f.Name))
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(dst, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, fx)
	}
	return out
}

// runCommand runs a command and returns its exit code, stdout and stderr.
func runCommand(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestCheckGolden runs check over every fixture site in each output format
// and compares the output with testdata/check/golden. Run
// go test ./generator/internal/cli -update to accept new output.
func TestCheckGolden(t *testing.T) {
	for _, fx := range loadCheckFixtures(t) {
		t.Run(fx.name, func(t *testing.T) {
			var a txtar.Archive
			for _, format := range []string{"text", "json", "github"} {
				args := append([]string{"check", "--source", fx.dir, "--format", format}, fx.args...)
				code, stdout, stderr := runCommand(args...)
				if stderr != "" {
					t.Errorf("%s: stderr: %s", format, stderr)
				}
				stdout = strings.ReplaceAll(stdout, fx.dir, "$SITE")
				a.Files = append(a.Files, txtar.File{Name: fmt.Sprintf("%s (exit %d)", format, code), Data: []byte(stdout)})
				if format == "json" {
					var v map[string]any
					if err := json.Unmarshal([]byte(stdout), &v); err != nil {
						t.Errorf("--format json is not JSON: %v", err)
					}
				}
			}
			got := txtar.Format(&a)
			golden := filepath.Join("testdata", "check", "golden", fx.name+".txtar")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./generator/internal/cli -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run go test ./generator/internal/cli -update to accept):\n%s", golden, diffLines(string(want), string(got)))
			}
		})
	}
}

// TestCheckNoUnusedGolden fails on golden files whose fixture is gone.
func TestCheckNoUnusedGolden(t *testing.T) {
	goldens, _ := filepath.Glob(filepath.Join("testdata", "check", "golden", "*.txtar"))
	for _, g := range goldens {
		site := filepath.Join("testdata", "check", "sites", filepath.Base(g))
		if _, err := os.Stat(site); err != nil {
			t.Errorf("%s has no fixture %s; delete it", g, site)
		}
	}
}

// diffLines shows the first lines that differ, with their line numbers.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %s\n  got  %s\n", i+1, wl, gl)
			shown++
		}
	}
	return b.String()
}

// TestBuildRefusesWhatCheckRefuses builds every fixture after checking it:
// a site that check fails must fail to build with the same problems and
// leave public/ exactly as it was; a site that passes must build, without
// the pages a rule hid.
func TestBuildRefusesWhatCheckRefuses(t *testing.T) {
	for _, fx := range loadCheckFixtures(t) {
		t.Run(fx.name, func(t *testing.T) {
			checkCode, checkOut, _ := runCommand(append([]string{"check", "--source", fx.dir}, fx.args...)...)
			public := filepath.Join(fx.dir, "public")
			if err := os.MkdirAll(filepath.Join(public, "old"), 0o755); err != nil {
				t.Fatal(err)
			}
			sentinel := filepath.Join(public, "old", "index.html")
			if err := os.WriteFile(sentinel, []byte("the last good build"), 0o644); err != nil {
				t.Fatal(err)
			}
			var buildArgs []string
			for _, a := range fx.args {
				if a != "--report" {
					buildArgs = append(buildArgs, a)
				}
			}
			buildCode, _, buildErr := runCommand(append([]string{"build", "--source", fx.dir}, buildArgs...)...)
			if buildCode != checkCode {
				t.Fatalf("check exit %d, build exit %d; want the same\nbuild said:\n%s", checkCode, buildCode, buildErr)
			}
			if checkCode != ExitOK {
				for _, line := range strings.Split(strings.TrimSpace(checkOut), "\n") {
					if !strings.HasPrefix(line, "Checked ") && !strings.Contains(buildErr, line) {
						t.Errorf("check reported %q; build did not", line)
					}
				}
				entries := listFiles(t, public)
				if want := []string{"old/index.html"}; !slices.Equal(entries, want) {
					t.Errorf("public/ after a refused build = %v, want %v (untouched)", entries, want)
				}
				if b, _ := os.ReadFile(sentinel); string(b) != "the last good build" {
					t.Errorf("public/old/index.html = %q, want it untouched", b)
				}
				return
			}
			// Every page a rule hid is missing from the site.
			for _, line := range strings.Split(checkOut, "\n") {
				if !strings.Contains(line, ": hidden: ") {
					continue
				}
				file := line[:strings.Index(line, ":")]
				slug := strings.TrimSuffix(filepath.Base(file), ".md")
				// What the page would show: its name, title or quote.
				src, err := os.ReadFile(filepath.Join(fx.dir, file))
				if err != nil {
					t.Fatal(err)
				}
				var shown []string
				for l := range strings.SplitSeq(string(src), "\n") {
					for _, key := range []string{"name: ", "title: ", "quote: "} {
						if v, ok := strings.CutPrefix(l, key); ok {
							shown = append(shown, v)
						}
					}
				}
				for _, f := range listFiles(t, public) {
					b, err := os.ReadFile(filepath.Join(public, f))
					if err != nil {
						t.Fatal(err)
					}
					if strings.Contains(f, slug) || bytes.Contains(b, []byte("/"+slug+"/")) {
						t.Errorf("hidden page %s is linked or written in the built site: %s", file, f)
					}
					for _, v := range shown {
						if bytes.Contains(b, []byte(v)) {
							t.Errorf("hidden page %s shows in the built site: %s contains %q", file, f, v)
						}
					}
				}
			}
		})
	}
}

func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func TestCheckExample(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	code, stdout, stderr := runCommand("check", "--source", root, "--now", "2026-11-22")
	if code != ExitOK || stderr != "" {
		t.Fatalf("check of the example site: exit %d\n%s%s", code, stdout, stderr)
	}
	if want := "Checked site.yaml and "; !strings.HasPrefix(stdout, want) || !strings.Contains(stdout, ": 0 errors, 0 warnings, 0 hidden pages.") {
		t.Errorf("check of the example site printed %q, want a clean summary", stdout)
	}
	// martin-wyatt's training runs out on 2026-12-06: the report says so,
	// and from the day after, the profile is hidden.
	_, stdout, _ = runCommand("check", "--source", root, "--now", "2026-11-22", "--report")
	if want := `Martin Wyatt (content/supporters/martin-wyatt.md:18:14): rule "training-in-date" fails from 2026-12-07`; !strings.Contains(stdout, want) {
		t.Errorf("report lacks %q:\n%s", want, stdout)
	}
	code, stdout, _ = runCommand("check", "--source", root, "--now", "2026-12-07")
	if code != ExitOK || !strings.Contains(stdout, `content/supporters/martin-wyatt.md:18:14: hidden: training.completed: 2023-12-06 is 3 years before the build date (2026-12-07)`) {
		t.Errorf("check at 2026-12-07: exit %d\n%s", code, stdout)
	}
}

func TestCheckUsage(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"check", "--format", "xml"}, ExitUsage, `generator check: unknown --format "xml" (expected text, json or github)`},
		{[]string{"check", "--now", "soon"}, ExitUsage, `invalid value "soon" for flag -now`},
		{[]string{"check", "extra"}, ExitUsage, `generator check: unexpected argument "extra"`},
		{[]string{"check", "--source", filepath.Join(t.TempDir(), "nowhere")}, ExitContent, "site.yaml: cannot read the site settings: there is no site.yaml here (run the generator in the site's folder, or give --source with that folder)"},
		{[]string{"check", "-h"}, ExitOK, "Usage: generator check"},
		{[]string{"schema", "extra"}, ExitUsage, `generator schema: unexpected argument "extra"`},
		{[]string{"schema", "--draft", "04"}, ExitUsage, `generator schema: unknown --draft "04" (expected 2020-12 or 07)`},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCommand(tt.args...)
		if code != tt.code || !strings.Contains(stderr+stdout, tt.stderr) {
			t.Errorf("%v: exit %d, output %q; want exit %d and %q", tt.args, code, stderr+stdout, tt.code, tt.stderr)
		}
	}
}

func TestGitHubEscaping(t *testing.T) {
	tests := []struct{ in, data, prop string }{
		{"plain", "plain", "plain"},
		{"100% sure", "100%25 sure", "100%25 sure"},
		{"a\nb\r\nc", "a%0Ab%0D%0Ac", "a%0Ab%0D%0Ac"},
		{"sessions[0].start: a, b", "sessions[0].start: a, b", "sessions[0].start%3A a%2C b"},
		{"%0A", "%250A", "%250A"},
	}
	for _, tt := range tests {
		if got := escapeData(tt.in); got != tt.data {
			t.Errorf("escapeData(%q) = %q, want %q", tt.in, got, tt.data)
		}
		if got := escapeProperty(tt.in); got != tt.prop {
			t.Errorf("escapeProperty(%q) = %q, want %q", tt.in, got, tt.prop)
		}
	}
	if got, want := repoPath("sites/wealdshire", "content/x.md"), "sites/wealdshire/content/x.md"; got != want {
		t.Errorf("repoPath = %q, want %q", got, want)
	}
	if got, want := repoPath(".", "content/x.md"), "content/x.md"; got != want {
		t.Errorf("repoPath = %q, want %q", got, want)
	}
}

func TestSchemaCommand(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	out := t.TempDir()
	code, stdout, stderr := runCommand("schema", "--source", root, "--out", out)
	if code != ExitOK || stderr != "" {
		t.Fatalf("schema: exit %d: %s%s", code, stdout, stderr)
	}
	if want := "Wrote 7 of 7 schemas to " + out + "\n"; stdout != want {
		t.Errorf("stdout = %q, want %q", stdout, want)
	}
	var s struct {
		Schema               string   `json:"$schema"`
		Required             []string `json:"required"`
		AdditionalProperties *bool    `json:"additionalProperties"`
		Properties           map[string]struct {
			Type       string   `json:"type"`
			Enum       []string `json:"enum"`
			Pattern    string   `json:"pattern"`
			Properties map[string]struct {
				Type string   `json:"type"`
				Enum []string `json:"enum"`
			} `json:"properties"`
		} `json:"properties"`
	}
	b, err := os.ReadFile(filepath.Join(out, "supporters.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if s.Schema != "https://json-schema.org/draft/2020-12/schema" || s.AdditionalProperties == nil || *s.AdditionalProperties {
		t.Errorf("$schema = %q, additionalProperties = %v", s.Schema, s.AdditionalProperties)
	}
	if got, want := strings.Join(s.Required, ","), "name,role,school,region"; got != want {
		t.Errorf("required = %s, want %s", got, want)
	}
	if got := strings.Join(s.Properties["region"].Enum, ","); got != "north,south,east,west,city" {
		t.Errorf("region enum = %s, want the site's regions", got)
	}
	if got := s.Properties["headship_since"]; got.Type != "string" || got.Pattern == "" {
		t.Errorf("headship_since = %+v, want a string with a date pattern", got)
	}
	if got := strings.Join(s.Properties["availability"].Enum, ","); got != "available,limited,unavailable" {
		t.Errorf("availability enum = %s", got)
	}
	if got := s.Properties["school"].Properties["type"]; got.Type != "string" || !slices.Contains(got.Enum, "federation") {
		t.Errorf("school.type = %+v", got)
	}
	for _, name := range []string{"home", "networks", "training", "testimonials", "news", "pages"} {
		if _, err := os.Stat(filepath.Join(out, name+".schema.json")); err != nil {
			t.Error(err)
		}
	}
	// --draft 07 declares draft-07 and changes nothing else.
	out07 := t.TempDir()
	if code, _, stderr := runCommand("schema", "--source", root, "--out", out07, "--draft", "07"); code != ExitOK {
		t.Fatalf("schema --draft 07: %s", stderr)
	}
	b07, _ := os.ReadFile(filepath.Join(out07, "supporters.schema.json"))
	if got := strings.Replace(string(b07), "http://json-schema.org/draft-07/schema#", "https://json-schema.org/draft/2020-12/schema", 1); got != string(b) {
		t.Errorf("--draft 07 schema differs from the 2020-12 one beyond $schema:\n%s", b07)
	}
	// A second run changes nothing.
	if _, stdout, _ := runCommand("schema", "--source", root, "--out", out); stdout != "Wrote 0 of 7 schemas to "+out+"\n" {
		t.Errorf("second run: %q", stdout)
	}
	// The committed schemas are those of the example's site.yaml.
	for _, name := range []string{"home", "networks", "supporters", "training", "testimonials", "news", "pages"} {
		fresh, _ := os.ReadFile(filepath.Join(out, name+".schema.json"))
		committed, err := os.ReadFile(filepath.Join(root, "schemas", name+".schema.json"))
		if err != nil {
			t.Errorf("%v (run go run ./generator schema)", err)
			continue
		}
		if !bytes.Equal(fresh, committed) {
			t.Errorf("schemas/%s.schema.json is out of date (run go run ./generator schema)", name)
		}
	}
}
