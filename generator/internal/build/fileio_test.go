package build

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// walkInventory is what inventory finds, by filepath.WalkDir, without
// removing anything: the reference inventory is checked against.
func walkInventory(t *testing.T, dir string) map[string]bool {
	t.Helper()
	want := map[string]bool{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() || d.Type().IsRegular() {
			want[filepath.ToSlash(rel)] = d.IsDir()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return want
}

// TestInventory checks inventory against filepath.WalkDir on a tree with a
// directory too large for one read of its entries, nested directories,
// empty ones, and symbolic links to a file and to a directory outside the
// tree, which it must remove and not follow.
func TestInventory(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "site")
	outside := filepath.Join(root, "outside")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"a/b/c", "empty", "many", "x.html"} {
		must(os.MkdirAll(filepath.Join(dir, d), 0o755))
	}
	must(os.MkdirAll(outside, 0o755))
	must(os.WriteFile(filepath.Join(outside, "keep.txt"), []byte("keep"), 0o644))
	for i := range 3000 {
		// Long names, so that the entries fill several reads.
		name := fmt.Sprintf("page-%04d-with-a-long-name-to-fill-the-buffer.html", i)
		must(os.WriteFile(filepath.Join(dir, "many", name), nil, 0o644))
	}
	for _, f := range []string{"index.html", "a/index.html", "a/b/index.html", "a/b/c/x.css", "x.html/index.html", ".gitignore"} {
		must(os.WriteFile(filepath.Join(dir, f), []byte(f), 0o644))
	}
	must(os.Symlink(outside, filepath.Join(dir, "a", "link")))
	must(os.Symlink(filepath.Join(outside, "keep.txt"), filepath.Join(dir, "a/b/file-link")))

	got, err := inventory(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := walkInventory(t, dir)
	if !maps.Equal(got, want) {
		t.Errorf("inventory found %d entries, filepath.WalkDir %d", len(got), len(want))
		for p, isDir := range want {
			if g, ok := got[p]; !ok || g != isDir {
				t.Errorf("%s: got %v (%v), want %v", p, g, ok, isDir)
			}
		}
	}
	if len(want) != 3000+12 {
		t.Errorf("tree has %d entries, want %d", len(want), 3000+12)
	}
	for _, l := range []string{"a/link", "a/b/file-link"} {
		if _, err := os.Lstat(filepath.Join(dir, l)); !os.IsNotExist(err) {
			t.Errorf("symbolic link %s not removed: %v", l, err)
		}
	}
	if b, err := os.ReadFile(filepath.Join(outside, "keep.txt")); err != nil || string(b) != "keep" {
		t.Errorf("file outside the tree: %q, %v", b, err)
	}
}

// TestInventoryNotDir checks that a kept site that is not a directory, or
// is missing, gives what filepath.WalkDir would: nothing, or the error.
func TestInventoryNotDir(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(root, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := inventory(file); err != nil || len(got) != 0 {
		t.Errorf("inventory of a file = %v, %v; want nothing", got, err)
	}
	missing := filepath.Join(root, "missing")
	if _, err := inventory(missing); !os.IsNotExist(err) {
		t.Errorf("inventory of a missing directory: %v, want not exist", err)
	} else if pe, ok := err.(*fs.PathError); !ok || pe.Path != missing {
		t.Errorf("error %v does not name %s", err, missing)
	}
}

// TestOverwrite checks overwrite and writeNew: a file holding the body is
// left alone, a longer or shorter one written over in place and cut to
// length, and one with another hard link replaced; new files get mode 0644
// less the umask, and errors name the file.
func TestOverwrite(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f.html")
	body := []byte("<p>new body</p>")
	for _, old := range []string{"<p>new body</p>", "<p>an older, longer body</p>", "<p>old</p>", "<p>new bodx</p>", ""} {
		if err := writeNew(p, []byte(old)); err != nil {
			t.Fatal(err)
		}
		before, _ := os.Stat(p)
		if err := overwrite(p, body); err != nil {
			t.Fatal(err)
		}
		after, _ := os.Stat(p)
		if b, _ := os.ReadFile(p); string(b) != string(body) {
			t.Errorf("over %q: file holds %q", old, b)
		}
		// Where hard links cannot be counted, every kept file is replaced.
		if inPlace := runtime.GOOS != "windows" && runtime.GOOS != "plan9"; inPlace && !os.SameFile(before, after) {
			t.Errorf("over %q: file replaced, want written over", old)
		}
	}
	link := filepath.Join(dir, "snapshot.html")
	if err := os.Link(p, link); err != nil {
		t.Fatal(err)
	}
	if err := overwrite(p, []byte("changed")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(link); string(b) != string(body) {
		t.Errorf("hard-linked copy holds %q, want %q", b, body)
	}
	if b, _ := os.ReadFile(p); string(b) != "changed" {
		t.Errorf("file holds %q", b)
	}
	fresh := filepath.Join(dir, "fresh.html")
	if err := writeNew(fresh, body); err != nil {
		t.Fatal(err)
	}
	ref := filepath.Join(dir, "ref")
	if err := os.WriteFile(ref, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	want, err := os.Stat(ref)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.Stat(fresh); got.Mode() != want.Mode() {
		t.Errorf("new file mode %v, os.WriteFile gives %v", got.Mode(), want.Mode())
	}
	missing := filepath.Join(dir, "no", "such.html")
	for name, err := range map[string]error{"writeNew": writeNew(missing, body), "overwrite": overwrite(missing, body)} {
		if pe, ok := err.(*fs.PathError); !ok || pe.Path != missing || !os.IsNotExist(err) {
			t.Errorf("%s of a missing directory: %v, want an error naming %s", name, err, missing)
		}
	}
}

// TestStageWritesAfterInventory checks that a stage's sink, used at once,
// waits for the kept site to be listed: a symbolic link the listing
// removes is not followed by a write that comes before the listing is
// done, a kept file is written over, and prune then removes the rest.
func TestStageWritesAfterInventory(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	prev := previous(dest)
	outside := filepath.Join(root, "outside")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(outside, 0o755))
	// Enough directories that listing them takes a while.
	for i := range 2000 {
		d := filepath.Join(prev, "pages", fmt.Sprintf("p%04d", i))
		must(os.MkdirAll(d, 0o755))
		must(os.WriteFile(filepath.Join(d, "index.html"), []byte("old"), 0o644))
	}
	must(os.Symlink(outside, filepath.Join(prev, "zz")))

	st, err := staging(dest)
	if err != nil {
		t.Fatal(err)
	}
	out := newOutput(st.sink())
	must(out.add(file{Path: "zz/index.html", Body: []byte("new")}))
	must(out.add(file{Path: "pages/p0001/index.html", Body: []byte("new")}))
	if entries, err := os.ReadDir(outside); err != nil || len(entries) != 0 {
		t.Errorf("the directory a symbolic link led to has %d entries, %v", len(entries), err)
	}
	if info, err := os.Lstat(filepath.Join(st.dir, "zz")); err != nil || !info.IsDir() {
		t.Errorf("zz is not a directory of the stage: %v, %v", info, err)
	}
	must(st.prune(out.paths))
	got := walkInventory(t, st.dir)
	want := map[string]bool{"zz": true, "zz/index.html": false, "pages": true, "pages/p0001": true, "pages/p0001/index.html": false}
	if !maps.Equal(got, want) {
		t.Errorf("stage after prune holds %v, want %v", got, want)
	}
	must(swap(st.dir, dest))
}

// TestStageKeepWaits checks that a build that fails before writing
// anything keeps its stage for the next only once it is listed.
func TestStageKeepWaits(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	for i := range 2000 {
		d := filepath.Join(previous(dest), fmt.Sprintf("p%04d", i))
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	st, err := staging(dest)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.keep(dest); err != nil {
		t.Fatal(err)
	}
	if len(st.old) != 2000 {
		t.Errorf("stage listed %d entries before it was kept, want 2000", len(st.old))
	}
	if entries, err := os.ReadDir(previous(dest)); err != nil || len(entries) != 2001 {
		t.Errorf("kept site has %d entries (%v), want 2000 and .gitignore", len(entries), err)
	}
}
