// Package par runs a loop's iterations on all cores.
package par

import (
	"context"
	"runtime"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// Each calls f with every index in [0, n) on workers goroutines, or one a
// core when workers is 0 or less: each goroutine takes the next index
// until none is left. It returns the first error f returns, after which
// the indexes not yet taken are skipped, or ctx's error if it is
// cancelled first.
//
// A few long-lived goroutines, not one an index, because a goroutine
// starts on a small stack: work that goes deep, such as executing a
// template or decoding YAML, grows it by copying, and at ten thousand
// pages that was 0.2 CPU-s of a build. It also spares each index the
// cost of starting a goroutine, which is more than some iterations'
// own.
func Each(ctx context.Context, n, workers int, f func(i int) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var next atomic.Int64
	g, ctx := errgroup.WithContext(ctx)
	for range min(n, workers) {
		g.Go(func() error {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return nil
				}
				if err := ctx.Err(); err != nil {
					return err
				}
				if err := f(i); err != nil {
					return err
				}
			}
		})
	}
	return g.Wait()
}
