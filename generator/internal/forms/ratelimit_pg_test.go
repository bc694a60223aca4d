package forms

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"peerpress/generator/internal/forms/pgtest"
)

// TestRateLimitTwoServers runs two servers on one PostgreSQL database, as
// behind a load balancer, over HTTP, and sends one client's submissions to
// them in turn: exactly Burst are taken, and the rest are refused with 429,
// however they are spread over the servers.
func TestRateLimitTwoServers(t *testing.T) {
	where := pgtest.URL(t)
	public := writeSite(t, testManifest())
	const burst, extra = 4, 6
	now := fixedNow
	var urls [2]string
	for i := range urls {
		s, _ := newTestServerOn(t, backend{"postgres", func(testing.TB) string { return where }},
			Options{Public: public, Burst: burst, Rate: time.Minute, Now: func() time.Time { return now }})
		hs := httptest.NewServer(s.Handler())
		t.Cleanup(hs.Close)
		urls[i] = hs.URL
	}
	ok, limited := 0, 0
	for i := range burst + extra {
		code := postHTTP(t, urls[i%2]+"/forms/request-support", okRequest)
		switch code {
		case http.StatusOK:
			ok++
		case http.StatusTooManyRequests:
			limited++
		default:
			t.Fatalf("submission %d: %d", i, code)
		}
	}
	if ok != burst || limited != extra {
		t.Errorf("%d taken and %d refused, want %d and %d", ok, limited, burst, extra)
	}
}

// postHTTP posts body to u as a script (asking for JSON) and returns the
// status code.
func postHTTP(t testing.TB, u, body string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// newTestPGLimiter returns a limiter on a fresh PostgreSQL store: with
// the database's clock when dbClock is set.
func newTestPGLimiter(t testing.TB, where string, burst int, every time.Duration, dbClock bool) *pgLimiter {
	t.Helper()
	l, err := newPGLimiter(context.Background(), openAt(t, where), burst, every, dbClock)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestBucketMaths takes tokens at given times from the memory limiter and
// the PostgreSQL one alike, and both answer as a token bucket should: burst
// at once, one more per every, never more than burst saved up, and no
// refill while the clock is behind the last take.
func TestBucketMaths(t *testing.T) {
	const burst, every = 3, 10 * time.Second
	type take struct {
		client string
		at     time.Duration // after fixedNow
		want   bool
	}
	tests := []struct {
		name  string
		takes []take
	}{
		{"burst then refused", []take{{"a", 0, true}, {"a", 0, true}, {"a", 0, true}, {"a", 0, false}, {"a", 0, false}}},
		{"each client its own", []take{{"a", 0, true}, {"a", 0, true}, {"a", 0, true}, {"b", 0, true}, {"a", 0, false}, {"b", 0, true}}},
		{"one per every", []take{
			{"a", 0, true}, {"a", 0, true}, {"a", 0, true},
			{"a", 5 * time.Second, false},  // half a token
			{"a", 10 * time.Second, true},  // a whole one, taken
			{"a", 15 * time.Second, false}, // half again
			{"a", 19 * time.Second, false},
			{"a", 20 * time.Second, true},
		}},
		{"refused takes cost nothing", []take{
			{"a", 0, true}, {"a", 0, true}, {"a", 0, true},
			{"a", time.Second, false}, {"a", 2 * time.Second, false}, {"a", 3 * time.Second, false},
			{"a", 10 * time.Second, true},
		}},
		{"never more than burst", []take{
			{"a", 0, true}, {"a", 0, true}, {"a", 0, true},
			{"a", time.Hour, true}, {"a", time.Hour, true}, {"a", time.Hour, true}, {"a", time.Hour, false},
		}},
		{"fractions add up", []take{
			{"a", 0, true}, {"a", 0, true}, {"a", 0, true},
			{"a", 2500 * time.Millisecond, false}, {"a", 5 * time.Second, false}, {"a", 7500 * time.Millisecond, false},
			{"a", 10 * time.Second, true}, {"a", 10 * time.Second, false},
		}},
		{"clock behind", []take{
			{"a", time.Minute, true}, {"a", time.Minute, true}, {"a", time.Minute, true},
			{"a", 0, false},                // earlier: no refill
			{"a", 65 * time.Second, false}, // half a token since the minute
			{"a", 70 * time.Second, true},  // refilled from the minute, not from 0
			{"a", 75 * time.Second, false},
		}},
	}
	where := pgtest.URL(t)
	limiters := []struct {
		name string
		new  func() rateLimiter
	}{
		{"memory", func() rateLimiter { return memoryLimiter{newLimiter(burst, every)} }},
		{"postgres", func() rateLimiter {
			l := newTestPGLimiter(t, where, burst, every, false)
			if _, err := l.db.Exec(`DELETE FROM rate_buckets`); err != nil {
				t.Fatal(err)
			}
			return l
		}},
	}
	for _, lim := range limiters {
		for _, tt := range tests {
			t.Run(lim.name+"/"+tt.name, func(t *testing.T) {
				l := lim.new()
				for i, tk := range tt.takes {
					got, err := l.allow(context.Background(), tk.client, fixedNow.Add(tk.at))
					if err != nil {
						t.Fatal(err)
					}
					if got != tk.want {
						t.Errorf("take %d (%s at +%s) = %v, want %v", i, tk.client, tk.at, got, tk.want)
					}
				}
			})
		}
	}
}

// TestPGLimiterConcurrent takes tokens for one client from two servers'
// limiters (each with its own connections) at once, many at a time: no
// more than burst are ever taken in all, by the injected clock or the
// database's.
func TestPGLimiterConcurrent(t *testing.T) {
	for _, dbClock := range []bool{false, true} {
		t.Run(fmt.Sprintf("dbClock=%v", dbClock), func(t *testing.T) {
			where := pgtest.URL(t)
			const burst, tries = 10, 60
			// An hour a token: the database's clock moves on during the
			// test, but not by a token's worth.
			ls := [2]*pgLimiter{newTestPGLimiter(t, where, burst, time.Hour, dbClock), newTestPGLimiter(t, where, burst, time.Hour, dbClock)}
			var took atomic.Int64
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range tries {
				wg.Go(func() {
					<-start
					ok, err := ls[i%2].allow(context.Background(), "198.51.100.7", fixedNow)
					if err != nil {
						t.Error(err)
					}
					if ok {
						took.Add(1)
					}
				})
			}
			close(start)
			wg.Wait()
			if n := took.Load(); n != burst {
				t.Errorf("%d of %d taken at once through two servers, want %d", n, tries, burst)
			}
		})
	}
}

// rows is how many buckets the database holds.
func rows(t testing.TB, l *pgLimiter) int {
	t.Helper()
	var n int
	if err := l.db.QueryRow(`SELECT count(*) FROM rate_buckets`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPGLimiterSweep checks that a sweep deletes the buckets that have
// filled up again, and only those, and that a flood of distinct clients
// leaves only the recent ones in the table.
func TestPGLimiterSweep(t *testing.T) {
	where := pgtest.URL(t)
	const burst, every = 3, 10 * time.Second
	l := newTestPGLimiter(t, where, burst, every, false)
	l.sweepEvery = 1 << 30 // sweep only when told
	l.sweepAfter = 1000 * time.Hour
	l.swept.Store(fixedNow.UnixNano())
	ctx := context.Background()
	take := func(client string, at time.Duration) {
		if _, err := l.allow(ctx, client, fixedNow.Add(at)); err != nil {
			t.Fatal(err)
		}
	}
	for range burst {
		take("emptied", 0)
	}
	take("one taken", 0)
	take("one taken later", 5*time.Second)
	if n := rows(t, l); n != 3 {
		t.Fatalf("%d rows, want 3", n)
	}
	// At +10 s "one taken" is full again; "emptied" has one token of
	// three, "one taken later" two and a half.
	if n, err := l.sweep(ctx, fixedNow.Add(every)); err != nil || n != 1 {
		t.Errorf("sweep at +10s deleted %d, %v; want 1", n, err)
	}
	if n, err := l.sweep(ctx, fixedNow.Add(15*time.Second)); err != nil || n != 1 {
		t.Errorf("sweep at +15s deleted %d, %v; want 1", n, err)
	}
	if n, err := l.sweep(ctx, fixedNow.Add(29*time.Second)); err != nil || n != 0 {
		t.Errorf("sweep at +29s deleted %d, %v; want 0 (emptied has 2.9 tokens)", n, err)
	}
	if n, err := l.sweep(ctx, fixedNow.Add(30*time.Second)); err != nil || n != 1 || rows(t, l) != 0 {
		t.Errorf("sweep at +30s deleted %d, %v, left %d; want 1 and none left", n, err, rows(t, l))
	}

	// A flood: a new client every 100 ms, whose buckets are full again
	// 10 s later. Sweeping every 50 takes keeps at most the last 10 s of
	// clients (100) and 50 more.
	l.sweepEvery = 50
	most := 0
	for i := range 2000 {
		take(fmt.Sprintf("203.0.113.%d/%d", i%256, i), time.Minute+time.Duration(i)*100*time.Millisecond)
		if i%10 == 0 {
			most = max(most, rows(t, l))
		}
	}
	if most > 150 {
		t.Errorf("the table held %d buckets in a flood, want at most 150", most)
	}
	t.Logf("2000 clients in 200 s: at most %d buckets", most)
}

// TestPGLimiterSweptByTime checks that a quiet server's health checks
// sweep the table once sweepAfter has passed, so a client's row does not
// outlive its bucket's filling up by long.
func TestPGLimiterSweptByTime(t *testing.T) {
	now := fixedNow
	s, _ := newTestServerOn(t, postgresBackend, Options{Burst: 2, Rate: time.Minute, Now: func() time.Time { return now }})
	l := s.limits.(*pgLimiter)
	if c := post(s.Handler(), "/forms/request-support", okRequest, nil).Code; c != http.StatusSeeOther {
		t.Fatalf("submission: %d", c)
	}
	if n := rows(t, l); n != 1 {
		t.Fatalf("%d rows, want 1", n)
	}
	now = now.Add(l.sweepAfter)
	if c := request(s.Handler(), http.MethodGet, "/healthz", nil).Code; c != http.StatusOK {
		t.Fatalf("healthz: %d", c)
	}
	if n := rows(t, l); n != 0 {
		t.Errorf("%d rows after a health check %s later, want 0", n, l.sweepAfter)
	}
}

// TestPGLimiterKeyedHash checks that the table names a client by a keyed
// hash, never by its address, and that two servers on one database share
// the key (else the same client would have a bucket on each).
func TestPGLimiterKeyedHash(t *testing.T) {
	where := pgtest.URL(t)
	a := newTestPGLimiter(t, where, 3, time.Minute, false)
	b := newTestPGLimiter(t, where, 3, time.Minute, false)
	const addr = "198.51.100.7"
	if !bytes.Equal(a.clientKey(addr), b.clientKey(addr)) {
		t.Fatal("two servers hash one client differently")
	}
	if _, err := a.allow(context.Background(), addr, fixedNow); err != nil {
		t.Fatal(err)
	}
	var client []byte
	if err := a.db.QueryRow(`SELECT client FROM rate_buckets`).Scan(&client); err != nil {
		t.Fatal(err)
	}
	if len(client) != 16 || bytes.Contains(client, []byte(addr)) || !bytes.Equal(client, a.clientKey(addr)) {
		t.Errorf("row names the client %x, want its 16-byte keyed hash", client)
	}
	other := newTestPGLimiter(t, pgtest.URL(t), 3, time.Minute, false)
	if bytes.Equal(other.clientKey(addr), a.clientKey(addr)) {
		t.Error("two databases share a key")
	}
}

// TestRateLimitDatabaseDown checks that a server whose database cannot be
// reached refuses a submission as it does when it cannot store one (503),
// rather than let it through without a limit.
func TestRateLimitDatabaseDown(t *testing.T) {
	s, store := newTestServerOn(t, postgresBackend, Options{Burst: 2})
	store.db.Close()
	w := post(s.Handler(), "/forms/request-support", okRequest, map[string]string{"Accept": "application/json"})
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "could not be saved") {
		t.Errorf("with the database gone: %d %s, want 503", w.Code, w.Body)
	}
	// A browser gets the form back with its answers.
	w = post(s.Handler(), "/forms/request-support", okRequest, nil)
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "could not be saved") || !strings.Contains(w.Body.String(), `value="Jo Bloggs"`) {
		t.Errorf("browser with the database gone: %d %s, want 503 and the form", w.Code, w.Body)
	}
}

// BenchmarkPGLimiter measures a take from the PostgreSQL limiter (the
// throwaway cluster on a unix socket): from one client's bucket, and from a
// new client's each time, which is what a flood costs.
func BenchmarkPGLimiter(b *testing.B) {
	for _, distinct := range []bool{false, true} {
		b.Run(fmt.Sprintf("distinct=%v", distinct), func(b *testing.B) {
			l := newTestPGLimiter(b, pgtest.URL(b), 10, 6*time.Second, true)
			ctx := context.Background()
			i := 0
			for b.Loop() {
				client := "198.51.100.7"
				if distinct {
					client = fmt.Sprintf("client-%d", i)
				}
				i++
				if _, err := l.allow(ctx, client, time.Now()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
