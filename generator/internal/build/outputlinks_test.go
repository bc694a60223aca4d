package build

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tdewolff/parse/v2"
	htmllex "github.com/tdewolff/parse/v2/html"
	"golang.org/x/tools/txtar"

	"peerpress/generator/internal/corpus"
	"peerpress/generator/internal/formspec"
	"peerpress/generator/internal/linkcheck"
)

// folderBase is the base URL of the variant of each site built under a
// folder, so that a layout that writes "/x/" where it should write the
// base path shows as a link to nowhere.
const folderBase = "https://example.org/peer-support/"

// TestOutputLinks builds the example site (at the tests' build date, under
// a folder, on a date when every training session is past, with its forms
// sent elsewhere and with no forms), every
// fixture site that builds without errors and a generated corpus large
// enough for pagination and facet pages, each at the root of its host and
// under a folder, and checks every address the built HTML holds: links,
// images, scripts, style sheets, forms, the search app's files and the
// site's own absolute addresses (canonical, og:url) must go to a file of
// the output, and a fragment to an element of the page it names; every id
// an attribute refers to (aria-controls, label for, …) must be on the page.
// So must the site's own addresses in what programs read: sitemap.xml,
// robots.txt, the feeds, the calendars, JSON-LD and _redirects.
// The Markdown link check covers what editors write; this covers what the
// theme and the generator write around it.
func TestOutputLinks(t *testing.T) {
	type variant struct {
		name string
		opts Options
	}
	var variants []variant
	// both adds a site as it is and under the folder of folderBase.
	both := func(name, src string, opts Options) {
		opts.Source = src
		folder := opts
		folder.BaseURL = folderBase
		variants = append(variants, variant{name, opts}, variant{name + "/folder", folder})
	}

	// The example site today; on a date when its training is all past;
	// with its forms sent to a form server elsewhere, and with no forms
	// (e-mail links to the coordinator instead).
	both("example", exampleSite, Options{Now: buildDate, NowIsDate: true})
	variants = append(variants, variant{"example/past", Options{Source: exampleSite, Now: time.Date(2029, 9, 1, 0, 0, 0, 0, time.UTC), NowIsDate: true, BaseURL: folderBase}})
	for _, f := range []struct{ name, endpoint string }{{"forms-elsewhere", "https://forms.example.org/"}, {"no-forms", "none"}} {
		name, endpoint := f.name, f.endpoint
		dir := copyExample(t)
		edit(t, dir, "site.yaml", func(s string) string {
			if !strings.Contains(s, "\n  endpoint: \"\"\n") {
				t.Fatal(`the example's site.yaml no longer has forms: endpoint: ""`)
			}
			return strings.Replace(s, "\n  endpoint: \"\"\n", "\n  endpoint: "+endpoint+"\n", 1)
		})
		variants = append(variants, variant{"example/" + name, Options{Source: dir, Now: buildDate, NowIsDate: true, BaseURL: folderBase}})
	}

	// The fixtures that are sites, not lists of errors.
	fixtures, _ := filepath.Glob("testdata/sites/*.txtar")
	for _, fx := range fixtures {
		a, err := txtar.ParseFile(fx)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(fx), ".txtar")
		if fixtureFails(t, name) {
			continue
		}
		src := t.TempDir()
		extract(t, a, src)
		both(name, src, fixtureOptions(t, a, src, ""))
	}

	// A site with the settings it must have and two pages: every listing
	// and facet index is empty.
	sparse := t.TempDir()
	extract(t, txtar.Parse([]byte(sparseSite)), sparse)
	both("sparse", sparse, Options{Now: buildDate, NowIsDate: true})

	// A corpus with listings of several pages and facets of many values.
	siteYAML, err := os.ReadFile(filepath.Join(exampleSite, "site.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	if err := corpus.Write(src, corpus.Options{Docs: 200, SiteYAML: siteYAML}); err != nil {
		t.Fatal(err)
	}
	both("corpus", src, Options{Now: buildDate, NowIsDate: true})

	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			opts := v.opts
			opts.Destination = filepath.Join(t.TempDir(), "public")
			p, err := Load(context.Background(), opts)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if _, err := Build(context.Background(), opts); err != nil {
				var ce *ContentError
				if errors.As(err, &ce) {
					t.Fatalf("build: %v", ce.Diags)
				}
				t.Fatalf("build: %v", err)
			}
			problems := checkOutput(t, opts.Destination, p.Config.Base)
			if len(problems) > 0 {
				t.Errorf("%d addresses or ids of the built HTML go nowhere:\n%s", len(problems), strings.Join(problems, "\n"))
			}
		})
	}
}

// sparseSite is a site with nothing but what it must have.
const sparseSite = `-- site.yaml --
title: Sparse Peer Support
base_url: https://sparse.example.org/
vocabularies:
  streams:
    rural-schools: Rural Schools
  regions:
    north: North
-- content/_index.md --
---
title: Welcome
---
Hello.
-- content/pages/about.md --
---
title: About
summary: About us.
---
About.
`

// fixtureFails reports whether the fixture named is one whose build fails
// on purpose: its golden output is the list of errors.
func fixtureFails(t *testing.T, name string) bool {
	golden, err := txtar.ParseFile(filepath.Join("testdata", "golden", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(golden.Files, func(f txtar.File) bool { return f.Name == "errors" })
}

// builtSite is a built site, read for the check.
type builtSite struct {
	dest string
	// base is the site's address; basePath its path.
	base     *url.URL
	basePath string
	files    map[string]bool // every file, relative to dest, with "/"
	ids      map[string][]string
	// posts are the addresses forms post to on the form server, from the
	// forms manifest: the server answers them, no file of public/ does.
	posts map[string]bool
	// What was checked, for the log: addresses, those with a fragment,
	// and id references.
	addresses, fragments, idRefs int
}

// checkOutput checks every HTML file under dest (see TestOutputLinks) and
// returns the problems, one line each, sorted.
func checkOutput(t *testing.T, dest string, base *url.URL) []string {
	t.Helper()
	o := &builtSite{dest: dest, base: base, basePath: base.Path, files: map[string]bool{}, ids: map[string][]string{}, posts: map[string]bool{}}
	var pages []string
	err := filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dest, p)
		rel = filepath.ToSlash(rel)
		o.files[rel] = true
		if strings.HasSuffix(rel, ".html") {
			pages = append(pages, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if o.files[formspec.ManifestPath] {
		m, err := formspec.Parse(o.read(t, formspec.ManifestPath))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m.Forms {
			if !f.External {
				o.posts[f.Action] = true
			}
		}
	}
	var problems []string
	for _, page := range pages {
		problems = append(problems, o.checkPage(t, page)...)
	}
	problems = append(problems, o.checkSearchResults(t)...)
	problems = append(problems, o.checkMachineFiles(t)...)
	slices.Sort(problems)
	t.Logf("%d pages: %d addresses (%d with a fragment), %d id references", len(pages), o.addresses, o.fragments, o.idRefs)
	return problems
}

func (o *builtSite) read(t *testing.T, file string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(o.dest, filepath.FromSlash(file)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pageIDs is a linkcheck.IDs over the built files: the ids of an HTML
// file, read once.
func (o *builtSite) pageIDs(t *testing.T) linkcheck.IDs {
	return func(file string) ([]string, bool) {
		if !strings.HasSuffix(file, ".html") || !o.files[file] {
			return nil, false
		}
		ids, ok := o.ids[file]
		if !ok {
			ids = linkcheck.PageIDs(o.read(t, file))
			o.ids[file] = ids
		}
		return ids, true
	}
}

// tag is one start tag of a page, its attributes' values with their
// character references resolved.
type tag struct {
	name  string
	attrs [][2]string
}

func (tg tag) attr(name string) (string, bool) {
	for _, a := range tg.attrs {
		if a[0] == name {
			return a[1], true
		}
	}
	return "", false
}

// pageTags reads the start tags of a page with an HTML5 tokenizer, which
// steps over text, comments and the content of script, style, textarea
// and title as a browser does. The tokenizer hands over an inline <svg> or
// <math> element whole; its markup is read as tags too.
func pageTags(b []byte) []tag {
	var tags []tag
	lx := htmllex.NewLexer(parse.NewInputBytes(b))
	for {
		tt, data := lx.Next()
		switch tt {
		case htmllex.ErrorToken:
			return tags
		case htmllex.StartTagToken:
			tags = append(tags, tag{name: string(lx.Text())})
		case htmllex.AttributeToken:
			v := lx.AttrVal()
			if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
				v = v[1 : len(v)-1]
			}
			last := &tags[len(tags)-1]
			last.attrs = append(last.attrs, [2]string{string(lx.AttrKey()), html.UnescapeString(string(v))})
		case htmllex.SVGToken, htmllex.MathToken:
			// "<svg …>…</svg>": read it again as a <g> element, which the
			// tokenizer does not swallow.
			_, rest, _ := strings.Cut(string(data), "<")
			i := strings.IndexAny(rest, " \t\n\r\f/>")
			tags = append(tags, pageTags([]byte("<g"+rest[i:]))...)
		}
	}
}

// Attributes that hold an address, checked on every element.
var addressAttrs = map[string]string{
	"href":       "a link, a style sheet, a feed, an icon",
	"src":        "an image or a script",
	"action":     "where a form is sent",
	"formaction": "where a button sends its form",
	"poster":     "a video's still",
	"cite":       "the source of a quotation",
	"data-index": "the search index that search.js loads",
	"data-base":  "the base path search.js puts before a result's path",
	// The choices file a search box (a choice with many choices) loads.
	"data-choices": "the choices that forms.js suggests",
}

// Attributes that hold ids of the same page, separated by spaces: each
// must be there for the element to be labelled, described or controlled.
var idRefAttrs = []string{
	"aria-controls", "aria-describedby", "aria-labelledby", "aria-owns", "aria-flowto",
	"aria-details", "aria-errormessage", "aria-activedescendant",
	"for",  // <label for>, <output for>
	"list", // <input list>: its <datalist>
	"form", // a control outside its <form>
	"headers", "popovertarget", "commandfor",
}

// scriptIDs are ids that attributes of the built HTML may refer to
// although no element of the page has them, because a script makes the
// element when the page runs; each with the script and why the reference
// is written before the element exists. None today: forms.js sets a
// search box's aria-controls and aria-activedescendant only once it has
// made the list and options they name, and the search page's
// aria-controls names a panel the page already has.
var scriptIDs = map[string]string{}

// notAddresses are attributes whose value may begin with "/" and is not
// an address of public/, with the reason.
var notAddresses = map[string]string{
	// The form server's answer with the places left on each session,
	// which forms.js loads: the server makes it, no file of public/ is it.
	"data-pp-places-url": "the form server's places",
}

// checkPage checks the addresses and id references of one page.
func (o *builtSite) checkPage(t *testing.T, file string) []string {
	t.Helper()
	var problems []string
	report := func(attr, value, msg string) {
		problems = append(problems, fmt.Sprintf("%s: %s %q: %s", file, attr, value, msg))
	}
	// The address the page is served at, for relative addresses. 404.html
	// is served at any address that has no file, so its addresses must
	// not be relative.
	page := o.basePath + strings.TrimSuffix(file, "index.html")
	tags := pageTags(o.read(t, file))
	ownIDs := map[string]bool{}
	for _, tg := range tags {
		if id, ok := tg.attr("id"); ok {
			ownIDs[id] = true
		}
	}
	ids := o.pageIDs(t)
	check := func(attr, addr string) {
		if file == "404.html" && addr != "" && !strings.HasPrefix(addr, "/") && !strings.HasPrefix(addr, "#") && !linkcheck.External(addr) {
			report(attr, addr, "a relative address on the page served for any missing address")
			return
		}
		if linkcheck.External(addr) {
			// The site's own absolute addresses (canonical, og:url) are
			// checked as paths; other sites' are not this test's.
			u, err := url.Parse(addr)
			if err != nil || u.Scheme != o.base.Scheme || u.Host != o.base.Host {
				return
			}
			if !strings.HasPrefix(u.Path, o.basePath) {
				report(attr, addr, "the site's host, outside its base path "+o.basePath)
				return
			}
			addr = u.EscapedPath()
			if u.RawQuery != "" {
				addr += "?" + u.RawQuery
			}
			if u.Fragment != "" {
				addr += "#" + u.EscapedFragment()
			}
		}
		o.addresses++
		if strings.Contains(addr, "#") {
			o.fragments++
		}
		if msg := linkcheck.CheckAddress(addr, page, o.basePath, func(f string) bool { return o.files[f] }, ids); msg != "" {
			report(attr, addr, msg)
		}
	}
	for _, tg := range tags {
		for _, a := range tg.attrs {
			name, value := a[0], a[1]
			switch {
			case name == "srcset":
				for _, c := range srcsetURLs(value) {
					check(name, c)
				}
			case addressAttrs[name] != "":
				if tg.name == "form" && name == "action" && o.formServerPost(tg, value) {
					continue
				}
				check(name, value)
			case slices.Contains(idRefAttrs, name):
				for id := range strings.FieldsSeq(value) {
					o.idRefs++
					if !ownIDs[id] && scriptIDs[id] == "" {
						report(name, value, fmt.Sprintf("no element with id %q on this page", id))
					}
				}
			case tg.name == "meta" && name == "content":
				if prop, _ := tg.attr("property"); prop == "og:url" || prop == "og:image" {
					check(prop, value)
				}
				if eq, _ := tg.attr("http-equiv"); strings.EqualFold(eq, "refresh") {
					if _, u, ok := strings.Cut(value, "url="); ok {
						check("refresh", u)
					}
				}
			case strings.HasPrefix(value, "/") && notAddresses[name] == "" && name != "content":
				report(name, value, "an attribute this test does not know holds what looks like an address: add it to addressAttrs or notAddresses")
			}
		}
	}
	return problems
}

// checkSearchResults checks the links search.js makes to its results:
// each document of the search index has a site path, which the script
// puts after the search app's data-base ("/peer-support/"). They are in
// no HTML file, yet every search shows them.
func (o *builtSite) checkSearchResults(t *testing.T) []string {
	t.Helper()
	if !o.files["search/index.json"] {
		return nil
	}
	var index struct {
		Docs [][2]any `json:"docs"`
	}
	if err := json.Unmarshal(o.read(t, "search/index.json"), &index); err != nil {
		t.Fatalf("search/index.json: %v", err)
	}
	var problems []string
	for _, shard := range index.Docs {
		name, _ := shard[1].(string)
		file := "search/" + name
		for line := range strings.Lines(string(o.read(t, file))) {
			var doc []any
			if err := json.Unmarshal([]byte(line), &doc); err != nil || len(doc) < 2 {
				t.Fatalf("%s: a document that is not a list: %q", file, line)
			}
			sitePath, _ := doc[1].(string)
			addr := sitePath
			if strings.HasPrefix(addr, "/") {
				addr = o.basePath + addr[1:] // as search.js makes it
			}
			o.addresses++
			if msg := linkcheck.CheckAddress(addr, o.basePath+"search/", o.basePath, func(f string) bool { return o.files[f] }, o.pageIDs(t)); msg != "" {
				problems = append(problems, fmt.Sprintf("%s: result %q: %s", file, addr, msg))
			}
		}
	}
	return problems
}

// machineFiles are the files other programs read, by extension or name,
// each with what turns its text into the addresses it holds: feed readers
// (Atom), search engines (sitemap, robots.txt), calendars (iCalendar,
// whose long lines are folded), hosts (_redirects).
var machineFiles = map[string]func(text string) string{
	".xml":       html.UnescapeString,
	".txt":       func(s string) string { return s },
	".ics":       func(s string) string { return strings.ReplaceAll(s, "\r\n ", "") },
	"_redirects": func(s string) string { return s },
	".html":      jsonLD,
}

// jsonLD returns the JSON-LD blocks of a page (ldScript), one per line:
// the tag check steps over scripts, and their addresses are links for
// search engines.
func jsonLD(page string) string {
	var b strings.Builder
	for _, m := range ldScript.FindAllStringSubmatch(page, -1) {
		b.WriteString(m[1])
		b.WriteByte('\n')
	}
	return b.String()
}

// checkMachineFiles checks the site's own absolute addresses in the files
// that programs read rather than people (sitemap.xml, robots.txt, the
// Atom feeds, the .ics files) and in pages' JSON-LD, and the targets of
// _redirects: a search engine, feed reader or calendar sent to a missing
// page is a broken link nobody sees in a browser.
func (o *builtSite) checkMachineFiles(t *testing.T) []string {
	t.Helper()
	own := regexp.MustCompile(regexp.QuoteMeta(o.base.Scheme+"://"+o.base.Host) + `(/[^\s"'<>\\]*)`)
	var problems []string
	for _, file := range slices.Sorted(maps.Keys(o.files)) {
		unescape, ok := machineFiles[path.Ext(file)]
		if !ok {
			unescape, ok = machineFiles[path.Base(file)]
		}
		if !ok || strings.HasPrefix(file, "search/") {
			continue
		}
		text := unescape(string(o.read(t, file)))
		if path.Base(file) == "_redirects" {
			for line := range strings.Lines(text) {
				if f := strings.Fields(line); len(f) >= 2 {
					o.addresses++
					if msg := linkcheck.CheckAddress(f[1], o.basePath, o.basePath, func(f string) bool { return o.files[f] }, o.pageIDs(t)); msg != "" {
						problems = append(problems, fmt.Sprintf("%s: redirect to %q: %s", file, f[1], msg))
					}
				}
			}
			continue
		}
		for _, at := range own.FindAllStringSubmatchIndex(text, -1) {
			m := []string{text[at[0]:at[1]], text[at[2]:at[3]]}
			if strings.HasSuffix(text[:at[0]], `"@id":"`) {
				// A JSON-LD node's name (".../#organization"), which
				// other nodes refer to: an identifier, not a link.
				continue
			}
			addr := strings.TrimRight(m[1], ".,;)")
			if !strings.HasPrefix(addr, o.basePath) && addr+"/" != o.basePath {
				problems = append(problems, fmt.Sprintf("%s: address %q: the site's host, outside its base path %s", file, m[0], o.basePath))
				continue
			}
			o.addresses++
			if msg := linkcheck.CheckAddress(addr, o.basePath, o.basePath, func(f string) bool { return o.files[f] }, o.pageIDs(t)); msg != "" {
				problems = append(problems, fmt.Sprintf("%s: address %q: %s", file, m[0], msg))
			}
		}
	}
	return problems
}

// formServerPost reports whether a form posts to the form server, at an
// address the forms manifest gives as a form's action: the server
// answers it, and it is no file of public/.
func (o *builtSite) formServerPost(form tag, action string) bool {
	method, _ := form.attr("method")
	return strings.EqualFold(method, "post") && o.posts[action]
}

// srcsetURLs returns the addresses of a srcset's image candidates: each
// is an address followed by an optional width or density, and candidates
// are separated by commas (an address may itself hold commas, but not
// end with one).
func srcsetURLs(srcset string) []string {
	var out []string
	s := srcset
	for {
		s = strings.TrimLeft(s, " \t\n\r\f,")
		if s == "" {
			return out
		}
		end := strings.IndexAny(s, " \t\n\r\f")
		if end < 0 {
			end = len(s)
		}
		u := s[:end]
		s = s[end:]
		if strings.HasSuffix(u, ",") {
			out = append(out, strings.TrimRight(u, ","))
			continue
		}
		out = append(out, u)
		if i := strings.IndexByte(s, ','); i >= 0 {
			s = s[i+1:]
		} else {
			s = ""
		}
	}
}

func TestSrcsetURLs(t *testing.T) {
	for in, want := range map[string][]string{
		"a.jpg":                      {"a.jpg"},
		"a.jpg 1x, b.jpg 2x":         {"a.jpg", "b.jpg"},
		"a.jpg 480w,b.jpg 960w":      {"a.jpg", "b.jpg"},
		"a.jpg,b.jpg":                {"a.jpg,b.jpg"},
		"a.jpg, b.jpg":               {"a.jpg", "b.jpg"},
		" /p/a,b.jpg 1x , /c.jpg 2x": {"/p/a,b.jpg", "/c.jpg"},
		"":                           nil,
	} {
		if got := srcsetURLs(in); !slices.Equal(got, want) {
			t.Errorf("srcsetURLs(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCheckOutputFindsProblems runs the check of TestOutputLinks on a
// made-up output with one problem of each kind, and ones that are not.
func TestCheckOutputFindsProblems(t *testing.T) {
	dest := t.TempDir()
	pages := map[string]string{
		"index.html": `<!doctype html><title>x</title><a href="#main">Skip</a><main id="main">
<a href="/p/about/">ok</a> <a href="/p/about">ok without the slash</a> <a href="/p/">ok</a> <a href="/p">ok, the folder</a>
<a href="/p/training/#book-x">ok</a> <a href="/p/training/#book-y">no such id</a>
<a href="/p/caf%C3%A9/#d%C3%A9j%C3%A0">ok, encoded</a> <a href="/p/café/#déjà">ok, as is</a> <a href="/p/caf%C3%A9/#deja">no such id</a>
<a href="/p/nowhere/">nowhere</a> <a href="/about/">without the base path</a> <a href="about/">ok, relative</a>
<a href="https://example.org/p/about/">ok, own</a> <a href="https://example.org/p/gone/">own, nowhere</a> <a href="https://other.example/x">another site</a>
<a href="mailto:a@example.org">mail</a> <a href="/p/training/#top">top</a>
<img src="/p/img/a.jpg" srcset="/p/img/a.jpg 1x, /p/img/b.jpg 2x">
<link rel="stylesheet" href="/p/assets/site.css"><script src="/p/assets/x.js"></script>
<meta property="og:url" content="https://example.org/p/nope/">
<form method="post" action="/p/forms/ask"></form> <form method="post" action="/p/forms/other"></form> <form action="/p/search/"></form>
<label for="q">Q</label><input id="q" list="qs" aria-describedby="hint gone"><datalist id="qs"></datalist><p id="hint">
<button aria-controls="panel">x</button> <div id="search-app" data-index="/p/search/index.json" data-pp-places-url="/p/forms/places.json" data-other="/p/x/"></div>
<script>var s = '<a href="/p/in-script/">';</script><!-- <a href="/p/in-comment/"> -->
<svg><use href="#icon"/><a href="/p/svg-link/"></a></svg></main>`,
		"about/index.html":    `<main id="main"></main><a name="old"></a>`,
		"training/index.html": `<h2 id="book-x">`,
		"café/index.html":     `<h2 id="déjà">`,
		"news/index.html": `<script type="application/ld+json">{"@graph":[{"@id":"https://example.org/p/#org","url":"https://example.org/p/"},` +
			`{"url":"https://example.org/p/nope/"}]}</script><link rel="canonical" href="https://example.org/p/news/">`,
		"sitemap.xml":         `<urlset><url><loc>https://example.org/p/about/</loc></url><url><loc>https://example.org/p/gone/?a=1&amp;b=2</loc></url></urlset>`,
		"robots.txt":          "Sitemap: https://example.org/p/sitemap.xml\n",
		"training/x.ics":      "BEGIN:VCALENDAR\r\nURL:https://example.org/p/traini\r\n ng/#book-z\r\nEND:VCALENDAR\r\n",
		"news/feed.xml":       `<feed><link href="https://example.org/elsewhere/"/><id>https://example.org/p/news/</id></feed>`,
		"_redirects":          "/p/old/ /p/about/ 301\n/p/older/ /p/gone/ 301\n",
		"404.html":            `<a href="about/">relative</a><a href="/p/about/#old">ok, a named anchor</a>`,
		"search/index.json":   `{"docs":[[0,"d.1.txt"]]}`,
		"search/d.1.txt":      "[\"About\",\"/about/\"]\n[\"Gone\",\"/gone/\"]\n",
		"search/index.html":   ``,
		"img/a.jpg":           ``,
		"assets/site.css":     ``,
		"forms/manifest.json": `{"base_url":"https://example.org/p/","base_path":"/p/","timezone":"UTC","forms":[{"name":"ask","action":"/p/forms/ask"}]}`,
	}
	for name, body := range pages {
		p := filepath.Join(dest, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	base, _ := url.Parse("https://example.org/p/")
	got := checkOutput(t, dest, base)
	want := []string{
		`404.html: href "about/": a relative address on the page served for any missing address`,
		`index.html: action "/p/forms/other": no page or file at /p/forms/other`,
		`index.html: aria-controls "panel": no element with id "panel" on this page`,
		`index.html: aria-describedby "hint gone": no element with id "gone" on this page`,
		`index.html: data-other "/p/x/": an attribute this test does not know holds what looks like an address: add it to addressAttrs or notAddresses`,
		`index.html: href "#icon": no element with id "icon" on /p/`,
		`index.html: href "/about/": points outside the site's base path /p/`,
		`index.html: href "/p/caf%C3%A9/#deja": no element with id "deja" on /p/café/`,
		`index.html: href "/p/gone/": no page or file at /p/gone/`,
		`index.html: href "/p/nowhere/": no page or file at /p/nowhere/`,
		`index.html: href "/p/svg-link/": no page or file at /p/svg-link/`,
		`index.html: href "/p/training/#book-y": no element with id "book-y" on /p/training/ (did you mean "book-x"?)`,
		`index.html: og:url "/p/nope/": no page or file at /p/nope/`,
		`index.html: src "/p/assets/x.js": no page or file at /p/assets/x.js`,
		`_redirects: redirect to "/p/gone/": no page or file at /p/gone/`,
		`news/feed.xml: address "https://example.org/elsewhere/": the site's host, outside its base path /p/`,
		`news/index.html: address "https://example.org/p/nope/": no page or file at /p/nope/`,
		`sitemap.xml: address "https://example.org/p/gone/?a=1&b=2": no page or file at /p/gone/`,
		`training/x.ics: address "https://example.org/p/training/#book-z": no element with id "book-z" on /p/training/ (did you mean "book-x"?)`,
		`index.html: srcset "/p/img/b.jpg": no page or file at /p/img/b.jpg`,
		`search/d.1.txt: result "/p/gone/": no page or file at /p/gone/`,
	}
	slices.Sort(want) // as checkOutput sorts them
	if !slices.Equal(got, want) {
		t.Errorf("checkOutput found:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestFormErrorsGoSomewhere checks the pages the form server sends back
// when an answer is wrong: the built form page with its form rendered
// again with an error on every field and on the consent, as writeForm in
// package forms does. The error summary links each error to its field
// (#f-name) and each field names its error and hint in aria-describedby;
// all must be on the page.
func TestFormErrorsGoSomewhere(t *testing.T) {
	dest := buildExample(t)
	m, err := formspec.Parse([]byte(read(t, dest, formspec.ManifestPath)))
	if err != nil {
		t.Fatal(err)
	}
	for i := range m.Forms {
		f := &m.Forms[i]
		var errs []formspec.FieldError
		for _, fl := range f.Fields {
			errs = append(errs, formspec.FieldError{Field: fl.Name, Message: "Wrong."})
		}
		if f.Consent != "" {
			errs = append(errs, formspec.FieldError{Field: formspec.ConsentField, Message: "Agree."})
		}
		form, err := formspec.Render(formspec.View{Form: f, Values: url.Values{}, Errors: errs, Prefill: true, Criteria: m.Rules})
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dest, filepath.FromSlash(strings.TrimPrefix(f.URL, "/")), "index.html")
		page, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		before, rest, ok1 := strings.Cut(string(page), `<form class="form"`)
		_, after, ok2 := strings.Cut(rest, `</form>`)
		if !ok1 || !ok2 {
			t.Fatalf("%s: no form to put the errors in", f.URL)
		}
		if err := os.WriteFile(file, []byte(before+string(form)+after), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	base, err := url.Parse(m.BaseURL)
	if err != nil {
		t.Fatal(err)
	}
	if problems := checkOutput(t, dest, base); len(problems) > 0 {
		t.Errorf("%d addresses or ids of the forms sent back with errors go nowhere:\n%s", len(problems), strings.Join(problems, "\n"))
	}
}
