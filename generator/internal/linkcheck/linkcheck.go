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
}

// Links lists the links of every published page, with the file, line and
// column where each was written.
func Links(s *site.Site) []Link { return LinksOf(s.AllPages()) }

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

// Internal checks the links that stay on the site. base is the site's base
// path ("/" or "/peer-support/"); files holds every path public/ will have,
// relative to it ("about/index.html"). A link that points nowhere is an
// error at the place it was written.
func Internal(links []Link, base string, files map[string]bool) diag.List {
	var diags diag.List
	exists := func(p string) bool { return files[p] }
	var known []string // addresses, for suggestions; filled on first need
	for _, l := range links {
		if l.Dest == "" || strings.HasPrefix(l.Dest, "#") || External(l.Dest) {
			continue
		}
		target, ok := resolve(l.Dest, l.Page, base)
		what := "link"
		if l.Image {
			what = "image"
		}
		written := unbased(l.Dest, base)
		if !ok {
			diags.Add(l.Pos, "", "%s %q points outside the site's base path %s", what, written, base)
			continue
		}
		if found(target, exists) {
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

// found reports whether a path answers: as a file, or as a directory with
// an index.html (with or without the trailing slash, which static hosts
// add by redirecting).
func found(target string, exists func(string) bool) bool {
	switch {
	case target == "" || strings.HasSuffix(target, "/"):
		return exists(target + "index.html")
	case exists(target):
		return true
	}
	return exists(target + "/index.html")
}
