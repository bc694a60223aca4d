package content

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

// TestReadFileDirFS checks that readFile gives the same bytes and errors
// from DirFS, which reads with plain system calls on Linux, as from
// os.DirFS, and that DirFS is a whole os.DirFS to everything else.
func TestReadFileDirFS(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{
		"content/empty.md": nil,
		"content/small.md": []byte("---\ntitle: x\n---\nbody\n"),
		"content/page.md":  bytes.Repeat([]byte("0123456789abcdef"), 4097),
		"content/huge.md":  bytes.Repeat([]byte{'x'}, MaxFileSize+100),
		"content/limit.md": bytes.Repeat([]byte{'y'}, MaxFileSize+1),
	}
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "content", "dir.md"), 0o755); err != nil {
		t.Fatal(err)
	}
	ours, theirs := DirFS(dir), os.DirFS(dir)
	if _, ok := ours.(dirFS); !ok {
		t.Fatalf("DirFS is a %T, want dirFS", ours)
	}
	for _, name := range []string{"content/empty.md", "content/small.md", "content/page.md", "content/huge.md", "content/limit.md", "content/dir.md", "content/missing.md", "../outside.md", "content//small.md"} {
		got, gerr := readFile(ours, name)
		want, werr := readFile(theirs, name)
		if !bytes.Equal(got, want) || cap(got) != cap(want) {
			t.Errorf("%s: read %d bytes (cap %d), os.DirFS %d (cap %d)", name, len(got), cap(got), len(want), cap(want))
		}
		if (gerr == nil) != (werr == nil) || gerr != nil && (gerr.Error() != werr.Error() || !errors.Is(gerr, errors.Unwrap(werr))) {
			t.Errorf("%s: error %v, os.DirFS %v", name, gerr, werr)
		}
		if len(got) > MaxFileSize+1 {
			t.Errorf("%s: read %d bytes, more than MaxFileSize+1", name, len(got))
		}
	}
}

// TestDirFSIsOSDirFS checks that DirFS is a whole os.DirFS to everything
// but readFile.
func TestDirFSIsOSDirFS(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "content", "news"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "content", "news", "a.md"), []byte("---\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fsys := DirFS(dir)
	if err := fstest.TestFS(fsys, "content/news/a.md"); err != nil {
		t.Error(err)
	}
	if _, ok := fsys.(fs.ReadFileFS); !ok {
		t.Error("DirFS is not an fs.ReadFileFS")
	}
	if fi, err := fs.Stat(fsys, "content/news/a.md"); err != nil || fi.Size() != 8 {
		t.Errorf("Stat: %v, %v", fi, err)
	}
}
