package devserver

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"testing"
	"time"

	"peerpress/generator/internal/build"
	"peerpress/generator/internal/corpus"
)

var (
	large = flag.Bool("large", false, "benchmark a 10,000-document corpus as well")
	edits = flag.Int("edits", 200, "edits per corpus size in BenchmarkServeEdit")
)

// BenchmarkServeEdit runs `generator serve` on a generated corpus, then
// saves one supporter profile after another, as an editor would, and
// measures from each save to the moment the server serves the edited page:
// the file watcher's quiet period, the rebuild and the HTTP request. It
// prints the median and the 90th percentile, a layout change's time, and
// the heap before and after the edits (which must not grow with them).
//
//	go test ./generator/internal/devserver -run '^$' -bench ServeEdit -benchtime 1x [-args -large -edits 1000]
func BenchmarkServeEdit(b *testing.B) {
	sizes := []int{1000}
	if *large {
		sizes = append(sizes, 10000)
	}
	siteYAML, err := os.ReadFile(filepath.Join("..", "..", "..", "site.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			src := b.TempDir()
			if err := corpus.Write(src, corpus.Options{Docs: n, SiteYAML: siteYAML}); err != nil {
				b.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			addr := make(chan string, 1)
			done := make(chan error, 1)
			go func() {
				done <- Run(ctx, Options{Build: build.Options{Source: src, Now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), NowIsDate: true},
					Addr: "127.0.0.1:0", Log: io.Discard}, func(a string) { addr <- a })
			}()
			base := "http://" + <-addr
			supporters, err := filepath.Glob(filepath.Join(src, "content", "supporters", "*.md"))
			if err != nil || len(supporters) == 0 {
				b.Fatal("no supporters in the corpus", err)
			}
			slices.Sort(supporters)
			// The heap is compared with the site-wide files (search index,
			// sitemap) made, as they are after an edit once the background
			// work is done.
			waitFor(b, base+"/sitemap.xml", "<urlset")
			heapBefore := heap()
			var times []time.Duration
			if f := os.Getenv("PP_CPUPROFILE"); f != "" {
				// A CPU profile of the edits alone, for finding where an
				// edit's time goes.
				out, err := os.Create(f)
				if err != nil {
					b.Fatal(err)
				}
				if err := pprof.StartCPUProfile(out); err != nil {
					b.Fatal(err)
				}
				defer out.Close()
				defer pprof.StopCPUProfile()
			}
			for b.Loop() {
				times = times[:0]
				for i := range *edits {
					file := supporters[(i*7919)%len(supporters)]
					slug := strings.TrimSuffix(filepath.Base(file), ".md")
					marker := fmt.Sprintf("edit-%d-%d", b.N, i)
					times = append(times, saveAndWait(b, file, base+"/supporters/"+slug+"/", marker))
				}
			}
			waitFor(b, base+"/sitemap.xml", "<urlset")
			heapAfter := heap()
			slices.Sort(times)
			b.ReportMetric(ms(times[len(times)/2]), "ms-median")
			b.ReportMetric(ms(times[len(times)*9/10]), "ms-p90")
			b.ReportMetric(float64(heapBefore)/1e6, "MB-heap-before")
			b.ReportMetric(float64(heapAfter)/1e6, "MB-heap-after")

			// A layout change: the supporter layout, overridden by the site.
			theme, err := os.ReadFile(filepath.Join("..", "layout", "theme", "layouts", "supporter.html"))
			if err != nil {
				b.Fatal(err)
			}
			layout := filepath.Join(src, "layouts", "supporter.html")
			if err := os.MkdirAll(filepath.Dir(layout), 0o755); err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			text := strings.Replace(string(theme), `{{define "main"}}`, `{{define "main"}}<p>layout-edit</p>`, 1)
			if err := os.WriteFile(layout, []byte(text), 0o644); err != nil {
				b.Fatal(err)
			}
			waitFor(b, base+"/supporters/"+strings.TrimSuffix(filepath.Base(supporters[0]), ".md")+"/", "layout-edit")
			b.ReportMetric(ms(time.Since(start)), "ms-layout")
			cancel()
			if err := <-done; err != nil {
				b.Fatal(err)
			}
		})
	}
}

// saveAndWait appends a paragraph with marker to a supporter's file and
// returns how long it took for the page at url to show it.
func saveAndWait(b *testing.B, file, url, marker string) time.Duration {
	text, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := os.WriteFile(file, append(text, "\n"+marker+"\n"...), 0o644); err != nil {
		b.Fatal(err)
	}
	waitFor(b, url, marker)
	return time.Since(start)
}

// client polls the server. One client, reusing its connections, so that
// the heap measured is the server's and not that of thousands of idle
// connections, one per poll.
var client = &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{}).DialContext}}

// waitFor polls url until its body contains marker.
func waitFor(b *testing.B, url, marker string) {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := client.Get(url)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(body), marker) {
				return
			}
		}
		time.Sleep(time.Millisecond)
	}
	b.Fatalf("%s never showed %q", url, marker)
}

func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
