package forms

import (
	"context"
	"sync"
	"time"
)

// rateLimiter limits each client's submissions with a token bucket: burst
// at once, then one per every, the bucket never holding more than burst.
// allow takes a token from client's bucket at now, reporting whether
// there was one; an error means it could not tell (the database is
// unreachable), and the server then refuses as for a store that cannot
// save.
//
// A single server (SQLite) keeps the buckets in memory (limiter); servers
// sharing PostgreSQL keep them in a table there (pgLimiter), so that the
// limit is per client however many servers it reaches.
type rateLimiter interface {
	allow(ctx context.Context, client string, now time.Time) (bool, error)
}

// memoryLimiter is the rateLimiter of a server that has its clients to
// itself.
type memoryLimiter struct{ *limiter }

func (m memoryLimiter) allow(_ context.Context, client string, now time.Time) (bool, error) {
	return m.limiter.allow(client, now), nil
}

// limiter is a token bucket per client: burst submissions at once, then
// one per every. It forgets clients whose bucket has filled up again, so
// its memory is bounded by the clients of the last few minutes.
type limiter struct {
	mu      sync.Mutex
	burst   float64
	every   time.Duration
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// maxClients is how many buckets the limiter keeps before it sweeps out
// the full ones.
const maxClients = 10000

func newLimiter(burst int, every time.Duration) *limiter {
	return &limiter{burst: float64(burst), every: every, buckets: map[string]*bucket{}}
}

// allow takes a token from client's bucket, reporting whether there was
// one.
func (l *limiter) allow(client string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[client]
	if !ok {
		if len(l.buckets) >= maxClients {
			l.sweep(now)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[client] = b
	}
	b.refill(l, now)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (b *bucket) refill(l *limiter, now time.Time) {
	if d := now.Sub(b.at); d > 0 {
		b.tokens = min(l.burst, b.tokens+float64(d)/float64(l.every))
		b.at = now
	}
}

func (l *limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		b.refill(l, now)
		if b.tokens >= l.burst {
			delete(l.buckets, k)
		}
	}
}
