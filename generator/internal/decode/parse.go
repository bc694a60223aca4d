package decode

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"peerpress/generator/internal/diag"
)

// yamlLine matches the "yaml: line N: " prefix of yaml.v3 syntax errors, the
// only way that library exposes where a syntax error is.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// Parse parses YAML text into a node tree. A syntax error is returned as a
// diagnostic at its line, offset by lineOffset.
func Parse(data []byte, file string, lineOffset int) (*yaml.Node, diag.List) {
	var n yaml.Node
	err := yaml.Unmarshal(data, &n)
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
		if strings.HasPrefix(msg, "did not find expected") {
			// yaml.v3 counts lines from 0 in parser errors (and from 1 in
			// scanner errors); these are the parser's.
			line++
		}
		pos.Line = lineOffset + line
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	var l diag.List
	l.Add(pos, "", "invalid YAML: %s", msg)
	return nil, l
}
