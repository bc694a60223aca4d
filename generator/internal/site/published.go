package site

import (
	"net/url"
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
func (s *Site) Abs(path string) string { return AbsURL(s.Config.Base, s.Config.BasePath(), path) }

// AbsURL turns a site path into an absolute URL under base, whose path is
// basePath. It is what url.URL.String gives, without building a URL where
// nothing needs escaping, as with the site's own paths: pages link dozens
// of absolute URLs, in their head and structured data.
func AbsURL(base *url.URL, basePath, path string) string {
	p := basePath + strings.TrimPrefix(path, "/")
	if base.Scheme == "" || base.Opaque != "" || base.User != nil || base.RawQuery != "" || base.ForceQuery ||
		base.Fragment != "" || base.OmitHost || !plainURLPart(base.Host) || !plainURLPart(p) || !strings.HasPrefix(p, "/") {
		u := *base
		u.Path = p
		return u.String()
	}
	return base.Scheme + "://" + base.Host + p
}

// plainURLPart reports whether s has only characters url.URL.String writes
// as they are in a host or a path.
func plainURLPart(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~/:", c) >= 0) {
			return false
		}
	}
	return true
}
