package build

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"peerpress/generator/internal/corpus"
)

var large = flag.Bool("large", false, "also benchmark a 10,000-document corpus")

// BenchmarkBuild builds generated corpora of 1,000 (and with -large 10,000)
// documents, the search index included, and reports pages per second, the
// output's size and the process's peak memory.
//
//	go test ./generator/internal/build -run '^$' -bench Build -benchtime 3x [-args -large]
func BenchmarkBuild(b *testing.B) {
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
			dest := filepath.Join(b.TempDir(), "public")
			opts := Options{Source: src, Destination: dest, Now: buildDate, NowIsDate: true}
			var res *Result
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
}
