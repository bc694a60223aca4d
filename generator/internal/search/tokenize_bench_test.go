package search_test

import (
	"testing"

	"peerpress/generator/internal/search"
)

// BenchmarkTokenize times the index build's tokenizing stage alone, on one
// core, over the documents of a generated site of 10,000: every word split,
// folded, looked up and added to its document's postings.
//
//	go test ./generator/internal/search -run '^$' -bench Tokenize -benchtime 10x
func BenchmarkTokenize(b *testing.B) {
	docs, _ := search.FromSite(generatedSite(b, 10000))
	b.ReportAllocs()
	for b.Loop() {
		search.TokenizeBlocks(docs)
	}
}
