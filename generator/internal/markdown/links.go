package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
)

// Link is a link or image of a body, as the rendered page has it (a
// site-relative destination already follows the base path).
type Link struct {
	Dest string
	// Offset is the byte offset in the body where the link's text starts
	// (or its block, when it has no text); Line (from 0, the body's first)
	// and Col (from 1) are the same place, worked out while the body is at
	// hand so that it need not be kept for the link check.
	Offset    int
	Line, Col int
	Image     bool
}

// links lists a document's links and images in source order. Autolinks are
// left out: they are written as the absolute URL they go to.
func links(doc ast.Node, src []byte) []Link {
	var out []Link
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			out = append(out, Link{Dest: string(n.Destination), Offset: offsetOf(n, src)})
		case *ast.Image:
			out = append(out, Link{Dest: string(n.Destination), Offset: offsetOf(n, src), Image: true})
		}
		return ast.WalkContinue, nil
	})
	for i := range out {
		off := min(max(out[i].Offset, 0), len(src))
		before := src[:off]
		out[i].Line = bytes.Count(before, []byte("\n"))
		out[i].Col = off - (bytes.LastIndexByte(before, '\n') + 1) + 1
	}
	return out
}

// offsetOf finds where an inline node starts in the source: inline nodes
// carry no position of their own, so it is taken from the first text inside
// it, or failing that from the first line of the block that holds it.
func offsetOf(n ast.Node, src []byte) int {
	off := -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			off = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if off >= 0 {
		// Step back over "[", "![" and any emphasis marks to where the
		// link starts, on the same line.
		start := off
		for i := off - 1; i >= 0 && src[i] != '\n'; i-- {
			if src[i] == '[' {
				start = i
				if i > 0 && src[i-1] == '!' {
					start = i - 1
				}
				break
			}
		}
		return start
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return p.Lines().At(0).Start
		}
	}
	return 0
}
