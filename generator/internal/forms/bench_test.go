package forms

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"peerpress/generator/internal/formspec"
)

// BenchmarkSave measures durable submissions per second on each backend:
// each is one transaction synced to disk (SQLite: WAL, synchronous=FULL;
// PostgreSQL: a commit with synchronous_commit on, plus its two advisory
// locks), so the figure is mostly the disk's fsync time.
func BenchmarkSave(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			store := be.open(b)
			ctx := context.Background()
			answers := []formspec.Answer{{Name: "name", Value: "Jo Bloggs"}, {Name: "email", Value: "jo@example.org"}, {Name: "message", Value: "A message of a few words."}}
			i := 0
			for b.Loop() {
				i++
				if _, err := store.Save(ctx, Submission{Form: "request-support", Visit: fmt.Sprintf("visit-%08d", i), Hash: "h", Session: "s/2027-01-20", Capacity: 12, Answers: answers}, time.Now()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBookings measures the count behind forms/places.json and
// `forms places` (one grouped query) over 5,000 bookings of 50 sessions
// on each backend: what a page view costs the database at most once a
// second, however many views come.
func BenchmarkBookings(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			store := be.open(b)
			ctx := context.Background()
			tx, err := store.db.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			for i := range 5000 {
				status := StatusConfirmed
				if i%7 == 0 {
					status = StatusWaitlisted
				}
				if _, err := tx.ExecContext(ctx, store.q(`INSERT INTO submissions (receipt, form, created, hash, session, status, answers) VALUES (?, 'book-training', ?, '', ?, ?, '[]')`),
					fmt.Sprintf("PP-%06d", i), store.stamp(time.Now()), fmt.Sprintf("course-%02d/2027-01-20", i%50), status); err != nil {
					b.Fatal(err)
				}
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				got, err := store.Bookings(ctx)
				if err != nil || len(got) != 50 {
					b.Fatalf("%d sessions, %v", len(got), err)
				}
			}
		})
	}
}

// BenchmarkPlacesJSON measures forms/places.json answered from the last
// count, as nearly every request under load is.
func BenchmarkPlacesJSON(b *testing.B) {
	s, _ := newTestServer(b, Options{})
	req := httptest.NewRequest("GET", "/forms/places.json", nil)
	for b.Loop() {
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
}
