package build

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"peerpress/generator/internal/diag"
)

var update = flag.Bool("update", false, "rewrite golden files")

// buildDate is the build date of every test build.
var buildDate = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

// extract writes a txtar archive's files below dir.
func extract(t *testing.T, a *txtar.Archive, dir string) {
	t.Helper()
	for _, f := range a.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// fixtureOptions reads "key: value" lines of an archive's comment.
func fixtureOptions(t *testing.T, a *txtar.Archive, src, dest string) Options {
	opts := Options{Source: src, Destination: dest, Now: buildDate, NowIsDate: true}
	for line := range strings.SplitSeq(string(a.Comment), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch k {
		case "drafts":
			opts.Drafts = v == "true"
		case "base-url":
			opts.BaseURL = v
		case "now":
			d, err := time.Parse(time.DateOnly, v)
			if err != nil {
				t.Fatalf("bad now: %v", err)
			}
			opts.Now = d
		}
	}
	return opts
}

// snapshot turns a built site (or the errors of a failed build) into an
// archive: HTML is broken at tags so diffs are readable, and fingerprinted
// assets are listed by size, so a change of theme CSS does not show as a
// change of every fixture.
func snapshot(t *testing.T, dest string, err error) []byte {
	t.Helper()
	var a txtar.Archive
	if err != nil {
		var ce *ContentError
		if !errors.As(err, &ce) {
			t.Fatalf("build: %v", err)
		}
		a.Files = append(a.Files, txtar.File{Name: "errors", Data: []byte(ce.Diags.Error() + "\n")})
		return txtar.Format(&a)
	}
	err = filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dest, p)
		rel = filepath.ToSlash(rel)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		switch {
		case strings.HasPrefix(rel, "assets/"):
			rel = assetName.ReplaceAllString(rel, ".HASH.")
			b = []byte("(fingerprinted asset)\n")
		case strings.HasSuffix(rel, ".html"):
			b = append(bytes.ReplaceAll(b, []byte("><"), []byte(">\n<")), '\n')
			b = fingerprint.ReplaceAll(b, []byte("/assets/$1.HASH.$2"))
			b = integrity.ReplaceAll(b, []byte(`integrity="SRI"`))
		}
		if !bytes.HasSuffix(b, []byte("\n")) {
			b = append(b, '\n')
		}
		a.Files = append(a.Files, txtar.File{Name: rel, Data: b})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return txtar.Format(&a)
}

// TestSites builds every fixture site under testdata/sites and compares the
// result with testdata/golden. Run with -update to accept new output.
func TestSites(t *testing.T) {
	fixtures, _ := filepath.Glob("testdata/sites/*.txtar")
	if len(fixtures) == 0 {
		t.Fatal("no fixtures")
	}
	for _, fx := range fixtures {
		name := strings.TrimSuffix(filepath.Base(fx), ".txtar")
		t.Run(name, func(t *testing.T) {
			a, err := txtar.ParseFile(fx)
			if err != nil {
				t.Fatal(err)
			}
			src := t.TempDir()
			extract(t, a, src)
			dest := filepath.Join(t.TempDir(), "public")
			_, err = Build(context.Background(), fixtureOptions(t, a, src, dest))
			got := snapshot(t, dest, err)
			golden := filepath.Join("testdata", "golden", name+".txtar")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run go test ./generator/internal/build -update to accept):\n%s", golden, lineDiff(string(want), string(got)))
			}
		})
	}
}

// TestNoUnusedGolden fails on golden files whose fixture is gone.
func TestNoUnusedGolden(t *testing.T) {
	goldens, _ := filepath.Glob("testdata/golden/*.txtar")
	for _, g := range goldens {
		if _, err := os.Stat(filepath.Join("testdata", "sites", filepath.Base(g))); err != nil {
			t.Errorf("%s has no fixture in testdata/sites; delete it", g)
		}
	}
}

// lineDiff shows the first lines that differ, enough to see what changed.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 20; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n- %s\n+ %s\n", i+1, wl, gl)
			shown++
		}
	}
	return b.String()
}

var (
	assetName   = regexp.MustCompile(`\.[0-9a-f]{8}\.`)
	fingerprint = regexp.MustCompile(`/assets/([a-z]+)\.[0-9a-f]{8}\.(css|js)`)
	integrity   = regexp.MustCompile(`integrity="sha384-[^"]+"`)
)

// exampleSite is the repository's own example site.
const exampleSite = "../../.."

// tree reads every file below dir.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDeterministic builds the example site twice and compares every byte.
func TestDeterministic(t *testing.T) {
	var trees []map[string][]byte
	for range 2 {
		dest := filepath.Join(t.TempDir(), "public")
		if _, err := Build(context.Background(), Options{Source: exampleSite, Destination: dest, Now: buildDate, NowIsDate: true}); err != nil {
			t.Fatalf("build: %v", err)
		}
		trees = append(trees, tree(t, dest))
	}
	a, b := trees[0], trees[1]
	if len(a) != len(b) {
		t.Fatalf("builds wrote %d and %d files", len(a), len(b))
	}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range a {
			if !yield(k) {
				return
			}
		}
	}) {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between two identical builds", name)
		}
	}
}

// basicSite writes the basic fixture to a temporary directory and returns
// it, the directory public/ will be written in, and the options to build it.
func basicSite(t *testing.T) (src, out string, opts Options) {
	t.Helper()
	a, err := txtar.ParseFile("testdata/sites/basic.txtar")
	if err != nil {
		t.Fatal(err)
	}
	src, out = t.TempDir(), t.TempDir()
	extract(t, a, src)
	return src, out, Options{Source: src, Destination: filepath.Join(out, "public"), Now: buildDate, NowIsDate: true}
}

// TestFailedBuildKeepsPublic checks that a build with errors leaves the last
// good site exactly as it was, with no temporary directories left behind.
func TestFailedBuildKeepsPublic(t *testing.T) {
	src, out, opts := basicSite(t)
	dest := opts.Destination
	if _, err := Build(context.Background(), opts); err != nil {
		t.Fatalf("first build: %v", err)
	}
	before := tree(t, dest)

	bad := filepath.Join(src, "content", "networks", "broken.md")
	if err := os.WriteFile(bad, []byte("---\ntitle: Broken\nstream: [\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Build(context.Background(), opts)
	var ce *ContentError
	if !errors.As(err, &ce) {
		t.Fatalf("second build: got %v, want a content error", err)
	}
	if !regexp.MustCompile(`content/networks/broken.md:[34]: invalid YAML`).MatchString(ce.Diags.Error()) {
		t.Errorf("errors do not point at broken.md:\n%s", ce.Diags.Error())
	}
	after := tree(t, dest)
	if len(after) != len(before) {
		t.Fatalf("public/ has %d files after a failed build, had %d", len(after), len(before))
	}
	for name, b := range before {
		if !bytes.Equal(after[name], b) {
			t.Errorf("%s changed in a failed build", name)
		}
	}
	if names := besidePublic(t, out); len(names) > 0 {
		t.Errorf("beside public/ after a failed build: %v", names)
	}
}

// besidePublic lists what is in out besides public/ and the previous site
// kept for the next build.
func besidePublic(t *testing.T, out string) []string {
	t.Helper()
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.Name() != "public" && e.Name() != ".public-previous" {
			names = append(names, e.Name())
		}
	}
	return names
}

// TestRebuildReplacesPublic checks that a second good build replaces files
// that are gone from the content and leaves nothing beside public/ but the
// previous site, kept for the next build.
func TestRebuildReplacesPublic(t *testing.T) {
	_, out, opts := basicSite(t)
	dest := opts.Destination
	if _, err := Build(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dest, "stale.html")
	if err := os.WriteFile(stale, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("stale.html survived a rebuild (err %v)", err)
	}
	if names := besidePublic(t, out); len(names) > 0 {
		t.Errorf("beside public/ after a rebuild: %v", names)
	}
	if _, err := os.Stat(filepath.Join(out, ".public-previous", "stale.html")); err != nil {
		t.Errorf("the replaced site is not kept for the next build: %v", err)
	}
	// git ignores the kept site, and the next build does not publish
	// what makes it do so.
	if b, err := os.ReadFile(filepath.Join(out, ".public-previous", ".gitignore")); err != nil || !strings.HasSuffix(string(b), "\n*\n") {
		t.Errorf("the kept site has no .gitignore of everything: %q, %v", b, err)
	}
	if _, err := Build(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dest, ".gitignore")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the kept site's .gitignore was published (err %v)", err)
	}
}

// TestRebuildOverPrevious checks that a build written over the kept
// previous site comes out the same as one written from nothing, whatever
// that site holds: pages gone from the content, a file where a directory
// goes and a directory where a file goes, and a symbolic link, which must
// not be followed.
func TestRebuildOverPrevious(t *testing.T) {
	src, out, opts := basicSite(t)
	ctx := context.Background()
	if _, err := Build(ctx, opts); err != nil {
		t.Fatal(err)
	}
	fresh := tree(t, opts.Destination)

	prev := filepath.Join(out, ".public-previous")
	if err := os.CopyFS(prev, os.DirFS(opts.Destination)); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "outside.html")
	if err := os.WriteFile(outside, []byte("not the site's"), 0o644); err != nil {
		t.Fatal(err)
	}
	var dirPage, filePage string
	for name := range fresh {
		if strings.HasSuffix(name, "/index.html") && strings.Count(name, "/") == 2 && dirPage == "" {
			dirPage = name
		}
	}
	filePage = "sitemap.xml"
	if dirPage == "" {
		t.Fatal("no page two levels down in the basic site")
	}
	mustDo := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// A file where a page's directory goes.
	dir := filepath.Join(prev, filepath.FromSlash(path.Dir(dirPage)))
	mustDo(os.RemoveAll(dir))
	mustDo(os.WriteFile(dir, []byte("a file"), 0o644))
	// A directory, with something in it, where a file goes.
	mustDo(os.Remove(filepath.Join(prev, filePage)))
	mustDo(os.MkdirAll(filepath.Join(prev, filePage, "deep"), 0o755))
	mustDo(os.WriteFile(filepath.Join(prev, filePage, "deep", "x.html"), nil, 0o644))
	// A page that is no longer made, in a directory no longer made.
	mustDo(os.MkdirAll(filepath.Join(prev, "gone", "page"), 0o755))
	mustDo(os.WriteFile(filepath.Join(prev, "gone", "page", "index.html"), []byte("gone"), 0o644))
	// A symbolic link where a page goes.
	home := filepath.Join(prev, "index.html")
	mustDo(os.Remove(home))
	mustDo(os.Symlink(outside, home))

	// The content changes too: one page fewer.
	var removed string
	for name := range fresh {
		if strings.HasPrefix(name, "news/") && strings.HasSuffix(name, "/index.html") && name != "news/index.html" {
			removed = name
			break
		}
	}
	if removed != "" {
		slug := strings.TrimSuffix(strings.TrimPrefix(removed, "news/"), "/index.html")
		mustDo(os.Remove(filepath.Join(src, "content", "news", slug+".md")))
	}
	if _, err := Build(ctx, opts); err != nil {
		t.Fatal(err)
	}
	got := tree(t, opts.Destination)

	wantOpts := opts
	wantOpts.Destination = filepath.Join(t.TempDir(), "public")
	if _, err := Build(ctx, wantOpts); err != nil {
		t.Fatal(err)
	}
	want := tree(t, wantOpts.Destination)
	if removed != "" && want[removed] != nil {
		t.Fatalf("%s is still built after its file was removed", removed)
	}
	for name, b := range want {
		if !bytes.Equal(got[name], b) {
			t.Errorf("%s differs from a build from nothing:\n%s", name, lineDiff(string(b), string(got[name])))
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s is left over from the previous site", name)
		}
	}
	if b, err := os.ReadFile(outside); err != nil || string(b) != "not the site's" {
		t.Errorf("the file a symbolic link led to was written: %q, %v", b, err)
	}
}

// TestRebuildKeepsHardLinkedCopies checks that a build writing over the
// kept previous site leaves alone a copy of it made with hard links, as
// cp -al and rsync --link-dest make deployment snapshots: each changed
// file is replaced, not written over.
func TestRebuildKeepsHardLinkedCopies(t *testing.T) {
	src, out, opts := basicSite(t)
	ctx := context.Background()
	for range 2 { // the second build keeps the first for the third
		if _, err := Build(ctx, opts); err != nil {
			t.Fatal(err)
		}
	}
	prev := filepath.Join(out, ".public-previous")
	snapshot := filepath.Join(t.TempDir(), "deployed")
	before := tree(t, prev)
	for name := range before {
		p := filepath.Join(snapshot, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Link(filepath.Join(prev, name), p); err != nil {
			t.Skipf("no hard links here: %v", err)
		}
	}
	// Every page changes: the site's title is on each.
	edit(t, src, "site.yaml", func(s string) string {
		return strings.Replace(s, "title: Testshire Peer Support", "title: Testshire Peer Support Scheme", 1)
	})
	if _, err := Build(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, opts.Destination); !bytes.Contains(got["index.html"], []byte("Testshire Peer Support Scheme")) {
		t.Fatal("the rebuild did not change the home page; the test changes nothing")
	}
	for name, b := range tree(t, snapshot) {
		if !bytes.Equal(b, before[name]) {
			t.Errorf("%s in the hard-linked copy changed", name)
		}
	}
}

// TestBuildChecksFragments checks that a link whose fragment names no
// element of the page it goes to fails the build (and `check`) at the
// line and column it was written, with the closest id as a hint, leaving
// the last good public/ in place; and that fragments naming a heading's id
// on another page or the same one, or an id the layout gives, pass.
func TestBuildChecksFragments(t *testing.T) {
	ctx := context.Background()
	src, _, opts := basicSite(t)
	dest := opts.Destination
	page := filepath.Join(src, "content", "pages", "links.md")
	write := func(body string) {
		t.Helper()
		if err := os.WriteFile(page, []byte("---\ntitle: Links\n---\n"+body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("## Further reading\n\n[About us](/about/#about-us), [the page](/about#main),\n" +
		"[below](#further-reading) and [up](#top).\n")
	if _, err := Build(ctx, opts); err != nil {
		t.Fatalf("valid fragments: %v", err)
	}
	before := tree(t, dest)

	write("## Further reading\n\n[About us](/about/#abuot-us), [the page](/about#main),\n" +
		"[below](#further-raeding) and [up](#top).\n")
	want := []string{
		`content/pages/links.md:6:1: link "/about/#abuot-us" points to no element with id "abuot-us" on /about/ (did you mean "about-us"?)`,
		`content/pages/links.md:7:1: link "#further-raeding" points to no element with id "further-raeding" on /links/ (did you mean "further-reading"?)`,
	}
	_, err := Build(ctx, opts)
	var ce *ContentError
	if !errors.As(err, &ce) {
		t.Fatalf("broken fragments: got %v, want a content error", err)
	}
	var got []string
	for _, d := range ce.Diags {
		if d.Severity == diag.Error {
			got = append(got, d.Error())
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("build errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	after := tree(t, dest)
	if len(after) != len(before) {
		t.Errorf("public/ has %d files after the failed build, had %d", len(after), len(before))
	}
	for name, b := range before {
		if !bytes.Equal(after[name], b) {
			t.Errorf("%s changed in a failed build", name)
		}
	}

	// `generator check` finds the same.
	p, err := Load(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	diags, err := Verify(ctx, p, opts)
	if err != nil {
		t.Fatal(err)
	}
	got = got[:0]
	for _, d := range diags {
		got = append(got, d.Error())
	}
	if !slices.Equal(got, want) {
		t.Errorf("check errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
