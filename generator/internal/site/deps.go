package site

import (
	"strconv"

	"peerpress/generator/internal/content"
)

// LocalMembers are the members of Site whose result depends on nothing but
// site.yaml and their arguments. A layout that reads only these through
// .Site shows nothing of other pages, so a change to another page leaves
// it as it was.
var LocalMembers = []string{
	"Config", "Now", "Today", "Abs",
	"FormsOn", "RequestURL", "BookingOnline", "BookingFormHTML", "PlacesURL",
	"SessionURL", "Organization", "Event",
}

// MemberSections are the sections whose pages a member of Site reads: a
// layout reading .Site.UpcomingSessions shows something of every course.
// A member giving pages counts the sections of the pages those refer to or
// are referred to by as well, since a layout may show them (a featured
// testimonial names its supporter). A member in neither list is taken to
// read the whole site.
var MemberSections = map[string][]content.Section{
	"Home":                {content.Home, content.Networks, content.Testimonials},
	"Networks":            related[content.Networks],
	"FeaturedNetworks":    append([]content.Section{content.Home}, related[content.Networks]...),
	"Supporters":          related[content.Supporters],
	"Courses":             related[content.Training],
	"Sessions":            related[content.Training],
	"UpcomingSessions":    related[content.Training],
	"Testimonials":        related[content.Testimonials],
	"FeaturedTestimonial": append([]content.Section{content.Home}, related[content.Testimonials]...),
	"News":                {content.News},
	"LatestNews":          {content.News},
	"Pages":               {content.Pages},
}

// related are, by section, the section and those of the pages its pages
// refer to or are referred to by.
var related = map[content.Section][]content.Section{
	content.Networks:     {content.Networks, content.Supporters, content.Training, content.Testimonials},
	content.Supporters:   {content.Supporters, content.Networks, content.Testimonials},
	content.Training:     {content.Training, content.Networks},
	content.Testimonials: {content.Testimonials, content.Networks, content.Supporters},
}

// MemberValues are members of Site that read many pages but give a small
// value: a layout reading one depends on its value, not on every page, so
// that a supporters' listing showing how many are available is not
// rendered again whenever any supporter's profile changes.
var MemberValues = map[string]func(*Site) string{
	"AvailableSupporters": func(s *Site) string { return strconv.Itoa(s.AvailableSupporters()) },
}

// Section returns a section's published pages in their listing's order;
// for content.Home, the home page alone.
func (s *Site) Section(sec content.Section) []*Page {
	if sec == content.Home {
		return []*Page{s.Home}
	}
	return s.section(sec)
}

// AllPages returns every published page: the home page, then each
// section's in listing order.
func (s *Site) AllPages() []*Page {
	out := []*Page{s.Home}
	for _, sec := range content.Sections {
		out = append(out, s.section(sec)...)
	}
	return out
}

// CacheKey is the page's address, by which layouts render its card once a
// build (layout.Keyed).
func (p *Page) CacheKey() string { return p.URL }
