package site

import (
	"fmt"
	"html/template"
	"strings"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/content"
)

// stateLabels name the fixed states of networks, supporters and sessions.
var stateLabels = map[string]string{
	"open":        "Open",
	"full":        "Full",
	"closed":      "Closed",
	"waitlist":    "Waiting list",
	"past":        "Past",
	"available":   "Available",
	"limited":     "Limited availability",
	"unavailable": "Not taking requests",
}

// formatLabels name network formats.
var formatLabels = map[string]string{
	"network": "Network: a facilitated group of schools",
	"triad":   "Peer-review triad: three schools reviewing one area in each other's schools",
	"cluster": "Cluster of local schools",
}

// formatNames are the short names of network formats, for a card, where
// the label's explanation is too long and the id ("triad") is jargon.
var formatNames = map[string]string{
	"network": "Network",
	"triad":   "Peer-review triad",
	"cluster": "Local cluster",
}

// Funcs are the template functions that speak the site's vocabulary.
func Funcs(cfg *config.Config) template.FuncMap {
	base := cfg.BasePath()
	links := newFacetLinks(cfg)
	return template.FuncMap{
		// absURL turns a site path into an absolute URL.
		"absURL": func(p string) string { return AbsURL(cfg.Base, base, p) },
		// navState says how a menu link relates to the page at here: "page"
		// when it is the page, "true" when the page is inside its section.
		"navState": NavState,
		// label returns the label of a vocabulary id: label "regions" "north".
		"label": func(vocab, id string) string {
			if vocab == "availability" {
				return availability.Label(id)
			}
			return cfg.Vocabularies.Vocabulary(vocab).Label(id)
		},
		"statusLabel": func(state string) string {
			if l, ok := stateLabels[state]; ok {
				return l
			}
			return state
		},
		"formatLabel": func(f string) string {
			if l, ok := formatLabels[f]; ok {
				return l
			}
			return f
		},
		"formatName": func(f string) string {
			if n, ok := formatNames[f]; ok {
				return n
			}
			return f
		},
		"sectionTitle": func(s content.Section) string { return sectionTitles[s] },
		// structuredData is the page's schema.org JSON-LD, nil if none.
		"structuredData": StructuredData,
		// facetLink is the link to a facet value's listing, to render
		// with cached by its URL; facetLinks are those of several ids, for
		// cachedEach. A page's facts and tags so cost a call or two rather
		// than facetURL and label for each.
		"facetLink":  links.link,
		"facetLinks": links.links,
	}
}

// FacetLink is a link to the listing of a facet's value: facetURL and
// label of the value in one. It depends on site.yaml alone.
type FacetLink struct {
	ID    string
	Label string
	// URL is the site path of the value's listing, without the base path.
	URL string
}

// CacheKey is the link's address, by which layouts render it once a build
// (layout.Keyed).
func (l *FacetLink) CacheKey() string { return l.URL }

// facetLinks are the links of every facet value of the vocabularies, made
// once per site.yaml, by section, facet key and value id.
type facetLinks struct {
	cfg   *config.Config
	vocab map[[2]string]string // section, key -> vocabulary
	m     map[[3]string]*FacetLink
}

func newFacetLinks(cfg *config.Config) *facetLinks {
	fl := &facetLinks{cfg: cfg, vocab: map[[2]string]string{}, m: map[[3]string]*FacetLink{}}
	for section, defs := range facetDefs {
		for _, def := range defs {
			fl.vocab[[2]string{string(section), def.key}] = def.vocab
			for _, t := range facetVocabulary(fl.cfg, def.vocab) {
				k := [3]string{string(section), def.key, t.ID}
				if fl.m[k] == nil {
					fl.m[k] = &FacetLink{ID: t.ID, Label: t.Label, URL: facetPath(string(section), def.key, t.ID)}
				}
			}
		}
	}
	return fl
}

// facetPath is the site path of the listing of value id of the section's
// facet key: the theme's facetURL without the base path.
func facetPath(section, key, id string) string {
	return "/" + section + "/" + key + "/" + id + "/"
}

// facetVocabulary is the vocabulary named name, a facet's values:
// site.yaml's, or the built-in availability.
func facetVocabulary(cfg *config.Config, name string) config.Vocabulary {
	if name == "availability" {
		return availability
	}
	return cfg.Vocabularies.Vocabulary(name)
}

// link is the link of value id of the section's facet key. An id not in
// the vocabulary is its own label, as label has it.
func (fl *facetLinks) link(section, key, id string) (*FacetLink, error) {
	if l := fl.m[[3]string{section, key, id}]; l != nil {
		return l, nil
	}
	vocab, ok := fl.vocab[[2]string{section, key}]
	if !ok {
		return nil, fmt.Errorf("facetLink: %s have no facet %q", section, key)
	}
	return &FacetLink{ID: id, Label: facetVocabulary(fl.cfg, vocab).Label(id), URL: facetPath(section, key, id)}, nil
}

// links are the links of values ids of the section's facet key.
func (fl *facetLinks) links(section, key string, ids []string) ([]*FacetLink, error) {
	out := make([]*FacetLink, len(ids))
	for i, id := range ids {
		l, err := fl.link(section, key, id)
		if err != nil {
			return nil, err
		}
		out[i] = l
	}
	return out, nil
}

// Anchor is the session's id as an HTML id: session-<course>-<date>.
func (s *Session) Anchor() string {
	return "session-" + strings.ReplaceAll(s.ID, "/", "-")
}
