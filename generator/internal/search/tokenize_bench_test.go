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

// BenchmarkReadWords times the tokenizing stage's first parts alone:
// reading the words, and reading and looking them up.
func BenchmarkReadWords(b *testing.B) {
	docs, _ := search.FromSite(generatedSite(b, 10000))
	for _, lookup := range []bool{false, true} {
		b.Run(map[bool]string{false: "read", true: "lookup"}[lookup], func(b *testing.B) {
			n := 0
			start := cputime.Process()
			for b.Loop() {
				n = search.ReadWords(docs, lookup)
			}
			b.ReportMetric(float64((cputime.Process()-start).Nanoseconds())/float64(b.N)/float64(n), "cpu-ns/word")
		})
	}
}

func BenchmarkClassBytes(b *testing.B) {
	docs, _ := search.FromSite(generatedSite(b, 10000))
	for b.Loop() {
		search.ClassBytes(docs)
	}
}

func BenchmarkCountWords(b *testing.B) {
	text := search.AllText(docsOf(b))
	n := 0
	for b.Loop() {
		n = search.CountWords(text)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/word")
}

func docsOf(b *testing.B) []search.Doc {
	docs, _ := search.FromSite(generatedSite(b, 10000))
	return docs
}

func BenchmarkCountWordsFold(b *testing.B) {
	text := search.AllText(docsOf(b))
	n := 0
	for b.Loop() {
		n = search.CountWordsFold(text)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/word")
}
