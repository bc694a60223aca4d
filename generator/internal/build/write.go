package build

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"fmt"
	"html/template"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
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

// A build writes into a directory beside the destination and renames it
// into place once it has succeeded, so a failed build leaves the last good
// site as it was. The site it replaces is not deleted: it is kept beside the
// destination as .NAME-previous, and the next build claims it as its own
// directory, writes over the files it makes again and removes the rest.
// Writing over files costs much less than creating thousands of files and
// directories and deleting as many on every build, most of all on file
// systems slow to create files soon after many were deleted (ext4 without a
// journal scans past every recently freed inode for each new one).

// stage is the directory a build writes into.
type stage struct {
	dir string
	// old are the entries an earlier build left in dir, by slash path
	// relative to dir: true for a directory, false for a file. Listing
	// them takes a tenth of a second for a site of 10,000 pages, which
	// is not spent waiting: the list is made while the site is assembled
	// and rendered, up to its first file, and is read only after wait.
	old map[string]bool
	// done is closed once old is complete, or err says why it is not.
	done chan struct{}
	err  error
}

// wait waits until the stage's old entries are known, and returns the
// error that stopped listing them, if any: then the stage is gone.
func (st *stage) wait() error {
	<-st.done
	return st.err
}

// sink returns the sink that writes into the stage.
func (st *stage) sink() *dirSink { return &dirSink{dir: st.dir, st: st} }

// keep sets the stage aside, as a build that failed leaves it, for the
// next build to write over (see keep).
func (st *stage) keep(dest string) error {
	if st.wait() != nil {
		return nil
	}
	return keep(st.dir, dest)
}

// previous is where the site a build replaced is kept for the next build.
func previous(dest string) string {
	return filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+"-previous")
}

// staging returns the directory, beside dest, that a build writes into:
// the kept previous site when there is one, else a new empty directory.
func staging(dest string) (*stage, error) {
	dest, err := filepath.Abs(dest)
	if err != nil {
		return nil, err
	}
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dest)+"-build-")
	if err != nil {
		return nil, err
	}
	st := &stage{dir: tmp, done: make(chan struct{})}
	// os.Rename does not replace a directory, so the new directory's
	// unique name is freed for the previous site. Another build may have
	// claimed that site first; then this one starts empty.
	if err := os.Remove(tmp); err != nil {
		return nil, err
	}
	claimed := os.Rename(previous(dest), tmp) == nil
	if !claimed {
		if err := os.Mkdir(tmp, 0o755); err != nil {
			return nil, err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	if !claimed {
		close(st.done)
		return st, nil
	}
	go func() {
		defer close(st.done)
		if st.old, st.err = inventory(tmp); st.err != nil {
			os.RemoveAll(tmp)
		}
	}()
	return st, nil
}

// prune removes what an earlier build left in the stage that this build
// did not make: made holds the paths of the files written.
func (st *stage) prune(made map[string]bool) error {
	if err := st.wait(); err != nil {
		return err
	}
	needed := map[string]bool{}
	for p := range made {
		for d := path.Dir(p); d != "." && !needed[d]; d = path.Dir(d) {
			needed[d] = true
		}
	}
	// underFile reports whether p was below a directory that a file of
	// this build replaced, and so is gone already.
	underFile := func(p string) bool {
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			if made[d] {
				return true
			}
		}
		return false
	}
	var stale []string
	for p := range st.old {
		// What was a directory may be a file now, and the other way round.
		if !needed[p] && !made[p] && !underFile(p) {
			stale = append(stale, p)
		}
	}
	// Deepest first, so a directory is emptied before it is removed.
	slices.SortFunc(stale, func(a, b string) int {
		return cmp.Or(strings.Count(b, "/")-strings.Count(a, "/"), strings.Compare(a, b))
	})
	for _, p := range stale {
		if err := os.RemoveAll(filepath.Join(st.dir, filepath.FromSlash(p))); err != nil {
			return err
		}
	}
	return nil
}

// keep sets dir aside as the previous site for the next build to write
// over, or removes it when a previous site is already kept. The kept site
// gets a .gitignore that ignores everything in it, itself included, so
// that it never shows in `git status` of the site's repository; the next
// build removes that file with the rest of what it does not make.
func keep(dir, dest string) error {
	prev := previous(dest)
	if err := os.Rename(dir, prev); err != nil {
		return os.RemoveAll(dir)
	}
	return os.WriteFile(filepath.Join(prev, ".gitignore"), []byte("# The previous build, kept for the next to write over (peerpress).\n*\n"), 0o644)
}

// swap replaces dest with the directory tmp: the old site is moved aside,
// the new one renamed into place, and the old one kept for the next build.
// If the second rename fails, the old site is put back.
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
		return keep(old, dest)
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
