package forms

import (
	"context"
	"fmt"
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
