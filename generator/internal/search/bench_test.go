package search_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"peerpress/generator/internal/build"
	"peerpress/generator/internal/corpus"
	"peerpress/generator/internal/markdown"
	"peerpress/generator/internal/search"
	"peerpress/generator/internal/site"
)

// benchQueries are what the benchmark searches the generated corpus for:
// words, a name, a prefix, a typo, a phrase and facet browsing.
var benchQueries = []map[string]any{
	{"q": "finance rural"},
	{"q": "wellbeing"},
	{"q": "priya patel"},
	{"q": "safeg"},
	{"q": "curriculm "},
	{"q": `"peer review"`},
	{"q": "coaching", "sel": map[string][]string{"region": {"north"}, "phase": {"primary", "secondary"}}},
	{"q": "", "sel": map[string][]string{"section": {"training"}, "when": {"upcoming"}}},
}

// BenchmarkIndex generates corpora of 1,000 and 10,000 documents with the
// corpus package, builds each site and its index, and prints the index's
// files, its size, the gzipped bytes a browser fetches before the first
// result and before the first page of ten, the build times, and the time
// per query in search.js under node.
//
//	go test ./generator/internal/search -run '^$' -bench Index -benchtime 1x
func BenchmarkIndex(b *testing.B) {
	siteYAML, err := os.ReadFile(filepath.Join("..", "..", "..", "site.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			src := b.TempDir()
			if err := corpus.Write(src, corpus.Options{Docs: n, SiteYAML: siteYAML}); err != nil {
				b.Fatal(err)
			}
			now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
			opts := build.Options{Source: src, Destination: filepath.Join(b.TempDir(), "public"), Now: now, NowIsDate: true}
			start := time.Now()
			if _, err := build.Build(context.Background(), opts); err != nil {
				b.Fatal(err)
			}
			siteTime := time.Since(start)
			p, err := build.Load(context.Background(), opts)
			if err != nil {
				b.Fatal(err)
			}
			s, err := site.New(context.Background(), p.Pages, p.Config, markdown.New(markdown.Options{}), site.Options{Now: now})
			if err != nil {
				b.Fatal(err)
			}
			var files []search.File
			b.ResetTimer()
			start = time.Now()
			for b.Loop() {
				docs, facets := search.FromSite(s)
				if files, err = search.Build(docs, facets, search.DefaultOptions()); err != nil {
					b.Fatal(err)
				}
			}
			indexTime := time.Since(start) / time.Duration(b.N)
			b.StopTimer()

			dir := b.TempDir()
			gz := map[string]int{}
			total, totalGz := 0, 0
			for _, f := range files {
				p := filepath.Join(dir, filepath.FromSlash(f.Path))
				_ = os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, f.Body, 0o644); err != nil {
					b.Fatal(err)
				}
				var buf bytes.Buffer
				w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
				w.Write(f.Body)
				w.Close()
				gz[f.Path[len(search.Dir)+1:]] = buf.Len()
				total += len(f.Body)
				totalGz += buf.Len()
			}
			b.Logf("%d documents: %d index files, %d KB (%d KB gzipped); site build %v, index build %v (%.1f%% of the build)",
				n, len(files), total>>10, totalGz>>10, siteTime.Round(time.Millisecond), indexTime.Round(time.Millisecond), 100*indexTime.Seconds()/siteTime.Seconds())
			node, err := exec.LookPath("node")
			if err != nil {
				b.Log("node is not installed: no query figures")
				return
			}
			body, _ := json.Marshal(benchQueries)
			script, _ := filepath.Abs(filepath.Join("..", "layout", "theme", "assets", "search.js"))
			cmd := exec.Command(node, "-e", benchDriver)
			cmd.Env = append(os.Environ(), "SEARCH_JS="+script, "INDEX_DIR="+filepath.Join(dir, search.Dir))
			cmd.Stdin = bytes.NewReader(body)
			cmd.Stderr = os.Stderr
			out, err := cmd.Output()
			if err != nil {
				b.Fatal(err)
			}
			var got []struct {
				Results int      `json:"results"`
				First   []string `json:"first"`
				Page    []string `json:"page"`
				Ms      float64  `json:"ms"`
				Q       string   `json:"q"`
			}
			if err := json.Unmarshal(out, &got); err != nil {
				b.Fatal(err)
			}
			sum := func(files []string) int {
				n := 0
				for _, f := range files {
					n += gz[f]
				}
				return n
			}
			for _, g := range got {
				b.Logf("  %-16q %5d results, %5.2f ms/query; gzipped fetch %3d KB to the first result (%d files), %3d KB to the first ten (%d files)",
					g.Q, g.Results, g.Ms, sum(g.First)>>10, len(g.First), sum(g.Page)>>10, len(g.Page))
			}
		})
	}
}

// benchDriver answers each query from a fresh engine, recording the files
// it loads, then times the query again once they are loaded.
const benchDriver = `
const s = require(process.env.SEARCH_JS), fs = require('fs'), path = require('path');
const dir = process.env.INDEX_DIR;
(async () => {
  const out = [];
  for (const q of JSON.parse(fs.readFileSync(0, 'utf8'))) {
    const loaded = ['index.json'];
    const load = f => { if (!loaded.includes(f)) loaded.push(f); return Promise.resolve(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))); };
    const e = new s.Engine(await load('index.json'), load);
    let r = await e.run(q.q, q.sel || {}, null, null);
    if (r.results.length) await e.doc(r.results[0].doc);
    const first = loaded.slice();
    for (const x of r.results.slice(0, 10)) await e.doc(x.doc);
    const page = loaded.slice();
    const runs = 20, t0 = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) { e.postings = {}; r = await e.run(q.q, q.sel || {}, null, null); }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6 / runs;
    out.push({q: q.q + (q.sel ? ' +filters' : ''), results: r.results.length, first, page, ms});
  }
  process.stdout.write(JSON.stringify(out));
})().catch(e => { console.error(e); process.exit(1); });
`
