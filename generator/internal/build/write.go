package build

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/tdewolff/minify/v2"

	"peerpress/generator/internal/diag"
	"peerpress/generator/internal/feeds"
	"peerpress/generator/internal/schema"
	"peerpress/generator/internal/site"
)

// absURL is the absolute URL of a site path.
func absURL(s *site.Site, p string) string {
	u := *s.Config.Base
	u.Path = s.Config.BasePath() + strings.TrimPrefix(p, "/")
	return u.String()
}

// siteFiles are the files about the site rather than of a page: the
// sitemap, robots.txt, calendars and feeds.
func siteFiles(s *site.Site, m *minify.M) ([]file, error) {
	abs := func(p string) string { return absURL(s, p) }
	type urlEntry struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod,omitempty"`
	}
	type urlSet struct {
		XMLName xml.Name   `xml:"urlset"`
		NS      string     `xml:"xmlns,attr"`
		URLs    []urlEntry `xml:"url"`
	}
	set := urlSet{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	for _, o := range s.Outputs() {
		if o.View == nil || o.View.NoIndex {
			continue
		}
		e := urlEntry{Loc: abs(o.View.URL)}
		if p := o.View.Page; p != nil && !p.Date.IsZero() {
			e.LastMod = p.Date.String()
		}
		set.URLs = append(set.URLs, e)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(&buf).Encode(set); err != nil {
		return nil, fmt.Errorf("sitemap: %w", err)
	}
	sitemap, err := m.Bytes("application/xml", buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("sitemap: %w", err)
	}
	files := []file{
		{Path: "sitemap.xml", Body: sitemap},
		{Path: "robots.txt", Body: fmt.Appendf(nil, "User-agent: *\nAllow: /\n\nSitemap: %s\n", abs("/sitemap.xml"))},
	}
	for _, f := range feeds.Calendars(s) {
		files = append(files, file{Path: f.Path, Body: f.Body})
	}
	atom, err := feeds.Atom(s)
	if err != nil {
		return nil, err
	}
	for _, f := range atom {
		files = append(files, file{Path: f.Path, Body: f.Body})
	}
	return files, nil
}

// aliasFiles are the redirects of aliases: an HTML page each, and a
// _redirects file for hosts that read one. taken holds the paths already
// generated; an alias may not replace one.
func aliasFiles(s *site.Site, taken map[string]bool) ([]file, error) {
	var files []file
	var diags diag.List
	var redirects bytes.Buffer
	for _, pages := range [][]*site.Page{s.Networks, s.Supporters, s.Courses, s.News, s.Pages} {
		for _, p := range pages {
			for i, a := range p.Aliases {
				field := fmt.Sprintf("aliases[%d]", i)
				if path := aliasPath(a); taken[path] {
					diags.Add(p.Source.FieldPos(field), field, "%q is the address of a page the site generates (%s); choose another old address", a, path)
				} else {
					files = append(files, file{Path: path, Body: redirectPage(s.Config.BasePath()+strings.TrimPrefix(p.URL, "/"), absURL(s, p.URL))})
					fmt.Fprintf(&redirects, "%s%s %s%s 301\n", s.Config.BasePath(), strings.TrimPrefix(schema.CleanAlias(a), "/"), s.Config.BasePath(), strings.TrimPrefix(p.URL, "/"))
				}
			}
		}
	}
	if len(diags) > 0 {
		return nil, &ContentError{Diags: diags.Sort()}
	}
	if redirects.Len() > 0 {
		// _redirects is read by Netlify and Cloudflare Pages, which then
		// answer an old address with a real 301 rather than the HTML page.
		files = append(files, file{Path: "_redirects", Body: redirects.Bytes()})
	}
	return files, nil
}

// aliasPath is the file that answers at an alias.
func aliasPath(a string) string {
	a = strings.TrimPrefix(schema.CleanAlias(a), "/")
	if a == "" || strings.HasSuffix(a, "/") {
		return a + "index.html"
	}
	return a
}

var redirectTmpl = template.Must(template.New("redirect").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Moved</title><link rel="canonical" href="{{.Abs}}"><meta name="robots" content="noindex"><meta http-equiv="refresh" content="0; url={{.To}}"></head>
<body><p>This page has moved to <a href="{{.To}}">{{.Abs}}</a>.</p></body></html>
`))

func redirectPage(to, abs string) []byte {
	var b bytes.Buffer
	_ = redirectTmpl.Execute(&b, struct{ To, Abs string }{to, abs})
	return b.Bytes()
}

// staging makes the new directory, beside dest, that a build writes into
// and that replaces dest once the build has succeeded.
func staging(dest string) (string, error) {
	dest, err := filepath.Abs(dest)
	if err != nil {
		return "", err
	}
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dest)+"-build-")
	if err != nil {
		return "", err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	return tmp, nil
}

// swap replaces dest with the directory tmp: the old site is moved aside,
// the new one renamed into place, then the old one removed. If the second
// rename fails, the old site is put back.
func swap(tmp, dest string) error {
	old := ""
	if _, err := os.Stat(dest); err == nil {
		o, err := os.MkdirTemp(filepath.Dir(dest), "."+filepath.Base(dest)+"-old-")
		if err != nil {
			return err
		}
		if err := os.Remove(o); err != nil {
			return err
		}
		if err := os.Rename(dest, o); err != nil {
			return err
		}
		old = o
	}
	if err := os.Rename(tmp, dest); err != nil {
		if old != "" {
			_ = os.Rename(old, dest)
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
