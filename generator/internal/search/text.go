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

// asciiFold is what foldWord makes of each ASCII character: a letter or digit
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

// wordRoom is the longest word the tokenizer reads on its fast path (see
// tokenizer.partIDs); a longer one goes to foldWord.
const wordRoom = 64

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

// classify classes the sixty-four bytes of text from base into masks: bit
// k of alnum is set if byte base+k is an ASCII letter or digit, of other
// if it is of classOther. Bytes past the text's end are neither.
func classify(text string, base int) (alnum, other uint64) {
	if text = text[base:]; len(text) >= 64 {
		return classify64(text)
	}
	var b [64]byte // zero bytes are spaces
	copy(b[:], text)
	return classify64(b[:])
}

// classify64 is classify of text's first sixty-four bytes. Most blocks
// have no byte of classOther, so it gathers other's bits only if there is
// one.
func classify64[S string | []byte](text S) (alnum, other uint64) {
	var any uint64
	for k := 0; k < 64; k += 8 {
		x := load64(text, k)
		alnum |= gather8(alnum8(x)) << k
		any |= other8(x)
	}
	if any != 0 {
		for k := 0; k < 64; k += 8 {
			other |= gather8(other8(load64(text, k))) << k
		}
	}
	return alnum, other
}

// Eight bytes' top bits, and ones.
const (
	hi8   = 0x8080808080808080
	ones8 = 0x0101010101010101
)

// gather8 gathers the top bits of m's eight bytes, which has no other
// bits set, into its lowest eight: bit 8k+7 to bit k. Each bit of the
// product lands in a place of its own, so none carries.
func gather8(m uint64) uint64 {
	return (m >> 7) * 0x0102040810204080 >> 56
}

// alnum8 returns, of eight bytes packed in x, a mask of the top bit of each
// that is an ASCII letter or digit: a letter is within 'a' to 'z' once
// lowercased, a digit within '0' to '9', and with its top bit cleared
// first no byte carries into the next when a range's bounds are added.
func alnum8(x uint64) uint64 {
	x7 := x &^ hi8
	l := x7 | lower8
	letter := (l + (0x80-'a')*ones8) &^ (l + (0x7f-'z')*ones8)
	digit := (x7 + (0x80-'0')*ones8) &^ (x7 + (0x7f-'9')*ones8)
	return (letter | digit) &^ x & hi8
}

// other8 returns, of eight bytes packed in x, a mask of the top bit of
// each that wordClass has as classOther: an apostrophe, or a byte of a
// multi-byte character.
func other8(x uint64) uint64 {
	z := x ^ '\''*ones8 // zero where an apostrophe
	nonzero := ((z &^ hi8) + (0x7f * ones8)) | z
	return (^nonzero | x) & hi8
}

// load64 is text's eight bytes from i, little-endian.
func load64[S string | []byte](text S, i int) uint64 {
	b := text[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
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

// hashMul is the word table's multiplier, 2^64 over the golden ratio: a
// word of up to eight bytes, packed, times hashMul is its hash.
const hashMul = 0x9E3779B97F4A7C15

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
