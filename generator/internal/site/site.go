// Package site assembles loaded content into the site that gets rendered:
// the published pages with their references resolved both ways, training
// sessions placed before or after the build date, facets, listings split into
// pages, breadcrumbs, and the list of outputs to write.
package site

import (
	"cmp"
	"context"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/content"
	"peerpress/generator/internal/decode"
	"peerpress/generator/internal/formspec"
	"peerpress/generator/internal/images"
	"peerpress/generator/internal/markdown"
	"peerpress/generator/internal/par"
	"peerpress/generator/internal/schema"
)

// Options control assembly.
type Options struct {
	// Now is the build date: it splits training into upcoming and past and
	// computes years of headship.
	Now time.Time
	// Drafts includes pages marked draft.
	Drafts bool
	// Hidden reports whether a page must be left out (a rule said so).
	Hidden func(p *content.Page) bool
	// Markdown, when set, converts a page's body instead of the renderer
	// given to New: `generator serve` keeps the results of pages that did
	// not change.
	Markdown func(p *content.Page) (markdown.Result, error)
}

// Site is everything a layout can reach through .Site.
type Site struct {
	// manifest is FormManifest's result, made on first use: the site does
	// not change after New, so one manifest serves every page of a build.
	manifestOnce sync.Once
	manifest     *formspec.Manifest
	manifestErr  error
	// booking is the booking form of the manifest, for BookingFormHTML.
	booking atomic.Pointer[bookingForm]

	Config *config.Config
	// Now is the build date in the site's time zone.
	Now time.Time
	// Today is the build date's calendar date.
	Today decode.Date

	Home         *Page
	Networks     []*Page
	Supporters   []*Page
	Courses      []*Page
	Testimonials []*Page
	News         []*Page
	Pages        []*Page
	// Sessions are every session of every published course, by start.
	Sessions []*Session

	// Facets are the browsable facets of each section.
	Facets map[content.Section][]*Facet

	// byFile holds the published pages by file, made by the first Patch.
	byFile map[string]*Page
}

// Page is one published content page, with its references resolved.
type Page struct {
	Section content.Section
	Slug    string
	File    string
	Title   string
	// Summary is the front-matter summary or, failing that, the start of the
	// body.
	Summary string
	// Lede is the summary as written in front matter, empty if none: pages
	// show it above the body, where a summary taken from the body would
	// repeat its first paragraph.
	Lede string
	// URL is the site path, such as /supporters/jo-evans/.
	URL     string
	Date    decode.Date
	Tags    []string
	Content template.HTML
	Layout  string
	Aliases []string
	// Source is the loaded file, for the positions of its fields.
	Source *content.Page
	// Links are the body's links and images, for the link check.
	Links []markdown.Link
	// Photo is a supporter's photo in the sizes layouts show, nil if none;
	// the build makes it.
	Photo *images.Photo

	// Exactly one of these is set, by section.
	HomePage    *content.HomePage
	Network     *content.Network
	Supporter   *content.Supporter
	Course      *content.Course
	Testimonial *content.Testimonial
	Article     *content.Article

	// Networks are the networks this page refers to.
	Networks []*Page
	// Supporters, Testimonials and Courses refer to this page (a network's
	// members, a supporter's testimonials).
	Supporters   []*Page
	Testimonials []*Page
	Courses      []*Page
	// SupporterPage is a testimonial's supporter.
	SupporterPage *Page
	// Sessions are a course's sessions by start.
	Sessions []*Session

	// YearsHeadship is a supporter's whole years since headship_since at the
	// build date (0 when not given).
	YearsHeadship int
	// SizeBand is a supporter's school size band, nil if pupils is unknown.
	SizeBand *config.SizeBand

	// lowerTitle and surname are the page's sort keys, worked out once:
	// sorting compares them many times.
	lowerTitle, surname string
	// seq is the page's place among the published pages in the order they
	// were loaded, in which references are first resolved: Patch keeps
	// the lists of pages referring to one in that order too.
	seq int
}

// Session is one dated run of a course.
type Session struct {
	// ID is <course>/<YYYY-MM-DD>, plus -HHMM when a course has two on a day.
	ID            string
	Course        *Page
	Start, End    time.Time
	Location      content.Location
	Capacity      int
	BookingCloses decode.Date
	// State is "open", "waitlist", "closed" or "past" at the build date.
	State string
}

// Past reports whether the session started before the build date.
func (s *Session) Past() bool { return s.State == "past" }

// Bookable reports whether places can be asked for.
func (s *Session) Bookable() bool { return s.State == "open" || s.State == "waitlist" }

// New assembles the site from loaded pages.
func New(ctx context.Context, pages []*content.Page, cfg *config.Config, md *markdown.Renderer, opts Options) (*Site, error) {
	now := opts.Now.In(cfg.Location)
	s := &Site{Config: cfg, Now: now, Today: decode.DateOf(now)}
	var published []*content.Page
	for _, p := range pages {
		if (p.Meta.Draft && !opts.Drafts) || (opts.Hidden != nil && opts.Hidden(p)) {
			continue
		}
		published = append(published, p)
	}
	out := make([]*Page, len(published))
	err := par.Each(ctx, len(published), 0, func(i int) error {
		p := published[i]
		var r markdown.Result
		var err error
		if opts.Markdown != nil {
			r, err = opts.Markdown(p)
		} else {
			r, err = md.Render(p.Body)
		}
		if err != nil {
			return fmt.Errorf("%s: markdown: %w", p.File, err)
		}
		out[i] = s.page(p, r)
		out[i].seq = i
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, p := range out {
		switch p.Section {
		case content.Home:
			s.Home = p
		case content.Networks:
			s.Networks = append(s.Networks, p)
		case content.Supporters:
			s.Supporters = append(s.Supporters, p)
		case content.Training:
			s.Courses = append(s.Courses, p)
		case content.Testimonials:
			s.Testimonials = append(s.Testimonials, p)
		case content.News:
			s.News = append(s.News, p)
		case content.Pages:
			s.Pages = append(s.Pages, p)
		}
	}
	if s.Home == nil {
		s.Home = &Page{Section: content.Home, URL: "/", Title: cfg.Title, Summary: cfg.Description, HomePage: &content.HomePage{}}
	}
	s.link()
	s.order()
	s.Facets = s.facets()
	return s, nil
}

func (s *Site) page(p *content.Page, r markdown.Result) *Page {
	sp := &Page{
		Section: p.Section,
		Slug:    p.Slug,
		File:    p.File,
		Title:   p.Meta.Title,
		Summary: p.Meta.Summary,
		Lede:    p.Meta.Summary,
		URL:     schema.URLOf(p),
		Date:    p.Meta.Date,
		Tags:    p.Meta.Tags,
		Content: template.HTML(r.HTML),
		Layout:  p.Meta.Layout,
		Aliases: p.Meta.Aliases,
		Source:  p,
		Links:   r.Links,
	}
	switch d := p.Data.(type) {
	case *content.HomePage:
		sp.HomePage = d
		if sp.Title == "" {
			sp.Title = s.Config.Title
		}
	case *content.Network:
		sp.Network = d
	case *content.Supporter:
		sp.Supporter = d
		if !d.HeadshipSince.IsZero() {
			sp.YearsHeadship = max(0, d.HeadshipSince.YearsUntil(s.Today))
		}
		if d.School.Pupils != nil {
			sp.SizeBand = s.Config.Vocabularies.SizeBand(*d.School.Pupils)
		}
	case *content.Course:
		sp.Course = d
		sp.Sessions = s.sessions(sp, d)
	case *content.Testimonial:
		sp.Testimonial = d
		if sp.Summary == "" {
			sp.Summary = d.Quote
		}
	case *content.Article:
		sp.Article = d
	}
	if sp.Summary == "" {
		sp.Summary = markdown.Truncate(r.Lead, 160)
	}
	sp.lowerTitle, sp.surname = strings.ToLower(sp.Title), surname(sp.Title)
	return sp
}

func (s *Site) sessions(course *Page, d *content.Course) []*Session {
	perDay := map[string]int{}
	for _, x := range d.Sessions {
		perDay[x.Start.In(s.Config.Location).Format(time.DateOnly)]++
	}
	var out []*Session
	for _, x := range d.Sessions {
		if x.Start.IsZero() {
			continue
		}
		start := x.Start.In(s.Config.Location)
		ss := &Session{
			ID:            course.Slug + "/" + start.Format(time.DateOnly),
			Course:        course,
			Start:         start,
			Location:      x.Location,
			BookingCloses: x.BookingCloses,
			State:         cmp.Or(x.Booking, "open"),
		}
		if perDay[start.Format(time.DateOnly)] > 1 {
			ss.ID += start.Format("-1504")
		}
		if !x.End.IsZero() {
			ss.End = x.End.In(s.Config.Location)
		}
		if x.Capacity != nil {
			ss.Capacity = *x.Capacity
		}
		switch {
		case start.Before(s.Now):
			ss.State = "past"
		case !x.BookingCloses.IsZero() && x.BookingCloses.Before(s.Today):
			ss.State = "closed"
		}
		out = append(out, ss)
	}
	slices.SortFunc(out, func(a, b *Session) int { return a.Start.Compare(b.Start) })
	return out
}

// link resolves references in both directions.
func (s *Site) link() {
	networks := map[string]*Page{}
	for _, n := range s.Networks {
		networks[n.Slug] = n
	}
	supporters := map[string]*Page{}
	for _, p := range s.Supporters {
		supporters[p.Slug] = p
	}
	resolve := func(p *Page, slugs []string) {
		for _, slug := range slugs {
			if n, ok := networks[slug]; ok {
				p.Networks = append(p.Networks, n)
			}
		}
	}
	for _, p := range s.Supporters {
		resolve(p, p.Supporter.Networks)
		for _, n := range p.Networks {
			n.Supporters = append(n.Supporters, p)
		}
	}
	for _, p := range s.Courses {
		resolve(p, p.Course.Networks)
		for _, n := range p.Networks {
			n.Courses = append(n.Courses, p)
		}
		s.Sessions = append(s.Sessions, p.Sessions...)
	}
	for _, p := range s.Testimonials {
		resolve(p, p.Testimonial.Networks)
		for _, n := range p.Networks {
			n.Testimonials = append(n.Testimonials, p)
		}
		if sp, ok := supporters[p.Testimonial.Supporter]; ok {
			p.SupporterPage = sp
			sp.Testimonials = append(sp.Testimonials, p)
		}
	}
	slices.SortStableFunc(s.Sessions, func(a, b *Session) int {
		return cmp.Or(a.Start.Compare(b.Start), strings.Compare(a.ID, b.ID))
	})
}

// surname is the last word of a name, for sorting a directory.
func surname(name string) string {
	f := strings.Fields(name)
	if len(f) == 0 {
		return ""
	}
	return strings.ToLower(f[len(f)-1])
}

func (s *Site) order() {
	for _, sec := range []content.Section{content.Networks, content.Supporters, content.Training, content.News, content.Pages} {
		s.sortSection(sec)
	}
	for _, n := range s.Networks {
		sortMembers(n)
	}
}

func byTitle(a, b *Page) int {
	return cmp.Or(strings.Compare(a.lowerTitle, b.lowerTitle), strings.Compare(a.Slug, b.Slug))
}

// sortSection puts a section's pages in their listing's order. Each order
// is total (it ends with the slug, unique in a section), so the pages'
// order before does not matter: Patch sorts again what New sorted.
func (s *Site) sortSection(sec content.Section) {
	if c := sectionOrder(sec); c != nil {
		slices.SortFunc(s.section(sec), c)
	}
}

// sectionOrder is the order of a section's listing, nil for testimonials,
// which keep the order they were loaded in.
func sectionOrder(sec content.Section) func(a, b *Page) int {
	switch sec {
	case content.Networks:
		return byTitle
	case content.Supporters:
		return func(a, b *Page) int {
			return cmp.Or(strings.Compare(a.surname, b.surname), byTitle(a, b))
		}
	case content.Training:
		return func(a, b *Page) int {
			na, nb := a.NextSession(), b.NextSession()
			switch {
			case na != nil && nb != nil:
				return cmp.Or(na.Start.Compare(nb.Start), byTitle(a, b))
			case na != nil:
				return -1
			case nb != nil:
				return 1
			}
			return cmp.Or(b.lastStart().Compare(a.lastStart()), byTitle(a, b))
		}
	case content.News:
		return func(a, b *Page) int {
			return cmp.Or(cmp.Compare(b.Date.Year, a.Date.Year), cmp.Compare(b.Date.Month, a.Date.Month), cmp.Compare(b.Date.Day, a.Date.Day), strings.Compare(a.Slug, b.Slug))
		}
	case content.Pages:
		return func(a, b *Page) int {
			return cmp.Or(cmp.Compare(a.Article.Weight, b.Article.Weight), byTitle(a, b))
		}
	}
	return nil
}

// sortMembers orders a network's members and courses. Members are sorted
// by surname alone, from the order they were loaded in, which breaks ties:
// Patch gives the list in that order before sorting it again.
func sortMembers(n *Page) {
	slices.SortFunc(n.Supporters, func(a, b *Page) int { return strings.Compare(a.surname, b.surname) })
	slices.SortFunc(n.Courses, byTitle)
}

// NextSession returns a course's first session that has not started, or nil.
func (p *Page) NextSession() *Session {
	for _, x := range p.Sessions {
		if !x.Past() {
			return x
		}
	}
	return nil
}

// UpcomingSessions returns a course's sessions that have not started.
func (p *Page) UpcomingSessions() []*Session {
	for i, x := range p.Sessions {
		if !x.Past() {
			return p.Sessions[i:]
		}
	}
	return nil
}

// PastSessions returns a course's sessions that have started, latest first.
func (p *Page) PastSessions() []*Session {
	var out []*Session
	for _, x := range p.Sessions {
		if x.Past() {
			out = append(out, x)
		}
	}
	slices.Reverse(out)
	return out
}

func (p *Page) lastStart() time.Time {
	if len(p.Sessions) == 0 {
		return time.Time{}
	}
	return p.Sessions[len(p.Sessions)-1].Start
}

// UpcomingSessions returns the next n sessions across all courses (all of
// them when n is 0).
func (s *Site) UpcomingSessions(n int) []*Session {
	var out []*Session
	for _, x := range s.Sessions {
		if !x.Past() {
			out = append(out, x)
		}
	}
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

// FeaturedNetworks returns the home page's featured networks or, when it
// names none, up to three open networks.
func (s *Site) FeaturedNetworks() []*Page {
	var out []*Page
	if s.Home.HomePage != nil {
		for _, slug := range s.Home.HomePage.FeaturedNetworks {
			for _, n := range s.Networks {
				if n.Slug == slug {
					out = append(out, n)
				}
			}
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, n := range s.Networks {
		if n.Network.Status == "open" && len(out) < 3 {
			out = append(out, n)
		}
	}
	return out
}

// FeaturedTestimonial returns the home page's testimonial, or the first one.
func (s *Site) FeaturedTestimonial() *Page {
	if s.Home.HomePage != nil {
		for _, t := range s.Testimonials {
			if t.Slug == s.Home.HomePage.FeaturedTestimonial {
				return t
			}
		}
	}
	if len(s.Testimonials) > 0 {
		return s.Testimonials[0]
	}
	return nil
}

// LatestNews returns the n newest news posts.
func (s *Site) LatestNews(n int) []*Page {
	return s.News[:min(n, len(s.News))]
}

// AvailableSupporters counts supporters who can take a request.
func (s *Site) AvailableSupporters() int {
	n := 0
	for _, p := range s.Supporters {
		if p.Supporter.Availability != "unavailable" {
			n++
		}
	}
	return n
}

// availability labels the fixed availability values.
var availability = config.Vocabulary{
	{ID: "available", Label: "Available"},
	{ID: "limited", Label: "Limited availability"},
	{ID: "unavailable", Label: "Not taking requests"},
}
