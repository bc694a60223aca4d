package markdown

import (
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
)

// headingIDs makes the ids of a document's headings, as goldmark's own
// generator does (lower case; a space, hyphen or underscore becomes a
// hyphen; anything else between words dropped; a repeat gets -1, -2, ...),
// except that letters and digits beyond ASCII are kept, lower-cased, as
// GitHub keeps them: goldmark drops them, so that "## Café" was "#caf" and
// "## Tŷ Coch" "#t-coch", which no editor would guess. A link to the
// heading may write the id as it is ("#café") or percent-encoded.
type headingIDs struct {
	used map[string]bool
	// next is, for an id used already, the number its next repeat tries.
	next map[string]int
}

func newHeadingIDs() *headingIDs {
	return &headingIDs{used: map[string]bool{}, next: map[string]int{}}
}

// Generate returns a new id for a heading whose text is value.
func (s *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	id := make([]byte, 0, len(value))
	for _, r := range string(trimSpace(value)) {
		switch {
		case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9'):
			id = append(id, byte(r))
		case 'A' <= r && r <= 'Z':
			id = append(id, byte(r)+'a'-'A')
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v' || r == '-' || r == '_':
			id = append(id, '-')
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r)):
			id = utf8.AppendRune(id, unicode.ToLower(r))
		}
	}
	if len(id) == 0 {
		if kind == ast.KindHeading {
			id = []byte("heading")
		} else {
			id = []byte("id")
		}
	}
	key := string(id)
	if !s.used[key] {
		s.used[key] = true
		return id
	}
	for i := s.next[key] + 1; ; i++ {
		repeat := key + "-" + strconv.Itoa(i)
		if !s.used[repeat] {
			s.used[repeat] = true
			s.next[key] = i
			return []byte(repeat)
		}
	}
}

// Put marks an id as used, so that no heading is given it.
func (s *headingIDs) Put(value []byte) { s.used[string(value)] = true }

// trimSpace trims ASCII white space, as goldmark's generator does.
func trimSpace(b []byte) []byte {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' }
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

var _ parser.IDs = (*headingIDs)(nil)
