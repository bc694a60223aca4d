package search

// TokenizeBlocks runs invert's tokenizing stage alone, on one goroutine,
// for BenchmarkTokenize: every document through one tokenizer, block by
// block as a worker takes them. It returns the number of terms.
func TokenizeBlocks(docs []Doc) int {
	tk := &tokenizer{byID: map[string]uint32{}}
	lens := make([][numFields]uint32, len(docs))
	for bi := 0; bi*docBlock < len(docs); bi++ {
		var bl block
		tk.block(docs, bi, lens, &bl)
	}
	return len(tk.terms)
}

// ReadWords reads the words of docs and looks them up, as the tokenizer
// does, and returns how many, for BenchmarkReadWords.
func ReadWords(docs []Doc) int {
	tk := &tokenizer{byID: map[string]uint32{}}
	n := 0
	for d := range docs {
		for f := range numFields {
			n += len(tk.fieldIDs(&docs[d], f))
		}
	}
	return n
}
