package site

import (
	"strings"
	"time"
)

// schemaOrg prefixes schema.org enumeration members.
const schemaOrg = "https://schema.org/"

// SessionURL is the absolute URL of a session's row on its course's page.
func (s *Site) SessionURL(x *Session) string {
	return s.Abs(x.Course.URL) + "#" + x.Anchor()
}

// StructuredData is the schema.org JSON-LD of a page, nil when there is
// none: the Organization running the programme on the home page, a
// BreadcrumbList where the page has breadcrumbs, and an Event for each
// upcoming session of a course. A layout puts it in a
// <script type="application/ld+json"> element, where html/template writes it
// as JSON with "<" escaped, so no content can close the element.
func StructuredData(v *View) map[string]any {
	s := v.Site
	var graph []any
	if v.Kind == "home" {
		graph = append(graph, s.Organization())
	}
	if len(v.Breadcrumbs) > 0 {
		var items []any
		for i, c := range v.Breadcrumbs {
			items = append(items, map[string]any{"@type": "ListItem", "position": i + 1, "name": c.Title, "item": s.Abs(c.URL)})
		}
		items = append(items, map[string]any{"@type": "ListItem", "position": len(v.Breadcrumbs) + 1, "name": v.Title, "item": s.Abs(v.URL)})
		graph = append(graph, map[string]any{"@type": "BreadcrumbList", "itemListElement": items})
	}
	if v.Kind == "course" && v.Page != nil {
		for _, x := range v.Page.UpcomingSessions() {
			graph = append(graph, s.Event(x))
		}
	}
	if len(graph) == 0 {
		return nil
	}
	return map[string]any{"@context": "https://schema.org", "@graph": graph}
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
