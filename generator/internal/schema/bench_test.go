package schema

import (
	"context"
	"flag"
	"os"
	"testing"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/content"
	"peerpress/generator/internal/corpus"
	"peerpress/generator/internal/cputime"
	"peerpress/generator/internal/decode"
)

var corpusDir = flag.String("corpus", "", "benchmark checking this site (such as /tmp/pp/c10k) instead of a generated 1,000-document corpus")

// loadBench loads the site benchmarks check: -corpus, or a generated
// corpus of 1,000 documents with the example site's site.yaml.
func loadBench(b *testing.B) ([]*content.Page, *config.Config) {
	b.Helper()
	dir := *corpusDir
	if dir == "" {
		siteYAML, err := os.ReadFile("../../../site.yaml")
		if err != nil {
			b.Fatal(err)
		}
		dir = b.TempDir()
		if err := corpus.Write(dir, corpus.Options{Docs: 1000, SiteYAML: siteYAML}); err != nil {
			b.Fatal(err)
		}
	}
	fsys := os.DirFS(dir)
	cfg, diags := config.Load(fsys)
	if diags.Err() != nil {
		b.Fatal(diags)
	}
	pages, _, err := content.Load(context.Background(), fsys, cfg)
	if err != nil {
		b.Fatal(err)
	}
	return pages, cfg
}

// BenchmarkCheck runs every check over a corpus, as a build's validate
// phase does.
//
//	go test ./generator/internal/schema -run '^$' -bench Check -benchmem [-args -corpus /tmp/pp/c10k]
func BenchmarkCheck(b *testing.B) {
	pages, cfg := loadBench(b)
	opts := Options{Exists: func(string) bool { return true }, Layouts: []string{}, Today: decode.Date{Year: 2026, Month: 11, Day: 22}}
	start := cputime.Process()
	for b.Loop() {
		if d := Check(pages, cfg, opts); d.Err() != nil {
			b.Fatal(d)
		}
	}
	cputime.Report(b, b.N, start)
}
