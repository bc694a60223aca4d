package site

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"html/template"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"time"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/formspec"
)

// The forms the default theme links to.
const (
	RequestForm = "request-support"
	BookingForm = "book-training"
)

// FormManifest resolves the site's forms against its content: the
// supporters that can be requested and the sessions open for booking. It is
// made once per site; pages of every session and form share it.
func (s *Site) FormManifest() (*formspec.Manifest, error) {
	s.manifestOnce.Do(func() { s.manifest, s.manifestErr = s.formManifest() })
	return s.manifest, s.manifestErr
}

func (s *Site) formManifest() (*formspec.Manifest, error) {
	var src formspec.Sources
	for _, p := range s.Supporters {
		if p.Supporter.Availability != "unavailable" {
			src.Supporters = append(src.Supporters, formspec.Option{Value: p.Slug, Label: p.Title, Hint: p.Supporter.School.Name})
		}
	}
	for _, ss := range s.Sessions {
		if !ss.Bookable() {
			continue
		}
		start := ss.Start.In(s.Config.Location)
		label := fmt.Sprintf("%s, %s", ss.Course.Title, start.Format("Mon 2 Jan 2006, 15:04"))
		ms := formspec.Session{ID: ss.ID, Course: ss.Course.Slug, Label: label, Title: ss.Course.Title,
			Start: start.Format(time.RFC3339), Capacity: ss.Capacity, State: ss.State}
		if !ss.BookingCloses.IsZero() {
			ms.Closes = ss.BookingCloses.String()
		}
		src.Sessions = append(src.Sessions, ms)
	}
	return formspec.Build(s.Config, src)
}

// FormsOn reports whether the site publishes its forms (site.yaml forms:
// with definitions and an endpoint other than none).
func (s *Site) FormsOn() bool { return s.Config.Forms.Enabled() }

// RequestURL is the site path of the request form with supporter p chosen,
// or "" when the site has no such form.
func (s *Site) RequestURL(p *Page) string {
	f := s.Config.Forms.Lookup(RequestForm)
	if !s.FormsOn() || f == nil {
		return ""
	}
	for _, fl := range f.Fields {
		if fl.From == config.FromSupporters {
			return "/forms/" + RequestForm + "/?" + url.Values{fl.Name: {p.Slug}}.Encode()
		}
	}
	return "/forms/" + RequestForm + "/"
}

// BookingOnline reports whether a session can be booked through the site's
// booking form (rather than by e-mail): the cheap test behind the "book a
// place" links of session tables.
func (s *Site) BookingOnline(ss *Session) bool {
	return ss.Bookable() && s.bookingForm() != nil
}

// bookingForm is the site's booking form, or nil when it has none that
// books sessions: the form books one only if one of its fields names it.
func (s *Site) bookingForm() *config.Form {
	f := s.Config.Forms.Lookup(BookingForm)
	if !s.FormsOn() || f == nil || !slices.ContainsFunc(f.Fields, func(fl config.Field) bool { return fl.From == config.FromOpenSessions }) {
		return nil
	}
	return f
}

// PlacesURL is where the site's own form server says how many places each
// session has left (forms/places.json beside the booking form's address),
// for the tables of dates to show; "" when the site takes no bookings
// online or sends them to a third-party endpoint, which has no such file.
func (s *Site) PlacesURL() string {
	f := s.bookingForm()
	if f == nil {
		return ""
	}
	action, external := formspec.Action(s.Config, f)
	if external {
		return ""
	}
	return strings.TrimSuffix(action, BookingForm) + "places.json"
}

// BookingFormHTML is the "book a place" form of one session: the booking
// form with the session sent as a hidden value. It is empty when the site
// has no booking form or the session takes no bookings.
func (s *Site) BookingFormHTML(ss *Session) (template.HTML, error) {
	if !s.BookingOnline(ss) {
		return "", nil
	}
	m, err := s.FormManifest()
	if err != nil {
		return "", err
	}
	prefix := ss.Anchor() + "-"
	if attrSafe(prefix) && attrSafe(ss.ID) {
		bt, err := s.bookingTemplate(m)
		if err != nil {
			return "", err
		}
		return bt.fill(prefix, ss.ID), nil
	}
	f := m.Form(BookingForm)
	bf := f.BookingField()
	return formspec.Render(formspec.View{Form: f, Prefix: prefix, Fixed: map[string]string{bf.Name: ss.ID}})
}

// bookingForm is the booking form rendered once with stand-ins for the
// session's id prefix and value, which BookingFormHTML replaces: every
// session's form is otherwise the same, and rendering it through
// formspec.Render for each one was a tenth of executing the course pages.
type bookingForm struct {
	manifest *formspec.Manifest // it was rendered from
	// parts are the rendering split at the stand-ins; kinds says which
	// stand-in followed each part but the last (true: the value).
	parts []string
	kinds []bool
}

// bookingTemplate returns the booking form of manifest m with stand-ins,
// made once per manifest (Patch makes a new one when the forms change).
func (s *Site) bookingTemplate(m *formspec.Manifest) (*bookingForm, error) {
	if bt := s.booking.Load(); bt != nil && bt.manifest == m {
		return bt, nil
	}
	// Stand-ins are letters and digits, which no escaper changes, and
	// random, so that no label or hint of the form can contain one.
	nonce := hex.EncodeToString(binary.LittleEndian.AppendUint64(nil, rand.Uint64()))
	prefixToken, valueToken := "ppbookingprefix"+nonce, "ppbookingvalue"+nonce
	f := m.Form(BookingForm)
	bf := f.BookingField()
	h, err := formspec.Render(formspec.View{Form: f, Prefix: prefixToken, Fixed: map[string]string{bf.Name: valueToken}})
	if err != nil {
		return nil, err
	}
	bt := &bookingForm{manifest: m}
	rest := string(h)
	for {
		p, v := strings.Index(rest, prefixToken), strings.Index(rest, valueToken)
		switch {
		case p < 0 && v < 0:
			bt.parts = append(bt.parts, rest)
			s.booking.Store(bt)
			return bt, nil
		case v < 0 || (p >= 0 && p < v):
			bt.parts, bt.kinds = append(bt.parts, rest[:p]), append(bt.kinds, false)
			rest = rest[p+len(prefixToken):]
		default:
			bt.parts, bt.kinds = append(bt.parts, rest[:v]), append(bt.kinds, true)
			rest = rest[v+len(valueToken):]
		}
	}
}

// fill is the booking form with the stand-ins replaced.
func (bt *bookingForm) fill(prefix, value string) template.HTML {
	n := 0
	for _, p := range bt.parts {
		n += len(p)
	}
	var b strings.Builder
	b.Grow(n + len(bt.kinds)*max(len(prefix), len(value)))
	for i, p := range bt.parts {
		b.WriteString(p)
		if i < len(bt.kinds) {
			if bt.kinds[i] {
				b.WriteString(value)
			} else {
				b.WriteString(prefix)
			}
		}
	}
	return template.HTML(b.String())
}

// attrSafe reports whether html/template writes s in an attribute value or
// text as it is: its escapers leave letters, digits and "-_./:" alone.
func attrSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_./:", c) >= 0) {
			return false
		}
	}
	return true
}

// FormHTML is the form of a form page, ready for the page's script to
// prefill from the query string.
func (v *View) FormHTML() (template.HTML, error) {
	if v.Form == nil {
		return "", nil
	}
	fv := formspec.View{Form: v.Form, Prefill: true}
	if v.Form.Eligibility {
		m, err := v.Site.FormManifest()
		if err != nil {
			return "", err
		}
		fv.Criteria = m.Rules
	}
	return formspec.Render(fv)
}

// formOutputs are the page and thank-you page of every form.
func (s *Site) formOutputs(add func(layout string, v *View)) {
	if !s.FormsOn() {
		return
	}
	m, err := s.FormManifest()
	if err != nil {
		return // the build reports it when it writes the manifest
	}
	home := Crumb{"Home", "/"}
	for i := range m.Forms {
		f := &m.Forms[i]
		add("form", &View{Kind: "form", Title: f.Title, Description: firstLine(f.Intro), URL: f.URL, Breadcrumbs: []Crumb{home}, Form: f})
		add("form-thanks", &View{Kind: "form-thanks", Title: f.ThanksTitle, URL: f.ThanksURL, Breadcrumbs: []Crumb{home, {f.Title, f.URL}}, Form: f, NoIndex: true})
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
