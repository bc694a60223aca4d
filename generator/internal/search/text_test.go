package search

import (
	"bufio"
	"encoding/json"
	"html"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"peerpress/generator/internal/textfold"
)

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Finance, rural", []string{"finance", "rural"}},
		{"Head’s office", []string{"heads", "office"}},
		{"José Núñez-Ærø", []string{"jose", "nunez", "aero"}},
		{"SEND (2026)", []string{"send", "2026"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := Words(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTokens(t *testing.T) {
	got := Tokens("The head of a rural school", 10, nil)
	want := []Token{{"head", 11}, {"rural", 14}, {"school", 15}}
	if !slices.Equal(got, want) {
		t.Errorf("Tokens = %v, want %v", got, want)
	}
	for in, want := range map[string]string{"financing": "financ", "wellbeing": "wellb", "schools": "school", "2026": "2026", "jose": "jose"} {
		if got := Stem(in); got != want {
			t.Errorf("Stem(%q) = %q, want %q", in, got, want)
		}
	}
}

// porter2 reads testdata/porter2.txt: a quarter of the Snowball project's
// published English vocabulary with each word's stem.
func porter2(t *testing.T) [][2]string {
	f, err := os.Open("testdata/porter2.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][2]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		in, want, _ := strings.Cut(sc.Text(), " ")
		out = append(out, [2]string{in, want})
	}
	return out
}

// TestStemMatchesClient checks both stemmers against the published Porter2
// vocabulary: the Go one at build time and search.js's at query time.
func TestStemMatchesClient(t *testing.T) {
	vocab := porter2(t)
	var in []string
	for _, v := range vocab {
		in = append(in, v[0])
		if got := Stem(v[0]); got != v[1] {
			t.Errorf("Stem(%q) = %q, want %q", v[0], got, v[1])
		}
	}
	body, _ := json.Marshal(in)
	out := runNode(t, `const s = require(process.env.SEARCH_JS);
const words = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(words.map(s.stem)));`, body)
	var got []string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	for i, v := range vocab {
		if got[i] != v[1] {
			t.Errorf("search.js stem(%q) = %q, want %q", v[0], got[i], v[1])
		}
	}
}

// TestTokensMatchClient runs text through Tokens and search.js's tokens:
// folding, splitting, stop words and positions must agree.
func TestTokensMatchClient(t *testing.T) {
	texts := []string{
		"Executive Headteacher of the Brackenridge and Fernley Federation",
		"José Núñez leads Ærøskøbing’s école; Łódź, Šiauliai, Straße, Œuvre, Þór and Ðan.",
		"Wellbeing & resilience: 3 meetings a year (2026–27), half-day.",
		"Teaching headteacher of a very small rural church school — who's who?",
		"Governors' training: SEND, finance, HR; CPD for new heads.",
		"ĀĂĄ ĆĈĊČ ĎĐ ĒĔĖĘĚ ĜĞĠĢ ĤĦ ĨĪĬĮ Ĵ Ķ ĹĻĽĿŁ ŃŅŇ ŌŎŐ ŔŖŘ ŚŜŞŠȘ ŢŤŦȚ ŨŪŬŮŰŲ Ŵ Ŷ ŹŻŽ",
		"generously communicated arsenal dying skies proceedings news",
	}
	body, _ := json.Marshal(texts)
	out := runNode(t, `const s = require(process.env.SEARCH_JS);
const texts = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(texts.map(x => s.tokens(x).map(t => [t.term, t.pos]))));`, body)
	var got [][][2]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	for i, text := range texts {
		var want [][2]any
		for _, tok := range Tokens(text, 0, nil) {
			want = append(want, [2]any{tok.Term, float64(tok.Pos)})
		}
		if !slices.Equal(got[i], want) {
			t.Errorf("search.js tokens(%q) = %v, want %v", text, got[i], want)
		}
	}
}

// referenceWords is Words written the plain way, a rune at a time, for
// FuzzWords to check nextWord's fast paths against.
func referenceWords(text string) []string {
	var out []string
	var w []byte
	end := func() {
		if len(w) > 0 {
			out = append(out, string(w))
			w = w[:0]
		}
	}
	for _, r := range text {
		switch {
		case r < utf8.RuneSelf && asciiFold[r] > 1:
			w = append(w, asciiFold[r])
		case r < utf8.RuneSelf && asciiFold[r] == 1:
		case r < utf8.RuneSelf:
			end()
		default:
			r = unicode.ToLower(r)
			if f, ok := textfold.Rune(r); ok {
				w = append(w, f...)
			} else if unicode.IsLetter(r) || unicode.IsNumber(r) {
				w = utf8.AppendRune(w, r)
			} else {
				end()
			}
		}
	}
	end()
	return out
}

// oldNextWord is the tokenizer's word reader as it was before partIDs's
// fast path, hash and all, kept for FuzzWords to check partIDs and
// foldWord against: it finds the first word of text at or after byte i,
// and where the next may start.
func oldNextWord(text string, i int, buf []byte) (w []byte, h uint32, key uint64, next int) {
	buf = buf[:0]
	h = 2166136261
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			if l := asciiFold[c]; l > 1 {
				if len(buf) < 8 {
					key |= uint64(l) << (8 * len(buf))
				}
				buf = append(buf, l)
				h = (h ^ uint32(l)) * 16777619
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
			h = (h ^ uint32(buf[n])) * 16777619
		}
	}
	if len(buf) > 0 {
		return buf, h, key, i
	}
	return nil, 0, 0, i
}

// wordSeeds are FuzzWords's and TestWordReader's texts: folding,
// apostrophes, words either side of eight bytes and of wordRoom, and
// multi-byte characters inside, after and before long ASCII words.
var wordSeeds = []string{
	"Finance, rural", "Head’s office", "José Núñez-Ærø", "'tis o'clock", "a—b ’’ x’",
	"straße\u00a0STRASSE", "longwordsarelonger than8 12345678 123456789", "\xff\xfeab",
	strings.Repeat("a", 63) + " " + strings.Repeat("B", 64) + "," + strings.Repeat("c", 65) + " " + strings.Repeat("d'", 70),
	strings.Repeat("x", 60) + "é" + strings.Repeat("y", 10) + " z", strings.Repeat("q", 70) + "’s",
	"Governors' training: SEND, finance, HR; CPD for new heads.", "ŁÓDŹ Ĳssel ǅemal ﬁne ½ ², x\u0301y",
	"abc\x80def ghi\xc3", "12345678\u2019x 1234567\u2019xy ’’’abc",
	// Words that are others' first bytes, or differ only in their
	// eighth, ninth, sixteenth or seventeenth: packed, they must differ.
	"abcdefg abcdefgh abcdefgi abcdefghi abcdefghj abcdefghijklmnop abcdefghijklmnoq abcdefghijklmnopq abcdefghijklmnopr " +
		"ABCDEFG abcdefgH ABCDEFGHI abcdefghijklmnoP abcdefghijklmnopQ",
}

// TestWordIDs checks tokenizer.partIDs and foldWord against oldNextWord
// on wordSeeds and on each seed's every suffix, so that every starting
// byte is tried (of a long seed, enough for words to fall at every place
// in partIDs's 64-byte blocks).
func TestWordIDs(t *testing.T) {
	for _, s := range append(wordSeeds, plainText(), plainText()[:700]+"’s café "+plainText()[700:]) {
		for i := range min(len(s), 150) {
			checkWords(t, s[i:])
		}
	}
}

// plainText is some 1,500 bytes of plain ASCII words, of one to 70
// letters and digits, between one to three spaces and punctuation, for
// words to start and end at every place in a 64-byte block, and some to
// cross one or fill it.
func plainText() string {
	var b []byte
	x := uint32(1)
	next := func(n uint32) uint32 { x = x*1664525 + 1013904223; return (x >> 8) % n }
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	for len(b) < 1500 {
		n := 1 + next(12)
		if next(20) == 0 {
			n = 50 + next(21)
		}
		for range n {
			b = append(b, letters[next(uint32(len(letters)))])
		}
		for range 1 + next(3) {
			b = append(b, " ,.;:-()\n\t"[next(10)])
		}
	}
	return string(b)
}

// FuzzWords checks that tokenizer.partIDs and foldWord split and fold text
// as oldNextWord and referenceWords do.
func FuzzWords(f *testing.F) {
	for _, s := range wordSeeds {
		f.Add(s)
	}
	f.Fuzz(checkWords)
}

// checkWords checks foldWord's words of text, and where each ends, against
// oldNextWord's and referenceWords's; and the ids tokenizer.partIDs gives
// the words of text, twice over so that they are looked up both new and
// known, against those of a plain map from each word's stem.
func checkWords(t *testing.T, text string) {
	var got []string
	var buf, obuf []byte
	for i, j := 0, 0; ; {
		w, next := foldWord(text, i, buf)
		ow, _, _, onext := oldNextWord(text, j, obuf)
		if string(w) != string(ow) || (w == nil) != (ow == nil) || next != onext {
			t.Fatalf("foldWord(%q, %d) = %q %d, want %q %d", text, i, w, next, ow, onext)
		}
		if w == nil {
			break
		}
		got = append(got, string(w))
		buf, obuf, i, j = w, ow, next, onext
	}
	if want := referenceWords(text); !slices.Equal(got, want) {
		t.Fatalf("words of %q = %q, want %q", text, got, want)
	}
	var want []uint32
	terms := map[string]uint32{}
	for range 2 {
		for _, w := range got {
			if s := stopWords[w]; s != 0 {
				want = append(want, stopBase+s)
				continue
			}
			st := Stem(w)
			id, ok := terms[st]
			if !ok {
				id = uint32(len(terms))
				terms[st] = id
			}
			want = append(want, id)
		}
	}
	tk := &tokenizer{byID: map[string]uint32{}}
	ids := tk.partIDs(nil, text)
	ids = tk.partIDs(ids, text)
	if !slices.Equal(ids, want) {
		t.Fatalf("partIDs(%q) = %v, want %v (words %q)", text, ids, want, got)
	}
}

// htmlText is how the index read the text of rendered HTML before
// htmlIDs, kept for FuzzHTMLIDs to check it against: the runs of text
// between its tags. It is, as the runs of text between its
// tags, so that words in adjacent elements stay apart. The runs are the
// HTML's own bytes where they have no character references, so that a
// long page costs no copy.
func htmlText(h string) []string {
	var out []string
	for h != "" {
		i := strings.IndexByte(h, '<')
		if i < 0 {
			i = len(h)
		}
		if text := h[:i]; strings.TrimSpace(text) != "" {
			if strings.IndexByte(text, '&') >= 0 {
				text = html.UnescapeString(text)
			}
			out = append(out, text)
		}
		h = h[i:]
		j := strings.IndexByte(h, '>')
		if j < 0 {
			break
		}
		h = h[j+1:]
	}
	return out
}

// htmlSeeds are FuzzHTMLIDs's and TestHTMLIDs's HTML.
var htmlSeeds = []string{
	"<p>Head of <em>school</em>s &amp; rural</p>", "a<b>c</b>d", "<p>Tom&#39;s café&nbsp;bar &lt;3</p>", "x < y > z",
	"<p>unclosed <b", "   <br/>  \n", "text only", "&amp;amp; &unknown; &", "<a href=\"x>y\">link</a>",
}

// TestHTMLIDs checks htmlIDs against htmlText on htmlSeeds.
func TestHTMLIDs(t *testing.T) {
	for _, h := range htmlSeeds {
		checkHTMLIDs(t, h)
	}
}

// FuzzHTMLIDs checks that htmlIDs reads the words of HTML as partIDs
// reads htmlText's runs.
func FuzzHTMLIDs(f *testing.F) {
	for _, h := range htmlSeeds {
		f.Add(h)
	}
	f.Fuzz(checkHTMLIDs)
}

func checkHTMLIDs(t *testing.T, h string) {
	tk, want := &tokenizer{byID: map[string]uint32{}}, []uint32(nil)
	for _, run := range htmlText(h) {
		want = tk.partIDs(want, run)
	}
	tk = &tokenizer{byID: map[string]uint32{}}
	if got := tk.htmlIDs(nil, h); !slices.Equal(got, want) {
		t.Fatalf("htmlIDs(%q) = %v, want %v", h, got, want)
	}
}

// TestPutVarint checks putVarint against appendVarint on either side of
// each number of digits.
func TestPutVarint(t *testing.T) {
	b := make([]byte, 16)
	for x := range 1 << 16 {
		for _, x := range []int{x, x << 17, 1<<33 + x} {
			n := putVarint(b, 2, x)
			if want := appendVarint(nil, x); string(b[2:n]) != string(want) {
				t.Fatalf("putVarint(%d) = %q, want %q", x, b[2:n], want)
			}
		}
	}
}

// The index reads words with tokenizer.partIDs; these read them the
// plain way, with foldWord, for the tests of its rules.

// Token is a word of a text: its index term and its position.
type Token struct {
	Term string
	Pos  int
}

// scan calls word with each word of text, as foldWord finds them. The
// slice is reused after word returns.
func scan(text string, word func(w []byte)) {
	var buf []byte
	for i := 0; ; {
		var w []byte
		if w, i = foldWord(text, i, buf); w == nil {
			return
		}
		word(w)
		buf = w
	}
}

// Words splits text into folded words: runs of letters and digits.
func Words(text string) []string {
	var out []string
	scan(text, func(w []byte) { out = append(out, string(w)) })
	return out
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
