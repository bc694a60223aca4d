package site

import (
	"peerpress/generator/internal/content"
)

// Facet is one way of browsing a section, such as supporters by region. Its
// values with no pages are left out.
type Facet struct {
	Section content.Section
	// Key is the URL segment: /supporters/<key>/<value>/.
	Key string
	// Name is what readers see: "Region".
	Name string
	// Vocab is the vocabulary the values come from, for labels.
	Vocab  string
	URL    string
	Values []*FacetValue
	// all are the values of the whole vocabulary, those with no pages
	// included, for Patch.
	all []*FacetValue
}

// FacetValue is one value of a facet and the pages that carry it.
type FacetValue struct {
	Facet *Facet
	ID    string
	Label string
	URL   string
	Pages []*Page
}

// Count is the number of pages with the value.
func (v *FacetValue) Count() int { return len(v.Pages) }

// facetDef says how to read a facet's values off a page.
type facetDef struct {
	key, name, vocab string
	values           func(*Page) []string
}

func one(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

var facetDefs = map[content.Section][]facetDef{
	content.Supporters: {
		{"region", "Region", "regions", func(p *Page) []string { return one(p.Supporter.Region) }},
		{"phase", "Phase", "phases", func(p *Page) []string { return one(p.Supporter.School.Phase) }},
		{"size", "School size", "size_bands", func(p *Page) []string {
			if p.SizeBand == nil {
				return nil
			}
			return one(p.SizeBand.ID)
		}},
		{"type", "School type", "school_types", func(p *Page) []string { return one(p.Supporter.School.Type) }},
		{"skill", "Skills", "skills", func(p *Page) []string { return p.Supporter.Skills }},
		{"availability", "Availability", "availability", func(p *Page) []string { return one(p.Supporter.Availability) }},
	},
	content.Networks: {
		{"stream", "Stream", "streams", func(p *Page) []string { return one(p.Network.Stream) }},
		{"region", "Region", "regions", func(p *Page) []string { return p.Network.Regions }},
		{"theme", "Theme", "themes", func(p *Page) []string { return p.Network.Themes }},
		{"audience", "Audience", "audiences", func(p *Page) []string { return p.Network.Audience }},
	},
}

// facets builds every facet; values keep the vocabulary's order.
func (s *Site) facets() map[content.Section][]*Facet {
	out := map[content.Section][]*Facet{}
	for _, section := range []content.Section{content.Supporters, content.Networks} {
		pages := s.Supporters
		if section == content.Networks {
			pages = s.Networks
		}
		for _, def := range facetDefs[section] {
			f := &Facet{Section: section, Key: def.key, Name: def.name, Vocab: def.vocab, URL: "/" + string(section) + "/" + def.key + "/"}
			vocab := facetVocabulary(s.Config, def.vocab)
			byID := map[string]*FacetValue{}
			for _, t := range vocab {
				v := &FacetValue{Facet: f, ID: t.ID, Label: t.Label, URL: facetPath(string(section), def.key, t.ID)}
				byID[t.ID] = v
			}
			for _, p := range pages {
				for _, id := range def.values(p) {
					if v, ok := byID[id]; ok {
						v.Pages = append(v.Pages, p)
					}
				}
			}
			for _, t := range vocab {
				f.all = append(f.all, byID[t.ID])
			}
			f.Values = nonEmpty(f.all)
			out[section] = append(out[section], f)
		}
	}
	return out
}

// nonEmpty are the values with pages, in the vocabulary's order.
func nonEmpty(all []*FacetValue) []*FacetValue {
	var out []*FacetValue
	for _, v := range all {
		if len(v.Pages) > 0 {
			out = append(out, v)
		}
	}
	return out
}
