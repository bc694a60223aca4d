package build

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"peerpress/generator/internal/linkcheck"
)

// sink receives a build's files as they are made, so that a large site is
// never held in memory whole: a page goes to disk as soon as it is
// rendered. Its methods may be called from many goroutines at once.
type sink interface {
	// put stores body at path, relative to public/. body may be reused
	// once put returns: a sink that keeps it keeps a copy.
	put(path string, body []byte) error
	// copyFile stores the file src at path, for static files copied as
	// they are.
	copyFile(path, src string) error
}

// output records the paths a build has made, in front of a sink: the link
// check, and the checks that an alias or static file does not replace a
// generated file, need them.
type output struct {
	sink  sink
	mu    sync.Mutex
	paths map[string]bool
	// pages counts the HTML pages rendered from layouts.
	pages int
	// anchors, when not nil, gathers the ids of the rendered pages that
	// links' fragments point into (renderOutputs feeds it).
	anchors *linkcheck.Anchors
}

func newOutput(s sink) *output { return &output{sink: s, paths: map[string]bool{}} }

func (o *output) record(p string) {
	o.mu.Lock()
	o.paths[p] = true
	o.mu.Unlock()
}

// add stores one file.
func (o *output) add(f file) error {
	o.record(f.Path)
	if f.Src != "" {
		return o.sink.copyFile(f.Path, f.Src)
	}
	return o.sink.put(f.Path, f.Body)
}

// addAll stores files in order, stopping at the first failure.
func (o *output) addAll(files []file) error {
	for _, f := range files {
		if err := o.add(f); err != nil {
			return err
		}
	}
	return nil
}

// taken returns a copy of the paths made so far.
func (o *output) taken() map[string]bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make(map[string]bool, len(o.paths))
	for p := range o.paths {
		out[p] = true
	}
	return out
}

// dirSink writes files below dir, making each directory once.
type dirSink struct {
	dir  string
	made sync.Map // directories known to exist, relative to dir
	// st is the stage being written: the files (false) and directories
	// (true) an earlier build left in it, which this one writes over, are
	// its old, read only once prepare has waited for them.
	st *stage
	mu sync.Mutex // held while replaceFile replaces a file
}

func (d *dirSink) put(p string, body []byte) error {
	target, err := d.prepare(p)
	if err != nil {
		return err
	}
	if isDir, ok := d.st.old[p]; ok && !isDir {
		return overwrite(target, body)
	}
	return writeNew(target, body)
}

func (d *dirSink) copyFile(p, src string) error {
	target, err := d.prepare(p)
	if err != nil {
		return err
	}
	if isDir, ok := d.st.old[p]; ok && !isDir {
		body, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		return overwrite(target, body)
	}
	return copyFile(src, target)
}

// readPool holds the buffers overwrite reads a kept file into.
var readPool = sync.Pool{New: func() any { return new([]byte) }}

// growTo returns *buf, grown if need be, cut to n bytes.
func growTo(buf *[]byte, n int) []byte {
	*buf = slices.Grow((*buf)[:0], n)[:n]
	return *buf
}

// prepare makes the directories above p, parents first, and returns p's
// place on disk, clearing what an earlier build left where a directory or
// p now goes. Two goroutines may make the same directory at once: the
// loser's "exists" is success too.
func (d *dirSink) prepare(p string) (string, error) {
	if err := d.st.wait(); err != nil {
		return "", err
	}
	target := filepath.Join(d.dir, filepath.FromSlash(p))
	if d.st.old[p] {
		if err := os.RemoveAll(target); err != nil {
			return "", err
		}
	}
	dir := path.Dir(p)
	if dir != "." {
		if _, ok := d.made.Load(dir); !ok {
			parts := strings.Split(dir, "/")
			for i := range parts {
				sub := strings.Join(parts[:i+1], "/")
				if _, ok := d.made.Load(sub); ok {
					continue
				}
				full := filepath.Join(d.dir, filepath.FromSlash(sub))
				if isDir, ok := d.st.old[sub]; ok && isDir {
					d.made.Store(sub, true)
					continue
				} else if ok {
					if err := d.replaceFile(sub, full); err != nil {
						return "", err
					}
					continue
				}
				err := os.Mkdir(full, 0o755)
				if err != nil && !errors.Is(err, fs.ErrExist) {
					return "", err
				}
				d.made.Store(sub, true)
			}
		}
	}
	return target, nil
}

// replaceFile makes the directory sub, at full, where an earlier build
// left a file. It holds a lock so that a goroutine making the same
// directory cannot remove it once made.
func (d *dirSink) replaceFile(sub, full string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.made.Load(sub); ok {
		return nil
	}
	if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Mkdir(full, 0o755); err != nil {
		return err
	}
	d.made.Store(sub, true)
	return nil
}

// memSink keeps files in memory, for `generator serve`.
type memSink struct {
	mu    sync.Mutex
	files map[string][]byte
}

func newMemSink() *memSink { return &memSink{files: map[string][]byte{}} }

func (m *memSink) put(p string, body []byte) error {
	m.keep(p, bytes.Clone(body))
	return nil
}

func (m *memSink) copyFile(p, src string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	m.keep(p, b)
	return nil
}

// keep stores body, which is the sink's own, at p.
func (m *memSink) keep(p string, body []byte) {
	m.mu.Lock()
	m.files[p] = body
	m.mu.Unlock()
}

// discard keeps nothing: `generator check` renders to find problems only.
type discard struct{}

func (discard) put(string, []byte) error      { return nil }
func (discard) copyFile(string, string) error { return nil }

// file is one output: Body, or the contents of Src on disk.
type file struct {
	Path string
	Body []byte
	Src  string
}
