package decode

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"peerpress/generator/internal/diag"
)

// yamlLine matches the "yaml: line N: " prefix of yaml.v3 syntax errors, the
// only way that library exposes where a syntax error is.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// Parse parses YAML text into a node tree. A syntax error is returned as a
// diagnostic at its line, offset by lineOffset.
func Parse(data []byte, file string, lineOffset int) (*yaml.Node, diag.List) {
	if n, ok := parseFast(data); ok {
		return n, nil
	}
	var n yaml.Node
	err := unmarshal(data, &n)
	if err == nil {
		return &n, nil
	}
	pos := diag.Pos{File: file, Line: lineOffset + 1}
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msg = strings.Join(te.Errors, "; ")
	}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
		if strings.HasPrefix(msg, "did not find expected") && !strings.Contains(msg, "alphabetic or numeric") {
			// yaml.v3 counts lines from 0 in parser errors (and from 1 in
			// scanner errors); these are the parser's, except the
			// scanner's complaint about an anchor or alias name.
			line++
		}
		pos.Line = lineOffset + line
		lines := 0 // how many lines from line on may hold the culprit tab
		switch {
		case strings.Contains(msg, "tab character"):
			// yaml.v3 may name the line where the enclosing value began.
			lines = -1
		case strings.Contains(msg, "cannot start any token"):
			lines = 1
		}
		if lines != 0 {
			if l, col := findTab(data, line, lines); col > 0 {
				pos.Line, pos.Col = lineOffset+l, col
				msg = "found a tab character in the indentation (YAML is indented with spaces, never tabs)"
			}
		}
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	if strings.HasPrefix(msg, "exceeded max depth") {
		msg = "values are nested too deeply (" + msg + ")"
	}
	switch msg {
	case "did not find expected key", "could not find expected ':'", "did not find expected '-' indicator":
		// A quote mark in a quoted value is the usual cause, and the
		// parser names a line after it (where the value ended by chance)
		// or, in a list, the line before it.
		if l, col, qmsg := quoteProblem(data, pos.Line-lineOffset+1); qmsg != "" {
			pos.Line, pos.Col = lineOffset+l, col
			var ql diag.List
			ql.Add(pos, "", "invalid YAML: %s", qmsg)
			return nil, ql
		}
	}
	if h, ok := syntaxHints[msg]; ok {
		msg += " (" + h + ")"
		if msg0 := "mapping values are not allowed in this context"; strings.HasPrefix(msg, msg0) && pos.Col == 0 {
			pos.Col = secondColon(data, pos.Line-lineOffset)
		}
	}
	var l diag.List
	l.Add(pos, "", "invalid YAML: %s", msg)
	return nil, l
}

// syntaxHints say what an editor most likely did to get one of yaml.v3's
// syntax errors, which name the parser's state, not the mistake.
var syntaxHints = map[string]string{
	"could not find expected ':'":                            "each line is a field, name: value, with a space after the colon",
	"mapping values are not allowed in this context":         `a value that contains ": " must be in double quotes, such as role: "Headteacher: Hollowford"`,
	"found unexpected end of stream":                         "a value opened with a quote mark on this line is never closed: end it with the same quote mark",
	"did not find expected key":                              "check the indentation of this line and the lines above it: the fields of one set line up exactly; and a quoted value ends only at its closing quote mark",
	"did not find expected ',' or ']'":                       `a list written [a, b] needs its closing ], and an item that contains a comma or ": " needs double quotes`,
	"did not find expected ',' or '}'":                       `a set written {key: value} needs its closing }, and a value that contains a comma or ": " needs double quotes`,
	"block sequence entries are not allowed in this context": `a value that starts with "- " must be in double quotes; a list goes on the lines below its field, each item starting with "- "`,
	"did not find expected '-' indicator":                    `the items of a list line up exactly, each starting with "- "`,
}

// quoteProblem looks, on lines 1 to upTo of data, for the first value in
// quotes that is not closed on its line or has text after its closing
// quote mark ('Helen's school'), and returns its line, the column of the
// quote mark at fault and what to do; msg is "" when there is none.
func quoteProblem(data []byte, upTo int) (line, col int, msg string) {
	for n := 1; n <= upTo && len(data) > 0; n++ {
		l, rest, _ := bytes.Cut(data, []byte("\n"))
		data = rest
		l = bytes.TrimSuffix(l, []byte("\r"))
		start := quotedValueStart(l)
		if start < 0 {
			continue
		}
		q := l[start]
		end := closingQuote(l, start)
		switch {
		case end < 0:
			return n, utf8.RuneCount(l[:start]) + 1, fmt.Sprintf("the value in quotes that starts here is not closed on its line (end it with another %c)", q)
		case hasText(l[end+1:]):
			where := utf8.RuneCount(l[:end]) + 1
			if q == '\'' {
				return n, where, "text after the closing quote mark (inside '…', write '' for an apostrophe, or put the value in double quotes)"
			}
			return n, where, `text after the closing quote mark (inside "…", write \" for a quote mark, or put the value in single quotes)`
		}
	}
	return 0, 0, ""
}

// quotedValueStart returns the index in line l of the quote mark that
// starts its value (after "key: " or "- "), or -1.
func quotedValueStart(l []byte) int {
	i := 0
	for i < len(l) && l[i] == ' ' {
		i++
	}
	for bytes.HasPrefix(l[i:], []byte("- ")) {
		i += 2
		for i < len(l) && l[i] == ' ' {
			i++
		}
	}
	if i < len(l) && (l[i] == '\'' || l[i] == '"') {
		return i
	}
	c := bytes.Index(l[i:], []byte(": "))
	if c < 0 {
		return -1
	}
	i += c + 2
	for i < len(l) && l[i] == ' ' {
		i++
	}
	if i < len(l) && (l[i] == '\'' || l[i] == '"') {
		return i
	}
	return -1
}

// closingQuote returns the index of the quote mark that closes the value
// opened at l[start], or -1 if the line has none: in single quotes ” is
// an apostrophe, in double quotes \ escapes the next character.
func closingQuote(l []byte, start int) int {
	q := l[start]
	for i := start + 1; i < len(l); i++ {
		switch {
		case q == '"' && l[i] == '\\':
			i++
		case l[i] == q && q == '\'' && i+1 < len(l) && l[i+1] == '\'':
			i++
		case l[i] == q:
			return i
		}
	}
	return -1
}

// hasText reports whether b holds more than spaces and a comment.
func hasText(b []byte) bool {
	b = bytes.TrimLeft(b, " \t")
	return len(b) > 0 && b[0] != '#'
}

// secondColon returns the column (counted from 1) of the second ": " on
// line of data, where a value holding a colon broke the YAML, or 0.
func secondColon(data []byte, line int) int {
	for i := 1; i < line; i++ {
		_, rest, ok := bytes.Cut(data, []byte("\n"))
		if !ok {
			return 0
		}
		data = rest
	}
	l, _, _ := bytes.Cut(data, []byte("\n"))
	first := bytes.Index(l, []byte(": "))
	if first < 0 {
		return 0
	}
	second := bytes.Index(l[first+2:], []byte(": "))
	if second < 0 {
		return 0
	}
	return utf8.RuneCount(l[:first+2+second]) + 1
}

// unmarshal is yaml.Unmarshal that turns a panic of the parser into an
// error, so that no input can crash a check.
func unmarshal(data []byte, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: the YAML parser failed on this text (%v)", r)
		}
	}()
	return yaml.Unmarshal(data, n)
}

// findTab returns the line and column (counted from 1) of the first tab
// in the indentation of a line, looking at n lines from line on (all of
// them if n < 0), or 0, 0 if there is none.
func findTab(data []byte, line, n int) (int, int) {
	for i := 1; i < line; i++ {
		_, rest, ok := bytes.Cut(data, []byte("\n"))
		if !ok {
			return 0, 0
		}
		data = rest
	}
	for ; len(data) > 0 && n != 0; line, n = line+1, n-1 {
		l, rest, _ := bytes.Cut(data, []byte("\n"))
		for i, c := range l {
			if c == '\t' {
				return line, i + 1
			}
			if c != ' ' {
				break
			}
		}
		data = rest
	}
	return 0, 0
}
