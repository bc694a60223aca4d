package search

import (
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// foldTable pairs accented letters with what they fold to, and drops
// apostrophes. The client script (theme/assets/search.js) holds the same
// table as FOLD;
// TestTokensMatchClient runs both over the same words to keep them equal.
var foldTable = [][2]string{
	{"àáâãäåāăą", "a"}, {"çćĉċč", "c"}, {"ďđ", "d"}, {"èéêëēĕėęě", "e"},
	{"ĝğġģ", "g"}, {"ĥħ", "h"}, {"ìíîïĩīĭįı", "i"}, {"ĵ", "j"}, {"ķ", "k"},
	{"ĺļľŀł", "l"}, {"ñńņňŉ", "n"}, {"òóôõöøōŏő", "o"}, {"ŕŗř", "r"},
	{"śŝşšș", "s"}, {"ţťŧț", "t"}, {"ùúûüũūŭůűų", "u"}, {"ŵ", "w"},
	{"ýÿŷ", "y"}, {"źżž", "z"}, {"ß", "ss"}, {"æ", "ae"}, {"œ", "oe"},
	{"þ", "th"}, {"ð", "d"}, {"'", ""}, {"’", ""}, {"ʼ", ""},
}

// foldRunes is foldTable by rune. It is made once and never changed.
var foldRunes = func() map[rune]string {
	m := map[rune]string{}
	for _, pair := range foldTable {
		for _, r := range pair[0] {
			m[r] = pair[1]
		}
	}
	return m
}()

// stopWords are left out of the index: they are in nearly every page and
// would only make it larger. They still take a position, so a phrase such as
// "head of school" matches exactly. The list must stay identical to STOP in
// search.js.
var stopWords = map[string]bool{
	"a": true, "an": true, "and": true, "are": true, "as": true, "at": true, "be": true, "but": true, "by": true,
	"for": true, "from": true, "has": true, "have": true, "in": true, "into": true, "is": true, "it": true, "its": true,
	"of": true, "on": true, "or": true, "that": true, "the": true, "their": true, "this": true, "to": true, "was": true,
	"were": true, "will": true, "with": true,
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

// scan calls word with each word of text, lowercased and folded: the runs
// of letters and digits, apostrophes dropped so that "Head’s" is "heads";
// and with the word's FNV-1a hash, made on the way, for the index's table
// of words. The slice is reused after word returns. buf is room for a
// word, which scan may grow; it returns it for the next call.
func scan(text string, buf []byte, word func(w []byte, hash uint32)) []byte {
	buf = buf[:0]
	h := uint32(fnvOffset)
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf {
			i++
			switch l := asciiFold[c]; l {
			case 0:
				if len(buf) > 0 {
					word(buf, h)
					buf, h = buf[:0], fnvOffset
				}
			case 1: // an apostrophe, dropped
			default:
				buf = append(buf, l)
				h = (h ^ uint32(l)) * fnvPrime
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		r = unicode.ToLower(r)
		n := len(buf)
		if f, ok := foldRunes[r]; ok {
			buf = append(buf, f...)
		} else if unicode.IsLetter(r) || unicode.IsNumber(r) {
			buf = utf8.AppendRune(buf, r)
		} else if len(buf) > 0 {
			word(buf, h)
			buf, h = buf[:0], fnvOffset
		}
		for ; n < len(buf); n++ {
			h = (h ^ uint32(buf[n])) * fnvPrime
		}
	}
	if len(buf) > 0 {
		word(buf, h)
	}
	return buf
}

// FNV-1a's parameters.
const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

// Words splits text into folded words: runs of letters and digits.
func Words(text string) []string {
	var out []string
	scan(text, nil, func(w []byte, _ uint32) { out = append(out, string(w)) })
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
	scan(text, nil, func(w []byte, _ uint32) {
		n++
		if stopWords[string(w)] {
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
