package par

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

// TestEach checks that every index is visited exactly once, for any
// number of workers, including more workers than indexes and none.
func TestEach(t *testing.T) {
	for _, tt := range []struct{ n, workers int }{{0, 0}, {1, 0}, {5, 2}, {1000, 3}, {3, 8}, {100, 1}} {
		seen := make([]atomic.Int32, tt.n)
		if err := Each(context.Background(), tt.n, tt.workers, func(i int) error {
			seen[i].Add(1)
			return nil
		}); err != nil {
			t.Fatalf("Each(%d, %d) = %v", tt.n, tt.workers, err)
		}
		for i := range seen {
			if got := seen[i].Load(); got != 1 {
				t.Errorf("Each(%d, %d) visited index %d %d times, want once", tt.n, tt.workers, i, got)
			}
		}
	}
}

// TestEachError checks that the first error is returned and that the
// indexes after it are not all visited.
func TestEachError(t *testing.T) {
	stop := errors.New("stop")
	var visited atomic.Int32
	err := Each(context.Background(), 10000, 2, func(i int) error {
		visited.Add(1)
		if i == 10 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatalf("Each = %v, want %v", err, stop)
	}
	if n := visited.Load(); n == 10000 {
		t.Errorf("Each visited all %d indexes after an error, want it to stop", n)
	}
}

// TestEachCancelled checks that a cancelled context stops the loop with
// its error.
func TestEachCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Each(ctx, 100, 2, func(int) error {
		t.Error("f called after the context was cancelled")
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Each = %v, want %v", err, context.Canceled)
	}
}
