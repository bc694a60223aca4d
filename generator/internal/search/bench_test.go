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
	"runtime"
	"testing"
	"time"

	"peerpress/generator/internal/build"
	"peerpress/generator/internal/corpus"
	"peerpress/generator/internal/cputime"
	"peerpress/generator/internal/markdown"
	"peerpress/generator/internal/search"
	"peerpress/generator/internal/site"
)

// benchQueries are what the benchmark searches the generated corpus for:
// two words, a word, a name, prefixes being typed, a typo, phrases of two
// common words (both in every page; one in a sixth of them), with a stop
// word inside, of three common words (in every supporter's page; in the
// body text) and of a rare word and common ones, a word with filters and
// browsing by facets.
var benchQueries = []map[string]any{
	{"q": "finance rural"},
	{"q": "wellbeing"},
	{"q": "priya patel"},
	{"q": "fin"},
	{"q": "safeg"},
	{"q": "finance ru"},
	{"q": "curriculm "},
	{"q": `"peer review"`},
	{"q": `"curriculum design"`},
	{"q": `"review of reading"`},
	{"q": `"head of school"`},
	{"q": `"school improvement service"`},
	{"q": `"leaders peer school"`},
	{"q": `"oakhurst primary school"`},
	{"q": "coaching", "sel": map[string][]string{"region": {"north"}, "phase": {"primary", "secondary"}}},
	{"q": "", "sel": map[string][]string{"section": {"training"}, "when": {"upcoming"}}},
}

// cpuRuns is how many times BenchmarkIndex builds the site, and the index
// alone, to take the least CPU time of each.
const cpuRuns = 3

// BenchmarkIndex generates corpora of 1,000 and 10,000 documents with the
// corpus package, builds each site and its index, and prints the index's
// files, its size, the gzipped bytes a browser fetches before the first
// result and before the first page of ten, the build times and the index
// build's CPU time measured alone against the site build's (what it adds
// to a real build is BenchmarkSearchShare's, in package build), and the
// time per query in search.js under node.
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
			// The least of a few builds' times: other work on the machine
			// only ever adds to them.
			var siteTime, siteCPU time.Duration
			for i := range cpuRuns {
				start, startCPU := time.Now(), cputime.Process()
				if _, err := build.Build(context.Background(), opts); err != nil {
					b.Fatal(err)
				}
				t, c := time.Since(start), cputime.Process()-startCPU
				if i == 0 || t < siteTime {
					siteTime = t
				}
				if i == 0 || c < siteCPU {
					siteCPU = c
				}
			}
			p, err := build.Load(context.Background(), opts)
			if err != nil {
				b.Fatal(err)
			}
			s, err := site.New(context.Background(), p.Pages, p.Config, markdown.New(markdown.Options{}), site.Options{Now: now})
			if err != nil {
				b.Fatal(err)
			}
			var files []search.File
			var docs []search.Doc
			var facets []search.Facet
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			b.ReportAllocs()
			b.ResetTimer()
			var fromSite, index time.Duration
			for b.Loop() {
				start := time.Now()
				docs, facets = search.FromSite(s)
				fromSite += time.Since(start)
				start = time.Now()
				if files, err = search.Build(docs, facets, search.DefaultOptions()); err != nil {
					b.Fatal(err)
				}
				index += time.Since(start)
			}
			b.StopTimer()
			runtime.ReadMemStats(&after)
			var indexCPU time.Duration
			for i := range cpuRuns {
				start := cputime.Process()
				docs, facets := search.FromSite(s)
				if _, err := search.Build(docs, facets, search.DefaultOptions()); err != nil {
					b.Fatal(err)
				}
				if c := cputime.Process() - start; i == 0 || c < indexCPU {
					indexCPU = c
				}
			}
			fromSite /= time.Duration(b.N)
			index /= time.Duration(b.N)
			allocMB := float64(after.TotalAlloc-before.TotalAlloc) / float64(b.N) / (1 << 20)
			mallocs := (after.Mallocs - before.Mallocs) / uint64(b.N)

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
			// The index's CPU time measured alone (garbage collection
			// included), against the whole build's, which includes it; the
			// least of cpuRuns each. In a real build it costs more, since it
			// shares the cores and the memory limit with rendering: what it
			// adds there is BenchmarkSearchShare's (in package build).
			share := "CPU time not measured"
			if siteCPU > 0 {
				share = fmt.Sprintf("%.1f%% of the site build's CPU, measured alone", 100*indexCPU.Seconds()/siteCPU.Seconds())
			}
			report("%d documents: %d index files, %d KB (%d KB gzipped); site build %v (CPU %v); index build %v (documents from the site %v), CPU %v, %s; %.0f MB allocated in %d allocations",
				len(docs), len(files), total>>10, totalGz>>10, siteTime.Round(time.Millisecond), siteCPU.Round(time.Millisecond),
				(fromSite + index).Round(time.Millisecond), fromSite.Round(time.Millisecond), indexCPU.Round(time.Millisecond), share, allocMB, mallocs)
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
				Q       string   `json:"q"`
				Results int      `json:"results"`
				Exact   bool     `json:"exact"`
				Same    bool     `json:"same"`
				First   [][2]any `json:"first"`
				Full    [][2]any `json:"full"`
				QuickMs float64  `json:"quickMs"`
				Ms      float64  `json:"ms"`
			}
			if err := json.Unmarshal(out, &got); err != nil {
				b.Fatal(err)
			}
			// A whole file counts its gzipped size; a byte range its
			// bytes, which servers send as they are.
			sum := func(fetches [][2]any) (n, files int) {
				seen := map[string]bool{}
				for _, f := range fetches {
					name := f[0].(string)
					if f[1] == nil {
						n += gz[name]
					} else {
						n += int(f[1].(float64))
					}
					if !seen[name] {
						seen[name] = true
						files++
					}
				}
				return n, files
			}
			report("  query                results  first tier: KB (files, requests)  exact  then full tier: KB    ms/query quick, full")
			for _, g := range got {
				first, firstFiles := sum(g.First)
				full, _ := sum(g.Full)
				exact := "same"
				if !g.Same {
					exact = "differs"
				}
				if g.Exact {
					exact = "exact"
				}
				report("  %-20q %7d  %6.1f KB (%2d, %2d)  %-8s  +%6.1f KB  %5.2f, %5.2f",
					g.Q, g.Results, float64(first)/1024, firstFiles, len(g.First), exact, float64(full)/1024, g.QuickMs, g.Ms)
			}
		})
	}
}

// BenchmarkBuild times the index build alone, the documents read from an
// assembled site and the files made, on generated sites of 1,000 and
// 10,000 documents; for profiles of the index build:
//
//	go test ./generator/internal/search -run '^$' -bench Build/docs=10000 -benchtime 5x -cpuprofile cpu.out -memprofile mem.out
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			s := generatedSite(b, n)
			b.ReportAllocs()
			start := cputime.Process()
			for b.Loop() {
				docs, facets := search.FromSite(s)
				if _, err := search.Build(docs, facets, search.DefaultOptions()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cputime.Process()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
		})
	}
}

// generatedSite generates a corpus of n documents and assembles its site.
func generatedSite(b *testing.B, n int) *site.Site {
	siteYAML, err := os.ReadFile(filepath.Join("..", "..", "..", "site.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	src := b.TempDir()
	if err := corpus.Write(src, corpus.Options{Docs: n, SiteYAML: siteYAML}); err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	opts := build.Options{Source: src, Destination: filepath.Join(b.TempDir(), "public"), Now: now, NowIsDate: true}
	p, err := build.Load(context.Background(), opts)
	if err != nil {
		b.Fatal(err)
	}
	s, err := site.New(context.Background(), p.Pages, p.Config, markdown.New(markdown.Options{}), site.Options{Now: now})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// report prints a line of the benchmark's figures on standard output,
// which go test shows whole, where b.Log would cut the table short.
func report(format string, args ...any) {
	fmt.Printf(format+"\n", args...)
}

// benchDriver answers each query from a fresh engine: its first tier and
// the first ten records, recording the files and byte ranges it fetches,
// then its full tier; then times both once everything is loaded.
const benchDriver = `
const s = require(process.env.SEARCH_JS), fs = require('fs'), path = require('path');
const dir = process.env.INDEX_DIR;
let log = [];
const io = {
  json: f => { log.push([f, null]); return Promise.resolve(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))); },
  bytes: (f, from, to) => { log.push([f, to - from]); return Promise.resolve(fs.readFileSync(path.join(dir, f)).subarray(from, to)); },
};
(async () => {
  const m = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'));
  const out = [];
  for (const q of JSON.parse(fs.readFileSync(0, 'utf8'))) {
    log = [['index.json', null]];
    const e = new s.Engine(m, io), args = [q.q, q.sel || {}, null, null];
    const r1 = await e.quick(...args);
    const top1 = r1.results.slice(0, 10).map(x => x.doc);
    await e.docs(top1);
    const first = log;
    log = [];
    let r = await e.run(...args);
    await e.docs(r.results.slice(0, 10).map(x => x.doc));
    const full = log;
    const same = top1.join() === r.results.slice(0, top1.length).map(x => x.doc).join();
    const time = async f => { const runs = 20, t0 = process.hrtime.bigint(); for (let i = 0; i < runs; i++) await f(); return Number(process.hrtime.bigint() - t0) / 1e6 / runs; };
    const quickMs = await time(() => e.quick(...args));
    const ms = await time(() => e.run(...args));
    out.push({q: q.q + (q.sel ? ' +filters' : ''), results: r.results.length, exact: r1.exact, same, first, full, quickMs, ms});
  }
  process.stdout.write(JSON.stringify(out));
})().catch(e => { console.error(e); process.exit(1); });
`
