// Package diag is the one way problems in a site are reported: a position
// (file, line, column), the field concerned and a message, collected into a
// List that sorts itself by position so every run prints the same report.
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity says what a problem does to a build.
type Severity int

const (
	// Error stops the build.
	Error Severity = iota
	// Warning is reported but the build goes on.
	Warning
	// Hidden means the page is left out of the site; the report says why.
	Hidden
)

func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Hidden:
		return "hidden"
	}
	return "error"
}

// Pos is a position in a source file. Line and Col count from 1; zero means
// unknown.
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"column"`
}

func (p Pos) String() string {
	switch {
	case p.Line > 0 && p.Col > 0:
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	case p.Line > 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return p.File
}

// Diagnostic is one problem.
type Diagnostic struct {
	Pos      Pos      `json:"pos"`
	Field    string   `json:"field,omitempty"`
	Msg      string   `json:"message"`
	Severity Severity `json:"-"`
	// Rule names the site.yaml rule that found the problem, if any.
	Rule string `json:"rule,omitempty"`
}

// Error formats the problem as path:line:col: field: message, followed by
// (rule "id") when a site.yaml rule found it.
func (d Diagnostic) Error() string {
	var b strings.Builder
	b.WriteString(d.Pos.String())
	b.WriteString(": ")
	if d.Severity != Error {
		b.WriteString(d.Severity.String())
		b.WriteString(": ")
	}
	if d.Field != "" {
		b.WriteString(d.Field)
		b.WriteString(": ")
	}
	b.WriteString(d.Msg)
	if d.Rule != "" {
		fmt.Fprintf(&b, " (rule %q)", d.Rule)
	}
	return b.String()
}

// List collects problems. The zero value is ready to use; a List is not safe
// for concurrent use, so parallel stages keep one each and Merge them.
type List []Diagnostic

// Add records an error at pos.
func (l *List) Add(pos Pos, field, format string, args ...any) {
	*l = append(*l, Diagnostic{Pos: pos, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// Append records d as it is.
func (l *List) Append(d ...Diagnostic) { *l = append(*l, d...) }

// Sort orders the list by file, line, column, field and message, and drops
// exact duplicates, so output does not depend on the order work finished in.
func (l List) Sort() List {
	slices.SortStableFunc(l, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
			cmp.Compare(a.Field, b.Field),
			cmp.Compare(a.Msg, b.Msg),
		)
	})
	return slices.Compact(l)
}

// Count reports how many problems have severity s.
func (l List) Count(s Severity) int {
	n := 0
	for _, d := range l {
		if d.Severity == s {
			n++
		}
	}
	return n
}

// Err returns nil when the list holds no errors (warnings and hidden pages
// alone do not fail a build), and the list itself otherwise.
func (l List) Err() error {
	if l.Count(Error) == 0 {
		return nil
	}
	return l
}

// Error prints every problem, one a line.
func (l List) Error() string {
	var b strings.Builder
	for i, d := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.Error())
	}
	return b.String()
}
