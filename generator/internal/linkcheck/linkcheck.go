// Package linkcheck finds the links of a site's pages that point nowhere:
// every build checks internal links and images against the files it
// generates, and `generator check --external` asks the web about the rest.
package linkcheck

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/util"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/decode"
	"peerpress/generator/internal/diag"
	"peerpress/generator/internal/site"
)

// Link is one link or image of a page's body, where it was written.
type Link struct {
	Pos   diag.Pos
	Dest  string
	Image bool
	// Page is the site path of the page the link is on, to resolve a
	// relative link against.
	Page string
	// What the link is called in an error, when it is neither a link nor
	// an image of a body ("favicon").
	What string
}

// Links lists the links of every published page and of site.yaml, with
// the file, line and column where each was written.
func Links(s *site.Site) []Link { return append(ConfigLinks(s.Config), LinksOf(s.AllPages())...) }

// ConfigLinks lists the links of site.yaml: the main menu's and the
// footer's, which every page shows, and the favicon, each as pages link
// it (config.Link).
func ConfigLinks(c *config.Config) []Link {
	var out []Link
	for _, item := range c.MenuItems() {
		out = append(out, Link{Pos: c.PosOf(item.Field), Dest: c.Link(item.URL), Page: "/", What: item.Field})
	}
	if c.Favicon != "" {
		out = append(out, Link{Pos: c.PosOf("favicon"), Dest: c.Link(c.Favicon), Image: true, Page: "/", What: "favicon"})
	}
	return out
}

// LinksOf lists the links of the given pages, as Links does.
func LinksOf(pages []*site.Page) []Link {
	var out []Link
	for _, p := range pages {
		if p == nil || p.Source == nil {
			continue
		}
		for _, l := range p.Links {
			out = append(out, Link{Pos: diag.Pos{File: p.File, Line: p.Source.BodyLine + l.Line, Col: l.Col}, Dest: l.Dest, Image: l.Image, Page: p.URL})
		}
	}
	return out
}

// External reports whether a link leaves the site: it has a scheme or a
// host. mailto: and tel: links count as external but are never fetched.
func External(dest string) bool {
	u, err := url.Parse(dest)
	return err == nil && (u.Scheme != "" || u.Host != "")
}

// IDs tells the ids a file of the site has, for the check of a link's
// fragment: the sorted ids of an HTML page the build rendered from a
// layout, and ok false for any other file (a static file, a feed, a photo,
// an alias's redirect), whose fragments are not checked.
type IDs func(file string) (ids []string, ok bool)

// Internal checks the links that stay on the site. base is the site's base
// path ("/" or "/peer-support/"); files holds every path public/ will have,
// relative to it ("about/index.html"). A link that points nowhere is an
// error at the place it was written. When ids is not nil, so is a link
// whose fragment names no element of the page it goes to (see
// fragmentOf and checkFragment).
func Internal(links []Link, base string, files map[string]bool, ids IDs) diag.List {
	var diags diag.List
	exists := func(p string) bool { return files[p] }
	var known []string // addresses, for suggestions; filled on first need
	for _, l := range links {
		if l.Dest == "" || External(l.Dest) {
			continue
		}
		what := "link"
		switch {
		case l.What != "":
			what = l.What
		case l.Image:
			what = "image"
		}
		written := unbased(l.Dest, base)
		dest, _, _ := strings.Cut(l.Dest, "#")
		target, ok := resolve(dest, l.Page, base)
		if !ok {
			diags.Add(l.Pos, "", "%s %q points outside the site's base path %s", what, written, base)
			continue
		}
		file, ok := found(target, exists)
		if dest == "" {
			// "#x" is on the page the link is on, which is there.
			file, ok = found(target, func(string) bool { return true })
		}
		if ok {
			if frag, check := fragmentOf(l); check && ids != nil {
				if msg := checkFragment(frag, file, base, ids); msg != "" {
					diags.Add(l.Pos, "", "%s %q %s", what, written, msg)
				}
			}
			continue
		}
		if known == nil {
			known = []string{}
			for f := range files {
				known = append(known, "/"+strings.TrimSuffix(f, "index.html"))
			}
			slices.Sort(known)
		}
		hint := decode.Suggest("/"+target, known)
		if b := strings.TrimSuffix(base, "/"); b != "" && strings.HasPrefix(written, b+"/") {
			hint = fmt.Sprintf(" (write links from the site's root, such as %q: the base path %s is added for you)", strings.TrimPrefix(written, b), base)
		}
		diags.Add(l.Pos, "", "%s %q points nowhere: the site has no page or file at %s%s", what, written, base+target, hint)
	}
	return diags.Sort()
}

// fragmentOf returns the fragment of a link that the check looks for in
// the page it goes to, and false when there is none to look for: no "#",
// an image, another site, or a fragment that goes to the top of the page
// ("#", "#top") or is a text fragment alone (#:~:text=…), which a browser
// does not look up as an id. The fragment is that of the address the
// Markdown renderer writes: the destination as written still has
// Markdown's backslash escapes and entity references (`#a\_b`,
// `#a&amp;b`), which goldmark resolves, and characters an address may not
// hold, which it percent-encodes. A text fragment's directive is cut off.
func fragmentOf(l Link) (string, bool) {
	if l.Image || strings.IndexByte(l.Dest, '#') < 0 || External(l.Dest) {
		return "", false
	}
	_, frag, _ := strings.Cut(string(util.URLEscape([]byte(l.Dest), true)), "#")
	frag, _, _ = strings.Cut(frag, ":~:")
	if frag == "" || strings.EqualFold(unescapeFragment(frag), "top") {
		return "", false
	}
	return frag, true
}

// forms are the ids that find a fragment's place: the fragment as it is
// and percent-decoded, as HTML's "find a potential indicated element"
// tries them.
func forms(frag string) []string {
	if d := unescapeFragment(frag); d != frag {
		return []string{frag, d}
	}
	return []string{frag}
}

// checkFragment checks the fragment of a link to file: it returns what is
// wrong, or "" when an element of the page has one of the fragment's
// forms as its id (ids are compared case by case, as a browser does), or
// file is not a rendered page.
func checkFragment(frag, file, base string, ids IDs) string {
	if msg := fragmentProblem(frag, file, base, ids); msg != "" {
		return "points to " + msg
	}
	return ""
}

// fragmentProblem is checkFragment's finding without its verb: "no
// element with id "x" on /about/", or "".
func fragmentProblem(frag, file, base string, ids IDs) string {
	page, ok := ids(file)
	if !ok {
		return ""
	}
	for _, f := range forms(frag) {
		if _, ok := slices.BinarySearch(page, f); ok {
			return ""
		}
	}
	id := unescapeFragment(frag)
	return fmt.Sprintf("no element with id %q on %s%s", id, base+strings.TrimSuffix(file, "index.html"), decode.Suggest(id, page))
}

// unescapeFragment percent-decodes a fragment as a browser does: a "%"
// not followed by two hexadecimal digits is kept as it is, and so is a
// result that is not UTF-8.
func unescapeFragment(frag string) string {
	if !strings.Contains(frag, "%") {
		return frag
	}
	b := make([]byte, 0, len(frag))
	for i := 0; i < len(frag); i++ {
		if frag[i] == '%' && i+2 < len(frag) && isHex(frag[i+1]) && isHex(frag[i+2]) {
			b = append(b, unhex(frag[i+1])<<4|unhex(frag[i+2]))
			i += 2
			continue
		}
		b = append(b, frag[i])
	}
	if !utf8.Valid(b) {
		return frag
	}
	return string(b)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// FragmentLinksOf lists the links of the given pages, as LinksOf does,
// that have a fragment to check (see fragmentOf). It allocates nothing for
// a page without one.
func FragmentLinksOf(pages []*site.Page) []Link {
	var out []Link
	for _, p := range pages {
		if p == nil || p.Source == nil {
			continue
		}
		for _, ml := range p.Links {
			if ml.Image || strings.IndexByte(ml.Dest, '#') < 0 {
				continue
			}
			l := Link{Pos: diag.Pos{File: p.File, Line: p.Source.BodyLine + ml.Line, Col: ml.Col}, Dest: ml.Dest, Page: p.URL}
			if _, ok := fragmentOf(l); ok {
				out = append(out, l)
			}
		}
	}
	return out
}

// Targets returns the files the fragments of links point into, relative to
// public/, each with the ids its links look for (every form of each
// fragment): the pages whose ids the check will ask for, known before
// they are rendered. A link to /about may be answered by about/index.html
// or by a file about, so both are listed.
func Targets(links []Link, base string) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, l := range links {
		frag, ok := fragmentOf(l)
		if !ok {
			continue
		}
		for _, f := range targetFiles(l, base) {
			if out[f] == nil {
				out[f] = map[string]bool{}
			}
			for _, id := range forms(frag) {
				out[f][id] = true
			}
		}
	}
	return out
}

// LinksInto returns the links whose fragment points into one of files:
// when those are rendered anew, the ids such a link goes to may be gone.
func LinksInto(links []Link, base string, files map[string]bool) []Link {
	var out []Link
	for _, l := range links {
		if _, ok := fragmentOf(l); !ok {
			continue
		}
		for _, f := range targetFiles(l, base) {
			if files[f] {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

// targetFiles are the files a link may go to, whose ids its fragment is
// checked against.
func targetFiles(l Link, base string) []string {
	dest, _, _ := strings.Cut(l.Dest, "#")
	target, ok := resolve(dest, l.Page, base)
	switch {
	case !ok:
		return nil
	case target == "" || strings.HasSuffix(target, "/"):
		return []string{target + "index.html"}
	}
	return []string{target, target + "/index.html"}
}

// unbased is a link as the editor wrote it: the Markdown renderer prefixes
// every root-relative link with the base path, and this takes it off again.
func unbased(dest, base string) string {
	b := strings.TrimSuffix(base, "/")
	if b == "" || strings.HasPrefix(dest, "//") {
		return dest
	}
	if rest, ok := strings.CutPrefix(dest, b); ok && strings.HasPrefix(rest, "/") {
		return rest
	}
	return dest
}

// resolve turns a link on the page at pagePath into a path relative to
// public/, without query or fragment. A root-relative link must be under
// base, as the Markdown renderer has already prefixed it.
func resolve(dest, pagePath, base string) (string, bool) {
	u, err := url.Parse(dest)
	if err != nil {
		return dest, true
	}
	p := u.Path
	if p == "" {
		return strings.TrimPrefix(pagePath, "/"), true // "?q" or "#x": the page itself
	}
	if !strings.HasPrefix(p, "/") {
		p = path.Join(strings.TrimSuffix(base, "/")+pagePath, p) + trailingSlash(p)
	}
	if !strings.HasPrefix(p, base) && p+"/" != base {
		return p, false
	}
	return strings.TrimPrefix(p, base), true
}

func trailingSlash(p string) string {
	if strings.HasSuffix(p, "/") {
		return "/"
	}
	return ""
}

// found returns the file that answers at a path: the file itself, or a
// directory's index.html (with or without the trailing slash, which static
// hosts add by redirecting); false when there is none.
func found(target string, exists func(string) bool) (string, bool) {
	switch {
	case target == "" || strings.HasSuffix(target, "/"):
		return target + "index.html", exists(target + "index.html")
	case exists(target):
		return target, true
	}
	return target + "/index.html", exists(target + "/index.html")
}
