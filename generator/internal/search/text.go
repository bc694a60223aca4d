package search

import (
	"encoding/binary"
	"math/bits"
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

// scan calls word with each word of text, as wordReader.next finds them.
// The slice is reused after word returns.
func scan(text string, word func(w []byte)) {
	var r wordReader
	for i := 0; ; {
		var w []byte
		w, _, i = r.next(text, i)
		if w == nil {
			return
		}
		word(w)
	}
}

// wordRoom is the longest word wordReader reads on its fast path.
const wordRoom = 64

// wordReader finds the words of a text, as foldWord does, with room for
// one word. Nearly every word in an index is a run of plain ASCII letters
// and digits between ASCII characters that are not, and the index build
// reads millions of them; so it finds such a word's end first, a byte at
// a time, and then lowercases it eight bytes at a time into its room.
// Anything else (an apostrophe, a byte of a multi-byte character, a word
// longer than wordRoom) sends it back to where it started, to foldWord.
type wordReader struct {
	room [wordRoom + 8]byte
	// buf is foldWord's room, for the words the fast path leaves.
	buf []byte
}

// What wordClass says of a byte: a character between words, an ASCII
// letter or digit, or one the fast path leaves to foldWord: the
// apostrophe, dropped inside a word, and any byte of a multi-byte one.
const (
	classSpace = iota
	classAlnum
	classOther
)

var wordClass = func() (t [256]uint8) {
	for c := range utf8.RuneSelf {
		switch {
		case asciiFold[c] > 1:
			t[c] = classAlnum
		case asciiFold[c] == 1:
			t[c] = classOther
		}
	}
	for c := utf8.RuneSelf; c < 256; c++ {
		t[c] = classOther
	}
	return t
}()

// lower8 lowercases eight ASCII letters or digits packed into a number:
// each is its lowercase with bit 5 set, which every digit has.
const lower8 = 0x2020202020202020

// next finds the first word of text at or after byte i, lowercased and
// folded (see foldWord). It returns the word, in r's room, reused by the
// next call; its first eight bytes packed into a number (see pack); and
// where the next word may start. At the end of text the word is nil.
func (r *wordReader) next(text string, i int) (w []byte, key uint64, next int) {
	start := i
	for i < len(text) && wordClass[text[i]] == classSpace {
		i++
	}
	if i == len(text) {
		return nil, 0, i
	}
	if wordClass[text[i]] != classAlnum {
		return r.slow(text, start)
	}
	s := i
	for i++; i < len(text) && wordClass[text[i]] == classAlnum; i++ {
	}
	n := i - s
	if i < len(text) {
		if wordClass[text[i]] != classSpace {
			return r.slow(text, start)
		}
		i++
	}
	if n > wordRoom {
		return r.slow(text, start)
	}
	if s+n+7 <= len(text) {
		// Eight bytes at a time, reading past the word's end
		// into text, and writing past it into the room.
		for k := 0; k < n; k += 8 {
			binary.LittleEndian.PutUint64(r.room[k:k+8], load64(text, s+k)|lower8)
		}
	} else {
		for k := range n {
			r.room[k] = text[s+k] | 0x20
		}
	}
	// The first eight bytes, those past a shorter word's end masked
	// off, without a branch: about half of all words are shorter.
	key = binary.LittleEndian.Uint64(r.room[:8]) & (^uint64(0) >> (64 - 8*min(n, 8)))
	return r.room[:n], key, i
}

// load64 is text's eight bytes from i, little-endian.
func load64(text string, i int) uint64 {
	b := text[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// slow is next for a word that is not short plain ASCII: foldWord, from
// where next started.
func (r *wordReader) slow(text string, i int) (w []byte, key uint64, next int) {
	w, next = foldWord(text, i, r.buf)
	if w == nil {
		return nil, 0, next
	}
	r.buf = w
	return w, pack(w[:min(len(w), 8)]), next
}

// foldWord finds the first word of text at or after byte i, lowercased
// and folded: the runs of letters and digits, apostrophes dropped so that
// "Head’s" is "heads". It returns the word, made in buf's room, which it
// may grow, and where the next word may start. At the end of text the
// word is nil.
func foldWord(text string, i int, buf []byte) (w []byte, next int) {
	buf = buf[:0]
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			if l := asciiFold[c]; l > 1 {
				buf = append(buf, l)
			} else if l == 0 && len(buf) > 0 {
				return buf, i
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		r = unicode.ToLower(r)
		if f, ok := textfold.Rune(r); ok {
			buf = append(buf, f...)
		} else if unicode.IsLetter(r) || unicode.IsNumber(r) {
			buf = utf8.AppendRune(buf, r)
		} else if len(buf) > 0 {
			return buf, i
		}
	}
	if len(buf) > 0 {
		return buf, i
	}
	return nil, i
}

// hashMul is the word table's multiplier, 2^64 over the golden ratio.
const hashMul = 0x9E3779B97F4A7C15

// wordHash is the word table's hash of a word whose first eight bytes
// packed are key: for a word of at most eight bytes, which key is, one
// multiplication; for a longer one, each further eight bytes mixed in.
// The table takes its top bits.
func wordHash(w []byte, key uint64) uint64 {
	h := key * hashMul
	if len(w) <= 8 {
		return h
	}
	for w = w[8:]; len(w) >= 8; w = w[8:] {
		h = (bits.RotateLeft64(h, 32) ^ binary.LittleEndian.Uint64(w)) * hashMul
	}
	if len(w) > 0 {
		h = (bits.RotateLeft64(h, 32) ^ pack(w)) * hashMul
	}
	return h
}

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
