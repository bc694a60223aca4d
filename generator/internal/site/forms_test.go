package site

import (
	"context"
	"strings"
	"testing"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/formspec"
	"peerpress/generator/internal/markdown"
)

// bookingConfig adds a booking form, with a hint and a choice, to the test
// site.yaml.
const bookingConfig = testConfig + `
contact:
  email: hub@example.org
forms:
  endpoint: ""
  definitions:
    - name: book-training
      title: Book a place
      submit: Book a place
      consent: Your answers go to the coordinator.
      thank_you:
        title: Thank you
        text: We will reply.
      fields:
        - name: session
          label: Session
          type: hidden
          from: open-sessions
        - name: name
          label: Your name
          type: text
          required: true
          help: As it should appear on the register.
        - name: region
          label: Your area
          type: choice
          from: regions
`

// TestBookingFormHTML checks that the booking form made once with
// stand-ins is, for every session, what formspec.Render makes for it.
func TestBookingFormHTML(t *testing.T) {
	cfg, diags := config.Parse([]byte(bookingConfig))
	if err := diags.Err(); err != nil {
		t.Fatalf("config.Parse: %v", err)
	}
	pages := parsePages(t, cfg, map[string]string{
		"content/training/a.md":      course("A", "2027-03-01 09:30", "2027-03-01 14:00", "2027-01-10 09:30"),
		"content/training/b-b.md":    course("B", "2027-02-01 09:30"),
		"content/training/past.md":   course("P", "2025-01-01 09:30"),
		"content/supporters/jo.md":   supporter("Jo Evans"),
		"content/networks/rural.md":  network("Rural"),
		"content/training/c_odd.md":  course("C", "2027-04-01 09:30"),
		"content/training/d.d.md":    course("D", "2027-05-01 09:30"),
		"content/training/closed.md": fm("", "title: Closed", "sessions:", `  - start: "2027-06-01 09:30"`, "    booking: closed"),
	})
	md := markdown.New(markdown.Options{BasePath: cfg.BasePath()})
	s, err := New(context.Background(), pages, cfg, md, Options{Now: at(t, "2026-11-22 00:00")})
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.FormManifest()
	if err != nil {
		t.Fatal(err)
	}
	f := m.Form(BookingForm)
	n := 0
	for _, ss := range s.Sessions {
		got, err := s.BookingFormHTML(ss)
		if err != nil {
			t.Fatalf("BookingFormHTML(%s): %v", ss.ID, err)
		}
		var want = got
		if s.BookingOnline(ss) {
			n++
			want, err = formspec.Render(formspec.View{Form: f, Prefix: ss.Anchor() + "-", Fixed: map[string]string{f.BookingField().Name: ss.ID}})
			if err != nil {
				t.Fatal(err)
			}
		} else if got != "" {
			t.Errorf("BookingFormHTML(%s) = %q, want none", ss.ID, got)
		}
		if got != want {
			t.Errorf("BookingFormHTML(%s) =\n%s\nwant\n%s", ss.ID, got, want)
		}
	}
	if n < 5 {
		t.Errorf("%d bookable sessions, want at least 5", n)
	}
}

func TestAttrSafe(t *testing.T) {
	for s, want := range map[string]bool{"session-a-2027-01-10-": true, "a/2027-01-10-0930": true, "a b": false, "a+b": false, `a"b`: false, "é": false, "a&b": false} {
		if got := attrSafe(s); got != want {
			t.Errorf("attrSafe(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestPlacesURL checks where the tables of dates read the places left:
// beside the booking form's address when it is the site's own form server,
// nowhere when bookings go to a third party or the site takes none.
func TestPlacesURL(t *testing.T) {
	for _, tt := range []struct{ name, endpoint, want string }{
		{"own server, same origin", `""`, "/peer/forms/places.json"}, // under the base path
		{"own server elsewhere", "https://forms.example.org", "https://forms.example.org/forms/places.json"},
		{"third party", "https://formspree.example/f/{form}", ""},
	} {
		cfg, diags := config.Parse([]byte(strings.Replace(bookingConfig, `endpoint: ""`, "endpoint: "+tt.endpoint, 1)))
		if err := diags.Err(); err != nil {
			t.Fatalf("%s: config.Parse: %v", tt.name, err)
		}
		s := &Site{Config: cfg}
		if got := s.PlacesURL(); got != tt.want {
			t.Errorf("%s: PlacesURL() = %q, want %q", tt.name, got, tt.want)
		}
	}
	cfg, diags := config.Parse([]byte(testConfig))
	if err := diags.Err(); err != nil {
		t.Fatal(err)
	}
	if got := (&Site{Config: cfg}).PlacesURL(); got != "" {
		t.Errorf("without forms: PlacesURL() = %q, want none", got)
	}
}
