// Package feeds writes the files other programs read from a built site: an
// iCalendar file per training session, a calendar of all upcoming sessions
// and one per network, and Atom feeds of news and of training dates.
package feeds

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"peerpress/generator/internal/ics"
	"peerpress/generator/internal/site"
)

// File is one output, relative to public/.
type File struct {
	Path string
	Body []byte
}

// ProdID names Peerpress as the writer of its calendars.
const ProdID = "-//Peerpress//Peerpress//EN"

// Paths of the site-wide feeds and calendars.
const (
	TrainingCalendar = "/training/calendar.ics"
	TrainingFeed     = "/training/feed.xml"
	NewsFeed         = "/news/feed.xml"
)

// NewsFeedPosts is how many of the newest posts the news feed holds: feed
// readers fetch it again and again, and years of posts in full would make
// it megabytes (2,000 posts: 19 MB).
const NewsFeedPosts = 50

// Calendars returns every session's own .ics, the calendar of all upcoming
// sessions, and a calendar of each network's upcoming sessions (for the
// networks that have courses).
func Calendars(s *site.Site) []File {
	var files []File
	for _, x := range s.Sessions {
		c := calendar(s, x.Course.Title, []*site.Session{x})
		files = append(files, File{Path: strings.TrimPrefix(x.CalendarURL(), "/"), Body: c.Encode()})
	}
	all := calendar(s, "Training – "+s.Config.Title, s.UpcomingSessions(0))
	files = append(files, File{Path: strings.TrimPrefix(TrainingCalendar, "/"), Body: all.Encode()})
	for _, n := range s.Networks {
		if len(n.Courses) == 0 {
			continue
		}
		var sessions []*site.Session
		for _, x := range s.UpcomingSessions(0) {
			for _, c := range n.Courses {
				if x.Course == c {
					sessions = append(sessions, x)
				}
			}
		}
		c := calendar(s, "Training – "+n.Title, sessions)
		files = append(files, File{Path: strings.TrimPrefix(n.CalendarURL(), "/"), Body: c.Encode()})
	}
	return files
}

func calendar(s *site.Site, name string, sessions []*site.Session) *ics.Calendar {
	c := &ics.Calendar{ProdID: ProdID, Name: name, Stamp: s.Now}
	for _, x := range sessions {
		c.Events = append(c.Events, Event(s, x))
	}
	return c
}

// Event is a session as an iCalendar event. Its UID is the session's id at
// the site's host, which stays the same from build to build.
func Event(s *site.Site, x *site.Session) ics.Event {
	var desc strings.Builder
	desc.WriteString(x.Course.Summary)
	desc.WriteString("\n\n" + booking(s, x))
	url := s.SessionURL(x)
	fmt.Fprintf(&desc, "\n%s", url)
	return ics.Event{
		UID:         x.ID + "@" + s.Config.Base.Hostname(),
		Start:       x.Start,
		End:         x.End,
		Summary:     x.Course.Title,
		Description: desc.String(),
		Location:    x.LocationText(),
		URL:         url,
	}
}

// booking says whether and until when a session can be booked, and how
// many places it has.
func booking(s *site.Site, x *site.Session) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Booking: %s.", stateText(x.State))
	if x.Capacity > 0 {
		fmt.Fprintf(&b, " %d places.", x.Capacity)
	}
	if !x.BookingCloses.IsZero() && x.Bookable() {
		fmt.Fprintf(&b, " Booking closes %s.", x.BookingCloses.In(s.Config.Location).Format("2 January 2006"))
	}
	return b.String()
}

// when is a session's start as people read it: "Thu 18 Mar 2027, 9:30am".
func when(x *site.Session) string {
	if x.Start.Minute() == 0 {
		return x.Start.Format("Mon 2 Jan 2006, 3pm")
	}
	return x.Start.Format("Mon 2 Jan 2006, 3:04pm")
}

func stateText(state string) string {
	switch state {
	case "open":
		return "open"
	case "waitlist":
		return "waiting list only"
	case "closed":
		return "closed"
	}
	return "this session has taken place"
}

// Atom 1.0 (RFC 4287) elements.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr,omitempty"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Gen     string      `xml:"generator"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Updated   string      `xml:"updated"`
	Published string      `xml:"published,omitempty"`
	Author    *atomPerson `xml:"author,omitempty"`
	Links     []atomLink  `xml:"link"`
	Summary   string      `xml:"summary,omitempty"`
	Content   *atomText   `xml:"content,omitempty"`
}

// Atom returns the Atom feeds of news and of upcoming training dates.
func Atom(s *site.Site) ([]File, error) {
	author := atomPerson{Name: s.Config.Organisation}
	if author.Name == "" {
		author.Name = s.Config.Title
	}
	stamp := func(t time.Time) string { return t.In(s.Config.Location).Format(time.RFC3339) }

	news := atomFeed{Lang: s.Config.Language, ID: s.Abs("/news/"), Title: "News – " + s.Config.Title, Author: author, Gen: "Peerpress",
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: s.Abs(NewsFeed)}, {Rel: "alternate", Type: "text/html", Href: s.Abs("/news/")}}}
	latest := time.Time{}
	for _, p := range s.LatestNews(NewsFeedPosts) {
		t := p.Date.In(s.Config.Location)
		if t.After(latest) {
			latest = t
		}
		e := atomEntry{ID: s.Abs(p.URL), Title: p.Title, Updated: stamp(t), Published: stamp(t),
			Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: s.Abs(p.URL)}}, Summary: p.Summary,
			Content: &atomText{Type: "html", Body: absLinks(s, string(p.Content))}}
		if p.Article.Author != "" {
			e.Author = &atomPerson{Name: p.Article.Author}
		}
		news.Entries = append(news.Entries, e)
	}
	if latest.IsZero() {
		latest = s.Now
	}
	news.Updated = stamp(latest)

	// Sessions have no date of their own to say when they last changed, so
	// their entries carry the build date: identical input and build date
	// still give identical files.
	training := atomFeed{Lang: s.Config.Language, ID: s.Abs("/training/"), Title: "Training dates – " + s.Config.Title, Author: author, Gen: "Peerpress",
		Updated: stamp(s.Now),
		Links:   []atomLink{{Rel: "self", Type: "application/atom+xml", Href: s.Abs(TrainingFeed)}, {Rel: "alternate", Type: "text/html", Href: s.Abs("/training/")}}}
	for _, x := range s.UpcomingSessions(0) {
		training.Entries = append(training.Entries, atomEntry{
			ID: s.SessionURL(x), Title: fmt.Sprintf("%s: %s", x.Course.Title, when(x)), Updated: stamp(s.Now),
			Links: []atomLink{
				{Rel: "alternate", Type: "text/html", Href: s.SessionURL(x)},
				{Rel: "related", Type: "text/calendar", Href: s.Abs(x.CalendarURL())},
			},
			Summary: fmt.Sprintf("%s, %s. %s %s", when(x), x.LocationText(), booking(s, x), x.Course.Summary),
		})
	}

	var files []File
	for _, f := range []struct {
		path string
		feed atomFeed
	}{{NewsFeed, news}, {TrainingFeed, training}} {
		var buf bytes.Buffer
		buf.WriteString(xml.Header)
		enc := xml.NewEncoder(&buf)
		enc.Indent("", " ")
		if err := enc.Encode(f.feed); err != nil {
			return nil, fmt.Errorf("atom %s: %w", f.path, err)
		}
		buf.WriteByte('\n')
		files = append(files, File{Path: strings.TrimPrefix(f.path, "/"), Body: buf.Bytes()})
	}
	return files, nil
}

// absLinks makes the site-relative links of rendered HTML absolute, since a
// feed reader has no page to resolve them against (Atom's xml:base is not
// honoured by every reader).
func absLinks(s *site.Site, html string) string {
	root := s.Abs("/")
	base := s.Config.BasePath()
	var b strings.Builder
	for {
		i := strings.Index(html, `="`+base)
		if i < 0 {
			break
		}
		at := i + 2 + len(base)
		attr := html[max(0, i-4):i]
		if (attr == "href" || strings.HasSuffix(attr, "src")) && !strings.HasPrefix(html[at:], "/") {
			b.WriteString(html[:i+2])
			b.WriteString(root)
		} else {
			b.WriteString(html[:at])
		}
		html = html[at:]
	}
	b.WriteString(html)
	return b.String()
}
