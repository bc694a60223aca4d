package build

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"peerpress/generator/internal/content"
	"peerpress/generator/internal/corpus"
	"peerpress/generator/internal/cputime"
	"peerpress/generator/internal/layout"
	"peerpress/generator/internal/markdown"
	"peerpress/generator/internal/site"
)

var (
	renderCorpus = flag.String("render-corpus", "", "site to benchmark page rendering on (default: a generated 1,000-document corpus)")
	renderLayout = flag.String("render-layout", "", "render only the pages of this layout")
)

// BenchmarkRenderPages renders every page of a site on one goroutine, with
// layouts loaded afresh for each run so the per-build cache starts empty,
// and reports the CPU time and the bytes written per run. It isolates the
// "render pages" phase from loading, assembling and writing.
//
//	go test ./generator/internal/build -run '^$' -bench RenderPages -benchmem [-args -render-corpus /tmp/pp/c10k -render-layout facet]
func BenchmarkRenderPages(b *testing.B) {
	src := *renderCorpus
	if src == "" {
		src = b.TempDir()
		siteYAML, err := os.ReadFile(filepath.Join(exampleSite, "site.yaml"))
		if err != nil {
			b.Fatal(err)
		}
		if err := corpus.Write(src, corpus.Options{Docs: 1000, SiteYAML: siteYAML}); err != nil {
			b.Fatal(err)
		}
	}
	opts := Options{Source: src, Now: buildDate, NowIsDate: true}
	p, err := Load(context.Background(), opts)
	if err != nil {
		b.Fatal(err)
	}
	s, err := site.New(context.Background(), p.Pages, p.Config, markdown.New(markdown.Options{BasePath: p.Config.BasePath()}),
		site.Options{Now: opts.buildTime(p.Config), Hidden: func(pg *content.Page) bool { return p.Hidden[pg.File] }})
	if err != nil {
		b.Fatal(err)
	}
	outputs := s.Outputs()
	if *renderLayout != "" {
		outputs = slices.DeleteFunc(outputs, func(o site.Output) bool { return o.Layout != *renderLayout })
	}
	var size int64
	var cpu time.Duration
	perLayout := map[string]time.Duration{}
	defer func() {
		var sb strings.Builder
		for _, k := range slices.Sorted(maps.Keys(perLayout)) {
			fmt.Fprintf(&sb, "\n%-14s %6.3f s", k, (perLayout[k] / time.Duration(b.N)).Seconds())
		}
		fmt.Fprintf(os.Stderr, "CPU time of the rendering thread by layout, per run:%s\n", sb.String())
	}()
	// The loop's own thread's CPU time, by layout.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		lsrc := src
		if d := os.Getenv("PP_LAYOUTS"); d != "" {
			lsrc = d
		}
		layouts, diags := layout.Load(os.DirFS(lsrc), p.Config, site.Funcs(p.Config))
		if diags.Err() != nil {
			b.Fatal(diags)
		}
		before := cputime.Process()
		b.StartTimer()
		size = 0
		for _, o := range outputs {
			t0 := threadTime()
			var err error
			// Labelled, so a CPU profile can be read by layout (-tagfocus).
			// The page is used as the build uses it, from the buffer it
			// was rendered into.
			pprof.Do(context.Background(), pprof.Labels("layout", o.Layout), func(context.Context) {
				err = layouts.RenderFunc(o.Layout, o.View, func(page []byte) error {
					size += int64(len(page))
					return nil
				})
			})
			perLayout[o.Layout] += threadTime() - t0
			if err != nil {
				b.Fatal(err)
			}
		}
		cpu += cputime.Process() - before
	}
	b.ReportMetric(float64(size)/1e6, "MB-out")
	b.ReportMetric(float64(len(outputs)), "pages")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

// threadTime is the calling thread's user and system time so far.
func threadTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
