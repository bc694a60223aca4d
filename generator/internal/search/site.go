package search

import (
	"slices"
	"time"

	"peerpress/generator/internal/content"
	"peerpress/generator/internal/site"
)

// sections name the kinds of page in the "section" facet, in the order
// they are offered.
var sections = []Value{
	{"supporters", "Peer supporters"},
	{"networks", "Networks"},
	{"training", "Training"},
	{"news", "News"},
	{"pages", "Pages"},
}

// When is the facet that splits training into upcoming and past courses.
var when = Facet{Key: "when", Name: "Training dates", Values: []Value{{"upcoming", "Upcoming"}, {"past", "Past"}}}

// FromSite lists the documents of an assembled site and its facets. It
// reads only what the default layouts show on each page, so nothing a page
// keeps back (hidden and draft pages, which the site leaves out, and fields
// no layout prints) reaches the index.
func FromSite(s *site.Site) ([]Doc, []Facet) {
	labels := map[string]map[string]string{} // facet key -> value id -> label
	facets := []Facet{{Key: "section", Name: "Type", Values: sections}}
	for _, sec := range []content.Section{content.Supporters, content.Networks} {
		for _, f := range s.Facets[sec] {
			if labels[f.Key] == nil {
				labels[f.Key] = map[string]string{}
			}
			i := slices.IndexFunc(facets, func(x Facet) bool { return x.Key == f.Key })
			if i < 0 {
				facets = append(facets, Facet{Key: f.Key, Name: f.Name})
				i = len(facets) - 1
			}
			for _, v := range f.Values {
				if _, ok := labels[f.Key][v.ID]; !ok {
					labels[f.Key][v.ID] = v.Label
					facets[i].Values = append(facets[i].Values, Value{v.ID, v.Label})
				}
			}
		}
	}
	facets = append(facets, when)
	vocab := func(name, id string) string { return s.Config.Vocabularies.Vocabulary(name).Label(id) }
	date := func(t time.Time) string { return t.In(s.Config.Location).Format("2 January 2006") }
	titles := func(ps []*site.Page) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Title)
		}
		return out
	}

	// One document a page: docs never grows, which would copy them all.
	docs := make([]Doc, 0, len(s.Supporters)+len(s.Networks)+len(s.Courses)+len(s.News)+len(s.Pages))
	add := func(p *site.Page, section string, keys, body []string, values map[string][]string) *Doc {
		if values == nil {
			values = map[string][]string{}
		}
		values["section"] = []string{section}
		docs = append(docs, Doc{
			URL:     p.URL,
			Title:   p.Title,
			Section: section,
			Summary: p.Summary,
			Text:    [numFields][]string{{p.Title}, keys, {p.Lede}, body},
			HTML:    string(p.Content),
			Facets:  values,
		})
		return &docs[len(docs)-1]
	}
	byPage := map[*site.Page]map[string][]string{}
	for _, sec := range []content.Section{content.Supporters, content.Networks} {
		for _, f := range s.Facets[sec] {
			for _, v := range f.Values {
				for _, p := range v.Pages {
					if byPage[p] == nil {
						byPage[p] = map[string][]string{}
					}
					byPage[p][f.Key] = append(byPage[p][f.Key], v.ID)
				}
			}
		}
	}
	valuesOf := func(p *site.Page) map[string][]string {
		if v := byPage[p]; v != nil {
			return v
		}
		return map[string][]string{}
	}
	quotes := func(ps []*site.Page) []string {
		var out []string
		for _, t := range ps {
			out = append(out, t.Testimonial.Quote, t.Testimonial.Attribution)
		}
		return out
	}

	for _, p := range s.Supporters {
		sp := p.Supporter
		values := valuesOf(p)
		keys := []string{sp.Role, sp.School.Name, sp.School.Church, sp.Training.Provider}
		if sp.School.Rural {
			keys = append(keys, "rural")
		}
		for _, key := range []string{"region", "type", "phase", "size", "skill", "availability"} {
			for _, id := range values[key] {
				keys = append(keys, labels[key][id])
			}
		}
		keys = append(keys, titles(p.Networks)...)
		d := add(p, "supporters", keys, append([]string{sp.Coaching}, quotes(p.Testimonials)...), values)
		d.Sub = sp.Role + ", " + sp.School.Name
		d.Text[Summary] = nil
	}
	for _, p := range s.Networks {
		n := p.Network
		values := valuesOf(p)
		keys := []string{n.Diocese, n.Format}
		for _, key := range []string{"stream", "region", "theme", "audience"} {
			for _, id := range values[key] {
				keys = append(keys, labels[key][id])
			}
		}
		keys = append(keys, n.SchoolKinds...)
		body := append([]string{n.Join}, titles(p.Supporters)...)
		body = append(body, titles(p.Courses)...)
		d := add(p, "networks", keys, append(body, quotes(p.Testimonials)...), values)
		d.Sub = labels["stream"][n.Stream]
	}
	for _, p := range s.Courses {
		c := p.Course
		keys := []string{c.Provider, c.Cost}
		for _, a := range c.Audience {
			keys = append(keys, vocab("audiences", a))
		}
		keys = append(keys, titles(p.Networks)...)
		var body []string
		for _, item := range c.Programme {
			body = append(body, item.Text)
			body = append(body, item.Items...)
		}
		values := map[string][]string{}
		var days []int
		for _, x := range p.Sessions {
			body = append(body, x.Location.Name, x.Location.Address)
			state := "upcoming"
			if x.Past() {
				state = "past"
			}
			if !slices.Contains(values["when"], state) {
				values["when"] = append(values["when"], state)
			}
			y, m, dd := x.Start.Date()
			days = append(days, int(time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Unix()/86400))
		}
		d := add(p, "training", keys, body, values)
		d.Dates = days
		if next := p.NextSession(); next != nil {
			d.Sub = "Next date: " + date(next.Start)
		} else {
			d.Sub = "No dates planned"
		}
	}
	for _, p := range s.News {
		d := add(p, "news", append([]string{p.Article.Author}, p.Tags...), nil, nil)
		if !p.Date.IsZero() {
			d.Sub = date(p.Date.In(s.Config.Location))
		}
	}
	for _, p := range s.Pages {
		add(p, "pages", nil, nil, nil)
	}
	return docs, facets
}
