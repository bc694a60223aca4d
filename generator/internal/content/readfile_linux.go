//go:build linux

package content

import (
	"io/fs"
	"syscall"
)

// readOSFile reads the content file at full on disk, named name, exactly as
// readFile does through fs.FS, with plain system calls: open, fstat, read
// and close. Opening an *os.File costs four fcntl calls and a failing
// epoll_ctl besides, as Go tries to register the file with its poller;
// that was more than half of the system calls of loading 10,000 files.
// Errors are those os.DirFS gives, naming the file. done is always true.
func readOSFile(full, name string) (data []byte, done bool, err error) {
	var fd int
	for {
		fd, err = syscall.Open(full, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, true, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	size := -1 // unknown
	var st syscall.Stat_t
	if err := fstat(fd, &st); err == nil && st.Mode&syscall.S_IFMT == syscall.S_IFREG {
		size = int(min(st.Size, MaxFileSize+1))
	}
	buf := make([]byte, 0, max(size, 512))
	// As in readFile, a file read to its size is not read again to find
	// its end, and no more than one byte past MaxFileSize is read.
	for len(buf) != size && len(buf) < MaxFileSize+1 {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := syscall.Read(fd, buf[len(buf):min(cap(buf), MaxFileSize+1)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, true, &fs.PathError{Op: "read", Path: full, Err: err}
		}
		if n == 0 {
			break
		}
		buf = buf[:len(buf)+n]
	}
	return buf, true, nil
}

// fstat is syscall.Fstat, going on after EINTR.
func fstat(fd int, st *syscall.Stat_t) error {
	for {
		if err := syscall.Fstat(fd, st); err != syscall.EINTR {
			return err
		}
	}
}
