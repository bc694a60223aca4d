// Package htmlmin is the one configuration of tdewolff/minify the build
// uses for HTML: for Markdown's HTML when it is converted and for the
// source of html/template layouts when they are loaded, so that executing a
// layout gives minified HTML without minifying the page.
package htmlmin

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	mhtml "github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
)

// options are the HTML minifier's: documents keep their html, head and
// body tags, elements their end tags and attributes their quotes, which
// keeps the output readable and easy to check.
var options = mhtml.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true}

// New returns a minifier of HTML, CSS, JavaScript, SVG, JSON and XML.
func New() *minify.M { return with(&options) }

// with returns a minifier whose HTML minifier is h.
func with(h *mhtml.Minifier) *minify.M {
	m := minify.New()
	m.Add("text/html", h)
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("image/svg+xml", svg.Minify)
	m.AddFuncRegexp(regexp.MustCompile("^(application|text)/(x-)?(java|ecma)script$"), js.Minify)
	m.AddFuncRegexp(regexp.MustCompile("[/+]json$"), json.Minify)
	m.AddFuncRegexp(regexp.MustCompile("[/+]xml$"), xml.Minify)
	return m
}

// templates minifies the source of Go templates: an action is an opaque
// token (see Template).
var templates = func() *minify.M {
	o := options
	o.TemplateDelims = mhtml.GoTemplateDelims
	return with(&o)
}()

// html minifies HTML.
var html = New()

// HTML minifies a fragment or document of HTML.
func HTML(src []byte) ([]byte, error) { return minifyBytes(html, src) }

// WriteHTML writes src minified as HTML to w.
func WriteHTML(w io.Writer, src []byte) error {
	return html.Minify("text/html", w, inPlace(src))
}

// Template minifies the source text of an html/template template. Each
// action is first put out of the minifier's reach as a numbered stand-in,
// {{0}}, {{1}}, …: the minifier reads an action up to the first "}}" not in
// quotes, but a Go template comment may hold an apostrophe, and a raw string
// "}}". White space next to an action is kept (one character of it), since
// what the action prints decides whether it matters; an attribute holding
// an action is kept as it is, and so is the content of a <pre>, and of a
// script, style or textarea holding an action. It fails when the source
// has an unterminated action or when the stand-ins do not all come out
// once each and in order, in which case the caller uses the source as it
// is.
func Template(src string) (string, error) {
	masked, actions, err := maskActions(src)
	if err != nil {
		return "", err
	}
	masked, actions = maskRawText(masked, actions)
	b, err := minifyBytes(templates, []byte(masked))
	if err != nil {
		return "", err
	}
	return unmaskActions(string(b), actions)
}

// maskActions replaces each action of src with its stand-in and returns the
// actions in order.
func maskActions(src string) (string, []string, error) {
	var b strings.Builder
	b.Grow(len(src))
	var actions []string
	for {
		i := strings.Index(src, "{{")
		if i < 0 {
			b.WriteString(src)
			return b.String(), actions, nil
		}
		n := actionLen(src[i:])
		if n < 0 {
			return "", nil, errors.New("unterminated action")
		}
		b.WriteString(src[:i])
		b.WriteString("{{")
		b.WriteString(strconv.Itoa(len(actions)))
		b.WriteString("}}")
		actions = append(actions, src[i:i+n])
		src = src[i+n:]
	}
}

// rawText are the elements whose content tdewolff's lexer reads as raw
// text; holding an action, it is minified as if it were HTML text, which
// would join a script's lines (and end it in a // comment) or change a
// textarea's value.
var rawText = []string{"script", "style", "textarea", "xmp", "iframe", "plaintext"}

// maskRawText makes the whole content of each raw text element holding a
// stand-in one stand-in itself, so it is kept as it is, and numbers the
// stand-ins afresh, in order. It returns the text and what each stand-in
// stands for.
func maskRawText(masked string, actions []string) (string, []string) {
	var b strings.Builder
	var out []string
	standIn := func(chunk string) {
		b.WriteString("{{")
		b.WriteString(strconv.Itoa(len(out)))
		b.WriteString("}}")
		out = append(out, chunk)
	}
	// renumber copies text, its stand-ins numbered afresh.
	renumber := func(text string) {
		for {
			k := strings.Index(text, "{{")
			if k < 0 {
				b.WriteString(text)
				return
			}
			b.WriteString(text[:k])
			e := k + strings.Index(text[k:], "}}") + 2
			n, _ := strconv.Atoi(text[k+2 : e-2])
			standIn(actions[n])
			text = text[e:]
		}
	}
	lower := asciiLower(masked)
	i := 0
	for i < len(masked) {
		// A "<" in an action is in its stand-in's chunk, not here.
		j, name := i, ""
		for {
			k := strings.IndexByte(lower[j:], '<')
			if k < 0 {
				j = len(masked)
				break
			}
			j += k
			if name = rawTextAt(lower[j:]); name != "" {
				break
			}
			j++
		}
		end := strings.IndexByte(masked[j:], '>')
		if name == "" || end < 0 {
			renumber(masked[i:])
			break
		}
		start := j + end + 1
		renumber(masked[i:start]) // up to the start tag's end
		stop := strings.Index(lower[start:], "</"+name)
		if stop < 0 {
			stop = len(masked) - start
		}
		if content := masked[start : start+stop]; strings.Contains(content, "{{") {
			standIn(unmaskAll(content, actions))
		} else {
			b.WriteString(content)
		}
		i = start + stop
	}
	return b.String(), out
}

// asciiLower is s with its ASCII letters in lower case, byte for byte at
// the same offsets (strings.ToLower may change the length of other
// letters).
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// rawTextAt is the name of the raw text element whose start tag s (in lower
// case) starts with, or "".
func rawTextAt(s string) string {
	for _, name := range rawText {
		if strings.HasPrefix(s[1:], name) && len(s) > len(name)+1 && strings.IndexByte(" \t\n\r\f/>", s[len(name)+1]) >= 0 {
			return name
		}
	}
	return ""
}

// unmaskAll puts the actions back in place of every stand-in of text.
func unmaskAll(text string, actions []string) string {
	var b strings.Builder
	for {
		k := strings.Index(text, "{{")
		if k < 0 {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:k])
		e := k + strings.Index(text[k:], "}}") + 2
		n, _ := strconv.Atoi(text[k+2 : e-2])
		b.WriteString(actions[n])
		text = text[e:]
	}
}

// actionLen is the length of the action s starts with, delimiters
// included, by text/template's rules: a comment runs to "*/}}" (or
// "*/ -}}"); elsewhere "}}" ends it except in a quoted string, a raw string
// or a character constant. It is -1 when the action does not end.
func actionLen(s string) int {
	i := 2
	if strings.HasPrefix(s[i:], "- ") {
		i += 2
	}
	if strings.HasPrefix(s[i:], "/*") {
		j := strings.Index(s[i+2:], "*/")
		if j < 0 {
			return -1
		}
		i += 2 + j + 2
		rest := s[i:]
		switch {
		case strings.HasPrefix(rest, "}}"):
			return i + 2
		case strings.HasPrefix(rest, " -}}"):
			return i + 4
		}
		return -1
	}
	for i < len(s) {
		switch c := s[i]; c {
		case '"', '\'', '`':
			j := i + 1
			for j < len(s) && s[j] != c {
				if s[j] == '\\' && c != '`' {
					j++
				}
				j++
			}
			if j >= len(s) {
				return -1
			}
			i = j + 1
		case '}':
			if strings.HasPrefix(s[i:], "}}") {
				return i + 2
			}
			i++
		default:
			i++
		}
	}
	return -1
}

// unmaskActions puts the actions back in place of their stand-ins, which
// must each be in min once, in order, and be the only "{{" in it.
func unmaskActions(min string, actions []string) (string, error) {
	var b strings.Builder
	b.Grow(len(min) + len(actions)*16)
	for k := range actions {
		stand := "{{" + strconv.Itoa(k) + "}}"
		i := strings.Index(min, "{{")
		if i < 0 || !strings.HasPrefix(min[i:], stand) {
			return "", fmt.Errorf("minified template lost or moved action %d", k)
		}
		b.WriteString(min[:i])
		b.WriteString(actions[k])
		min = min[i+len(stand):]
	}
	if strings.Contains(min, "{{") {
		return "", errors.New("minified template has an action it did not have")
	}
	b.WriteString(min)
	return b.String(), nil
}

// inPlace is src as a reader the minifier reads without copying it: one
// with a Bytes method. (Any other reader it reads whole into a slice of
// its own, growing it as it goes: at 10,000 pages, 106 MB allocated to copy
// 49 MB of Markdown's HTML.) While it reads, the minifier puts a NUL byte
// after src, in src's spare capacity if it has some (and then puts back
// what was there), or else in a copy.
func inPlace(src []byte) *bytes.Buffer { return bytes.NewBuffer(src) }

func minifyBytes(m *minify.M, src []byte) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(len(src))
	if err := m.Minify("text/html", &out, inPlace(src)); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// TemplateOrSource is Template, or src itself when it cannot be minified,
// for templates parsed once when a program starts.
func TemplateOrSource(src string) string {
	if min, err := Template(src); err == nil {
		return min
	}
	return src
}
