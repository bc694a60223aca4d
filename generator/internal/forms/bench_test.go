package forms

import (
	"context"
	"fmt"
	"testing"
	"time"

	"peerpress/generator/internal/formspec"
)

// BenchmarkSave measures durable submissions per second: each is one
// transaction synced to disk (WAL, synchronous=FULL), so the figure is
// mostly the disk's fsync time.
func BenchmarkSave(b *testing.B) {
	store, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	answers := []formspec.Answer{{Name: "name", Value: "Jo Bloggs"}, {Name: "email", Value: "jo@example.org"}, {Name: "message", Value: "A message of a few words."}}
	i := 0
	for b.Loop() {
		i++
		if _, err := store.Save(ctx, Submission{Form: "request-support", Visit: fmt.Sprintf("visit-%08d", i), Hash: "h", Session: "s/2027-01-20", Capacity: 12, Answers: answers}, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}
