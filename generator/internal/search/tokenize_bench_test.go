package search_test

import (
	"testing"

	"peerpress/generator/internal/cputime"
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
	start := cputime.Process()
	for b.Loop() {
		search.TokenizeBlocks(docs)
	}
	b.ReportMetric(float64((cputime.Process()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
}

// BenchmarkReadWords times the tokenizing stage's first part alone:
// reading the words and looking them up.
func BenchmarkReadWords(b *testing.B) {
	docs, _ := search.FromSite(generatedSite(b, 10000))
	n := 0
	start := cputime.Process()
	for b.Loop() {
		n = search.ReadWords(docs)
	}
	b.ReportMetric(float64((cputime.Process()-start).Nanoseconds())/float64(b.N)/float64(n), "cpu-ns/word")
}
