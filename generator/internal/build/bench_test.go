package build

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"syscall"
	"testing"
	"time"

	"peerpress/generator/internal/corpus"
	"peerpress/generator/internal/cputime"
)

var large = flag.Bool("large", false, "also benchmark a 10,000-document corpus")

// BenchmarkBuild builds generated corpora of 1,000 (and with -large 10,000)
// documents, the search index included, and reports pages per second, the
// output's size and the process's peak memory.
//
//	go test ./generator/internal/build -run '^$' -bench Build -benchtime 3x [-args -large]
func BenchmarkBuild(b *testing.B) {
	forCorpora(b, func(b *testing.B, src string) {
		dest := filepath.Join(b.TempDir(), "public")
		opts := Options{Source: src, Destination: dest, Now: buildDate, NowIsDate: true}
		var res *Result
		var err error
		b.ResetTimer()
		start := time.Now()
		for b.Loop() {
			if res, err = Build(context.Background(), opts); err != nil {
				b.Fatal(err)
			}
		}
		elapsed := time.Since(start)
		b.StopTimer()
		var size int64
		_ = filepath.Walk(dest, func(_ string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() {
				size += info.Size()
			}
			return err
		})
		var ru syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		b.ReportMetric(float64(res.Pages)*float64(b.N)/elapsed.Seconds(), "pages/s")
		b.ReportMetric(float64(size)/1e6, "MB-out")
		b.ReportMetric(float64(ru.Maxrss)/1024, "MB-peak-rss")
	})
}

// BenchmarkSessionEdit measures Session.Update after one supporter's
// profile is saved: the rebuild behind `generator serve`, without the file
// watcher and HTTP (BenchmarkServeEdit in devserver has those).
//
//	go test ./generator/internal/build -run '^$' -bench SessionEdit [-args -large]
func BenchmarkSessionEdit(b *testing.B) {
	forCorpora(b, func(b *testing.B, src string) {
		s := NewSession(Options{Source: src, Now: buildDate, NowIsDate: true})
		ctx := context.Background()
		if _, err := s.Update(ctx, nil); err != nil {
			b.Fatal(err)
		}
		name := "content/supporters/supporter-00001.md"
		text, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			b.Fatal(err)
		}
		rendered := 0
		i := 0
		if f := os.Getenv("PP_CPUPROFILE"); f != "" {
			stop := cpuProfile(b, f)
			defer stop()
		}
		for b.Loop() {
			i++
			if err := os.WriteFile(filepath.Join(src, name), fmt.Appendf(text, "\nEdit %d.\n", i), 0o644); err != nil {
				b.Fatal(err)
			}
			sn, err := s.Update(ctx, []string{name})
			if err != nil {
				b.Fatal(err)
			}
			rendered = len(sn.Rendered)
			if os.Getenv("PP_SHOW") != "" && i == 2 {
				b.Log(sn.Rendered)
			}
		}
		b.ReportMetric(float64(rendered), "pages-rendered")
	})
}

// cpuProfile writes a CPU profile of what follows to file, until the
// returned function is called: the edits alone, without the corpus being
// written and built first.
func cpuProfile(b *testing.B, file string) func() {
	f, err := os.Create(file)
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// forCorpora runs bench on a generated corpus of 1,000 documents and, with
// -large, of 10,000, each in a sub-benchmark named by its size.
func forCorpora(b *testing.B, bench func(b *testing.B, src string)) {
	sizes := []int{1000}
	if *large {
		sizes = append(sizes, 10000)
	}
	siteYAML, err := os.ReadFile(filepath.Join(exampleSite, "site.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			src := b.TempDir()
			if err := corpus.Write(src, corpus.Options{Docs: n, SiteYAML: siteYAML}); err != nil {
				b.Fatal(err)
			}
			bench(b, src)
		})
	}
}

// BenchmarkSearchShare measures what building the search index adds to a
// build: it builds the corpus with the index and without it, in turns
// (five of each, -benchtime aside), under the memory limit the command
// sets, and reports the median wall and CPU time of each and how much
// the index adds to each, in percent. The index is built alongside the
// pages, so it adds less wall time than CPU time when a core is free, and
// more when the memory it holds makes the collector work harder.
//
//	go test ./generator/internal/build -run '^$' -bench SearchShare -benchtime 1x [-args -large]
func BenchmarkSearchShare(b *testing.B) {
	forCorpora(b, func(b *testing.B, src string) {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(MemoryLimit(src)))
		dest := filepath.Join(b.TempDir(), "public")
		const rounds = 5
		var wall, cpu [2][]time.Duration // [with, without]
		for b.Loop() {
			for range rounds {
				for i, noSearch := range []bool{false, true} {
					opts := Options{Source: src, Destination: dest, Now: buildDate, NowIsDate: true, noSearch: noSearch}
					runtime.GC()
					start, startCPU := time.Now(), cputime.Process()
					if _, err := Build(context.Background(), opts); err != nil {
						b.Fatal(err)
					}
					wall[i] = append(wall[i], time.Since(start))
					cpu[i] = append(cpu[i], cputime.Process()-startCPU)
				}
			}
		}
		median := func(d []time.Duration) time.Duration {
			slices.Sort(d)
			return d[len(d)/2]
		}
		w, wo := median(wall[0]), median(wall[1])
		c, co := median(cpu[0]), median(cpu[1])
		b.ReportMetric(w.Seconds(), "s-wall")
		b.ReportMetric(wo.Seconds(), "s-wall-without-index")
		b.ReportMetric(c.Seconds(), "s-cpu")
		b.ReportMetric(co.Seconds(), "s-cpu-without-index")
		b.ReportMetric(100*(w-wo).Seconds()/wo.Seconds(), "%-wall-added")
		b.ReportMetric(100*(c-co).Seconds()/co.Seconds(), "%-cpu-added")
	})
}
