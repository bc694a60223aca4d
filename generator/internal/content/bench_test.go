package content

import (
	"context"
	"flag"
	"os"
	"runtime"
	"testing"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/corpus"
	"peerpress/generator/internal/cputime"
)

// kept holds the last loaded pages, so that a -memprofile shows what they
// retain.
var kept []*Page

var corpusDir = flag.String("corpus", "", "benchmark loading this site (such as /tmp/pp/c10k) instead of a generated 1,000-document corpus")

// benchSite returns the root of the site benchmarks load: -corpus, or a
// generated corpus of 1,000 documents with the example site's site.yaml.
func benchSite(b *testing.B) string {
	b.Helper()
	if *corpusDir != "" {
		return *corpusDir
	}
	siteYAML, err := os.ReadFile("../../../site.yaml")
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if err := corpus.Write(dir, corpus.Options{Docs: 1000, SiteYAML: siteYAML}); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkLoad loads every content file of a corpus, and reports the heap
// the loaded pages keep alive (what a build holds from load to the end).
//
//	go test ./generator/internal/content -run '^$' -bench Load -benchmem [-args -corpus /tmp/pp/c10k]
func BenchmarkLoad(b *testing.B) {
	fsys := os.DirFS(benchSite(b))
	cfg, diags := config.Load(fsys)
	if diags.Err() != nil {
		b.Fatal(diags)
	}
	start := cputime.Process()
	var retained uint64
	for b.Loop() {
		var before, after runtime.MemStats
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		pages, _, err := Load(context.Background(), fsys, cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.StartTimer()
		retained = after.HeapAlloc - before.HeapAlloc
		kept = pages
	}
	b.ReportMetric(float64(retained)/1e6, "MB-retained")
	cputime.Report(b, b.N, start)
}
