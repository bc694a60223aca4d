//go:build unix && !linux

package build

import (
	"os"
	"syscall"
)

// linked reports whether the file described by info has other hard links.
func linked(info os.FileInfo) bool {
	st, ok := info.Sys().(*syscall.Stat_t)
	return ok && st.Nlink > 1
}
