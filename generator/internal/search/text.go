package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"

	"peerpress/generator/internal/textfold"
)

// stopList holds the stop words, which are left out of the index: they are
// in nearly every page and would only make it larger. They still take a
// position, and each word's positions note the stop words just before it
// (see stopRun), so that a phrase such as "head of school" matches exactly
// those words. The list, and its order, must stay identical to STOP in
// search.js.
var stopList = strings.Fields(`a an and are as at be but by for from has have in into is it its of on or that the their this to was were will with`)

// stopWords is each stop word's number, its place in stopList plus one,
// from 1 to 30, so that five bits hold one.
var stopWords = func() map[string]uint32 {
	m := map[string]uint32{}
	for i, w := range stopList {
		m[w] = uint32(i + 1)
	}
	return m
}()

// A stop run is the stop words between two words of the index, as a
// number: each stop word's number in five bits, the first lowest, for up
// to maxRun of them, or longRun for more, which no phrase matches. search.js
// makes the same numbers of the stop words inside a quoted phrase.
const (
	maxRun  = 3
	longRun = 31
)

// addStop appends the stop word numbered s to the stop run r of n words.
func addStop(r uint32, n int, s uint32) uint32 {
	if n >= maxRun {
		return longRun
	}
	return r | s<<(5*n)
}

// runLen is the number of stop words in run r, or -1 for a long run.
func runLen(r uint32) int {
	if r == longRun {
		return -1
	}
	n := 0
	for ; r != 0; r >>= 5 {
		n++
	}
	return n
}

// Token is a word of a text: its index term and its position.
type Token struct {
	Term string
	Pos  int
}

// asciiFold is what scan makes of each ASCII character: a letter or digit
// lowercased, 1 for the apostrophe, which is dropped, or 0 for a
// character between words.
var asciiFold = func() (t [utf8.RuneSelf]byte) {
	for c := byte('0'); c <= '9'; c++ {
		t[c] = c
	}
	for c := byte('a'); c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = c, c
	}
	t['\''] = 1
	return t
}()

// scan calls word with each word of text, as nextWord finds them. The
// slice is reused after word returns.
func scan(text string, word func(w []byte)) {
	var buf []byte
	for i := 0; ; {
		var w []byte
		w, _, _, i = nextWord(text, i, buf)
		if w == nil {
			return
		}
		word(w)
		buf = w
	}
}

// nextWord finds the first word of text at or after byte i, lowercased
// and folded: the runs of letters and digits, apostrophes dropped so that
// "Head’s" is "heads". It returns the word, made in buf's room, which it
// may grow; the word's FNV-1a hash and its bytes packed into a number
// (see pack), made on the way, for the index's table of words; and where
// the next word may start. At the end of text the word is nil.
func nextWord(text string, i int, buf []byte) (w []byte, h uint32, key uint64, next int) {
	buf = buf[:0]
	h = fnvOffset
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf {
			// Letters and digits first, the most common; then a
			// character between words, or an apostrophe, dropped.
			i++
			if l := asciiFold[c]; l > 1 {
				if len(buf) < 8 {
					key |= uint64(l) << (8 * len(buf))
				}
				buf = append(buf, l)
				h = (h ^ uint32(l)) * fnvPrime
			} else if l == 0 && len(buf) > 0 {
				return buf, h, key, i
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		r = unicode.ToLower(r)
		n := len(buf)
		if f, ok := textfold.Rune(r); ok {
			buf = append(buf, f...)
		} else if unicode.IsLetter(r) || unicode.IsNumber(r) {
			buf = utf8.AppendRune(buf, r)
		} else if len(buf) > 0 {
			return buf, h, key, i
		}
		for ; n < len(buf); n++ {
			if n < 8 {
				key |= uint64(buf[n]) << (8 * n)
			}
			h = (h ^ uint32(buf[n])) * fnvPrime
		}
	}
	if len(buf) > 0 {
		return buf, h, key, i
	}
	return nil, 0, 0, i
}

// FNV-1a's parameters.
const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

// Words splits text into folded words: runs of letters and digits.
func Words(text string) []string {
	var out []string
	scan(text, func(w []byte) { out = append(out, string(w)) })
	return out
}

// Stem returns the Porter2 (Snowball English) stem of a folded word. Words
// that are not plain a-z, such as numbers, stay as they are.
func Stem(w string) string {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return w
		}
	}
	return english.Stem(w, true)
}

// Tokens returns the index terms of text, numbering positions from start.
// Stop words are dropped but counted. stems caches Stem; it may be nil.
func Tokens(text string, start int, stems map[string]string) []Token {
	out, _ := tokenize(text, start, stems)
	return out
}

// tokenize is Tokens that also returns the number of words, stop words
// included.
func tokenize(text string, start int, stems map[string]string) ([]Token, int) {
	if stems == nil {
		stems = map[string]string{}
	}
	var out []Token
	n := 0
	scan(text, func(w []byte) {
		n++
		if stopWords[string(w)] != 0 {
			return
		}
		t, ok := stems[string(w)]
		if !ok {
			word := string(w)
			t = Stem(word)
			stems[word] = t
		}
		out = append(out, Token{t, start + n - 1})
	})
	return out, n
}
