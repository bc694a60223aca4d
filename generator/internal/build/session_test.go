package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"peerpress/generator/internal/diag"
)

// copyExample copies the repository's example site into a new directory.
func copyExample(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	root := exampleSite
	for _, name := range []string{"site.yaml", "content", "layouts", "static"} {
		src := filepath.Join(root, name)
		if _, err := os.Stat(src); errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err := os.CopyFS(filepath.Join(dir, name), os.DirFS(src)); err != nil {
			if name == "site.yaml" {
				b, err := os.ReadFile(src)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			t.Fatal(err)
		}
	}
	return dir
}

func sessionOptions(dir string) Options {
	return Options{Source: dir, Now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), NowIsDate: true}
}

// edit rewrites a file of the site with f applied to its text.
func edit(t *testing.T, dir, name string, f func(string) string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	b, err := os.ReadFile(p)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(f(string(b))), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sameAsFullBuild checks that an updated snapshot holds exactly what a
// session built from nothing holds: rendering only some outputs must never
// leave one stale.
func sameAsFullBuild(t *testing.T, dir string, got *Snapshot) {
	t.Helper()
	want, err := NewSession(sessionOptions(dir)).Update(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, sn := range []*Snapshot{got, want} {
		if err := sn.Complete(); err != nil {
			t.Fatal(err)
		}
	}
	all := func(sn *Snapshot) map[string][]byte {
		m := map[string][]byte{}
		for p, b := range sn.files {
			m[p] = b
		}
		for p, b := range sn.extra {
			m[p] = b
		}
		return m
	}
	if g, w := fmt.Sprint(got.Diags), fmt.Sprint(want.Diags); g != w {
		t.Errorf("warnings differ from a full build's:\n%s\nwant\n%s", g, w)
	}
	g, w := all(got), all(want)
	for p, b := range w {
		if gb, ok := g[p]; !ok {
			t.Errorf("%s: missing after the update", p)
		} else if !bytes.Equal(gb, b) {
			t.Errorf("%s: differs from a full build", p)
		}
	}
	for p := range g {
		if _, ok := w[p]; !ok {
			t.Errorf("%s: left over after the update", p)
		}
	}
}

// pagesWithLayout lists the outputs of the current snapshot rendered with
// layout.
func pagesWithLayout(sn *Snapshot, layout string) []string {
	var out []string
	for _, o := range sn.site.Outputs() {
		if o.Layout == layout {
			out = append(out, o.Path)
		}
	}
	slices.Sort(out)
	return out
}

func TestSessionRendersOnlyWhatAChangeAffects(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		change func(t *testing.T, dir string) []string
		// check looks at what the update rendered again.
		check func(t *testing.T, sn *Snapshot, total int)
	}{{
		name: "content: a supporter's body",
		change: func(t *testing.T, dir string) []string {
			edit(t, dir, "content/supporters/helen-marsh.md", func(s string) string { return s + "\nShe also mentors new business managers.\n" })
			return []string{"content/supporters/helen-marsh.md"}
		},
		check: func(t *testing.T, sn *Snapshot, total int) {
			mustRender(t, sn, "supporters/helen-marsh/index.html")
			mustNotRender(t, sn, "supporters/james-orton/index.html", "news/index.html", "about/index.html")
			t.Logf("rendered %d of %d: %v", len(sn.Rendered), total, sn.Rendered)
			if len(sn.Rendered) > total/4 {
				t.Errorf("rendered %d of %d pages for one body edit: %v", len(sn.Rendered), total, sn.Rendered)
			}
			if !bytes.Contains(sn.files["supporters/helen-marsh/index.html"], []byte("business managers")) {
				t.Error("the edited page does not show the edit")
			}
		},
	}, {
		name: "content: saved through a temporary file, as sed -i and some editors do",
		change: func(t *testing.T, dir string) []string {
			edit(t, dir, "content/supporters/helen-marsh.md", func(s string) string { return s + "\nShe also mentors new business managers.\n" })
			return []string{"content/supporters/sedX4k2Qz", "content/supporters/4913", "content/supporters/helen-marsh.md"}
		},
		check: func(t *testing.T, sn *Snapshot, total int) {
			mustRender(t, sn, "supporters/helen-marsh/index.html")
			if len(sn.Rendered) > total/4 {
				t.Errorf("rendered %d of %d pages: the temporary files made a full rebuild", len(sn.Rendered), total)
			}
		},
	}, {
		name: "content: a supporter's name, which the request form lists",
		change: func(t *testing.T, dir string) []string {
			edit(t, dir, "content/supporters/helen-marsh.md", func(s string) string { return strings.Replace(s, "name: Helen Marsh", "name: Helen Marsh-Carter", 1) })
			return []string{"content/supporters/helen-marsh.md"}
		},
		check: func(t *testing.T, sn *Snapshot, total int) {
			mustRender(t, sn, "supporters/helen-marsh/index.html", "forms/request-support/index.html")
			if !bytes.Contains(sn.files["forms/request-support/index.html"], []byte("Helen Marsh-Carter")) {
				t.Error("the request form does not list the new name")
			}
		},
	}, {
		name: "layout: the supporter layout",
		change: func(t *testing.T, dir string) []string {
			b, err := os.ReadFile("../layout/theme/layouts/supporter.html")
			if err != nil {
				t.Fatal(err)
			}
			edit(t, dir, "layouts/supporter.html", func(string) string {
				return strings.Replace(string(b), "{{define \"main\"}}", "{{define \"main\"}}<p class=\"ribbon\">Preview</p>", 1)
			})
			return []string{"layouts/supporter.html"}
		},
		check: func(t *testing.T, sn *Snapshot, total int) {
			if want := pagesWithLayout(sn, "supporter"); !slices.Equal(sn.Rendered, want) {
				t.Errorf("rendered %v\nwant the supporter pages %v", sn.Rendered, want)
			}
			if !bytes.Contains(sn.files["supporters/helen-marsh/index.html"], []byte(`class="ribbon"`)) {
				t.Error("the supporter page does not show the new layout")
			}
		},
	}, {
		name: "layout: a partial every page uses",
		change: func(t *testing.T, dir string) []string {
			edit(t, dir, "layouts/partials/footer.html", func(s string) string { return strings.Replace(s, "</footer>", "<p>Draft preview</p></footer>", 1) })
			return []string{"layouts/partials/footer.html"}
		},
		check: func(t *testing.T, sn *Snapshot, total int) {
			if len(sn.Rendered) != total {
				t.Errorf("rendered %d of %d pages after the footer changed", len(sn.Rendered), total)
			}
		},
	}, {
		name: "config: site.yaml",
		change: func(t *testing.T, dir string) []string {
			edit(t, dir, "site.yaml", func(s string) string { return s + "\n# a comment\n" })
			return []string{"site.yaml"}
		},
		check: func(t *testing.T, sn *Snapshot, total int) {
			if len(sn.Rendered) != total {
				t.Errorf("rendered %d of %d pages after site.yaml changed", len(sn.Rendered), total)
			}
		},
	}, {
		name: "file added: a news post",
		change: func(t *testing.T, dir string) []string {
			edit(t, dir, "content/news/new-term-dates.md", func(string) string {
				return "---\ntitle: New term dates\ndate: 2026-11-20\nsummary: Dates for the spring term's network meetings.\n---\nThe spring term's meetings are now set.\n"
			})
			return []string{"content/news/new-term-dates.md"}
		},
		check: func(t *testing.T, sn *Snapshot, total int) {
			mustRender(t, sn, "news/new-term-dates/index.html", "news/index.html")
			mustNotRender(t, sn, "supporters/helen-marsh/index.html", "networks/index.html")
		},
	}, {
		name: "file removed: a testimonial",
		change: func(t *testing.T, dir string) []string {
			entries, err := os.ReadDir(filepath.Join(dir, "content", "testimonials"))
			if err != nil || len(entries) == 0 {
				t.Fatal("no testimonials", err)
			}
			name := "content/testimonials/" + entries[0].Name()
			if err := os.Remove(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
				t.Fatal(err)
			}
			return []string{name}
		},
		check: func(t *testing.T, sn *Snapshot, total int) {
			mustRender(t, sn, "testimonials/index.html")
			mustNotRender(t, sn, "news/index.html", "supporters/index.html")
		},
	}, {
		name: "file renamed: a news post",
		change: func(t *testing.T, dir string) []string {
			entries, err := os.ReadDir(filepath.Join(dir, "content", "news"))
			if err != nil || len(entries) == 0 {
				t.Fatal("no news", err)
			}
			old := "content/news/" + entries[0].Name()
			if err := os.Rename(filepath.Join(dir, filepath.FromSlash(old)), filepath.Join(dir, "content", "news", "renamed-post.md")); err != nil {
				t.Fatal(err)
			}
			return []string{old, "content/news/renamed-post.md"}
		},
		check: func(t *testing.T, sn *Snapshot, total int) {
			mustRender(t, sn, "news/renamed-post/index.html", "news/index.html")
			mustNotRender(t, sn, "supporters/helen-marsh/index.html")
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyExample(t)
			s := NewSession(sessionOptions(dir))
			first, err := s.Update(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(first.Rendered) != first.Pages {
				t.Fatalf("the first build rendered %d of %d pages", len(first.Rendered), first.Pages)
			}
			sn, err := s.Update(ctx, tt.change(t, dir))
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, sn, sn.Pages)
			sameAsFullBuild(t, dir, sn)
		})
	}
}

func mustRender(t *testing.T, sn *Snapshot, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if !slices.Contains(sn.Rendered, p) {
			t.Errorf("%s was not rendered again; rendered: %v", p, sn.Rendered)
		}
	}
}

func mustNotRender(t *testing.T, sn *Snapshot, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if slices.Contains(sn.Rendered, p) {
			t.Errorf("%s was rendered again though the change cannot affect it", p)
		}
	}
}

func TestSessionKeepsTheLastGoodBuildOnErrors(t *testing.T) {
	ctx := context.Background()
	dir := copyExample(t)
	s := NewSession(sessionOptions(dir))
	good, err := s.Update(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	page := "supporters/helen-marsh/index.html"
	before := good.files[page]
	edit(t, dir, "content/supporters/helen-marsh.md", func(s string) string {
		return strings.Replace(s, "region:", "regoin:", 1)
	})
	_, err = s.Update(ctx, []string{"content/supporters/helen-marsh.md"})
	var ce *ContentError
	if !errors.As(err, &ce) {
		t.Fatalf("got %v, want a content error", err)
	}
	found := false
	for _, d := range ce.Diags {
		if d.Severity == diag.Error && d.Pos.File == "content/supporters/helen-marsh.md" && d.Pos.Line > 0 {
			found = true
		}
	}
	if !found {
		t.Errorf("no error at the edited file's line: %v", ce.Diags)
	}
	if s.Current() != good || !bytes.Equal(s.Current().files[page], before) {
		t.Error("the last good build was not kept")
	}
	// Fixing the file builds again.
	edit(t, dir, "content/supporters/helen-marsh.md", func(s string) string {
		return strings.Replace(s, "regoin:", "region:", 1)
	})
	if _, err := s.Update(ctx, []string{"content/supporters/helen-marsh.md"}); err != nil {
		t.Fatal(err)
	}
	sameAsFullBuild(t, dir, s.Current())
}

// TestSessionChecksLinks checks that an edit adding a broken link, and the
// removal of a page other pages link to, fail at the link's line.
func TestSessionChecksLinks(t *testing.T) {
	ctx := context.Background()
	dir := copyExample(t)
	s := NewSession(sessionOptions(dir))
	if _, err := s.Update(ctx, nil); err != nil {
		t.Fatal(err)
	}
	linkError := func(err error, file string) {
		t.Helper()
		var ce *ContentError
		if !errors.As(err, &ce) {
			t.Fatalf("got %v, want a broken link in %s", err, file)
		}
		for _, d := range ce.Diags {
			if d.Pos.File == file && d.Pos.Line > 0 && strings.Contains(d.Msg, "points nowhere") {
				return
			}
		}
		t.Fatalf("no broken link reported in %s: %v", file, ce.Diags)
	}
	name := "content/supporters/helen-marsh.md"
	edit(t, dir, name, func(s string) string { return s + "\nSee [the old guide](/no-such-page/).\n" })
	_, err := s.Update(ctx, []string{name})
	linkError(err, name)
	edit(t, dir, name, func(s string) string { return strings.Replace(s, "\nSee [the old guide](/no-such-page/).\n", "", 1) })
	if _, err := s.Update(ctx, []string{name}); err != nil {
		t.Fatal(err)
	}
	// Two pages link to the training course; removing it breaks them.
	gone := "content/training/peer-review-triad-training.md"
	if err := os.Remove(filepath.Join(dir, filepath.FromSlash(gone))); err != nil {
		t.Fatal(err)
	}
	_, err = s.Update(ctx, []string{gone})
	linkError(err, "content/networks/triad-south-reading.md")
}

// TestSessionChecksFragments checks fragments in serve's incremental
// builds: an edit adding a link to an id that is not there fails at the
// link's line; renaming a heading another page links to fails at that
// other page's link, though only the heading's page was edited; and
// naming the heading back builds again, as a build from nothing would.
func TestSessionChecksFragments(t *testing.T) {
	ctx := context.Background()
	dir := copyExample(t)
	s := NewSession(sessionOptions(dir))
	if _, err := s.Update(ctx, nil); err != nil {
		t.Fatal(err)
	}
	fragmentError := func(err error, file, msg string) {
		t.Helper()
		var ce *ContentError
		if !errors.As(err, &ce) {
			t.Fatalf("got %v, want a broken fragment in %s", err, file)
		}
		for _, d := range ce.Diags {
			if d.Pos.File == file && d.Pos.Line > 0 && strings.Contains(d.Msg, msg) {
				return
			}
		}
		t.Fatalf("no %q reported in %s: %v", msg, file, ce.Diags)
	}
	name := "content/supporters/helen-marsh.md"
	edit(t, dir, name, func(s string) string { return s + "\nSee [who runs it](/about/#who-runs-itt).\n" })
	_, err := s.Update(ctx, []string{name})
	fragmentError(err, name, `no element with id "who-runs-itt" on /about/ (did you mean "who-runs-it"?)`)
	edit(t, dir, name, func(s string) string { return strings.Replace(s, "#who-runs-itt", "#who-runs-it", 1) })
	if _, err := s.Update(ctx, []string{name}); err != nil {
		t.Fatal(err)
	}
	// Patched, since the last update built: the patch's check must look
	// beyond the edited page.
	about := "content/pages/about.md"
	edit(t, dir, about, func(s string) string { return strings.Replace(s, "## Who runs it", "## Who leads it", 1) })
	_, err = s.Update(ctx, []string{about})
	fragmentError(err, name, `no element with id "who-runs-it" on /about/`)
	edit(t, dir, about, func(s string) string { return strings.Replace(s, "## Who leads it", "## Who runs it", 1) })
	if _, err := s.Update(ctx, []string{about}); err != nil {
		t.Fatal(err)
	}
	// Assembled anew (a new alias is a new file), which checks the
	// same way.
	edit(t, dir, about, func(s string) string {
		s = strings.Replace(s, "aliases: [/about-us/]", "aliases: [/about-us/, /about-the-scheme/]", 1)
		return strings.Replace(s, "## Who runs it", "## Who leads it", 1)
	})
	patches := s.patches
	_, err = s.Update(ctx, []string{about})
	fragmentError(err, name, `no element with id "who-runs-it" on /about/`)
	edit(t, dir, about, func(s string) string { return strings.Replace(s, "## Who leads it", "## Who runs it", 1) })
	if _, err := s.Update(ctx, []string{about}); err != nil {
		t.Fatal(err)
	}
	if s.patches != patches {
		t.Error("an edit adding an alias was patched")
	}
	sameAsFullBuild(t, dir, s.Current())
}

// replacing returns an edit for a table of edits: it replaces the first
// old in the site's file with new, and says which file it changed.
func replacing(t *testing.T, dir, file, old, new string) func() []string {
	return func() []string {
		edit(t, dir, file, func(s string) string {
			if !strings.Contains(s, old) {
				t.Fatalf("%s has no %q", file, old)
			}
			return strings.Replace(s, old, new, 1)
		})
		return []string{file}
	}
}

// TestSessionMatchesFullBuildAfterEachEdit makes one edit after another,
// each of a field some other page shows (a name in a testimonial, a
// network's title on its members' pages, a date that orders a listing),
// and checks after each that the session holds what a build from nothing
// would: no page the edit shows on may be left stale.
func TestSessionMatchesFullBuildAfterEachEdit(t *testing.T) {
	ctx := context.Background()
	dir := copyExample(t)
	s := NewSession(sessionOptions(dir))
	if _, err := s.Update(ctx, nil); err != nil {
		t.Fatal(err)
	}
	replace := func(file, old, new string) func() []string { return replacing(t, dir, file, old, new) }
	edits := []struct {
		what string
		do   func() []string
	}{
		{"a supporter's availability", replace("content/supporters/helen-marsh.md", "availability: available", "availability: limited")},
		{"a supporter's region", replace("content/supporters/helen-marsh.md", "region: north", "region: south")},
		{"a supporter's networks", replace("content/supporters/helen-marsh.md", "networks: [wealdshire-scheme, north-weald-rural-schools, kingsbridge-diocesan-peer-support]", "networks: [wealdshire-scheme]")},
		{"a network's title", replace("content/networks/wealdshire-scheme.md", "title: Wealdshire Headteacher Peer Support Scheme", "title: Wealdshire Peer Support Scheme")},
		{"a network's status", replace("content/networks/wealdshire-scheme.md", "status: open", "status: full")},
		{"a testimonial's quote", replace("content/testimonials/first-headship-support.md", "quote: In my first year", "quote: In my very first year")},
		{"a testimonial's supporter", replace("content/testimonials/first-headship-support.md", "supporter: helen-marsh", "supporter: james-orton")},
		{"a course's session date", replace("content/training/governors-briefing.md", `start: "2027-01-13 18:30"`, `start: "2027-01-13 18:00"`)},
		{"a course's networks", replace("content/training/peer-review-triad-training.md", "networks: [triad-south-reading, triad-city-inclusion-2024-25, wealdshire-scheme]", "networks: [triad-south-reading]")},
		{"a news post's date", replace("content/news/training-dates-2027.md", "date: 2026-11-09", "date: 2024-01-09")},
		{"the home page's featured testimonial", replace("content/_index.md", "featured_testimonial: first-headship-support", "featured_testimonial: governor-view")},
		{"a free page's title", replace("content/pages/about.md", "title: ", "title: All ")},
		{"a supporter removed", func() []string {
			name := "content/supporters/james-orton.md"
			if err := os.Remove(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
				t.Fatal(err)
			}
			// Its testimonial goes too, or the reference would break.
			edit(t, dir, "content/testimonials/first-headship-support.md", func(s string) string {
				return strings.Replace(s, "supporter: james-orton", "supporter: helen-marsh", 1)
			})
			return []string{name, "content/testimonials/first-headship-support.md"}
		}},
		{"the favicon removed", func() []string {
			// Every page's <link rel="icon"> changes to none.
			if err := os.Rename(filepath.Join(dir, "static", "favicon.svg"), filepath.Join(dir, "favicon.svg")); err != nil {
				t.Fatal(err)
			}
			return []string{"static/favicon.svg"}
		}},
		{"the favicon added", func() []string {
			if err := os.Rename(filepath.Join(dir, "favicon.svg"), filepath.Join(dir, "static", "favicon.svg")); err != nil {
				t.Fatal(err)
			}
			return []string{"static/favicon.svg"}
		}},
		{"a supporter added", func() []string {
			b, err := os.ReadFile(filepath.Join(dir, "content", "supporters", "helen-marsh.md"))
			if err != nil {
				t.Fatal(err)
			}
			name := "content/supporters/helen-marsh-2.md"
			edit(t, dir, name, func(string) string { return strings.Replace(string(b), "name: Helen Marsh", "name: Alex Marsh", 1) })
			return []string{name}
		}},
	}
	for _, e := range edits {
		changed := e.do()
		sn, err := s.Update(ctx, changed)
		if err != nil {
			t.Fatalf("after %s: %v", e.what, err)
		}
		t.Run(e.what, func(t *testing.T) { sameAsFullBuild(t, dir, sn) })
	}
}

// TestSessionReportsTreeProblems adds a page whose file name is not a slug:
// the session reports it as a build does, and recovers when it is renamed.
func TestSessionReportsTreeProblems(t *testing.T) {
	ctx := context.Background()
	dir := copyExample(t)
	s := NewSession(sessionOptions(dir))
	if _, err := s.Update(ctx, nil); err != nil {
		t.Fatal(err)
	}
	bad := "content/news/Term Dates.md"
	edit(t, dir, bad, func(string) string { return "---\ntitle: Term dates\ndate: 2026-11-20\n---\nSoon.\n" })
	_, err := s.Update(ctx, []string{bad})
	var ce *ContentError
	if !errors.As(err, &ce) || !slices.ContainsFunc(ce.Diags, func(d diag.Diagnostic) bool {
		return d.Pos.File == bad && strings.Contains(d.Msg, "not a slug")
	}) {
		t.Fatalf("got %v, want the file name reported", err)
	}
	good := "content/news/term-dates.md"
	if err := os.Rename(filepath.Join(dir, filepath.FromSlash(bad)), filepath.Join(dir, filepath.FromSlash(good))); err != nil {
		t.Fatal(err)
	}
	sn, err := s.Update(ctx, []string{bad, good})
	if err != nil {
		t.Fatal(err)
	}
	sameAsFullBuild(t, dir, sn)
}

// TestSessionKeepsReportingABrokenSetting breaks site.yaml, or a layout,
// then edits a page: the edit must not build over the broken settings, or
// with the old layout, as if all were well; fixing the file builds again.
func TestSessionKeepsReportingABrokenSetting(t *testing.T) {
	for _, tt := range []struct{ file, what, breakage string }{
		{"site.yaml", "site.yaml", "\ntitle: [unclosed\n"},
		{"layouts/partials/footer.html", "layout", "{{if}}"},
	} {
		t.Run(tt.what, func(t *testing.T) {
			ctx := context.Background()
			dir := copyExample(t)
			s := NewSession(sessionOptions(dir))
			if _, err := s.Update(ctx, nil); err != nil {
				t.Fatal(err)
			}
			edit(t, dir, tt.file, func(s string) string { return s + tt.breakage })
			if _, err := s.Update(ctx, []string{tt.file}); err == nil {
				t.Fatalf("a broken %s built", tt.what)
			}
			edit(t, dir, "content/pages/about.md", func(s string) string { return s + "\nMore.\n" })
			if _, err := s.Update(ctx, []string{"content/pages/about.md"}); err == nil {
				t.Fatalf("an edit built over a broken %s", tt.what)
			}
			edit(t, dir, tt.file, func(s string) string { return strings.TrimSuffix(s, tt.breakage) })
			sn, err := s.Update(ctx, []string{tt.file})
			if err != nil {
				t.Fatal(err)
			}
			sameAsFullBuild(t, dir, sn)
		})
	}
}

// TestSessionPatchesEdits makes edits that are patched into the assembled
// site (site.Patch) rather than assembled anew, each moving something
// that other pages show, and some that must be assembled anew or fail,
// and compares each result with a build from nothing.
func TestSessionPatchesEdits(t *testing.T) {
	ctx := context.Background()
	dir := copyExample(t)
	s := NewSession(sessionOptions(dir))
	if _, err := s.Update(ctx, nil); err != nil {
		t.Fatal(err)
	}
	replace := func(file, old, new string) func() []string { return replacing(t, dir, file, old, new) }
	const helen = "content/supporters/helen-marsh.md"
	edits := []struct {
		what    string
		do      func() []string
		patched bool // made by patching, not by assembling anew
		fails   bool
	}{
		{"a supporter's body", replace(helen, "I have been headteacher", "I have now been headteacher"), true, false},
		{"a supporter's region, which moves facet counts", replace(helen, "region: north", "region: south"), true, false},
		{"a supporter's skills", replace(helen, "skills: [small-schools, coaching,", "skills: [small-schools, send, coaching,"), true, false},
		{"a supporter's surname, which orders the directory and networks", replace(helen, "name: Helen Marsh", "name: Helen Abbott"), true, false},
		{"a supporter's summary, shown on cards", replace(helen, "summary: Headteacher of", "summary: Head of"), true, false},
		{"a network's title, shown on its members' pages", replace("content/networks/north-weald-rural-schools.md", "title: ", "title: The "), true, false},
		{"a testimonial's supporter", replace("content/testimonials/first-headship-support.md", "supporter: helen-marsh", "supporter: james-orton"), true, false},
		{"a course's session date, which orders training", func() []string {
			const course = "content/training/governors-briefing.md"
			return slices.Concat(replace(course, `start: "2027-01-13 18:30"`, `start: "2026-12-01 18:30"`)(),
				replace(course, "booking_closes: 2027-01-11", "booking_closes: 2026-11-29")())
		}, true, false},
		{"a news post's date", replace("content/news/training-dates-2027.md", "date: 2026-11-09", "date: 2024-01-09"), true, false},
		{"two files at once", func() []string {
			return slices.Concat(replace(helen, "availability: available", "availability: unavailable")(),
				replace("content/supporters/james-orton.md", "name: James Orton", "name: James Abbott")())
		}, true, false},
		{"an invalid edit", replace(helen, "region: south", "region: atlantis"), false, true},
		{"the fix", replace(helen, "region: atlantis", "region: east"), true, false},
		{"a reference to no supporter", replace("content/testimonials/first-headship-support.md", "supporter: james-orton", "supporter: james-ortn"), false, true},
		{"the reference fixed", replace("content/testimonials/first-headship-support.md", "supporter: james-ortn", "supporter: james-orton"), true, false},
		{"a broken link", replace(helen, "I have now been headteacher", "I have [now](/no-such-page/) been headteacher"), false, true},
		// The failed update had patched the site: the fix keys every output.
		{"the link fixed", replace(helen, "[now](/no-such-page/)", "[now](/about/)"), false, false},
		{"and edited again", replace(helen, "summary: Head of", "summary: Headteacher of"), true, false},
		{"a supporter made a draft", replace(helen, "name: Helen Abbott", "draft: true\nname: Helen Abbott"), false, false},
		{"published again", replace(helen, "draft: true\n", ""), false, false},
	}
	for _, e := range edits {
		before := s.patches
		sn, err := s.Update(ctx, e.do())
		if e.fails {
			if err == nil {
				t.Fatalf("after %s: no error", e.what)
			}
			continue
		}
		if err != nil {
			t.Fatalf("after %s: %v", e.what, err)
		}
		if got := s.patches > before; got != e.patched {
			t.Errorf("after %s: patched %v, want %v", e.what, got, e.patched)
		}
		t.Run(e.what, func(t *testing.T) { sameAsFullBuild(t, dir, sn) })
	}
}
