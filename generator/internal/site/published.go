package site

import (
	"strings"

	"peerpress/generator/internal/content"
)

// CalendarURL is the site path of the session's own iCalendar file, beside
// its course's page: /training/<course>/<date>.ics.
func (s *Session) CalendarURL() string { return "/" + string(content.Training) + "/" + s.ID + ".ics" }

// LocationText is where the session happens as one line: "Online", or the
// place's name and address.
func (s *Session) LocationText() string {
	if s.Location.Online {
		return "Online"
	}
	var parts []string
	for _, p := range []string{s.Location.Name, s.Location.Address} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// CalendarURL is the site path of the iCalendar feed of every upcoming
// session of a network's courses, or of the whole programme on the training
// listing's page.
func (p *Page) CalendarURL() string { return p.URL + "calendar.ics" }

// Abs turns a site path into an absolute URL under the site's base URL.
func (s *Site) Abs(path string) string {
	u := *s.Config.Base
	u.Path = s.Config.BasePath() + strings.TrimPrefix(path, "/")
	return u.String()
}
