package site

import (
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

// Funcs are the template functions that speak the site's vocabulary.
func Funcs(cfg *config.Config) template.FuncMap {
	base := cfg.BasePath()
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
		"sectionTitle": func(s content.Section) string { return sectionTitles[s] },
		// structuredData is the page's schema.org JSON-LD, nil if none.
		"structuredData": StructuredData,
	}
}

// Anchor is the session's id as an HTML id: session-<course>-<date>.
func (s *Session) Anchor() string {
	return "session-" + strings.ReplaceAll(s.ID, "/", "-")
}
