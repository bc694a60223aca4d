//go:build !linux

package build

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// writeNew creates (or truncates) the file name and writes body to it.
func writeNew(name string, body []byte) error {
	return os.WriteFile(name, body, 0o644)
}

// overwrite makes the file an earlier build left at target hold body. It
// leaves a file that already does alone, and writes over any other in place
// before cutting it to length, rather than truncating it first: ext4 writes
// a file truncated to nothing and rewritten out to disk as soon as it is
// closed (its auto_da_alloc), which made every page of a rebuild wait. A
// file with other hard links (a deployment snapshot made with cp -al or
// rsync --link-dest) is replaced by a new file instead, so that the copies
// linked to it keep what they had.
func overwrite(target string, body []byte) error {
	f, err := os.OpenFile(target, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	info, err := f.Stat()
	same := false
	if err == nil {
		same, err = holds(f, info, body)
	}
	if err != nil || same {
		f.Close()
		return err
	}
	if linked(info) {
		f.Close()
		if err := os.Remove(target); err != nil {
			return err
		}
		return os.WriteFile(target, body, 0o644)
	}
	if _, err = f.WriteAt(body, 0); err == nil {
		err = f.Truncate(int64(len(body)))
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// holds reports whether f, described by info, holds body.
func holds(f *os.File, info os.FileInfo, body []byte) (bool, error) {
	if info.Size() != int64(len(body)) {
		return false, nil
	}
	buf := readPool.Get().(*[]byte)
	defer readPool.Put(buf)
	b := growTo(buf, len(body))
	if _, err := f.ReadAt(b, 0); err != nil && !errors.Is(err, io.EOF) {
		return false, err
	}
	return bytes.Equal(b, body), nil
}

// inventory lists the files and directories below dir, removing anything
// else (a symbolic link must not lead a write outside the site).
func inventory(dir string) (map[string]bool, error) {
	old := map[string]bool{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			old[rel] = true
		case d.Type().IsRegular():
			old[rel] = false
		default:
			return os.Remove(p)
		}
		return nil
	})
	return old, err
}
