// Package schema checks what no single field can show: references between
// files, ranges across fields, clashing slugs and URLs, and pages that must
// not be published.
package schema

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/content"
	"peerpress/generator/internal/decode"
	"peerpress/generator/internal/diag"
)

// Options are what the checks need besides the pages.
type Options struct {
	// Exists reports whether a file exists, given its path from the site
	// root (for photos).
	Exists func(path string) bool
	// Layouts lists the page layouts a site adds, which any page may name in
	// `layout` besides its section's own; nil skips the check (the layouts
	// did not load).
	Layouts []string
	// Today is the build date site.yaml's rules are evaluated at; zero
	// means today in the site's time zone.
	Today decode.Date
}

// reserved are top-level URL segments a free page may not take.
var reserved = []string{"assets", "search", "forms", "page", "404", "sitemap.xml", "robots.txt"}

// Check runs the cross-file checks over pages. Problems found only in
// pages's own files are already in each page's Diags and are not repeated.
// A page that must not be published gets a Hidden diagnostic.
func Check(pages []*content.Page, cfg *config.Config, opts Options) diag.List {
	c := checker{cfg: cfg, opts: opts, slugs: map[content.Section]map[string]*content.Page{}}
	c.rules, c.diags = CompileRules(cfg)
	if opts.Today.IsZero() {
		loc := cfg.Location
		if loc == nil {
			loc = time.UTC
		}
		opts.Today = decode.DateOf(time.Now().In(loc))
	}
	for _, p := range pages {
		if c.slugs[p.Section] == nil {
			c.slugs[p.Section] = map[string]*content.Page{}
		}
		c.slugs[p.Section][p.Slug] = p
	}
	urls := map[string]diag.Pos{}
	for _, p := range pages {
		urls[URLOf(p)] = diag.Pos{File: p.File, Line: 1, Col: 1}
	}
	// Rules look at one page at a time, and matching patterns over every
	// body is the costliest check, so pages are checked in parallel; the
	// results are taken in page order.
	ruled := make([]diag.List, len(pages))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, p := range pages {
		g.Go(func() error {
			ruled[i] = c.rules.Check(p, opts.Today)
			return nil
		})
	}
	_ = g.Wait()
	for i, p := range pages {
		c.ruled = ruled[i]
		c.diags.Append(c.ruled...)
		c.page(p)
		for i, a := range p.Meta.Aliases {
			field := fmt.Sprintf("aliases[%d]", i)
			pos := p.FieldPos(field)
			switch clean := CleanAlias(a); {
			case !strings.HasPrefix(a, "/"):
				c.diags.Add(pos, field, "%q is not a site path (expected one starting with /, such as /old-page/)", a)
			case !cleanPath(a):
				c.diags.Add(pos, field, "%q is not a plain site path (expected one with no .., //, \\, ?, # or %%, such as /old-page/)", a)
			case urls[clean].File != "":
				c.diags.Add(pos, field, "%q is already the address of %s", a, urls[clean].File)
			default:
				urls[clean] = pos
			}
		}
		if l := p.Meta.Layout; l != "" && opts.Layouts != nil && l != content.DefaultLayout(p.Section) && !slices.Contains(opts.Layouts, l) {
			allowed := append([]string{content.DefaultLayout(p.Section)}, opts.Layouts...)
			c.diags.Add(p.FieldPos("layout"), "layout", "no layout %q for this page (expected one of: %s, or a file layouts/<name>.html of your own)", l, strings.Join(slices.DeleteFunc(allowed, func(s string) bool { return s == "" }), ", "))
		}
	}
	return c.diags.Sort()
}

// URLOf returns the site path of a page, such as /supporters/jo-evans/.
func URLOf(p *content.Page) string {
	switch p.Section {
	case content.Home:
		return "/"
	case content.Pages:
		return "/" + p.Slug + "/"
	}
	return "/" + string(p.Section) + "/" + p.Slug + "/"
}

// cleanPath reports whether a is a plain absolute site path: nothing that
// could climb out of public/ or mean something else to a web server.
func cleanPath(a string) bool {
	if strings.ContainsAny(a, "\\?#%") || strings.Contains(a, "//") {
		return false
	}
	for seg := range strings.SplitSeq(strings.Trim(a, "/"), "/") {
		if seg == "." || seg == ".." || strings.HasPrefix(seg, ".") {
			return false
		}
	}
	return true
}

// CleanAlias turns an alias as written into the path it answers at:
// "/about-us" and "/about-us/index.html" are both "/about-us/".
func CleanAlias(a string) string {
	a = strings.TrimSuffix(a, "index.html")
	if !strings.HasSuffix(a, "/") && !strings.Contains(a[strings.LastIndex(a, "/")+1:], ".") {
		a += "/"
	}
	return a
}

type checker struct {
	cfg   *config.Config
	opts  Options
	rules *RuleSet
	// ruled are the failures of site.yaml's rules in the page being checked.
	ruled diag.List
	slugs map[content.Section]map[string]*content.Page
	diags diag.List
}

// ref checks that slug names a page of section.
func (c *checker) ref(p *content.Page, field string, section content.Section, slug string) {
	if slug == "" {
		return
	}
	if _, ok := c.slugs[section][slug]; ok {
		return
	}
	var known []string
	for s := range c.slugs[section] {
		known = append(known, s)
	}
	slices.Sort(known)
	c.diags.Add(p.FieldPos(field), field, "no %s %q (expected the name of a file in content/%s/%s)", singular(section), slug, section, closest(slug, known))
}

func (c *checker) refs(p *content.Page, field string, section content.Section, slugs []string) {
	for i, s := range slugs {
		c.ref(p, fmt.Sprintf("%s[%d]", field, i), section, s)
	}
}

func singular(s content.Section) string {
	switch s {
	case content.Networks:
		return "network"
	case content.Supporters:
		return "supporter"
	case content.Testimonials:
		return "testimonial"
	}
	return "page"
}

// closest suggests the nearest known slug, as the decoder suggests field
// names.
func closest(s string, known []string) string {
	if best := decode.Closest(s, known); best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return ""
}

// ruleFailed reports whether a site.yaml rule on field failed in the page
// being checked, with an error or by hiding it.
func (c *checker) ruleFailed(field string) bool {
	return slices.ContainsFunc(c.ruled, func(d diag.Diagnostic) bool { return d.Field == field && d.Severity != diag.Warning })
}

func (c *checker) rangeCheck(p *content.Page, field string, r *content.Range) {
	if r != nil && r.Max < r.Min {
		c.diags.Add(p.FieldPos(field+".max"), field+".max", "%d is below min %d (expected max >= min)", r.Max, r.Min)
	}
}

func (c *checker) page(p *content.Page) {
	switch d := p.Data.(type) {
	case *content.HomePage:
		c.refs(p, "featured_networks", content.Networks, d.FeaturedNetworks)
		c.ref(p, "featured_testimonial", content.Testimonials, d.FeaturedTestimonial)
	case *content.Network:
		c.rangeCheck(p, "group_size", d.GroupSize)
		c.rangeCheck(p, "sessions_per_year", d.SessionsPerYear)
	case *content.Supporter:
		c.refs(p, "networks", content.Networks, d.Networks)
		if d.Photo != "" && c.opts.Exists != nil {
			photo := strings.TrimPrefix(d.Photo, "/")
			if !c.opts.Exists("static/"+photo) && !c.opts.Exists(content.Dir+"/"+photo) {
				c.diags.Add(p.FieldPos("photo"), "photo", "no file %q (expected a path under static/ or content/)", d.Photo)
			}
		}
	case *content.Course:
		c.refs(p, "networks", content.Networks, d.Networks)
		if len(d.Sessions) == 0 {
			c.diags.Add(p.FieldPos("sessions"), "sessions", "no sessions (a course needs at least one dated session)")
		}
		seen := map[string]int{}
		for i, s := range d.Sessions {
			field := fmt.Sprintf("sessions[%d]", i)
			if s.Start.IsZero() {
				continue
			}
			if !s.End.IsZero() && !s.End.After(s.Start) {
				c.diags.Add(p.FieldPos(field+".end"), field+".end", "%s is not after start %s", s.End.Format("2006-01-02 15:04"), s.Start.Format("2006-01-02 15:04"))
			}
			if loc := s.Location; loc.Name == "" && loc.Address == "" && !loc.Online {
				c.diags.Add(p.FieldPos(field), field+".location", "required field is missing (expected a name and address, or online: true)")
			}
			key := s.Start.UTC().Format(time.RFC3339)
			if j, dup := seen[key]; dup {
				c.diags.Add(p.FieldPos(field+".start"), field+".start", "same start as sessions[%d]", j)
			}
			seen[key] = i
		}
	case *content.Testimonial:
		c.refs(p, "networks", content.Networks, d.Networks)
		c.ref(p, "supporter", content.Supporters, d.Supporter)
		// A site rule about consent that already keeps the page out says
		// so in its own words; otherwise the built-in check does.
		if !d.Consent && !c.ruleFailed("consent") {
			c.diags.Append(diag.Diagnostic{Pos: p.FieldPos("consent"), Field: "consent", Severity: diag.Hidden,
				Msg: "not published: a testimonial needs consent: true"})
		}
	case *content.Article:
		if p.Section == content.Pages && (content.IsSection(p.Slug) || slices.Contains(reserved, p.Slug)) {
			c.diags.Add(diag.Pos{File: p.File}, "", "free page %q clashes with the site's own /%s/ (choose another file name)", p.Slug, p.Slug)
		}
	}
}
