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
	"FormsOn", "RequestURL", "BookingOnline", "BookingFormHTML",
	"SessionURL", "Organization", "Event",
}

// MemberSections are the sections whose pages a member of Site reads: a
// layout reading .Site.UpcomingSessions shows something of every course.
// A member in neither list is taken to read the whole site.
var MemberSections = map[string][]content.Section{
	"Home":                {content.Home},
	"Networks":            {content.Networks},
	"FeaturedNetworks":    {content.Home, content.Networks},
	"Supporters":          {content.Supporters},
	"Courses":             {content.Training},
	"Sessions":            {content.Training},
	"UpcomingSessions":    {content.Training},
	"Testimonials":        {content.Testimonials},
	"FeaturedTestimonial": {content.Home, content.Testimonials},
	"News":                {content.News},
	"LatestNews":          {content.News},
	"Pages":               {content.Pages},
}

// Section returns a section's published pages in their listing's order.
func (s *Site) Section(sec content.Section) []*Page { return s.section(sec) }

// MemberValues are members of Site that read many pages but give a small
// value: a layout reading one depends on its value, not on every page, so
// that a supporters' listing showing how many are available is not
// rendered again whenever any supporter's profile changes.
var MemberValues = map[string]func(*Site) string{
	"AvailableSupporters": func(s *Site) string { return strconv.Itoa(s.AvailableSupporters()) },
}
