package cli

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	_ "time/tzdata" // Europe/London on hosts without a zoneinfo database
)

// runCLI runs the command line and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// testSite is a small valid site.
var testSite = map[string]string{
	"site.yaml": `title: Fixture Peer Support
base_url: https://fixture.example.org/
vocabularies:
  streams:
    rural: Rural
  regions:
    north: North
`,
	"content/_index.md": "---\ntitle: Welcome\n---\nHello.\n",
	"content/networks/north.md": `---
title: North network
stream: rural
regions: [north]
---
A network.
`,
	"content/supporters/jo-evans.md": `---
name: Jo Evans
role: Headteacher
school:
  name: North School
region: north
networks: [north]
---
Jo's profile.
`,
	"content/training/intro.md": `---
title: Intro
sessions:
  - start: "2027-01-20 09:30"
    location:
      name: Education Centre
      address: 1 High Street
---
A course.
`,
	"content/pages/about.md":  "---\ntitle: About\n---\nAbout [us](/networks/).\n",
	"content/pages/draft.md":  "---\ntitle: Draft page\ndraft: true\n---\nNot yet.\n",
	"content/news/hello.md":   "---\ntitle: Hello\ndate: 2026-11-01\n---\nNews.\n",
	"layouts/partials/x.html": `{{define "x"}}{{end}}`,
}

// writeTree writes files below a new temporary directory and returns it.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// testSiteWith returns testSite with some files replaced or added.
func testSiteWith(files map[string]string) map[string]string {
	out := maps.Clone(testSite)
	maps.Copy(out, files)
	return out
}

// listTree lists the files below dir, slash-separated, sorted.
func listTree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRunUsage(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     []string // substrings of stdout
		stderr     []string // substrings of stderr
		emptyOut   bool
		emptyErrIO bool
	}{
		{name: "no args", args: nil, code: ExitUsage, stderr: []string{"Usage:", "generator <command>", "build", "version"}, emptyOut: true},
		{name: "unknown command", args: []string{"frobnicate"}, code: ExitUsage, stderr: []string{`unknown command "frobnicate"`, "Usage:"}, emptyOut: true},
		{name: "flag as command", args: []string{"--source", "."}, code: ExitUsage, stderr: []string{`unknown command "--source"`}, emptyOut: true},
		{name: "help", args: []string{"help"}, code: ExitOK, stdout: []string{"Usage:", "build", "version"}, emptyErrIO: true},
		{name: "-h", args: []string{"-h"}, code: ExitOK, stdout: []string{"Usage:"}, emptyErrIO: true},
		{name: "--help", args: []string{"--help"}, code: ExitOK, stdout: []string{"Usage:"}, emptyErrIO: true},
		{name: "version", args: []string{"version"}, code: ExitOK, stdout: []string{"peerpress "}, emptyErrIO: true},
		{name: "version extra", args: []string{"version", "now"}, code: ExitUsage, stderr: []string{`unexpected argument "now"`}, emptyOut: true},
		{name: "version -h", args: []string{"version", "-h"}, code: ExitOK, stderr: []string{"Usage: generator version"}, emptyOut: true},
		{name: "build -h", args: []string{"build", "-h"}, code: ExitOK,
			stderr: []string{"Usage: generator build", "-source", "-destination", "-drafts", "-base-url", "-now"}, emptyOut: true},
		{name: "build --help", args: []string{"build", "--help"}, code: ExitOK, stderr: []string{"-destination"}, emptyOut: true},
		{name: "build --bogus", args: []string{"build", "--bogus"}, code: ExitUsage, stderr: []string{"flag provided but not defined: -bogus", "Usage: generator build"}, emptyOut: true},
		{name: "build extra arg", args: []string{"build", "extra-arg"}, code: ExitUsage, stderr: []string{`generator build: unexpected argument "extra-arg"`, "Usage: generator build"}, emptyOut: true},
		{name: "build arg after flags", args: []string{"build", "--drafts", "site"}, code: ExitUsage, stderr: []string{`unexpected argument "site"`}, emptyOut: true},
		{name: "build --now yesterday", args: []string{"build", "--now", "yesterday"}, code: ExitUsage,
			stderr: []string{`invalid value "yesterday" for flag -now`, "expected a date (2026-11-22) or an RFC 3339 time"}, emptyOut: true},
		{name: "build --now with a bad day", args: []string{"build", "--now", "2026-02-30"}, code: ExitUsage, stderr: []string{"-now"}, emptyOut: true},
		{name: "build --now missing value", args: []string{"build", "--now"}, code: ExitUsage, stderr: []string{"flag needs an argument: -now"}, emptyOut: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.args...)
			if code != tt.code {
				t.Errorf("Run(%q) = %d, want %d (stderr %q)", tt.args, code, tt.code, stderr)
			}
			for _, w := range tt.stdout {
				if !strings.Contains(stdout, w) {
					t.Errorf("Run(%q) stdout = %q, want it to contain %q", tt.args, stdout, w)
				}
			}
			for _, w := range tt.stderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("Run(%q) stderr = %q, want it to contain %q", tt.args, stderr, w)
				}
			}
			if tt.emptyOut && stdout != "" {
				t.Errorf("Run(%q) stdout = %q, want nothing", tt.args, stdout)
			}
			if tt.emptyErrIO && stderr != "" {
				t.Errorf("Run(%q) stderr = %q, want nothing", tt.args, stderr)
			}
		})
	}
}

// builtLine is the line a successful build prints.
var builtLine = regexp.MustCompile(`^Built (\d+) pages \((\d+) files\) in [0-9.]+[µnm]?s into (.+)\n$`)

func TestRunBuild(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		flags []string
		// want are files that must be written, with a substring of each.
		want map[string]string
		// absent are files that must not be written.
		absent []string
	}{
		{
			name:  "fixture",
			files: testSite,
			flags: []string{"--now", "2026-11-22"},
			want: map[string]string{
				"index.html":                     "Fixture Peer Support",
				"404.html":                       "noindex",
				"supporters/jo-evans/index.html": "Jo Evans",
				"networks/north/index.html":      "North network",
				"training/intro/index.html":      "Intro",
				"about/index.html":               `href="/networks/"`,
				"sitemap.xml":                    "https://fixture.example.org/about/",
				"robots.txt":                     "Sitemap: https://fixture.example.org/sitemap.xml",
			},
			absent: []string{"draft/index.html"},
		},
		{
			name:  "drafts",
			files: testSite,
			flags: []string{"--now", "2026-11-22", "--drafts"},
			want:  map[string]string{"draft/index.html": "Draft page"},
		},
		{
			name:  "base url",
			files: testSite,
			flags: []string{"--now", "2026-11-22", "--base-url", "https://example.org/peer"},
			want: map[string]string{
				"about/index.html": `href="/peer/networks/"`,
				"sitemap.xml":      "https://example.org/peer/about/",
			},
		},
		{
			name:  "now as an RFC 3339 time",
			files: testSite,
			flags: []string{"--now", "2026-11-22T09:00:00Z"},
			want:  map[string]string{"index.html": "Fixture Peer Support"},
		},
		{
			// The session is on 20 January 2027: on 21 January it is past.
			name:  "now after the last session",
			files: testSite,
			flags: []string{"--now", "2027-01-21"},
			want:  map[string]string{"training/intro/index.html": "Intro"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := writeTree(t, tt.files)
			dest := filepath.Join(t.TempDir(), "out")
			args := append([]string{"build", "--source", src, "--destination", dest}, tt.flags...)
			code, stdout, stderr := runCLI(t, args...)
			if code != ExitOK {
				t.Fatalf("Run(%q) = %d, want %d (stderr %q)", args, code, ExitOK, stderr)
			}
			if stderr != "" {
				t.Errorf("Run(%q) stderr = %q, want nothing", args, stderr)
			}
			m := builtLine.FindStringSubmatch(stdout)
			if m == nil {
				t.Fatalf("Run(%q) stdout = %q, want %q", args, stdout, builtLine)
			}
			pages, _ := strconv.Atoi(m[1])
			files, _ := strconv.Atoi(m[2])
			if m[3] != dest {
				t.Errorf("Run(%q) summary destination = %q, want %q", args, m[3], dest)
			}
			written := listTree(t, dest)
			if files != len(written) {
				t.Errorf("Run(%q) summary = %d files, want %d (written %q)", args, files, len(written), written)
			}
			html := 0
			for _, f := range written {
				if strings.HasSuffix(f, ".html") {
					html++
				}
			}
			if pages == 0 || pages != html {
				t.Errorf("Run(%q) summary = %d pages, want %d (the HTML files written)", args, pages, html)
			}
			for name, part := range tt.want {
				b, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(name)))
				if err != nil {
					t.Errorf("Run(%q): %v", args, err)
					continue
				}
				if !strings.Contains(string(b), part) {
					t.Errorf("Run(%q) wrote %s = %q, want it to contain %q", args, name, b, part)
				}
			}
			for _, name := range tt.absent {
				if slices.Contains(written, name) {
					t.Errorf("Run(%q) wrote %s, want it left out", args, name)
				}
			}
		})
	}
}

func TestRunBuildErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		flags []string
		code  int
		// stderr are lines stderr must have, in order.
		stderr []string
	}{
		{
			name: "content error",
			files: testSiteWith(map[string]string{"content/supporters/jo-evans.md": `---
name: Jo Evans
role: Headteacher
school:
  name: North School
region: nowhere
---
`}),
			code: ExitContent,
			stderr: []string{
				`content/supporters/jo-evans.md:6:9: region: "nowhere" is not in site.yaml vocabularies.regions (expected one of: north)`,
				"1 error, 0 warnings: nothing was written, public/ is as it was",
			},
		},
		{
			name: "two content errors",
			files: testSiteWith(map[string]string{
				"content/news/hello.md":   "---\ntitle: Hello\n---\nNo date.\n",
				"content/pages/about.md":  "---\ntitle: About\nweight: heavy\n---\n",
				"content/pages/draft.md":  "---\ntitle: Draft\ndraft: true\nweight: x\n---\n",
				"content/pages/unused.md": "---\ntitle: Unused\n---\n",
			}),
			code: ExitContent,
			stderr: []string{
				"content/news/hello.md:1:1: date: required field is missing (news posts need a publication date)",
				`content/pages/about.md:3:9: weight: "heavy" is not a whole number`,
				`content/pages/draft.md:4:9: warning: weight: "x" is not a whole number`,
				"2 errors, 1 warning: nothing was written, public/ is as it was",
			},
		},
		{
			name:   "settings error",
			files:  testSiteWith(map[string]string{"site.yaml": "title: X\nbase_url: ftp://x.org/\nvocabularies:\n  streams: {a: A}\n  regions: {b: B}\n"}),
			code:   ExitContent,
			stderr: []string{`site.yaml:2:11: base_url: "ftp://x.org/" is not an absolute http(s) URL`},
		},
		{
			name:   "layout error",
			files:  testSiteWith(map[string]string{"layouts/page.html": "{{define \"main\"}}\n{{if}}\n{{end}}\n"}),
			code:   ExitContent,
			stderr: []string{"layouts/page.html:2: missing value for if"},
		},
		{
			name:   "no site",
			files:  map[string]string{"README.md": "not a site"},
			code:   ExitContent,
			stderr: []string{"site.yaml: cannot read the site settings"},
		},
		{
			name:   "bad base url",
			files:  testSite,
			flags:  []string{"--base-url", "not-a-url"},
			code:   ExitUsage,
			stderr: []string{`generator build: --base-url "not-a-url" is not an absolute http(s) URL`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := writeTree(t, tt.files)
			parent := t.TempDir()
			dest := filepath.Join(parent, "out")
			if err := os.MkdirAll(dest, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dest, "old.html"), []byte("last good build"), 0o644); err != nil {
				t.Fatal(err)
			}
			args := append([]string{"build", "--source", src, "--destination", dest, "--now", "2026-11-22"}, tt.flags...)
			code, stdout, stderr := runCLI(t, args...)
			if code != tt.code {
				t.Errorf("Run(%q) = %d, want %d (stderr %q)", args, code, tt.code, stderr)
			}
			if stdout != "" {
				t.Errorf("Run(%q) stdout = %q, want nothing", args, stdout)
			}
			lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			i := 0
			for _, line := range lines {
				if i < len(tt.stderr) && strings.HasPrefix(line, tt.stderr[i]) {
					i++
				}
			}
			if i < len(tt.stderr) {
				t.Errorf("Run(%q) stderr = %q, want a line starting %q", args, stderr, tt.stderr[i])
			}
			// Nothing is written: the last build stays as it was, and no
			// temporary directory is left beside it.
			if got := listTree(t, parent); !slices.Equal(got, []string{"out/old.html"}) {
				t.Errorf("Run(%q) left %q, want only out/old.html", args, got)
			}
		})
	}
}

// TestRunBuildExample builds the repository's own site.
func TestRunBuildExample(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	args := []string{"build", "--source", filepath.Join("..", "..", ".."), "--destination", dest, "--now", "2026-11-22"}
	code, stdout, stderr := runCLI(t, args...)
	if code != ExitOK {
		t.Fatalf("Run(%q) = %d, want %d\nstderr:\n%s", args, code, ExitOK, stderr)
	}
	if !builtLine.MatchString(stdout) {
		t.Errorf("Run(%q) stdout = %q, want %q", args, stdout, builtLine)
	}
	for _, name := range []string{"index.html", "404.html", "sitemap.xml", "robots.txt", "supporters/index.html"} {
		if _, err := os.Stat(filepath.Join(dest, name)); err != nil {
			t.Errorf("Run(%q): %v", args, err)
		}
	}
}

// TestRunBuildStats checks that `build --stats` prints every phase with
// its wall and CPU time, the background phase marked as such, and the
// layouts that rendered pages.
func TestRunBuildStats(t *testing.T) {
	src := writeTree(t, testSite)
	args := []string{"build", "--source", src, "--destination", filepath.Join(t.TempDir(), "out"), "--now", "2026-11-22", "--stats"}
	code, stdout, stderr := runCLI(t, args...)
	if code != ExitOK {
		t.Fatalf("Run(%q) = %d, want %d (stderr %q)", args, code, ExitOK, stderr)
	}
	// A phase's line: its name, its wall time and share, and its CPU time.
	phase := regexp.MustCompile(`(?m)^(\S+(?: \S+)*?)\s+([0-9.]+[µm]?s)\s+([0-9.]+)%\s+([0-9.]+[µm]?s)$`)
	var names []string
	for _, m := range phase.FindAllStringSubmatch(stdout, -1) {
		names = append(names, m[1])
	}
	for _, want := range []string{"load", "validate", "assemble", "search index", "render pages", "swap into place"} {
		if !slices.Contains(names, want) {
			t.Errorf("Run(%q) printed phases %q, want %q among them with wall time, share and CPU time\nstdout:\n%s", args, names, want, stdout)
		}
	}
	for _, want := range []string{"phase", "time", "share", "cpu", "(in the background)", "\ntotal ", "\nsupporter "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("Run(%q) stdout lacks %q\nstdout:\n%s", args, want, stdout)
		}
	}
}
