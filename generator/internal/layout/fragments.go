package layout

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// A page is mostly made of parts that are the same on many pages: cards,
// filter sidebars, the header and footer. `cached` renders each of them once
// per build; this file also minifies each of them once. A page is executed
// with a placeholder where each such fragment goes, the placeholders and the
// page's own markup are minified together, and the fragments, minified on
// their own, are spliced in place of the placeholders.
//
// That gives the same bytes as minifying the whole page when a fragment
// starts with a block element's start tag and ends with a block element's
// end tag (trimmed of white space): the minifier keeps or drops white space
// next to a tag by whether the tag is a block element, so a placeholder that
// is itself a block element (<div>…</div>) leaves the markup around it as the
// fragment would, and the fragment minifies alone as it would in place, since
// nothing in it looks past its own last end tag. Other fragments are put in
// the page as they are and minified with it.
//
// A placeholder is only HTML in HTML text: put in an attribute, a script or a
// <title>, html/template escapes it, and inside <pre> (or an element whose
// content the minifier passes through) the fragment would not be minified in
// place. Either way its nonce is then left over in the output, so the page is
// rendered again with every fragment in place, and so is every later page.

// fragment is one rendering of a partial by `cached`.
type fragment struct {
	once sync.Once
	html template.HTML
	err  error
	// placeholder stands for the fragment in a page before it is minified;
	// empty when the fragment is not block-bounded.
	placeholder template.HTML

	minOnce sync.Once
	min     []byte
	minErr  error
}

// Minifier minifies a document of a media type: *minify.M is one. Splicing
// fragments relies on its HTML minifier keeping end tags.
type Minifier interface {
	Minify(mediatype string, w io.Writer, r io.Reader) error
}

// MinifyError is a failure to minify a rendered page.
type MinifyError struct{ Err error }

func (e *MinifyError) Error() string { return "minify: " + e.Err.Error() }
func (e *MinifyError) Unwrap() error { return e.Err }

// fragments is the Set's table of block-bounded fragments by number.
type fragments struct {
	nonce string // random; ends with a non-digit
	mu    sync.RWMutex
	list  []*fragment
	// inline, once set, puts every fragment in pages as it is (see above).
	// It is read for every fragment a page uses, without a lock.
	inline atomic.Bool
	// verbatim says some layout has a verbatim element, so a placeholder
	// may be inside one. Only a layout can put it there: the HTML of values
	// (Markdown, forms) is balanced, so none is open where an action is.
	verbatim bool
}

func newNonce() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "ppfragment" + hex.EncodeToString(b) + "-"
}

// register numbers a block-bounded fragment and gives it its placeholder.
func (fs *fragments) register(f *fragment) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	f.placeholder = template.HTML("<div>" + fs.nonce + strconv.Itoa(len(fs.list)) + "</div>")
	fs.list = append(fs.list, f)
}

func (fs *fragments) get(id int) *fragment {
	fs.mu.RLock()
	defer fs.mu.RUnlock()
	if id < 0 || id >= len(fs.list) {
		return nil
	}
	return fs.list[id]
}

func (fs *fragments) isInline() bool { return fs.inline.Load() }

func (fs *fragments) setInline() { fs.inline.Store(true) }

// use returns what `cached` puts in the page for f.
func (fs *fragments) use(f *fragment) template.HTML {
	if f.placeholder != "" && !fs.isInline() {
		return f.placeholder
	}
	return f.html
}

// minified returns f minified on its own, once.
func (f *fragment) minified(m Minifier) ([]byte, error) {
	f.minOnce.Do(func() {
		var b bytes.Buffer
		if err := m.Minify("text/html", &b, strings.NewReader(string(f.html))); err != nil {
			f.minErr = err
			return
		}
		f.min = b.Bytes()
	})
	return f.min, f.minErr
}

// blockTags are the elements html minifier (tdewolff/minify) drops white
// space around; <style> and <title>, whose content it reads as raw text, are
// left out.
var blockTags = map[string]bool{}

func init() {
	for t := range strings.FieldsSeq(`address article aside blockquote br caption col colgroup dd details div dl dt
		fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html legend li main menu nav
		noscript ol option p pre section summary table tbody td tfoot th thead tr ul center dir marquee noembed noframes xmp`) {
		blockTags[t] = true
	}
}

// blockBounded reports whether html, trimmed of white space, starts with a
// block element's start tag and ends with a block element's end tag.
func blockBounded(html string) bool {
	html = strings.TrimSpace(html)
	if !strings.HasPrefix(html, "<") || !strings.HasSuffix(html, ">") {
		return false
	}
	first := html[1:]
	if i := strings.IndexAny(first, " \t\n\r\f/>"); i > 0 {
		first = first[:i]
	} else {
		return false
	}
	i := strings.LastIndex(html, "</")
	if i < 0 {
		return false
	}
	last := html[i+2 : len(html)-1]
	return blockTags[strings.ToLower(first)] && blockTags[strings.ToLower(last)]
}

// verbatim are the elements inside which html/template writes a placeholder
// as it is but the minifier does not minify HTML as elsewhere, so a fragment
// there would come out otherwise than minified on its own. (In <script>,
// <style>, <title> and <textarea> html/template escapes it instead.)
var verbatim = []string{"pre", "xmp", "iframe", "plaintext", "svg", "math"}

// splice returns page with each placeholder replaced by body(fragment):
// the fragment as rendered in a page being executed, or minified in a page
// minified with its placeholders, where minified says to check that none is
// in a verbatim element. ok is false when the nonce occurs elsewhere than in
// a placeholder in HTML text: the page must then be rendered with its
// fragments in place.
func (fs *fragments) splice(page []byte, minified bool, body func(*fragment) ([]byte, error)) (out []byte, ok bool, err error) {
	nonce := []byte(fs.nonce)
	first := bytes.Index(page, nonce)
	if first < 0 {
		return bytes.Clone(page), true, nil
	}
	type part struct {
		start, end int // of the placeholder in page
		frag       []byte
	}
	var stack [32]part
	parts := stack[:0]
	size := len(page)
	var spans [][2]int
	if minified && fs.verbatim {
		spans = verbatimSpans(page)
	}
	for i := first; i >= 0; {
		start, digits := i-len("<div>"), i+len(nonce)
		j := digits
		for j < len(page) && page[j] >= '0' && page[j] <= '9' {
			j++
		}
		if start < 0 || string(page[start:i]) != "<div>" || j == digits || !bytes.HasPrefix(page[j:], []byte("</div>")) {
			return nil, false, nil
		}
		if inside(spans, start) {
			return nil, false, nil
		}
		id, _ := strconv.Atoi(string(page[digits:j]))
		f := fs.get(id)
		if f == nil {
			return nil, false, nil
		}
		b, err := body(f)
		if err != nil {
			return nil, false, err
		}
		end := j + len("</div>")
		parts = append(parts, part{start, end, b})
		size += len(b) - (end - start)
		if k := bytes.Index(page[end:], nonce); k >= 0 {
			i = end + k
		} else {
			i = -1
		}
	}
	out = make([]byte, 0, size)
	prev := 0
	for _, p := range parts {
		out = append(out, page[prev:p.start]...)
		out = append(out, p.frag...)
		prev = p.end
	}
	return append(out, page[prev:]...), true, nil
}

// hasVerbatim reports whether a layout's text has a verbatim element.
func hasVerbatim(text string) bool {
	text = strings.ToLower(text)
	for _, t := range verbatim {
		if strings.Contains(text, "<"+t) {
			return true
		}
	}
	return false
}

// verbatimSpans are the stretches of page from a verbatim element's start
// tag to its end tag (or the end of the page), in no particular order.
func verbatimSpans(page []byte) [][2]int {
	var spans [][2]int
	for _, t := range verbatim {
		open, end := []byte("<"+t), []byte("</"+t)
		for i := 0; ; {
			k := bytes.Index(page[i:], open)
			if k < 0 {
				break
			}
			i += k + len(open)
			if i < len(page) && strings.IndexByte(" \t\n\r\f/>", page[i]) < 0 {
				continue // a longer name, such as <prefix
			}
			close := len(page)
			if c := bytes.Index(page[i:], end); c >= 0 {
				close = i + c
			}
			spans = append(spans, [2]int{i, close})
			i = close
		}
	}
	return spans
}

// inside reports whether position i is within one of spans.
func inside(spans [][2]int, i int) bool {
	for _, s := range spans {
		if i >= s[0] && i < s[1] {
			return true
		}
	}
	return false
}

// Keyed is an item cachedEach can render: its key names everything the
// partial shows of it within a build (a page's or breadcrumb's address).
type Keyed interface{ CacheKey() string }

// cachedEach renders the partial name for each item of list, a slice of
// Keyed items (the site's pages or breadcrumbs), through cached with the
// item's key.
func (s *Set) cachedEach(name string, list any) (template.HTML, error) {
	v := reflect.ValueOf(list)
	if v.Kind() != reflect.Slice {
		return "", fmt.Errorf("cachedEach: cannot list %T", list)
	}
	// The parts are joined once their length is known.
	var stack [32]template.HTML
	parts, size := stack[:0], 0
	for i := range v.Len() {
		item, ok := v.Index(i).Interface().(Keyed)
		if !ok {
			return "", fmt.Errorf("cachedEach: cannot key %s", v.Index(i).Type())
		}
		h, err := s.executeCached(name, item.CacheKey(), item)
		if err != nil {
			return "", err
		}
		parts = append(parts, h)
		size += len(h)
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	var b strings.Builder
	b.Grow(size)
	for _, h := range parts {
		b.WriteString(string(h))
	}
	return template.HTML(b.String()), nil
}
