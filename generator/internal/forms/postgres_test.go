package forms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"peerpress/generator/internal/forms/pgtest"
	"peerpress/generator/internal/formspec"
)

// backend is a kind of store the tests run against.
type backend struct {
	name string
	// where returns a fresh, empty store's location for the test: a
	// directory, or a PostgreSQL URL (skipping the test when there is no
	// PostgreSQL, failing it under CI=true).
	where func(t testing.TB) string
}

var (
	sqliteBackend   = backend{"sqlite", func(t testing.TB) string { return t.TempDir() }}
	postgresBackend = backend{"postgres", pgtest.URL}
	backends        = []backend{sqliteBackend, postgresBackend}
)

// open opens a fresh store on b, closed when the test ends.
func (b backend) open(t testing.TB) *Store {
	t.Helper()
	return openAt(t, b.where(t))
}

// openAt opens (creating) the store at where, closed when the test ends.
func openAt(t testing.TB, where string) *Store {
	t.Helper()
	s, err := OpenAt(context.Background(), where, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// eachBackend runs test once on each backend, as subtests.
func eachBackend(t *testing.T, test func(t *testing.T, b backend)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { test(t, b) })
	}
}

// TestStamps checks that both backends keep times alike: UTC, to the
// microsecond, cut rather than rounded, and compared as times.
func TestStamps(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		store := b.open(t)
		ctx := context.Background()
		at := time.Date(2026, 11, 22, 13, 4, 5, 123456789, time.FixedZone("CET", 3600))
		if _, err := store.Save(ctx, Submission{Form: "f", Answers: []formspec.Answer{{Name: "x", Value: "y"}}}, at); err != nil {
			t.Fatal(err)
		}
		want := time.Date(2026, 11, 22, 12, 4, 5, 123456000, time.UTC)
		for _, since := range []time.Time{{}, want} {
			rs, err := store.Records(ctx, "f", since)
			if err != nil || len(rs) != 1 {
				t.Fatalf("Records(since %v) = %v, %v; want 1", since, rs, err)
			}
			if got := rs[0].Created; !got.Equal(want) || got.Location() != time.UTC {
				t.Errorf("created %v, want %v", got, want)
			}
		}
		if rs, err := store.Records(ctx, "f", want.Add(time.Microsecond)); err != nil || len(rs) != 0 {
			t.Errorf("Records(a microsecond later) = %v, %v; want none", rs, err)
		}
	})
}

// TestOpenExisting checks that asking for an existing store finds none
// where there is none, on either backend, and finds one made before.
func TestOpenExisting(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		where := b.where(t)
		ctx := context.Background()
		if s, err := OpenAt(ctx, where, false); !errors.Is(err, ErrNoStore) {
			if s != nil {
				s.Close()
			}
			t.Fatalf("OpenAt(empty, false) = %v; want ErrNoStore", err)
		}
		openAt(t, where)
		s, err := OpenAt(ctx, where, false)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	})
}

// TestPostgresSchemaAtOnce starts several stores on one empty database at
// the same moment, as servers behind a load balancer start: each makes the
// tables if they are missing, and none fails.
func TestPostgresSchemaAtOnce(t *testing.T) {
	where := pgtest.URL(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			s, err := OpenAt(context.Background(), where, true)
			if err == nil {
				s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("store %d: %v", i, err)
		}
	}
}

// TestPostgresSynchronousCommit checks that the store turns
// synchronous_commit on for its connections when the server has it off,
// so that a commit it acknowledges is on disk.
func TestPostgresSynchronousCommit(t *testing.T) {
	u, err := url.Parse(pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("synchronous_commit", "off") // as if the server's setting were
	u.RawQuery = q.Encode()
	s := openAt(t, u.String())
	var got string
	if err := s.db.QueryRow(`SHOW synchronous_commit`).Scan(&got); err != nil || got != "on" {
		t.Errorf("synchronous_commit = %q, %v; want on", got, err)
	}
}

// TestPostgresRedacted checks that a password given in the URL is in
// neither the store's name nor an error.
func TestPostgresRedacted(t *testing.T) {
	u, pw := pgtest.WithPassword(t, pgtest.URL(t))
	s := openAt(t, u)
	if strings.Contains(s.String(), pw) || !strings.Contains(s.String(), "xxxxx") {
		t.Errorf("String() = %q shows the password", s.String())
	}
	nodb, _ := url.Parse(u)
	nodb.Path = "/no_such_database"
	if _, err := OpenAt(context.Background(), nodb.String(), true); err == nil || strings.Contains(err.Error(), pw) {
		t.Errorf("OpenAt(a database that is not there) = %v; want an error without the password", err)
	}
}

func TestRedactURL(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"postgres://peer:pw@db.example.org/peer?sslmode=verify-full", "postgres://peer:xxxxx@db.example.org/peer?sslmode=verify-full"},
		{"postgresql://peer@db/peer", "postgresql://peer@db/peer"},
		{"postgres://db/peer?password=pw&sslmode=require", "postgres://db/peer?password=xxxxx&sslmode=require"},
		{"/var/lib/peerpress", "/var/lib/peerpress"},
		{"postgres://peer:pw@db:port/", "(a PostgreSQL URL that cannot be parsed)"},
	} {
		if got := RedactURL(tt.in); got != tt.want {
			t.Errorf("RedactURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTwoInstances runs two servers, each with its own store (its own
// connections), on one PostgreSQL database, as behind a load balancer, and
// sends to both at once: more bookings than places for one session, and
// the same submission again and again (with a visit key, and without one).
// Exactly capacity bookings are confirmed and the rest waitlisted, and each
// resubmission is one row with one receipt.
func TestTwoInstances(t *testing.T) {
	where := pgtest.URL(t)
	public := writeSite(t, testManifest())
	var servers [2]*Server
	for i := range servers {
		servers[i], _ = newTestServerOn(t, backend{"postgres", func(testing.TB) string { return where }}, Options{Public: public})
	}
	store := openAt(t, where)
	send := func(i int, form string, v url.Values) (Receipt, error) {
		w := post(servers[i%2].Handler(), "/forms/"+form, v.Encode(), map[string]string{"Accept": "application/json"})
		var r Receipt
		if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil || w.Code != http.StatusOK {
			return r, fmt.Errorf("%d %s", w.Code, w.Body)
		}
		return r, nil
	}

	const n, capacity = 30, 3 // day/2027-01-20 has 3 places
	receipts := make([]Receipt, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r, err := send(i, "book-training", url.Values{"session": {"day/2027-01-20"}, "name": {fmt.Sprintf("Person %d", i)}, "_visit": {fmt.Sprintf("visit-book-%04d", i)}})
			if err != nil {
				t.Errorf("booking %d: %v", i, err)
			}
			receipts[i] = r
		})
	}
	wg.Wait()
	statuses := make([]string, n)
	for i, r := range receipts {
		statuses[i] = r.Status
	}
	checkBooked(t, store, statuses, capacity)

	for _, tt := range []struct {
		name string
		v    url.Values
	}{
		{"same visit key", url.Values{"name": {"Jo Bloggs"}, "email": {"jo@example.org"}, "consent": {"yes"}, "_visit": {"visit-twice-0001"}}},
		{"same answers without a key", url.Values{"name": {"Sam Lee"}, "email": {"sam@example.org"}, "consent": {"yes"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := count(t, store, "request-support")
			const tries = 12
			ids := make([]string, tries)
			var wg sync.WaitGroup
			for i := range tries {
				wg.Go(func() {
					r, err := send(i, "request-support", tt.v)
					if err != nil {
						t.Errorf("try %d: %v", i, err)
					}
					ids[i] = r.ID
				})
			}
			wg.Wait()
			for _, id := range ids[1:] {
				if id != ids[0] {
					t.Errorf("receipts %v, want one", ids)
					break
				}
			}
			if c := count(t, store, "request-support") - before; c != 1 {
				t.Errorf("%d rows stored, want 1", c)
			}
		})
	}
}
