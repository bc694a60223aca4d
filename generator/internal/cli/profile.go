package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
)

// startProfiles starts a CPU profile into cpu and arranges a heap profile
// into mem, either name empty for none. The returned function stops the CPU
// profile and writes the heap profile; it reports failures on stderr only,
// since the build itself has finished by then.
func startProfiles(cpu, mem string) (stop func(), err error) {
	var cf *os.File
	if cpu != "" {
		if cf, err = os.Create(cpu); err != nil {
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
		if err := pprof.StartCPUProfile(cf); err != nil {
			cf.Close()
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
	}
	return func() {
		if cf != nil {
			pprof.StopCPUProfile()
			cf.Close()
		}
		if mem == "" {
			return
		}
		f, err := os.Create(mem)
		if err != nil {
			fmt.Fprintf(os.Stderr, "generator: --memprofile: %v\n", err)
			return
		}
		defer f.Close()
		runtime.GC()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			fmt.Fprintf(os.Stderr, "generator: --memprofile: %v\n", err)
		}
	}, nil
}

// limitMemory sets Go's soft memory limit for a build of the site at
// source, unless GOMEMLIMIT already says what it is: 4.5 times the size of
// content/ plus 64 MiB, which measured builds stay within with the
// collector only working harder near their peak. The limit never fails a
// build: past it, the collector runs more often (and at most half the
// CPU), so a site that needs more memory still builds.
func limitMemory(source string) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	var size int64
	_ = filepath.WalkDir(filepath.Join(source, "content"), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				size += info.Size()
			}
		}
		return nil
	})
	debug.SetMemoryLimit(size*9/2 + 64<<20)
}
