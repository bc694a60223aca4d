package site

import (
	"encoding/json"
	"html/template"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// schemaOrg prefixes schema.org enumeration members.
const schemaOrg = "https://schema.org/"

// SessionURL is the absolute URL of a session's row on its course's page.
func (s *Site) SessionURL(x *Session) string {
	return s.Abs(x.Course.URL) + "#" + x.Anchor()
}

// StructuredData is the schema.org JSON-LD of a page, empty when there is
// none: the Organization running the programme on the home page, a
// BreadcrumbList where the page has breadcrumbs, and an Event for each
// upcoming session of a course. A layout puts it in a
// <script type="application/ld+json"> element. It is the JSON encoding/json
// writes, so "<", ">" and "&" are escaped and no content can close the
// element; a BreadcrumbList, which nearly every page has, is written
// directly rather than through maps and reflection, as that made up a tenth
// of rendering a page.
func StructuredData(v *View) template.JS {
	s := v.Site
	b := make([]byte, 0, 512)
	b = append(b, `{"@context":"https://schema.org","@graph":[`...)
	empty := len(b)
	node := func(n map[string]any) {
		if len(b) > empty {
			b = append(b, ',')
		}
		j, _ := json.Marshal(n) // maps of strings and numbers cannot fail
		b = append(b, j...)
	}
	if v.Kind == "home" {
		node(s.Organization())
	}
	if len(v.Breadcrumbs) > 0 {
		if len(b) > empty {
			b = append(b, ',')
		}
		b = s.appendBreadcrumbList(b, v)
	}
	if v.Kind == "course" && v.Page != nil {
		for _, x := range v.Page.UpcomingSessions() {
			node(s.Event(x))
		}
	}
	if len(b) == empty {
		return ""
	}
	return template.JS(append(b, "]}"...))
}

// appendBreadcrumbList appends the BreadcrumbList of v's breadcrumbs and v
// itself, as json.Marshal would write it as a map (keys sorted).
func (s *Site) appendBreadcrumbList(b []byte, v *View) []byte {
	b = append(b, `{"@type":"BreadcrumbList","itemListElement":[`...)
	item := func(i int, name, url string) {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"@type":"ListItem","item":`...)
		b = appendJSONString(b, s.Abs(url))
		b = append(b, `,"name":`...)
		b = appendJSONString(b, name)
		b = append(b, `,"position":`...)
		b = strconv.AppendInt(b, int64(i+1), 10)
		b = append(b, '}')
	}
	for i, c := range v.Breadcrumbs {
		item(i, c.Title, c.URL)
	}
	item(len(v.Breadcrumbs), v.Title, v.URL)
	return append(b, "]}"...)
}

// appendJSONString appends s as a JSON string exactly as encoding/json
// writes it: "<", ">" and "&" escaped for HTML, control characters, U+2028
// and U+2029 escaped, and invalid UTF-8 replaced by U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// Organization describes who runs the programme.
func (s *Site) Organization() map[string]any {
	name := s.Config.Organisation
	if name == "" {
		name = s.Config.Title
	}
	org := map[string]any{"@type": "Organization", "@id": s.Abs("/") + "#organization", "name": name, "url": s.Abs("/")}
	c := s.Config.Contact
	if c.Email != "" || c.Phone != "" {
		point := map[string]any{"@type": "ContactPoint", "contactType": c.Name}
		if c.Name == "" {
			point["contactType"] = "enquiries"
		}
		if c.Email != "" {
			point["email"] = c.Email
		}
		if c.Phone != "" {
			point["telephone"] = c.Phone
		}
		org["contactPoint"] = point
	}
	return org
}

// availabilityOf maps a session's booking state to a schema.org
// ItemAvailability: a waiting list still takes requests, though no place is
// promised.
var availabilityOf = map[string]string{
	"open":     "InStock",
	"waitlist": "LimitedAvailability",
	"closed":   "SoldOut",
	"past":     "SoldOut",
}

// Event describes a session as a schema.org Event.
func (s *Site) Event(x *Session) map[string]any {
	url := s.SessionURL(x)
	e := map[string]any{
		"@type":       "Event",
		"name":        x.Course.Title,
		"description": x.Course.Summary,
		"url":         url,
		"startDate":   x.Start.Format(time.RFC3339),
		"eventStatus": schemaOrg + "EventScheduled",
		"organizer":   map[string]any{"@id": s.Abs("/") + "#organization", "@type": "Organization", "name": s.Organization()["name"], "url": s.Abs("/")},
	}
	if !x.End.IsZero() {
		e["endDate"] = x.End.Format(time.RFC3339)
	}
	if x.Location.Online {
		e["eventAttendanceMode"] = schemaOrg + "OnlineEventAttendanceMode"
		e["location"] = map[string]any{"@type": "VirtualLocation", "url": url}
	} else {
		e["eventAttendanceMode"] = schemaOrg + "OfflineEventAttendanceMode"
		place := map[string]any{"@type": "Place", "name": x.LocationText()}
		if x.Location.Name != "" {
			place["name"] = x.Location.Name
		}
		if x.Location.Address != "" {
			place["address"] = map[string]any{"@type": "PostalAddress", "streetAddress": x.Location.Address}
		}
		e["location"] = place
	}
	if x.Capacity > 0 {
		e["maximumAttendeeCapacity"] = x.Capacity
	}
	offer := map[string]any{"@type": "Offer", "url": url, "availability": schemaOrg + availabilityOf[x.State]}
	if strings.EqualFold(strings.TrimSpace(x.Course.Course.Cost), "free") {
		offer["price"] = 0
		offer["priceCurrency"] = "GBP"
	}
	if !x.BookingCloses.IsZero() {
		offer["validThrough"] = x.BookingCloses.String()
	}
	e["offers"] = offer
	return e
}
