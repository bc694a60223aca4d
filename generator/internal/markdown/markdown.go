// Package markdown renders content bodies with goldmark: GitHub-flavoured
// tables and autolinks, heading ids, typographic quotes, site-relative links
// that follow the site's base path, and raw HTML shown as text unless the
// site allows it.
package markdown

import (
	"bufio"
	"bytes"
	stdhtml "html"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"peerpress/generator/internal/htmlmin"
)

// Options configure a Renderer.
type Options struct {
	// BasePath prefixes site-relative links ("/about/" becomes
	// "/peer-support/about/" when the site lives at /peer-support/).
	BasePath string
	// UnsafeHTML lets raw HTML through instead of escaping it.
	UnsafeHTML bool
}

// Renderer turns Markdown into HTML. It is safe for concurrent use.
type Renderer struct {
	md goldmark.Markdown
	// unlinked is md without autolinks, for a body in which none can be
	// (see mayAutolink); nil to use md for every body.
	unlinked goldmark.Markdown
}

// New returns a Renderer.
func New(opts Options) *Renderer {
	// extension.GFM, with the autolinks' shortcut.
	r := newWith(opts, fastLinkify{}, extension.Table, extension.Strikethrough, extension.TaskList)
	r.unlinked = newWith(opts, extension.Table, extension.Strikethrough, extension.TaskList).md
	return r
}

// mayAutolink reports whether src has what an autolink starts with: a
// scheme (http:, https:, ftp:), www. or an e-mail address's @. Without
// any, autolinks change nothing, and converting without them is a fifth
// cheaper: goldmark asks the autolink parser at every space of every
// line, at about 25 ns a time (0.15 CPU-s of a 10,000-document build).
// FuzzFastLinkifySame checks the result is GFM's either way.
func mayAutolink(src []byte) bool {
	return bytes.IndexByte(src, '@') >= 0 || bytes.Contains(src, domainWWW) ||
		bytes.Contains(src, schemeHTTP) || bytes.Contains(src, protoFTP)
}

// schemeHTTP starts both http: and https:.
var schemeHTTP = []byte("http")

// newWith returns a Renderer with the given GitHub-flavoured extensions.
func newWith(opts Options, gfm ...goldmark.Extender) *Renderer {
	rendererOpts := []renderer.Option{html.WithXHTML()}
	if opts.UnsafeHTML {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	exts := append(slices.Clone(gfm), extension.Typographer, &siteLinks{base: opts.BasePath})
	if !opts.UnsafeHTML {
		exts = append(exts, escapeHTML{})
	}
	md := goldmark.New(
		goldmark.WithExtensions(exts...),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	return &Renderer{md: md}
}

// fastLinkify is GFM's autolinks (extension.Linkify) with a shortcut.
// goldmark tries the autolink parser at every space of every line, and it
// looks for an e-mail address at each: a sixth of rendering's time. An
// autolink starts with http:, https:, ftp: or www., or is an e-mail
// address, which has an @; in a body with no @, the parser is asked only
// where a word starts with one of those, and finds nothing elsewhere just
// as the real one would (FuzzFastLinkifySame compares the two).
type fastLinkify struct{}

func (fastLinkify) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(
		util.Prioritized(&linkifyParser{InlineParser: extension.NewLinkifyParser()}, 999),
	))
}

// linkifyParser wraps goldmark's autolink parser.
type linkifyParser struct{ parser.InlineParser }

// hasAtKey caches, per document, whether its source has an @.
var hasAtKey = parser.NewContextKey()

var (
	protoHTTP  = []byte("http:")
	protoHTTPS = []byte("https:")
	protoFTP   = []byte("ftp:")
	domainWWW  = []byte("www.")
)

func (p *linkifyParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	hasAt, ok := pc.Get(hasAtKey).(bool)
	if !ok {
		hasAt = bytes.IndexByte(block.Source(), '@') >= 0
		pc.Set(hasAtKey, hasAt)
	}
	if !hasAt {
		line, _ := block.PeekLine()
		if len(line) > 0 {
			// The parser steps over the character that triggered it.
			switch line[0] {
			case ' ', '*', '_', '~', '(':
				line = line[1:]
			}
		}
		if len(line) == 0 {
			return nil
		}
		switch line[0] {
		case 'h':
			if !bytes.HasPrefix(line, protoHTTP) && !bytes.HasPrefix(line, protoHTTPS) {
				return nil
			}
		case 'f':
			if !bytes.HasPrefix(line, protoFTP) {
				return nil
			}
		case 'w':
			if !bytes.HasPrefix(line, domainWWW) {
				return nil
			}
		default:
			return nil
		}
	}
	return p.InlineParser.Parse(parent, block, pc)
}

// renderBuf is a reusable output buffer: the HTML is copied out of it once,
// at its final size.
type renderBuf struct {
	out bytes.Buffer
	w   *bufio.Writer
	min bytes.Buffer // out minified
}

var renderBufs = sync.Pool{New: func() any {
	b := &renderBuf{}
	b.w = bufio.NewWriter(&b.out)
	return b
}}

// Result is a rendered body.
type Result struct {
	HTML string
	// Lead is the plain text of the first paragraph, for summaries.
	Lead string
	// Links are the body's links and images, for the link check.
	Links []Link
}

// Render converts src.
func (r *Renderer) Render(src []byte) (Result, error) {
	md := r.md
	if r.unlinked != nil && !mayAutolink(src) {
		md = r.unlinked
	}
	doc := md.Parser().Parse(text.NewReader(src), parser.WithContext(parser.NewContext(parser.WithIDs(newHeadingIDs()))))
	buf := renderBufs.Get().(*renderBuf)
	defer renderBufs.Put(buf)
	buf.out.Reset()
	buf.w.Reset(&buf.out)
	if err := md.Renderer().Render(buf.w, src, doc); err != nil {
		return Result{}, err
	}
	if err := buf.w.Flush(); err != nil {
		return Result{}, err
	}
	// The HTML is minified once, here, rather than in every page showing
	// it: layouts are minified when they are loaded, and pages are not.
	buf.min.Reset()
	if err := htmlmin.WriteHTML(&buf.min, buf.out.Bytes()); err != nil {
		return Result{}, err
	}
	return Result{HTML: buf.min.String(), Lead: lead(doc, src), Links: links(doc, src)}, nil
}

// lead returns the text of the first paragraph.
func lead(doc ast.Node, src []byte) string {
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if n.Kind() != ast.KindParagraph {
			continue
		}
		var b strings.Builder
		_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			switch t := c.(type) {
			case *ast.Text:
				if t.IsRaw() {
					b.Write(t.Segment.Value(src))
				} else {
					b.WriteString(plain(t.Segment.Value(src)))
				}
				if t.SoftLineBreak() || t.HardLineBreak() {
					b.WriteByte(' ')
				}
			case *ast.String:
				switch {
				case t.IsCode():
					// The typographer's quotes and dashes are entities
					// ("&ldquo;"); the lead is text, not HTML.
					b.WriteString(stdhtml.UnescapeString(string(t.Value)))
				case t.IsRaw():
					b.Write(t.Value)
				default:
					b.WriteString(plain(t.Value))
				}
			case *ast.AutoLink:
				b.Write(t.URL(src))
				return ast.WalkSkipChildren, nil
			case *ast.RawHTML:
				return ast.WalkSkipChildren, nil
			}
			return ast.WalkContinue, nil
		})
		return strings.Join(strings.Fields(b.String()), " ")
	}
	return ""
}

// plain resolves the backslash escapes and entity references of Markdown
// text the way the HTML renderer does, and returns the text it stands for.
func plain(v []byte) string {
	if bytes.IndexAny(v, "\\&\x00") < 0 {
		// Nothing to resolve: escaping and unescaping give v back.
		return string(v)
	}
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	html.DefaultWriter.Write(w, v)
	_ = w.Flush()
	return stdhtml.UnescapeString(buf.String())
}

// Truncate shortens s to at most n runes, at a word boundary, with an
// ellipsis when anything was cut.
func Truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := n
	for cut > n/2 && !unicode.IsSpace(r[cut]) {
		cut--
	}
	return strings.TrimRightFunc(string(r[:cut]), func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) + "…"
}

// siteLinks makes root-relative links and images follow the site's base
// path, and turns "# Heading" into a second-level heading: the page title is
// the only first-level heading.
type siteLinks struct{ base string }

var (
	_ goldmark.Extender     = (*siteLinks)(nil)
	_ parser.ASTTransformer = (*siteLinks)(nil)
	_ goldmark.Extender     = escapeHTML{}
	_ renderer.NodeRenderer = escapeHTML{}
)

func (s *siteLinks) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(s, 100)))
}

func (s *siteLinks) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	rebase := func(dest []byte) []byte {
		if s.base == "" || s.base == "/" || !bytes.HasPrefix(dest, []byte("/")) || bytes.HasPrefix(dest, []byte("//")) {
			return dest
		}
		return append([]byte(strings.TrimSuffix(s.base, "/")), dest...)
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			n.Destination = rebase(n.Destination)
		case *ast.Image:
			n.Destination = rebase(n.Destination)
		case *ast.Heading:
			if n.Level == 1 {
				n.Level = 2
			}
		}
		return ast.WalkContinue, nil
	})
}

// escapeHTML renders raw HTML in Markdown as visible text, so an editor sees
// what they wrote rather than losing it silently.
type escapeHTML struct{}

func (escapeHTML) Extend(m goldmark.Markdown) {
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(escapeHTML{}, 100)))
}

func (escapeHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, renderRawHTML)
	reg.Register(ast.KindHTMLBlock, renderHTMLBlock)
}

func renderRawHTML(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		segs := n.(*ast.RawHTML).Segments
		for i := range segs.Len() {
			seg := segs.At(i)
			_, _ = w.Write(util.EscapeHTML(seg.Value(src)))
		}
	}
	return ast.WalkSkipChildren, nil
}

func renderHTMLBlock(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	b := n.(*ast.HTMLBlock)
	_, _ = w.WriteString("<p>")
	lines := b.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		_, _ = w.Write(util.EscapeHTML(seg.Value(src)))
	}
	if b.HasClosure() {
		_, _ = w.Write(util.EscapeHTML(b.ClosureLine.Value(src)))
	}
	_, _ = w.WriteString("</p>\n")
	return ast.WalkSkipChildren, nil
}
