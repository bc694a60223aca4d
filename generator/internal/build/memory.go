package build

import (
	"io/fs"
	"path/filepath"
)

// MemoryLimit is the soft memory limit (runtime/debug.SetMemoryLimit) for
// a build of the site at source: 4.5 times the size of content/ plus 64
// MiB, which measured builds stay within with the collector only working
// harder near their peak. The limit never fails a build: past it, the
// collector runs more often (and at most half the CPU), so a site that
// needs more memory still builds.
func MemoryLimit(source string) int64 {
	var size int64
	_ = filepath.WalkDir(filepath.Join(source, "content"), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				size += info.Size()
			}
		}
		return nil
	})
	return size*9/2 + 64<<20
}
