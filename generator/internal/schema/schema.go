// Package schema checks what no single field can show: references between
// files, ranges across fields, clashing slugs and URLs, and pages that must
// not be published.
package schema

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/content"
	"peerpress/generator/internal/decode"
	"peerpress/generator/internal/diag"
	"peerpress/generator/internal/par"
)

// Options are what the checks need besides the pages.
type Options struct {
	// Exists reports whether a file exists, given its path from the site
	// root (for photos). Check calls it from several goroutines at once.
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

// ReservedPage reports whether slug is a name a free page may not take: a
// section's or one of the site's own top-level addresses.
func ReservedPage(slug string) bool {
	return content.IsSection(slug) || slices.Contains(reserved, slug)
}

// Check runs every check over pages: site.yaml's rules and the checks
// between fields of one page (CheckPage), and the references between pages
// (CheckRefs). Problems found only in pages's own files are already in
// each page's Diags and are not repeated. A page that must not be
// published gets a Hidden diagnostic.
//
// Check returns, once sorted, exactly
//
//	CompileRules(cfg) problems + CheckPage(p) for every page + CheckRefs(pages)
//
// so that a rebuild after one file changed may keep the other pages'
// CheckPage results and redo only that file's and CheckRefs.
func Check(pages []*content.Page, cfg *config.Config, opts Options) diag.List {
	c := NewChecker(cfg, opts)
	perPage := c.Pages(pages)
	diags := slices.Clone(c.Config())
	for _, l := range perPage {
		diags = append(diags, l...)
	}
	diags = append(diags, c.Refs(pages)...)
	return diags.Sort()
}

// CheckPage runs the checks that look at one page alone: site.yaml's rules
// for its section, and the checks between its own fields (ranges, course
// sessions, a testimonial's consent, aliases that are not site paths, a
// free page's name, its layout, its photo). The result depends only on p,
// cfg and opts (opts.Exists is asked about p's photo), so it can be kept
// for a page whose file did not change. It compiles site.yaml's rules on
// each call: to check many pages, use a Checker.
func CheckPage(p *content.Page, cfg *config.Config, opts Options) diag.List {
	return NewChecker(cfg, opts).Page(p)
}

// CheckRefs runs the checks between pages: every slug a page names (a
// supporter's networks, a testimonial's supporter, the home page's
// features) must be a page of its section, and no alias may take the
// address of a page or of an earlier page's alias. It does map lookups
// only (and suggests a slug on a miss), so it is cheap to rerun over every
// page when one changed. Only pages's order, sections, slugs, data and
// aliases matter, not cfg or opts.
func CheckRefs(pages []*content.Page, cfg *config.Config, opts Options) diag.List {
	return (&Checker{cfg: cfg, opts: opts}).Refs(pages)
}

// A Checker checks pages against one site.yaml, with its rules compiled
// once. It is safe for concurrent use (if opts.Exists is).
type Checker struct {
	cfg   *config.Config
	opts  Options
	rules *RuleSet
	// config holds the problems of site.yaml's rules themselves.
	config diag.List
}

// NewChecker compiles site.yaml's rules and settles the build date (today
// in the site's time zone when opts.Today is zero).
func NewChecker(cfg *config.Config, opts Options) *Checker {
	c := &Checker{cfg: cfg, opts: opts}
	c.rules, c.config = CompileRules(cfg)
	if c.opts.Today.IsZero() {
		loc := cfg.Location
		if loc == nil {
			loc = time.UTC
		}
		c.opts.Today = decode.DateOf(time.Now().In(loc))
	}
	return c
}

// Config returns the problems of site.yaml's rules, found compiling them
// (the same as CompileRules's). Check reports them besides the pages'.
func (c *Checker) Config() diag.List { return c.config }

// Pages runs Page over pages in parallel (matching site.yaml's patterns
// over every body is the costliest check) and returns the results in
// page order.
func (c *Checker) Pages(pages []*content.Page) []diag.List {
	out := make([]diag.List, len(pages))
	_ = par.Each(context.Background(), len(pages), 0, func(i int) error {
		out[i] = c.Page(pages[i])
		return nil
	})
	return out
}

// Page is CheckPage with the Checker's compiled rules.
func (c *Checker) Page(p *content.Page) diag.List {
	pc := pageChecker{Checker: c, p: p}
	pc.ruled = c.rules.Check(p, c.opts.Today)
	pc.diags = slices.Clone(pc.ruled)
	pc.page()
	for i, a := range p.Meta.Aliases {
		field := "aliases[" + strconv.Itoa(i) + "]"
		pos := p.FieldPos(field)
		switch {
		case !strings.HasPrefix(a, "/"):
			pc.diags.Add(pos, field, "%q is not a site path (expected one starting with /, such as /old-page/)", a)
		case !cleanPath(a):
			pc.diags.Add(pos, field, "%q is not a plain site path (expected one with no .., //, \\, ?, # or %%, such as /old-page/)", a)
		}
	}
	if l := p.Meta.Layout; l != "" && c.opts.Layouts != nil && l != content.DefaultLayout(p.Section) && !slices.Contains(c.opts.Layouts, l) {
		allowed := append([]string{content.DefaultLayout(p.Section)}, c.opts.Layouts...)
		pc.diags.Add(p.FieldPos("layout"), "layout", "no layout %q for this page (expected one of: %s, or a file layouts/<name>.html of your own)", l, strings.Join(slices.DeleteFunc(allowed, func(s string) bool { return s == "" }), ", "))
	}
	return pc.diags
}

// Refs is CheckRefs.
func (c *Checker) Refs(pages []*content.Page) diag.List {
	return c.RefsCached(pages, nil)
}

// RefCache keeps, between calls of RefsCached over the same files, what
// Refs works out from the whole set of pages (the slugs of each section and
// the pages' addresses) and the reference checks of each page, for
// `generator serve`, which checks the site again after each edit. It holds
// for as long as the same files are checked: a file added or removed needs
// a new one. The zero value is ready to use.
type RefCache struct {
	slugs map[content.Section]map[string]*content.Page
	urls  map[string]diag.Pos
	pages map[string]pageRefs // by file
}

// pageRefs are the reference checks of one version of a file's page.
type pageRefs struct {
	page  *content.Page
	diags diag.List
}

// RefsCached is Refs, reusing what cache holds from an earlier call over
// the same files (nil keeps nothing): only the pages loaded again since are
// checked again, and the aliases, which are few, of every page.
func (c *Checker) RefsCached(pages []*content.Page, cache *RefCache) diag.List {
	if cache == nil {
		cache = &RefCache{}
	}
	if cache.urls == nil {
		cache.slugs = map[content.Section]map[string]*content.Page{}
		for _, p := range pages {
			if cache.slugs[p.Section] == nil {
				cache.slugs[p.Section] = map[string]*content.Page{}
			}
			// Only the slug counts: no page is kept.
			cache.slugs[p.Section][p.Slug] = nil
		}
		cache.urls = make(map[string]diag.Pos, len(pages))
		for _, p := range pages {
			cache.urls[URLOf(p)] = diag.Pos{File: p.File, Line: 1, Col: 1}
		}
		cache.pages = make(map[string]pageRefs, len(pages))
	}
	var diags diag.List
	var claimed map[string]diag.Pos // addresses taken by aliases
	for _, p := range pages {
		e, ok := cache.pages[p.File]
		if !ok || e.page != p {
			r := refChecker{slugs: cache.slugs}
			r.page(p)
			e = pageRefs{p, r.diags}
			cache.pages[p.File] = e
		}
		diags = append(diags, e.diags...)
		// Aliases claim addresses in page order: the first page to take
		// one keeps it. Aliases CheckPage rejects claim nothing.
		for i, a := range p.Meta.Aliases {
			if !strings.HasPrefix(a, "/") || !cleanPath(a) {
				continue
			}
			field := "aliases[" + strconv.Itoa(i) + "]"
			pos := p.FieldPos(field)
			clean := CleanAlias(a)
			if by := cache.urls[clean].File; by != "" {
				diags.Add(pos, field, "%q is already the address of %s", a, by)
			} else if by := claimed[clean]; by.File != "" {
				diags.Add(pos, field, "%q is already an alias of %s, line %d (an old address can lead to one page only)", a, by.File, by.Line)
			} else {
				if claimed == nil {
					claimed = map[string]diag.Pos{}
				}
				claimed[clean] = pos
			}
		}
	}
	return diags
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

// pageChecker runs CheckPage's checks on one page.
type pageChecker struct {
	*Checker
	p *content.Page
	// ruled are the failures of site.yaml's rules in p.
	ruled diag.List
	diags diag.List
}

// refChecker runs CheckRefs's checks.
type refChecker struct {
	slugs map[content.Section]map[string]*content.Page
	diags diag.List
}

// ref checks that slug names a page of section.
func (c *refChecker) ref(p *content.Page, field string, section content.Section, slug string) {
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

func (c *refChecker) refs(p *content.Page, field string, section content.Section, slugs []string) {
	var seen map[string]int // for long lists; short ones are searched
	if len(slugs) > 16 {
		seen = make(map[string]int, len(slugs))
	}
	for i, s := range slugs {
		f := field + "[" + strconv.Itoa(i) + "]"
		j := -1
		if seen != nil {
			if k, ok := seen[s]; ok {
				j = k
			} else {
				seen[s] = i
			}
		} else {
			j = slices.Index(slugs[:i], s)
		}
		// A page named twice would be shown twice, on both pages.
		if j >= 0 && s != "" {
			c.diags.Add(p.FieldPos(f), f, "%q is already in the list, as %s[%d] (write each %s once)", s, field, j, singular(section))
			continue
		}
		c.ref(p, f, section, s)
	}
}

// page checks the slugs p names.
func (c *refChecker) page(p *content.Page) {
	switch d := p.Data.(type) {
	case *content.HomePage:
		c.refs(p, "featured_networks", content.Networks, d.FeaturedNetworks)
		c.ref(p, "featured_testimonial", content.Testimonials, d.FeaturedTestimonial)
	case *content.Supporter:
		c.refs(p, "networks", content.Networks, d.Networks)
	case *content.Course:
		c.refs(p, "networks", content.Networks, d.Networks)
	case *content.Testimonial:
		c.refs(p, "networks", content.Networks, d.Networks)
		c.ref(p, "supporter", content.Supporters, d.Supporter)
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

// ruleFailed reports whether a site.yaml rule on field failed in the page,
// with an error or by hiding it.
func (c *pageChecker) ruleFailed(field string) bool {
	return slices.ContainsFunc(c.ruled, func(d diag.Diagnostic) bool { return d.Field == field && d.Severity != diag.Warning })
}

func (c *pageChecker) rangeCheck(field string, r *content.Range) {
	if r != nil && r.Max < r.Min {
		c.diags.Add(c.p.FieldPos(field+".max"), field+".max", "%d is below min %d (expected max >= min)", r.Max, r.Min)
	}
}

// page runs the checks between the fields of one page.
func (c *pageChecker) page() {
	p := c.p
	switch d := p.Data.(type) {
	case *content.Network:
		c.rangeCheck("group_size", d.GroupSize)
		c.rangeCheck("sessions_per_year", d.SessionsPerYear)
	case *content.Supporter:
		if d.Photo != "" && c.opts.Exists != nil {
			photo := strings.TrimPrefix(d.Photo, "/")
			if !c.opts.Exists("static/"+photo) && !c.opts.Exists(content.Dir+"/"+photo) {
				c.diags.Add(p.FieldPos("photo"), "photo", "no file %q (expected a path under static/ or content/)", d.Photo)
			}
		}
	case *content.Course:
		if len(d.Sessions) == 0 {
			c.diags.Add(p.FieldPos("sessions"), "sessions", "no sessions (a course needs at least one dated session)")
		}
		seen := map[string]int{}
		for i, s := range d.Sessions {
			field := "sessions[" + strconv.Itoa(i) + "]"
			if s.Start.IsZero() {
				continue
			}
			if !s.End.IsZero() && !s.End.After(s.Start) {
				c.diags.Add(p.FieldPos(field+".end"), field+".end", "%s is not after start %s", s.End.Format("2006-01-02 15:04"), s.Start.Format("2006-01-02 15:04"))
			}
			// The server takes no booking once a session has started, and
			// the page would promise one: a later date is a slip, most
			// often of the year.
			if day := decode.DateOf(s.Start); !s.BookingCloses.IsZero() && day.Before(s.BookingCloses) {
				c.diags.Add(p.FieldPos(field+".booking_closes"), field+".booking_closes", "%s is after the session starts on %s (expected the last day to book: %s or earlier)", s.BookingCloses, day, day)
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
		// A site rule about consent that already keeps the page out says
		// so in its own words; otherwise the built-in check does.
		if !d.Consent && !c.ruleFailed("consent") {
			c.diags.Append(diag.Diagnostic{Pos: p.FieldPos("consent"), Field: "consent", Severity: diag.Hidden,
				Msg: "not published: a testimonial needs consent: true"})
		}
	case *content.Article:
		if p.Section == content.Pages && ReservedPage(p.Slug) {
			c.diags.Add(diag.Pos{File: p.File}, "", "free page %q clashes with the site's own /%s/ (choose another file name)", p.Slug, p.Slug)
		}
	}
}
