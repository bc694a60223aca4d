package markdown

import (
	"context"
	"flag"
	"os"
	"testing"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/content"
	"peerpress/generator/internal/corpus"
	"peerpress/generator/internal/cputime"
)

var corpusDir = flag.String("corpus", "", "benchmark rendering the bodies of this site (such as /tmp/pp/c10k) instead of a generated 1,000-document corpus")

// benchBodies returns the Markdown bodies of -corpus, or of a generated
// corpus of 1,000 documents.
func benchBodies(b testing.TB) [][]byte {
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
	bodies := make([][]byte, len(pages))
	for i, p := range pages {
		bodies[i] = p.Body
	}
	return bodies
}

// BenchmarkRender renders every body of a corpus one after another, on one
// core; the build spreads the same work over GOMAXPROCS workers.
//
//	go test ./generator/internal/markdown -run '^$' -bench Render -benchmem [-args -corpus /tmp/pp/c10k]
func BenchmarkRender(b *testing.B) {
	bodies := benchBodies(b)
	r := New(Options{BasePath: "/peer-support/"})
	start := cputime.Process()
	var size int
	for b.Loop() {
		size = 0
		for _, body := range bodies {
			res, err := r.Render(body)
			if err != nil {
				b.Fatal(err)
			}
			size += len(res.HTML)
		}
	}
	b.ReportMetric(float64(size)/1e6, "MB-html")
	cputime.Report(b, b.N, start)
}
