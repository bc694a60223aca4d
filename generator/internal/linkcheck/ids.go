package linkcheck

import (
	"bytes"
	"html"
	"slices"
	"sync"
)

// PageIDs returns the ids a page's HTML gives a link's fragment to go to,
// sorted and without repeats: the id of any element, and the name of an
// <a> (an old-style anchor, which browsers still scroll to). It reads the
// tags alone: text, comments and the content of script, style, textarea
// and title elements are stepped over, so that `id="x"` written in a code
// sample or a script is not taken for an id.
func PageIDs(page []byte) []string { return pageIDs(page, nil) }

// pageIDs is PageIDs, which stops reading once it has found every id in
// want, when want is not empty: then the ids returned are those of the
// page up to there, which hold all of want.
func pageIDs(page []byte, want map[string]bool) []string {
	ids := appendIDs(nil, page, want)
	slices.Sort(ids)
	return slices.Compact(ids)
}

// appendIDs appends the ids and anchor names of page to dst, in the order
// they appear, up to the one that completes want (see pageIDs).
func appendIDs(dst []string, page []byte, want map[string]bool) []string {
	left := len(want)
	i := 0
	for {
		j := bytes.IndexByte(page[i:], '<')
		if j < 0 || i+j+1 >= len(page) {
			return dst
		}
		i += j + 1
		switch c := page[i]; {
		case c == '!':
			if bytes.HasPrefix(page[i:], commentStart) {
				i = skipPast(page, i+len(commentStart), commentEnd)
			} else {
				i = skipPast(page, i, gt) // <!DOCTYPE …>, <![CDATA[…]]>
			}
		case c == '/' || c == '?':
			i = skipPast(page, i, gt)
		case isLetter(c):
			var name []byte
			n := len(dst)
			name, i, dst = readTag(page, i, dst)
			if left > 0 {
				for k, id := range dst[n:] {
					if want[id] && !slices.Contains(dst[:n+k], id) {
						left--
					}
				}
				if left == 0 {
					return dst
				}
			}
			if raw := rawTextEnd(name); raw != nil {
				i = skipRawText(page, i, raw)
			}
		}
	}
}

var (
	commentStart = []byte("!--")
	commentEnd   = []byte("-->")
	gt           = []byte(">")
)

// skipPast returns the offset just past the first sep at or after i, or
// the end of page.
func skipPast(page []byte, i int, sep []byte) int {
	if j := bytes.Index(page[i:], sep); j >= 0 {
		return i + j + len(sep)
	}
	return len(page)
}

// readTag reads the start tag whose name begins at page[i], up to and
// including its ">", appending its id, and its name when it is an <a>, to
// dst. It returns the tag's name, as written, and the offset after the
// tag.
func readTag(page []byte, i int, dst []string) ([]byte, int, []string) {
	start := i
	for i < len(page) && class[page[i]]&endName == 0 {
		i++
	}
	name := page[start:i]
	anchor := len(name) == 1 && (name[0] == 'a' || name[0] == 'A')
	for i < len(page) {
		for i < len(page) && class[page[i]]&betweenAttrs != 0 {
			i++
		}
		if i >= len(page) {
			return name, len(page), dst
		}
		if page[i] == '>' {
			return name, i + 1, dst
		}
		// An attribute: its name, then perhaps "=" and a value.
		an := i
		for i < len(page) && class[page[i]]&endAttr == 0 {
			i++
		}
		attr := page[an:i]
		for i < len(page) && isSpace(page[i]) {
			i++
		}
		if i >= len(page) || page[i] != '=' {
			continue
		}
		i++
		for i < len(page) && isSpace(page[i]) {
			i++
		}
		var value []byte
		if i < len(page) && (page[i] == '"' || page[i] == '\'') {
			q := page[i]
			end := bytes.IndexByte(page[i+1:], q)
			if end < 0 {
				return name, len(page), dst
			}
			value, i = page[i+1:i+1+end], i+end+2
		} else {
			vs := i
			for i < len(page) && !isSpace(page[i]) && page[i] != '>' {
				i++
			}
			value = page[vs:i]
		}
		if len(value) > 0 && (asciiEqualFold(attr, "id") || anchor && asciiEqualFold(attr, "name")) {
			v := string(value)
			if bytes.IndexByte(value, '&') >= 0 {
				v = html.UnescapeString(v)
			}
			dst = append(dst, v)
		}
	}
	return name, i, dst
}

// rawTextEnds are the end tags of the elements whose content is text, not
// markup, lower-cased.
var rawTextEnds = [][]byte{[]byte("</script"), []byte("</style"), []byte("</textarea"), []byte("</title")}

// rawTextEnd is the end tag to skip to after the start tag name (in any
// case), or nil.
func rawTextEnd(name []byte) []byte {
	for _, end := range rawTextEnds {
		if len(end) == len(name)+2 && asciiEqualFold(name, string(end[2:])) {
			return end
		}
	}
	return nil
}

// skipRawText returns the offset of the end tag end (matched ignoring
// case) at or after i, or the end of page.
func skipRawText(page []byte, i int, end []byte) int {
	for {
		j := bytes.Index(page[i:], end[:2]) // "</"
		if j < 0 {
			return len(page)
		}
		i += j
		if i+len(end) <= len(page) && asciiEqualFold(page[i:i+len(end)], string(end)) {
			return i
		}
		i += 2
	}
}

// class sorts the bytes a tag's name and attributes end at, so that the
// loops over them test one table entry per byte.
var class = func() (t [256]uint8) {
	for _, c := range []byte(" \t\n\r\f") {
		t[c] |= endName | endAttr | betweenAttrs
	}
	t['/'] |= endName | endAttr | betweenAttrs
	t['>'] |= endName | endAttr
	t['='] |= endAttr
	return t
}()

// The classes of bytes in class.
const (
	endName      = 1 << iota // ends a tag's name: space, "/", ">"
	endAttr                  // ends an attribute's name: those and "="
	betweenAttrs             // stepped over between attributes: space, "/"
)

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// asciiEqualFold reports whether b is s, ignoring ASCII case; s is lower
// case.
func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range len(b) {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// Anchors gathers the ids of the pages that links' fragments point into
// while a build renders them: pages are written from pooled buffers and
// not kept, so their ids are read as each goes by, and only as far as the
// last id the page's links look for, unless one is missing. It is safe
// for concurrent use; a nil *Anchors wants nothing.
type Anchors struct {
	want map[string]map[string]bool
	mu   sync.Mutex
	ids  map[string][]string
}

// NewAnchors returns Anchors that keep the ids of the files in want, with
// the ids looked for in each (Targets).
func NewAnchors(want map[string]map[string]bool) *Anchors {
	return &Anchors{want: want, ids: make(map[string][]string, len(want))}
}

// Wants reports whether the ids of the page at file are needed.
func (a *Anchors) Wants(file string) bool { return a != nil && a.want[file] != nil }

// Scan reads the ids of the rendered page at file: those up to the last
// one wanted, or all when one wanted is missing, which the error's
// suggestion is taken from.
func (a *Anchors) Scan(file string, page []byte) {
	ids := pageIDs(page, a.want[file])
	a.mu.Lock()
	a.ids[file] = ids
	a.mu.Unlock()
}

// IDs is an IDs function: the ids of a page scanned, and false for any
// file that was not (one that is not a rendered page).
func (a *Anchors) IDs(file string) ([]string, bool) {
	if a == nil {
		return nil, false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	ids, ok := a.ids[file]
	return ids, ok
}
