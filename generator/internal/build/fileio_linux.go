//go:build linux

package build

import (
	"bytes"
	"encoding/binary"
	"io"
	"io/fs"
	"os"
	"syscall"
	"unsafe"
)

// On Linux the output is written, and the kept site read, with plain
// system calls rather than through *os.File. Opening an *os.File costs
// four fcntl calls and a failing epoll_ctl besides the open, as Go tries
// to register every file with its poller (a regular file cannot be), and
// closing it unwinds that again: strace of a 10,000-document build counted
// 101,000 fcntl and 25,000 epoll_ctl calls, more than all the opens,
// writes and closes together. The same operations are done here, in the
// same order, with the same permissions and the same errors (an
// *fs.PathError naming the file).

// writeNew creates (or truncates) the file name and writes body to it, as
// os.WriteFile(name, body, 0o644) does. O_NOFOLLOW refuses a symbolic link
// put at name while the build ran, which os.WriteFile would follow.
func writeNew(name string, body []byte) error {
	fd, err := openFD(name, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC|syscall.O_NOFOLLOW, 0o644)
	if err != nil {
		return err
	}
	err = pwriteAll(fd, name, body)
	return closeFD(fd, name, err)
}

// overwrite makes the file an earlier build left at target hold body. It
// leaves a file that already does alone, and writes over any other in place
// before cutting it to length, rather than truncating it first: ext4 writes
// a file truncated to nothing and rewritten out to disk as soon as it is
// closed (its auto_da_alloc), which made every page of a rebuild wait. A
// file with other hard links (a deployment snapshot made with cp -al or
// rsync --link-dest) is replaced by a new file instead, so that the copies
// linked to it keep what they had. A file left as it was costs an open,
// an fstat, a pread and a close.
func overwrite(target string, body []byte) error {
	fd, err := openFD(target, syscall.O_RDWR|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return err
	}
	var st syscall.Stat_t
	if err := ignoringEINTR(func() error { return syscall.Fstat(fd, &st) }); err != nil {
		return closeFD(fd, target, &fs.PathError{Op: "stat", Path: target, Err: err})
	}
	if st.Size == int64(len(body)) {
		same, err := holdsFD(fd, target, body)
		if err != nil || same {
			return closeFD(fd, target, err)
		}
	}
	if st.Nlink > 1 {
		if err := closeFD(fd, target, nil); err != nil {
			return err
		}
		if err := os.Remove(target); err != nil {
			return err
		}
		return writeNew(target, body)
	}
	err = pwriteAll(fd, target, body)
	if err == nil {
		err = ignoringEINTR(func() error { return syscall.Ftruncate(fd, int64(len(body))) })
		if err != nil {
			err = &fs.PathError{Op: "truncate", Path: target, Err: err}
		}
	}
	return closeFD(fd, target, err)
}

// holdsFD reports whether the open file fd, named name and as long as
// body, holds body.
func holdsFD(fd int, name string, body []byte) (bool, error) {
	buf := readPool.Get().(*[]byte)
	defer readPool.Put(buf)
	b := growTo(buf, len(body))
	for off := 0; off < len(b); {
		n, err := syscall.Pread(fd, b[off:], int64(off))
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return false, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		if n == 0 { // shorter than fstat said: it changed, so not the same
			return false, nil
		}
		off += n
	}
	return bytes.Equal(b, body), nil
}

// inventory lists the files and directories below dir, removing anything
// else (a symbolic link must not lead a write outside the site). It reads
// each directory with one open, getdents64 until the end, and a close; the
// type of each entry comes from getdents64 itself, from lstat only where
// the file system does not tell it. Like filepath.WalkDir, it finds nothing
// below a dir that is not a directory.
func inventory(dir string) (map[string]bool, error) {
	old := map[string]bool{}
	buf := make([]byte, 32<<10)
	var walk func(full, rel string, root bool) error
	walk = func(full, rel string, root bool) error {
		entries, err := readDirents(full, buf)
		if err != nil {
			if root && (err.Err == syscall.ENOTDIR || err.Err == syscall.ELOOP) {
				return nil
			}
			return err
		}
		for _, e := range entries {
			p, fp := e.name, full+"/"+e.name
			if rel != "" {
				p = rel + "/" + e.name
			}
			typ := e.typ
			if typ == syscall.DT_UNKNOWN {
				info, err := os.Lstat(fp)
				if err != nil {
					return err
				}
				switch {
				case info.IsDir():
					typ = syscall.DT_DIR
				case info.Mode().IsRegular():
					typ = syscall.DT_REG
				}
			}
			switch typ {
			case syscall.DT_DIR:
				old[p] = true
				if err := walk(fp, p, false); err != nil {
					return err
				}
			case syscall.DT_REG:
				old[p] = false
			default:
				if err := os.Remove(fp); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return old, walk(dir, "", true)
}

// dirent is one entry of a directory: its name and its DT_ type.
type dirent struct {
	name string
	typ  byte
}

// The fields of a linux_dirent64 record, the same on every architecture.
var (
	direntIno    = int(unsafe.Offsetof(syscall.Dirent{}.Ino))
	direntReclen = int(unsafe.Offsetof(syscall.Dirent{}.Reclen))
	direntType   = int(unsafe.Offsetof(syscall.Dirent{}.Type))
	direntName   = int(unsafe.Offsetof(syscall.Dirent{}.Name))
)

// readDirents returns the entries of the directory dir but . and .., in
// the order the file system gives them, using buf for getdents64. It does
// not follow a symbolic link at dir.
func readDirents(dir string, buf []byte) ([]dirent, *fs.PathError) {
	fd, err := openFD(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return nil, err.(*fs.PathError)
	}
	defer syscall.Close(fd)
	var out []dirent
	for {
		n, err := syscall.Getdents(fd, buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "readdirent", Path: dir, Err: err}
		}
		if n <= 0 {
			return out, nil
		}
		for b := buf[:n]; len(b) > direntName; {
			reclen := int(binary.NativeEndian.Uint16(b[direntReclen:]))
			if reclen <= direntName || reclen > len(b) {
				return nil, &fs.PathError{Op: "readdirent", Path: dir, Err: syscall.EIO}
			}
			rec := b[:reclen]
			b = b[reclen:]
			if binary.NativeEndian.Uint64(rec[direntIno:]) == 0 {
				continue // a deleted entry
			}
			name := rec[direntName:]
			if i := bytes.IndexByte(name, 0); i >= 0 {
				name = name[:i]
			}
			if string(name) == "." || string(name) == ".." {
				continue
			}
			out = append(out, dirent{name: string(name), typ: rec[direntType]})
		}
	}
}

// openFD opens name with O_CLOEXEC added to flag, as os.OpenFile does.
func openFD(name string, flag int, perm uint32) (int, error) {
	for {
		fd, err := syscall.Open(name, flag|syscall.O_CLOEXEC, perm)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return -1, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return fd, nil
	}
}

// pwriteAll writes body at the start of the open file fd, named name,
// going on after a short write.
func pwriteAll(fd int, name string, body []byte) error {
	for off := 0; off < len(body); {
		n, err := syscall.Pwrite(fd, body[off:], int64(off))
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return &fs.PathError{Op: "write", Path: name, Err: err}
		}
		if n == 0 {
			return &fs.PathError{Op: "write", Path: name, Err: io.ErrUnexpectedEOF}
		}
		off += n
	}
	return nil
}

// closeFD closes fd, named name, and returns err, or the close's error if
// err is nil. The close is not retried on EINTR: Linux frees the
// descriptor whatever close returns.
func closeFD(fd int, name string, err error) error {
	if cerr := syscall.Close(fd); cerr != nil && err == nil && cerr != syscall.EINTR {
		err = &fs.PathError{Op: "close", Path: name, Err: cerr}
	}
	return err
}

// ignoringEINTR calls fn until it does not fail with EINTR.
func ignoringEINTR(fn func() error) error {
	for {
		if err := fn(); err != syscall.EINTR {
			return err
		}
	}
}
