package decode

import (
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// parseFast parses the plain YAML front matter is nearly always written in
// (block mappings and lists, one-line values, one-line [a, b] and
// {k: v} collections, one-line quoted text) into exactly the node tree
// yaml.v3 makes of it. Anything else, including everything that is not
// valid YAML, it declines (ok is false) and leaves to yaml.v3, which
// reports errors as before.
//
// yaml.v3's scanner and parser were half of loading's CPU time: they work
// out, character by character, a generality (comments, anchors, tags,
// multi-line and block scalars, complex keys) front matter does not use.
// FuzzParseFast and TestParseFastCorpus compare the two on any input.
func parseFast(data []byte) (doc *yaml.Node, ok bool) {
	if !plainText(data) {
		return nil, false
	}
	p := fastParser{src: string(data)}
	for i, l := range strings.Split(p.src, "\n") {
		text := strings.TrimRight(l, " ")
		indent := len(text) - len(strings.TrimLeft(text, " "))
		if indent == len(text) {
			continue // blank
		}
		if indent == 0 && (strings.HasPrefix(text, "---") || strings.HasPrefix(text, "...")) {
			return nil, false // document markers
		}
		p.lines = append(p.lines, fastLine{num: i + 1, full: text, start: indent})
	}
	if len(p.lines) == 0 || p.lines[0].start != 0 {
		return nil, false
	}
	root, ok := p.mapping(0)
	if !ok || p.next < len(p.lines) {
		return nil, false
	}
	return &yaml.Node{Kind: yaml.DocumentNode, Line: root.Line, Column: root.Column, Content: []*yaml.Node{root}}, true
}

// plainText reports whether data holds none of what parseFast leaves to
// yaml.v3 whatever the structure: comments, tabs, carriage returns, and
// characters YAML does not allow or reads as line breaks.
func plainText(data []byte) bool {
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			if (c < ' ' && c != '\n') || c == 0x7f || c == '#' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError, r <= 0x9f, r == 0x2028, r == 0x2029, r == 0xfeff, r == 0xfffe, r == 0xffff:
			return false
		}
		i += size
	}
	return true
}

// fastParser reads the non-blank lines of a document.
type fastParser struct {
	src   string
	lines []fastLine
	next  int // the line to read next
}

// fastLine is a non-blank line, trimmed of trailing spaces. start is the
// byte offset where its content begins: after the indentation, or after
// "- " for a mapping that starts on a list item's line.
type fastLine struct {
	num   int
	full  string
	start int
}

func (l fastLine) text() string { return l.full[l.start:] }

// col returns the column (counted in characters, from 1) of byte offset
// off of the line.
func (l fastLine) col(off int) int { return utf8.RuneCountInString(l.full[:off]) + 1 }

// mapping reads a block mapping whose keys start at column indent+1.
func (p *fastParser) mapping(indent int) (*yaml.Node, bool) {
	first := p.lines[p.next]
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: first.num, Column: first.col(first.start)}
	for p.next < len(p.lines) && p.lines[p.next].start == indent {
		l := p.lines[p.next]
		text := l.text()
		colon := keyEnd(text)
		if colon < 0 {
			return nil, false
		}
		if colon > 1000 {
			return nil, false // yaml.v3 refuses keys over 1,024 characters
		}
		key, ok := plainScalar(text[:colon], l.num, l.col(l.start), false)
		if !ok {
			return nil, false
		}
		rest := strings.TrimLeft(text[colon+1:], " ")
		var val *yaml.Node
		if rest == "" {
			// The value is the block on the lines below, more indented.
			p.next++
			if p.next == len(p.lines) || p.lines[p.next].start <= indent {
				return nil, false // a null value: left to yaml.v3
			}
			if val, ok = p.block(); !ok {
				return nil, false
			}
		} else {
			off := len(l.full) - len(rest)
			if val, ok = inline(rest, l, off); !ok {
				return nil, false
			}
			p.next++
		}
		m.Content = append(m.Content, key, val)
	}
	if p.next < len(p.lines) && p.lines[p.next].start > indent {
		return nil, false // a continuation line, or a stray indent
	}
	return m, true
}

// block reads the mapping or list that starts on the next line.
func (p *fastParser) block() (*yaml.Node, bool) {
	l := p.lines[p.next]
	if strings.HasPrefix(l.text(), "-") {
		return p.list(l.start)
	}
	return p.mapping(l.start)
}

// list reads a block list whose dashes are at column indent+1.
func (p *fastParser) list(indent int) (*yaml.Node, bool) {
	first := p.lines[p.next]
	s := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: first.num, Column: first.col(first.start)}
	for p.next < len(p.lines) && p.lines[p.next].start == indent {
		l := p.lines[p.next]
		text := l.text()
		if !strings.HasPrefix(text, "- ") {
			return nil, false
		}
		item := strings.TrimLeft(text[2:], " ")
		off := len(l.full) - len(item)
		if strings.HasPrefix(item, "-") {
			return nil, false // a list in a list
		}
		var n *yaml.Node
		var ok bool
		if keyEnd(item) >= 0 {
			// A mapping that starts on the item's line: its later keys
			// line up with the first.
			p.lines[p.next] = fastLine{num: l.num, full: l.full, start: off}
			n, ok = p.mapping(off)
		} else {
			n, ok = inline(item, l, off)
			p.next++
		}
		if !ok {
			return nil, false
		}
		s.Content = append(s.Content, n)
	}
	if p.next < len(p.lines) && p.lines[p.next].start > indent {
		return nil, false
	}
	return s, true
}

// keyEnd returns the offset of the colon that ends a block mapping key at
// the start of text (a colon followed by a space or the end of the line),
// or -1 if text does not start with a key parseFast reads.
func keyEnd(text string) int {
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case ':':
			if i+1 == len(text) || text[i+1] == ' ' {
				if i == 0 || text[i-1] == ' ' {
					return -1
				}
				return i
			}
		case '"', '\'', '[', ']', '{', '}', ',':
			return -1
		}
	}
	return -1
}

// inline reads a value written on one line: [a, b], {k: v}, quoted or
// plain text. off is where text starts in l.
func inline(text string, l fastLine, off int) (*yaml.Node, bool) {
	switch text[0] {
	case '[':
		return flow(text, l, off, false)
	case '{':
		return flow(text, l, off, true)
	case '"', '\'':
		n, rest, ok := quoted(text, l, off)
		if !ok || rest != "" {
			return nil, false
		}
		return n, true
	}
	return plainScalar(text, l.num, l.col(off), false)
}

// quoted reads a quoted scalar with no escapes at the start of text, and
// returns what follows it.
func quoted(text string, l fastLine, off int) (*yaml.Node, string, bool) {
	q := text[0]
	end := strings.IndexByte(text[1:], q)
	if end < 0 {
		return nil, "", false
	}
	value := text[1 : 1+end]
	style := yaml.SingleQuotedStyle
	if q == '"' {
		style = yaml.DoubleQuotedStyle
		if strings.IndexByte(value, '\\') >= 0 {
			return nil, "", false
		}
	}
	rest := text[2+end:]
	if rest != "" && rest[0] == q {
		return nil, "", false // '' is an escaped quote
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Style: style, Tag: "!!str", Value: value, Line: l.num, Column: l.col(off)}, strings.TrimLeft(rest, " "), true
}

// flow reads a one-line [a, b] list or {k: v} mapping of scalars.
func flow(text string, l fastLine, off int, mapping bool) (*yaml.Node, bool) {
	closer := byte(']')
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle, Tag: "!!seq", Line: l.num, Column: l.col(off)}
	if mapping {
		closer = '}'
		n.Kind, n.Tag = yaml.MappingNode, "!!map"
	}
	if text[len(text)-1] != closer {
		return nil, false
	}
	inner := text[1 : len(text)-1]
	if strings.TrimLeft(inner, " ") == "" {
		return n, true
	}
	// at returns the offset in l of s, a suffix of inner.
	at := func(s string) int { return off + 1 + len(inner) - len(s) }
	rest := inner
	for {
		// One item: a scalar, or key: scalar in a mapping.
		rest = strings.TrimLeft(rest, " ")
		if mapping {
			colon := strings.Index(rest, ": ")
			if colon <= 0 {
				return nil, false
			}
			key, ok := plainScalar(rest[:colon], l.num, l.col(at(rest)), true)
			if !ok {
				return nil, false
			}
			n.Content = append(n.Content, key)
			rest = strings.TrimLeft(rest[colon+1:], " ")
		}
		var v *yaml.Node
		var ok bool
		if rest != "" && (rest[0] == '"' || rest[0] == '\'') {
			v, rest, ok = quoted(rest, l, at(rest))
		} else {
			end := strings.IndexByte(rest, ',')
			if end < 0 {
				end = len(rest)
			}
			v, ok = plainScalar(strings.TrimRight(rest[:end], " "), l.num, l.col(at(rest)), true)
			rest = rest[end:]
		}
		if !ok {
			return nil, false
		}
		n.Content = append(n.Content, v)
		if rest == "" {
			return n, true
		}
		if rest[0] != ',' || strings.TrimLeft(rest[1:], " ") == "" {
			return nil, false // something after the item, or a trailing comma
		}
		rest = rest[1:]
	}
}

// plainScalar makes the node of plain (unquoted) text, if parseFast reads
// it and knows its tag as yaml.v3 resolves it. inFlow is set inside [] and
// {}, where more characters end the text.
func plainScalar(s string, line, col int, inFlow bool) (*yaml.Node, bool) {
	if s == "" {
		return nil, false
	}
	switch s[0] {
	case '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ' ':
		return nil, false
	}
	if strings.Contains(s, ": ") || strings.HasSuffix(s, ":") {
		return nil, false
	}
	if inFlow && strings.ContainsAny(s, ",[]{}:\"'") {
		return nil, false
	}
	tag, ok := resolvePlain(s)
	if !ok {
		return nil, false
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: s, Line: line, Column: col}, true
}

// resolvePlain returns the tag yaml.v3 gives plain text s, for the text
// whose tag is plain to see; ok is false for the rest (numbers other than
// whole ones, timestamps other than dates, and other text starting with a
// digit, sign or dot).
func resolvePlain(s string) (string, bool) {
	switch s {
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return "!!bool", true
	case "~", "null", "Null", "NULL":
		return "!!null", true
	}
	switch c := s[0]; {
	case c >= '0' && c <= '9':
		digits := len(s) - len(strings.TrimLeft(s, "0123456789"))
		switch {
		case digits == len(s):
			if s == "0" || (c != '0' && len(s) <= 18) {
				return "!!int", true
			}
			return "", false
		case digits == 4 && s[4] == '-':
			if _, ok := parseDateOnly(s); ok {
				return "!!timestamp", true
			}
			return "", false
		case strings.IndexByte(s, ' ') >= 0:
			// Not a number, nor (not starting YYYY-) a timestamp.
			return "!!str", true
		}
		return "", false
	case c == '+', c == '-', c == '.', c == '<':
		return "", false
	}
	return "!!str", true
}
