package search

// TokenizeBlocks runs invert's tokenizing stage alone, on one goroutine,
// for BenchmarkTokenize: every document through one tokenizer, block by
// block as a worker takes them. It returns the number of terms.
func TokenizeBlocks(docs []Doc) int {
	tk := &tokenizer{byID: map[string]uint32{}}
	lens := make([][numFields]uint32, len(docs))
	for bi := 0; bi*docBlock < len(docs); bi++ {
		var bl block
		tk.term, tk.tf, tk.plen, tk.pos, tk.links = tk.term[:0], tk.tf[:0], tk.plen[:0], tk.pos[:0], tk.links[:0]
		for d := bi * docBlock; d < min(len(docs), (bi+1)*docBlock); d++ {
			tk.doc(&docs[d], &lens[d])
			bl.end = append(bl.end, len(tk.term))
			bl.linkEnd = append(bl.linkEnd, len(tk.links))
		}
		bl.tokens = tk.tokens.clone()
	}
	return len(tk.terms)
}

// ReadWords reads the words of docs, as the tokenizer does, and returns
// how many, for BenchmarkTokenize's parts.
func ReadWords(docs []Doc, lookup bool) int {
	tk := &tokenizer{byID: map[string]uint32{}}
	n := 0
	for d := range docs {
		for f := range numFields {
			parts := docs[d].Text[f]
			if f == Body && docs[d].HTML != "" {
				parts = append(htmlText(docs[d].HTML), parts...)
			}
			if lookup {
				n += len(tk.wordIDs(parts))
				continue
			}
			for _, part := range parts {
				tk.words.reset(part)
				for ; ; n++ {
					if w, _ := tk.words.next(); w == nil {
						break
					}
				}
			}
		}
	}
	return n
}

// ClassBytes is a calibration for BenchmarkReadWords: one table look-up
// per byte of docs' texts.
func ClassBytes(docs []Doc) int {
	n := 0
	for d := range docs {
		for f := range numFields {
			parts := docs[d].Text[f]
			if f == Body && docs[d].HTML != "" {
				parts = append(htmlText(docs[d].HTML), parts...)
			}
			for _, part := range parts {
				for i := 0; i < len(part); i++ {
					n += int(wordClass[part[i]])
				}
			}
		}
	}
	return n
}

// AllText is docs' texts, as the tokenizer reads them, joined by spaces.
func AllText(docs []Doc) string {
	var b []byte
	for d := range docs {
		for f := range numFields {
			parts := docs[d].Text[f]
			if f == Body && docs[d].HTML != "" {
				parts = append(htmlText(docs[d].HTML), parts...)
			}
			for _, part := range parts {
				b = append(append(b, part...), ' ')
			}
		}
	}
	return string(b)
}

// CountWords counts the words of text with a wordReader.
func CountWords(text string) int {
	var r wordReader
	r.reset(text)
	n := 0
	for {
		if w, _ := r.next(); w == nil {
			return n
		}
		n++
	}
}

// CountWordsFold counts the words of text with foldWord, for comparison.
func CountWordsFold(text string) int {
	var buf []byte
	n := 0
	for i := 0; ; n++ {
		var w []byte
		if w, i = foldWord(text, i, buf); w == nil {
			return n
		}
		buf = w
	}
}
