package content

import (
	"io/fs"
	"os"
	"strings"
)

// DirFS returns the files of the directory dir, as os.DirFS(dir) does.
// Load and LoadFile read content files from it with fewer system calls
// where the system allows (see readOSFile), as they know where on disk
// each file is.
func DirFS(dir string) fs.FS {
	if d, ok := os.DirFS(dir).(osFS); ok {
		return dirFS{osFS: d, dir: dir}
	}
	return os.DirFS(dir)
}

// osFS is what os.DirFS implements, which dirFS passes on.
type osFS interface {
	fs.StatFS
	fs.ReadFileFS
	fs.ReadDirFS
	fs.ReadLinkFS
}

// dirFS is os.DirFS(dir) that also tells where it is.
type dirFS struct {
	osFS
	dir string
}

// path returns the place on disk of name, as os.DirFS makes it, and
// whether it is one: a name os.DirFS would refuse is left to it, for the
// same error.
func (d dirFS) path(name string) (string, bool) {
	if d.dir == "" || !fs.ValidPath(name) || strings.IndexByte(name, 0) >= 0 || os.PathSeparator != '/' {
		return "", false
	}
	if strings.HasSuffix(d.dir, "/") {
		return d.dir + name, true
	}
	return d.dir + "/" + name, true
}
