// Package layout loads the html/template layouts a site is rendered with: a
// default theme embedded in the binary, any file of which a site overrides
// by putting a file of the same name in its own layouts/ directory. It also
// owns the theme's assets, which it minifies and fingerprints so pages can
// link them with a content hash and Subresource Integrity.
package layout

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/template/parse"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/js"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/diag"
)

//go:embed theme
var theme embed.FS

// Dir is the directory of a site's own layouts.
const Dir = "layouts"

// base is the layout every page layout is executed within; partials/ holds
// shared named templates.
const (
	baseFile    = "baseof.html"
	partialsDir = "partials"
)

// Set is the parsed layouts of a site. It is safe for concurrent use once
// loaded.
//
// Each layout file is minified as HTML once, when it is loaded (see
// minifyLayouts), so that executing a page gives minified HTML without
// minifying the page: the HTML that values bring in, Markdown and forms, is
// minified where it is made. The minified text has other lines and columns
// than the file, so an error executing a page is reported from executing it
// again in a set parsed from the files as they are (see explain).
type Set struct {
	// min is the set pages are rendered with, parsed from the minified
	// layouts.
	min *tset
	// orig is parsed from the layouts as they are, when an error is to be
	// reported; nil when no layout was minified.
	orig struct {
		once sync.Once
		set  *tset
	}
	// parseOrig parses orig.set.
	parseOrig func() *tset

	source map[string]string // template file name -> path reported in errors
	text   map[string][]byte // template file name -> its text, for Deps
	assets map[string]*Asset
	// cache holds partials rendered by `cached`, by name and key. An entry
	// is reused for as long as the Set lives, which is one build: the
	// template's caller promises that the key names everything the output
	// depends on within that build.
	cache struct {
		sync.RWMutex
		// m holds the fragments by partial name, then key: a map keyed
		// by one string is looked up faster than by a pair, which showed
		// in profiles of listings, which look up a dozen cards a page.
		m map[string]map[string]*fragment
	}
	// overridden holds the names of the partials (their define'd
	// templates) that the site's own layouts/partials replace.
	overridden map[string]bool
	// unminified lists the layout files used as they are, because
	// minifying one failed or gave text that does not parse.
	unminified []string
	// check records what the compiled programs did, for tests.
	check progCheck
}

// tset is one parse of the layouts.
type tset struct {
	pages map[string]*programs
	// partials holds the base and the partials, to execute a partial on its
	// own for the `cached` function.
	partials *programs
	// uncached says `cached` executes the partial every time: the set is
	// the layouts as they are, executed only to report an error where it
	// is in the file.
	uncached bool
}

// fragment is one rendering of a partial by `cached`.
type fragment struct {
	once sync.Once
	html template.HTML
	err  error
}

// fragment returns the entry of the partial name for key, made if need be.
// Most calls find it, which takes neither a write lock nor an allocation.
func (s *Set) fragment(name, key string) *fragment {
	s.cache.RLock()
	f := s.cache.m[name][key]
	s.cache.RUnlock()
	if f != nil {
		return f
	}
	s.cache.Lock()
	defer s.cache.Unlock()
	if f = s.cache.m[name][key]; f == nil {
		if s.cache.m == nil {
			s.cache.m = map[string]map[string]*fragment{}
		}
		byKey := s.cache.m[name]
		if byKey == nil {
			byKey = map[string]*fragment{}
			s.cache.m[name] = byKey
		}
		f = &fragment{}
		byKey[key] = f
	}
	return f
}

// executeCached renders the partial name of ts with data once per key.
func (s *Set) executeCached(ts *tset, name, key string, data any) (template.HTML, error) {
	if ts.uncached {
		return ts.partials.render(name, data)
	}
	f := s.fragment(name, key)
	f.once.Do(func() { f.html, f.err = ts.partials.render(name, data) })
	return f.html, f.err
}

// render renders the template name of ps. It is executed into a pooled
// buffer and copied once: a strings.Builder grew through a dozen sizes for
// a card.
func (ps *programs) render(name string, data any) (template.HTML, error) {
	b := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(b)
	b.Reset()
	if err := ps.execute(b, name, data); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

// executeShared is `cached` for the theme's own partials, whose keys the
// theme knows: a partial the site replaces may show anything of the page,
// so it is executed in t every time.
func (s *Set) executeShared(ts *tset, ps *programs, name, key string, data any) (template.HTML, error) {
	if !s.overridden[name] {
		return s.executeCached(ts, name, key, data)
	}
	return ps.render(name, data)
}

// Asset is a fingerprinted theme file.
type Asset struct {
	// Path is where it is written, relative to public/: assets/site.3f2a9c1e.css.
	Path string
	Body []byte
	// Integrity is its Subresource Integrity value.
	Integrity string
}

// Load parses the theme with the site's overrides (site is the site's root
// directory). funcs are added to the built-in template functions.
func Load(site fs.FS, cfg *config.Config, funcs template.FuncMap) (*Set, diag.List) {
	var diags diag.List
	files := map[string][]byte{} // name relative to layouts/ -> text
	source := map[string]string{}
	builtin, _ := fs.Sub(theme, "theme/layouts")
	for _, src := range []struct {
		fsys   fs.FS
		prefix string
	}{{builtin, builtinPrefix}, {site, ""}} {
		root := "."
		if src.prefix == "" {
			root = Dir
		}
		err := fs.WalkDir(src.fsys, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) && p == root {
					return fs.SkipDir
				}
				return err
			}
			if d.IsDir() || !strings.HasSuffix(p, ".html") {
				return nil
			}
			b, err := fs.ReadFile(src.fsys, p)
			if err != nil {
				return err
			}
			name := strings.TrimPrefix(p, Dir+"/")
			files[name] = b
			source[name] = src.prefix + p
			return nil
		})
		if err != nil {
			diags.Add(diag.Pos{File: Dir}, "", "cannot read layouts: %v", err)
			return nil, diags
		}
	}
	s := &Set{source: source, text: files, overridden: map[string]bool{}}
	for name, text := range files {
		if !strings.HasPrefix(source[name], builtinPrefix) {
			for _, d := range defines(name, string(text)) {
				s.overridden[d] = true
			}
		}
	}
	if _, ok := files[baseFile]; !ok {
		diags.Add(diag.Pos{File: Dir + "/" + baseFile}, "", "no base layout")
		return nil, diags
	}
	orig := map[string]string{}
	for name, text := range files {
		orig[name] = string(text)
	}
	min, unminified := minifyLayouts(orig)
	parseOrig := func() (*tset, diag.List) { return s.parse(orig, cfg, funcs, true) }
	ts, d := s.parse(min, cfg, funcs, false)
	if d != nil {
		// Errors are reported where they are in the files; should the
		// files parse after all, they are used as they are.
		if ts, d = parseOrig(); d != nil {
			return nil, d
		}
		unminified = slices.Sorted(maps.Keys(files))
	}
	s.min, s.unminified = ts, unminified
	s.parseOrig = func() *tset {
		ts, _ := parseOrig()
		return ts
	}
	assets, err := loadAssets(siteCSS(cfg))
	if err != nil {
		diags.Add(diag.Pos{File: "(built-in theme) assets"}, "", "%v", err)
		return nil, diags
	}
	s.assets = assets
	return s, nil
}

// parse parses the layouts texts (by name relative to layouts/) into a
// set; uncached makes its `cached` execute partials every time.
func (s *Set) parse(texts map[string]string, cfg *config.Config, funcs template.FuncMap, uncached bool) (*tset, diag.List) {
	ts := &tset{pages: map[string]*programs{}, uncached: uncached}
	fm := s.funcs(cfg, ts)
	maps.Copy(fm, funcs)
	root := template.New(baseFile).Funcs(fm)
	var diags diag.List
	parse := func(t *template.Template, name string) bool {
		if name != t.Name() {
			// New with the root's own name would detach it from the
			// shared functions, so the base is parsed into the root.
			t = t.New(name)
		}
		if _, err := t.Parse(texts[name]); err != nil {
			diags.Append(s.Diagnostic(err))
			return false
		}
		return true
	}
	names := slices.Sorted(maps.Keys(texts))
	ok := parse(root, baseFile)
	for _, n := range names {
		if strings.HasPrefix(n, partialsDir+"/") {
			ok = parse(root, n) && ok
		}
	}
	if !ok {
		return nil, diags
	}
	ts.partials = newPrograms(root, fm, !uncached, &s.check)
	for _, n := range names {
		if n == baseFile || strings.Contains(n, "/") {
			continue
		}
		t := template.Must(root.Clone())
		if parse(t, n) {
			// A page layout may define its own version of a partial, so
			// `shared` runs a replaced partial in the page's own set.
			var ps *programs
			shared := template.FuncMap{"shared": func(name, key string, data any) (template.HTML, error) {
				return s.executeShared(ts, ps, name, key, data)
			}}
			t.Funcs(shared)
			pfm := maps.Clone(fm)
			maps.Copy(pfm, shared)
			ps = newPrograms(t, pfm, !uncached, &s.check)
			ts.pages[strings.TrimSuffix(n, ".html")] = ps
		}
	}
	if len(diags) > 0 {
		return nil, diags
	}
	return ts, nil
}

// builtinPrefix starts the path errors report for a file of the theme.
const builtinPrefix = "(built-in theme) layouts/"

// defines lists the templates a layout file defines; it has parsed already.
func defines(name, text string) []string {
	trees := map[string]*parse.Tree{}
	t := parse.New(name)
	t.Mode = parse.SkipFuncCheck
	if _, err := t.Parse(text, "", "", trees); err != nil {
		return nil
	}
	return slices.Sorted(maps.Keys(trees))
}

// Names lists the page layouts, sorted.
func (s *Set) Names() []string {
	return slices.Sorted(func(yield func(string) bool) {
		for n := range s.min.pages {
			if !yield(n) {
				return
			}
		}
	})
}

// Has reports whether a page layout exists.
func (s *Set) Has(name string) bool { _, ok := s.min.pages[name]; return ok }

// bufPool holds the buffers pages and partials are executed into.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// execute runs the page layout name of ts into buf.
func (ts *tset) execute(buf *bytes.Buffer, name string, data any) error {
	ps, ok := ts.pages[name]
	if !ok {
		return fmt.Errorf("no layout %q", name)
	}
	buf.Reset()
	return ps.execute(buf, baseFile, data)
}

// Render renders the page layout name with data into a new slice. The
// layouts are minified, and so is the HTML values bring in, so the page is
// minified HTML.
func (s *Set) Render(name string, data any) ([]byte, error) {
	var out []byte
	err := s.RenderFunc(name, data, func(page []byte) error {
		out = bytes.Clone(page)
		return nil
	})
	if re, ok := err.(*RenderError); ok {
		return nil, re.Err
	}
	return out, err
}

// RenderFunc renders the page layout name with data, as Render does, and
// calls use with the page, which is only valid until use returns: a build
// writes each page from the buffer it was rendered into, and so allocates
// no copy of it (at 10,000 documents, 190 MB less for the collector). An
// error rendering the page is returned; one from use is returned as it is.
func (s *Set) RenderFunc(name string, data any, use func(page []byte) error) error {
	buf := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(buf)
	if err := s.min.execute(buf, name, data); err != nil {
		return &RenderError{s.explain(name, data, err)}
	}
	return use(buf.Bytes())
}

// RenderError is a layout's failure to render a page, as opposed to a
// failure of what RenderFunc's caller did with the page.
type RenderError struct{ Err error }

func (e *RenderError) Error() string { return e.Err.Error() }
func (e *RenderError) Unwrap() error { return e.Err }

// explain returns the error of executing the page layout name in the set
// of the layouts as they are, which names the line and column in the file
// where err, from executing the minified set, names those of the minified
// text; err itself if that set renders the page.
func (s *Set) explain(name string, data any, err error) error {
	s.orig.once.Do(func() { s.orig.set = s.parseOrig() })
	if s.orig.set == nil {
		return err
	}
	buf := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(buf)
	if oerr := s.orig.set.execute(buf, name, data); oerr != nil {
		return oerr
	}
	return err
}

// Assets lists the fingerprinted assets, sorted by path.
func (s *Set) Assets() []*Asset {
	var out []*Asset
	for _, a := range s.assets {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b *Asset) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// templateErr matches the "template: NAME:LINE[:COL]: " prefix html/template
// puts on parse and execution errors, and the "html/template:NAME:LINE:COL: "
// of its escaping errors: the only place they say where.
var templateErr = regexp.MustCompile(`^(?:html/)?template: ?([^:]+):(\d+)(?::(\d+))?: `)

// Diagnostic turns a template error into a diagnostic at the layout file
// and line it names.
func (s *Set) Diagnostic(err error) diag.Diagnostic {
	msg := err.Error()
	d := diag.Diagnostic{Pos: diag.Pos{File: Dir}, Msg: msg}
	if m := templateErr.FindStringSubmatch(msg); m != nil {
		file := m[1]
		if src, ok := s.source[file]; ok {
			file = src
		}
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		if m[3] != "" {
			col++ // text/template counts bytes from 0; a diag.Pos column from 1
		}
		d.Pos = diag.Pos{File: file, Line: line, Col: col}
		d.Msg = msg[len(m[0]):]
	}
	return d
}

// siteCSS is what the build adds to the theme's site.css for this site:
// the --site-origin its print rules put before a link's path, the scheme
// and host of base_url, so that a printed page's links are whole
// addresses. Nothing when base_url is not set (a site with errors).
func siteCSS(cfg *config.Config) string {
	if cfg == nil || cfg.Base == nil {
		return ""
	}
	origin := cfg.Base.Scheme + "://" + cfg.Base.Host
	return "\n:root { --site-origin: " + cssString(origin) + "; }\n"
}

// cssString quotes s as a CSS string.
func cssString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\%x ", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// loadAssets minifies and fingerprints the theme's assets, with extraCSS
// added to the end of site.css.
func loadAssets(extraCSS string) (map[string]*Asset, error) {
	m := minify.New()
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("application/javascript", js.Minify)
	out := map[string]*Asset{}
	entries, err := fs.ReadDir(theme, "theme/assets")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		raw, err := fs.ReadFile(theme, "theme/assets/"+e.Name())
		if err != nil {
			return nil, err
		}
		if e.Name() == "site.css" {
			raw = append(raw, extraCSS...)
		}
		ext := path.Ext(e.Name())
		mime := map[string]string{".css": "text/css", ".js": "application/javascript"}[ext]
		body := raw
		if mime != "" {
			if body, err = m.Bytes(mime, raw); err != nil {
				return nil, fmt.Errorf("minify %s: %w", e.Name(), err)
			}
		}
		sum := sha256.Sum256(body)
		sri := sha512.Sum384(body)
		out[e.Name()] = &Asset{
			Path:      "assets/" + strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:4]) + ext,
			Body:      body,
			Integrity: "sha384-" + base64.StdEncoding.EncodeToString(sri[:]),
		}
	}
	return out, nil
}
