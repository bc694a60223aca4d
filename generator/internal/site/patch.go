package site

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"peerpress/generator/internal/content"
	"peerpress/generator/internal/markdown"
)

// ErrNotPatchable is Patch's answer when an edited page is not a published
// page of the site: the site must be assembled again with New.
var ErrNotPatchable = errors.New("the edited pages cannot be patched in")

// Edit says what Patch changed, so that `generator serve` can work out
// which outputs may render differently.
type Edit struct {
	// Touched are the edited pages, with the pages they referred to or
	// were referred to by before the edit and after it: whatever shows one
	// of these (its page, a listing with it) may have changed.
	Touched map[*Page]bool
	// Moved are the sections whose listing order changed: every page of
	// their listings and facet values may show other pages now.
	Moved map[content.Section]bool
	// Counted are the sections some facet value of which gained or lost
	// a page: their listings show the counts.
	Counted map[content.Section]bool
	// Reshaped says a facet value gained its first page or lost its last,
	// so that the site has other outputs than before.
	Reshaped bool
	// Forms says the forms manifest may have changed: the supporters that
	// can be requested or the sessions that can be booked.
	Forms bool
}

// Patch replaces published pages by edited versions of their files, in
// place: each page keeps its identity, and the references both ways, the
// listings' order, the facets and the training sessions are brought up to
// date around it, so that the site is what New would assemble from the
// edited pages. It is for `generator serve`, where assembling 10,000 pages
// again for one edit costs more than the edit. Every edited page must
// replace a published page of the same file, and be published at the same
// address; otherwise Patch changes nothing and returns ErrNotPatchable.
// markdownOf converts a page's body, as Options.Markdown does.
func (s *Site) Patch(ctx context.Context, edited []*content.Page, markdownOf func(*content.Page) (markdown.Result, error)) (*Edit, error) {
	results := make([]markdown.Result, len(edited))
	for i, c := range edited {
		op := s.PageOf(c.File)
		if op == nil || op.Section != c.Section || op.Slug != c.Slug {
			return nil, ErrNotPatchable
		}
		r, err := markdownOf(c)
		if err != nil {
			return nil, fmt.Errorf("%s: markdown: %w", c.File, err)
		}
		results[i] = r
	}
	e := &Edit{Touched: map[*Page]bool{}, Moved: map[content.Section]bool{}, Counted: map[content.Section]bool{}}
	for i, c := range edited {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		// With one page edited, every other page is in its place and
		// it is enough to move that one; with more, each section sorts.
		s.replace(s.byFile[c.File], s.page(c, results[i]), e, len(edited) == 1)
	}
	return e, nil
}

// PageOf returns the published page loaded from file, nil if none.
func (s *Site) PageOf(file string) *Page {
	if s.byFile == nil {
		s.byFile = map[string]*Page{}
		for _, p := range s.AllPages() {
			if p.Source != nil {
				s.byFile[p.File] = p
			}
		}
	}
	return s.byFile[file]
}

// replace puts np's fields into op, the page it is an edit of, and brings
// everything that depends on them up to date.
func (s *Site) replace(op, np *Page, e *Edit, alone bool) {
	sec := op.Section
	list := slices.Clone(s.section(sec))
	oldValues := s.facetValuesOf(op)
	oldNets, oldSupporter := op.Networks, op.SupporterPage
	oldTitle, oldAvailability := op.Title, supporterAvailability(op)
	touch := func(ps ...*Page) {
		for _, p := range ps {
			if p != nil {
				e.Touched[p] = true
			}
		}
	}
	touch(op, oldSupporter)
	touch(oldNets...)

	// The page's own fields; what refers to it stays as it was.
	np.seq = op.seq
	np.Supporters, np.Testimonials, np.Courses = op.Supporters, op.Testimonials, op.Courses
	*op = *np
	for _, ss := range op.Sessions {
		ss.Course = op
	}
	touch(op.Supporters...)
	touch(op.Testimonials...)
	touch(op.Courses...)

	// What it refers to, resolved as link does.
	var slugs []string
	switch {
	case op.Supporter != nil:
		slugs = op.Supporter.Networks
	case op.Course != nil:
		slugs = op.Course.Networks
	case op.Testimonial != nil:
		slugs = op.Testimonial.Networks
	}
	if slugs != nil {
		networks := map[string]*Page{}
		for _, n := range s.Networks {
			networks[n.Slug] = n
		}
		for _, slug := range slugs {
			if n, ok := networks[slug]; ok {
				op.Networks = append(op.Networks, n)
			}
		}
	}
	touch(op.Networks...)
	for _, n := range union(oldNets, op.Networks) {
		switch {
		case op.Supporter != nil:
			n.Supporters = relink(n.Supporters, op, op.Networks, n)
		case op.Course != nil:
			n.Courses = relink(n.Courses, op, op.Networks, n)
		case op.Testimonial != nil:
			n.Testimonials = relink(n.Testimonials, op, op.Networks, n)
		}
		sortMembers(n)
	}
	if op.Testimonial != nil {
		for _, sp := range s.Supporters {
			if sp.Slug == op.Testimonial.Supporter {
				op.SupporterPage = sp
			}
		}
		for _, sp := range union([]*Page{oldSupporter}, []*Page{op.SupporterPage}) {
			if sp != nil {
				sp.Testimonials = relink(sp.Testimonials, op, []*Page{op.SupporterPage}, sp)
			}
		}
		touch(op.SupporterPage)
	}
	if op.Course != nil {
		s.relinkSessions()
	}

	// Its place in its listing, and in its facet values.
	if alone {
		s.place(sec, op)
	} else {
		s.sortSection(sec)
	}
	moved := !slices.Equal(list, s.section(sec))
	if moved {
		e.Moved[sec] = true
	}
	newValues := s.facetValuesOf(op)
	for i, f := range s.Facets[sec] {
		if !moved && slices.Equal(oldValues[i], newValues[i]) {
			continue
		}
		if !slices.Equal(oldValues[i], newValues[i]) {
			e.Counted[sec] = true
		}
		def := facetDefs[sec][i]
		for _, v := range union(oldValues[i], newValues[i]) {
			// As facets makes it: a page once for each time it has the value.
			var pages []*Page
			for _, p := range s.section(sec) {
				for _, id := range def.values(p) {
					if id == v.ID {
						pages = append(pages, p)
					}
				}
			}
			v.Pages = pages
		}
		values := nonEmpty(f.all)
		if !slices.Equal(values, f.Values) {
			e.Reshaped = true
		}
		f.Values = values
	}
	if sec == content.Training || (sec == content.Supporters && (op.Title != oldTitle || supporterAvailability(op) != oldAvailability)) {
		// The request form lists supporters that can be asked, by name;
		// the booking form lists sessions.
		e.Forms = true
		s.manifestOnce = sync.Once{}
		s.manifest, s.manifestErr = nil, nil
	}
}

// supporterAvailability is a supporter's availability, "" for other pages.
func supporterAvailability(p *Page) string {
	if p.Supporter == nil {
		return ""
	}
	return p.Supporter.Availability
}

// place moves p to its place in its section's listing, all of whose other
// pages are in theirs.
func (s *Site) place(sec content.Section, p *Page) {
	order := sectionOrder(sec)
	list := s.section(sec)
	i := slices.Index(list, p)
	if order == nil || i < 0 {
		return
	}
	if (i == 0 || order(list[i-1], p) < 0) && (i == len(list)-1 || order(p, list[i+1]) < 0) {
		return
	}
	rest := slices.Delete(list, i, i+1) // shares list's array, one shorter
	j, _ := slices.BinarySearchFunc(rest, p, order)
	// Shift the pages between the old place and the new by one.
	list = list[:len(rest)+1]
	copy(list[j+1:], rest[j:])
	list[j] = p
}

// facetValuesOf are, for each facet of p's section, the values p has.
func (s *Site) facetValuesOf(p *Page) [][]*FacetValue {
	facets := s.Facets[p.Section]
	if len(facets) == 0 {
		return nil
	}
	out := make([][]*FacetValue, len(facets))
	for i, def := range facetDefs[p.Section] {
		for _, id := range def.values(p) {
			for _, v := range facets[i].all {
				if v.ID == id {
					out[i] = append(out[i], v)
					break
				}
			}
		}
	}
	return out
}

// relink is list, the pages referring to target, with p in it as many
// times as refs names target, in the order the pages were loaded in, as
// link makes it.
func relink(list []*Page, p *Page, refs []*Page, target *Page) []*Page {
	out := slices.DeleteFunc(slices.Clone(list), func(q *Page) bool { return q == p })
	for _, r := range refs {
		if r == target {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b *Page) int { return cmp.Compare(a.seq, b.seq) })
	return out
}

// relinkSessions gathers every course's sessions again, as link does.
func (s *Site) relinkSessions() {
	courses := slices.Clone(s.Courses)
	slices.SortFunc(courses, func(a, b *Page) int { return cmp.Compare(a.seq, b.seq) })
	s.Sessions = nil
	for _, c := range courses {
		s.Sessions = append(s.Sessions, c.Sessions...)
	}
	slices.SortStableFunc(s.Sessions, func(a, b *Session) int {
		return cmp.Or(a.Start.Compare(b.Start), strings.Compare(a.ID, b.ID))
	})
}

// union is a followed by the elements of b not in a.
func union[T comparable](a, b []T) []T {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
