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
