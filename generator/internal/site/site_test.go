package site

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/London on hosts without a zoneinfo database

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/content"
	"peerpress/generator/internal/markdown"
)

// testConfig is the site.yaml of every test site: two per listing page, so
// three items make two pages.
const testConfig = `
title: Test Peer Support
description: A test site.
base_url: https://example.org/peer/
timezone: Europe/London
paginate: 2
vocabularies:
  streams:
    rural: Rural schools
    secondary: Secondary leadership
  regions:
    north: North
    south: South
    east: East
  themes:
    wellbeing: Wellbeing
    curriculum: Curriculum
  audiences:
    heads: Headteachers
    governors: Governors
  school_types:
    academy: Academy
    maintained: Maintained
  phases:
    primary: Primary
    secondary: Secondary
  skills:
    coaching: Coaching
    finance: Finance
    send: SEND
  size_bands:
    - id: small
      label: Small
      max: 150
    - id: medium
      label: Medium
      max: 400
    - id: large
      label: Large
`

func testCfg(t *testing.T) *config.Config {
	t.Helper()
	cfg, diags := config.Parse([]byte(testConfig))
	if err := diags.Err(); err != nil {
		t.Fatalf("config.Parse: %v", err)
	}
	return cfg
}

// london is the test sites' time zone.
func london(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// at is a wall-clock time in London: at(t, "2026-11-22 09:30").
func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, london(t))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// parsePages parses files (path from the site root -> text) in path order,
// failing on any problem in a file: a test site is meant to be valid.
func parsePages(t *testing.T, cfg *config.Config, files map[string]string) []*content.Page {
	t.Helper()
	var pages []*content.Page
	for _, name := range slices.Sorted(maps.Keys(files)) {
		p := content.Parse(name, []byte(files[name]), cfg)
		if err := p.Diags.Err(); err != nil {
			t.Fatalf("content.Parse(%q): %v", name, err)
		}
		pages = append(pages, p)
	}
	return pages
}

// build assembles a test site from files at now.
func build(t *testing.T, now time.Time, files map[string]string) *Site {
	t.Helper()
	return buildWith(t, Options{Now: now}, files)
}

func buildWith(t *testing.T, opts Options, files map[string]string) *Site {
	t.Helper()
	cfg := testCfg(t)
	pages := parsePages(t, cfg, files)
	md := markdown.New(markdown.Options{BasePath: cfg.BasePath(), UnsafeHTML: cfg.Markdown.UnsafeHTML})
	s, err := New(context.Background(), pages, cfg, md, opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// fm writes a content file: front matter lines, then a body.
func fm(body string, lines ...string) string {
	return "---\n" + strings.Join(lines, "\n") + "\n---\n" + body
}

// supporter is a supporter's file with the required fields and extra ones.
func supporter(name string, extra ...string) string {
	return fm("Profile of "+name+".\n", append([]string{
		"name: " + name,
		"role: Headteacher",
		"school:",
		"  name: Test School",
		"region: north",
	}, extra...)...)
}

// course is a course's file with one session per start.
func course(title string, starts ...string) string {
	lines := []string{"title: " + title, "sessions:"}
	for _, s := range starts {
		lines = append(lines, fmt.Sprintf("  - start: %q", s))
	}
	return fm("About the course.\n", lines...)
}

func network(title string, extra ...string) string {
	return fm("About the network.\n", append([]string{"title: " + title, "stream: rural"}, extra...)...)
}

func testimonial(quote string, extra ...string) string {
	return fm("", append([]string{"quote: " + quote, "attribution: A head"}, extra...)...)
}

func slugs(pages []*Page) []string {
	out := []string{}
	for _, p := range pages {
		out = append(out, p.Slug)
	}
	return out
}

func sessionIDs(ss []*Session) []string {
	out := []string{}
	for _, s := range ss {
		out = append(out, s.ID)
	}
	return out
}

func TestYearsHeadship(t *testing.T) {
	tests := []struct {
		name  string
		since string // headship_since, "" for none
		now   time.Time
		want  int
	}{
		{"day before the anniversary", "2016-09-01", at(t, "2026-08-31 12:00"), 9},
		{"day of the anniversary", "2016-09-01", at(t, "2026-09-01 00:00"), 10},
		{"day after the anniversary", "2016-09-01", at(t, "2026-09-02 00:00"), 10},
		{"late evening UTC is the next day in London", "2016-09-01", time.Date(2026, 8, 31, 23, 30, 0, 0, time.UTC), 10},
		{"first year", "2026-01-05", at(t, "2026-11-22 00:00"), 0},
		{"starts after the build date", "2027-09-01", at(t, "2026-11-22 00:00"), 0},
		{"leap day, 28 February after", "2020-02-29", at(t, "2021-02-28 00:00"), 0},
		{"leap day, 1 March after", "2020-02-29", at(t, "2021-03-01 00:00"), 1},
		{"not given", "", at(t, "2026-11-22 00:00"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var extra []string
			if tt.since != "" {
				extra = append(extra, "headship_since: "+tt.since)
			}
			s := build(t, tt.now, map[string]string{"content/supporters/jo-evans.md": supporter("Jo Evans", extra...)})
			if got := s.Supporters[0].YearsHeadship; got != tt.want {
				t.Errorf("YearsHeadship(%q at %s) = %d, want %d", tt.since, tt.now, got, tt.want)
			}
		})
	}
}

func TestSizeBand(t *testing.T) {
	tests := []struct {
		pupils string // "" for not given
		want   string // band id, "" for none
	}{
		{"1", "small"},
		{"149", "small"},
		{"150", "small"},
		{"151", "medium"},
		{"400", "medium"},
		{"401", "large"},
		{"1000", "large"},
		{"100000", "large"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run("pupils="+tt.pupils, func(t *testing.T) {
			var extra []string
			if tt.pupils != "" {
				extra = append(extra, "  pupils: "+tt.pupils)
			}
			// The pupils line must sit under school:, so the file is written
			// out here rather than with supporter().
			src := fm("", append([]string{"name: Jo Evans", "role: Headteacher", "school:", "  name: Test School"}, append(extra, "region: north")...)...)
			s := build(t, at(t, "2026-11-22 00:00"), map[string]string{"content/supporters/jo-evans.md": src})
			got := ""
			if b := s.Supporters[0].SizeBand; b != nil {
				got = b.ID
			}
			if got != tt.want {
				t.Errorf("SizeBand(%s) = %q, want %q", tt.pupils, got, tt.want)
			}
		})
	}
}

func TestSessionState(t *testing.T) {
	now := at(t, "2026-11-22 00:00")
	tests := []struct {
		name     string
		session  []string
		want     string
		bookable bool
	}{
		{"started yesterday", []string{`start: "2026-11-21 09:30"`}, "past", false},
		{"started a minute before the build time", []string{`start: "2026-11-21 23:59"`}, "past", false},
		{"starts at the build time", []string{`start: "2026-11-22 00:00"`}, "open", true},
		{"later today", []string{`start: "2026-11-22 09:30"`}, "open", true},
		{"future, open by default", []string{`start: "2027-01-20 09:30"`}, "open", true},
		{"future, open", []string{`start: "2027-01-20 09:30"`, "booking: open"}, "open", true},
		{"future, waiting list", []string{`start: "2027-01-20 09:30"`, "booking: waitlist"}, "waitlist", true},
		{"future, closed by booking", []string{`start: "2027-01-20 09:30"`, "booking: closed"}, "closed", false},
		{"booking closed yesterday", []string{`start: "2027-01-20 09:30"`, "booking_closes: 2026-11-21"}, "closed", false},
		{"booking closes today", []string{`start: "2027-01-20 09:30"`, "booking_closes: 2026-11-22"}, "open", true},
		{"booking closes tomorrow", []string{`start: "2027-01-20 09:30"`, "booking_closes: 2026-11-23"}, "open", true},
		{"waiting list closed yesterday", []string{`start: "2027-01-20 09:30"`, "booking: waitlist", "booking_closes: 2026-11-21"}, "closed", false},
		{"past wins over booking", []string{`start: "2026-01-20 09:30"`, "booking: waitlist", "booking_closes: 2026-01-13"}, "past", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := []string{"title: Course", "sessions:", "  - " + tt.session[0]}
			for _, l := range tt.session[1:] {
				lines = append(lines, "    "+l)
			}
			s := build(t, now, map[string]string{"content/training/course.md": fm("", lines...)})
			ss := s.Courses[0].Sessions
			if len(ss) != 1 {
				t.Fatalf("Sessions = %d, want 1", len(ss))
			}
			if got := ss[0].State; got != tt.want {
				t.Errorf("State(%v) = %q, want %q", tt.session, got, tt.want)
			}
			if got := ss[0].Bookable(); got != tt.bookable {
				t.Errorf("Bookable(%v) = %v, want %v", tt.session, got, tt.bookable)
			}
			if got, want := ss[0].Past(), tt.want == "past"; got != want {
				t.Errorf("Past(%v) = %v, want %v", tt.session, got, want)
			}
		})
	}
}

func TestSessionIDs(t *testing.T) {
	tests := []struct {
		name   string
		starts []string
		want   []string
	}{
		{"one a day", []string{"2027-01-20 09:30", "2027-02-03 13:00"}, []string{"c/2027-01-20", "c/2027-02-03"}},
		{"two on a day", []string{"2027-01-20 13:00", "2027-01-20 09:30", "2027-02-03 13:00"}, []string{"c/2027-01-20-0930", "c/2027-01-20-1300", "c/2027-02-03"}},
		// 23:30 UTC on 9 June is 00:30 on 10 June in London (BST): the id
		// takes the local date, and so does the count per day.
		{"local date, not UTC", []string{"2027-06-09T23:30:00Z", "2027-06-10 09:30"}, []string{"c/2027-06-10-0030", "c/2027-06-10-0930"}},
		{"offset time alone on its day", []string{"2027-06-09T23:30:00Z"}, []string{"c/2027-06-10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := build(t, at(t, "2026-11-22 00:00"), map[string]string{"content/training/c.md": course("C", tt.starts...)})
			if got := sessionIDs(s.Courses[0].Sessions); !slices.Equal(got, tt.want) {
				t.Errorf("Session IDs(%q) = %q, want %q", tt.starts, got, tt.want)
			}
		})
	}
}

func TestSessionAnchor(t *testing.T) {
	s := build(t, at(t, "2026-11-22 00:00"), map[string]string{"content/training/c.md": course("C", "2027-01-20 09:30")})
	if got, want := s.Sessions[0].Anchor(), "session-c-2027-01-20"; got != want {
		t.Errorf("Anchor() = %q, want %q", got, want)
	}
}

func TestSessionsAcrossClockChange(t *testing.T) {
	// British Summer Time starts at 01:00 UTC on 28 March 2027 and ends at
	// 01:00 UTC on 31 October 2027.
	s := build(t, at(t, "2026-11-22 00:00"), map[string]string{
		"content/training/c.md": course("C", "2027-03-27 09:30", "2027-03-28 09:30", "2027-03-29 09:30", "2027-10-30 09:30", "2027-10-31 09:30"),
	})
	tests := []struct {
		id      string
		offset  int // seconds east of UTC
		utcHour int
	}{
		{"c/2027-03-27", 0, 9},
		{"c/2027-03-28", 3600, 8},
		{"c/2027-03-29", 3600, 8},
		{"c/2027-10-30", 3600, 8},
		{"c/2027-10-31", 0, 9},
	}
	ss := s.Courses[0].Sessions
	if len(ss) != len(tests) {
		t.Fatalf("Sessions = %q, want %d", sessionIDs(ss), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			x := ss[i]
			if x.ID != tt.id {
				t.Fatalf("Sessions[%d].ID = %q, want %q", i, x.ID, tt.id)
			}
			if got := x.Start.Format("15:04"); got != "09:30" {
				t.Errorf("Start(%s) wall clock = %q, want %q", tt.id, got, "09:30")
			}
			if _, off := x.Start.Zone(); off != tt.offset {
				t.Errorf("Start(%s) offset = %d, want %d", tt.id, off, tt.offset)
			}
			if got := x.Start.UTC().Hour(); got != tt.utcHour {
				t.Errorf("Start(%s) UTC hour = %d, want %d", tt.id, got, tt.utcHour)
			}
		})
	}
}

func TestSessionEndAndCapacity(t *testing.T) {
	src := fm("", "title: C", "sessions:",
		`  - start: "2027-01-20 09:30"`,
		`    end: "2027-01-20 12:30"`,
		"    capacity: 12",
		"    location:",
		"      name: Education Centre",
	)
	s := build(t, at(t, "2026-11-22 00:00"), map[string]string{"content/training/c.md": src})
	x := s.Courses[0].Sessions[0]
	if got, want := x.End.Format("2006-01-02 15:04 MST"), "2027-01-20 12:30 GMT"; got != want {
		t.Errorf("End = %q, want %q", got, want)
	}
	if x.Capacity != 12 {
		t.Errorf("Capacity = %d, want 12", x.Capacity)
	}
	if x.Location.Name != "Education Centre" {
		t.Errorf("Location.Name = %q, want %q", x.Location.Name, "Education Centre")
	}
	if x.Course != s.Courses[0] {
		t.Errorf("Course = %v, want the course page", x.Course)
	}
}

func TestCourseSessions(t *testing.T) {
	s := build(t, at(t, "2026-11-22 00:00"), map[string]string{
		// Written out of order: sessions are sorted by start.
		"content/training/a.md": course("A", "2027-03-01 09:30", "2026-05-01 09:30", "2027-01-10 09:30", "2026-10-01 09:30"),
		"content/training/b.md": course("B", "2027-02-01 09:30", "2026-01-01 09:30"),
		"content/training/p.md": course("P", "2025-01-01 09:30"),
	})
	byslug := map[string]*Page{}
	for _, c := range s.Courses {
		byslug[c.Slug] = c
	}
	tests := []struct {
		slug     string
		next     string
		upcoming []string
		past     []string
	}{
		{"a", "a/2027-01-10", []string{"a/2027-01-10", "a/2027-03-01"}, []string{"a/2026-10-01", "a/2026-05-01"}},
		{"b", "b/2027-02-01", []string{"b/2027-02-01"}, []string{"b/2026-01-01"}},
		{"p", "", []string{}, []string{"p/2025-01-01"}},
	}
	for _, tt := range tests {
		t.Run(tt.slug, func(t *testing.T) {
			c := byslug[tt.slug]
			got := ""
			if n := c.NextSession(); n != nil {
				got = n.ID
			}
			if got != tt.next {
				t.Errorf("NextSession(%s) = %q, want %q", tt.slug, got, tt.next)
			}
			if got := sessionIDs(c.UpcomingSessions()); !slices.Equal(got, tt.upcoming) {
				t.Errorf("UpcomingSessions(%s) = %q, want %q", tt.slug, got, tt.upcoming)
			}
			if got := sessionIDs(c.PastSessions()); !slices.Equal(got, tt.past) {
				t.Errorf("PastSessions(%s) = %q, want %q", tt.slug, got, tt.past)
			}
		})
	}

	siteTests := []struct {
		n    int
		want []string
	}{
		{0, []string{"a/2027-01-10", "b/2027-02-01", "a/2027-03-01"}},
		{2, []string{"a/2027-01-10", "b/2027-02-01"}},
		{10, []string{"a/2027-01-10", "b/2027-02-01", "a/2027-03-01"}},
	}
	for _, tt := range siteTests {
		t.Run(fmt.Sprintf("site upcoming %d", tt.n), func(t *testing.T) {
			if got := sessionIDs(s.UpcomingSessions(tt.n)); !slices.Equal(got, tt.want) {
				t.Errorf("UpcomingSessions(%d) = %q, want %q", tt.n, got, tt.want)
			}
		})
	}
	if got, want := len(s.Sessions), 7; got != want {
		t.Errorf("len(Sessions) = %d, want %d", got, want)
	}
	if !slices.IsSortedFunc(s.Sessions, func(a, b *Session) int { return a.Start.Compare(b.Start) }) {
		t.Errorf("Sessions = %q, want them by start", sessionIDs(s.Sessions))
	}
}

func TestOrder(t *testing.T) {
	now := at(t, "2026-11-22 00:00")
	tests := []struct {
		name  string
		files map[string]string
		list  func(*Site) []*Page
		want  []string
	}{
		{
			name: "courses: upcoming by next date, then past by latest",
			files: map[string]string{
				"content/training/later.md":     course("Later", "2027-02-01 09:30"),
				"content/training/sooner.md":    course("Sooner", "2026-01-01 09:30", "2027-01-01 09:30"),
				"content/training/old.md":       course("Old", "2025-05-01 09:30"),
				"content/training/recent.md":    course("Recent", "2024-01-01 09:30", "2026-10-01 09:30"),
				"content/training/same-b.md":    course("Same B", "2027-03-01 09:30"),
				"content/training/same-a.md":    course("Same A", "2027-03-01 09:30"),
				"content/training/today-at.md":  course("Today", "2026-11-22 09:00"),
				"content/training/just-gone.md": course("Just gone", "2026-11-21 16:00"),
			},
			list: func(s *Site) []*Page { return s.Courses },
			want: []string{"today-at", "sooner", "later", "same-a", "same-b", "just-gone", "recent", "old"},
		},
		{
			name: "supporters by surname, then full name",
			files: map[string]string{
				"content/supporters/zoe-adams.md":   supporter("Zoe Adams"),
				"content/supporters/amy-brown.md":   supporter("Amy Brown"),
				"content/supporters/carl-adams.md":  supporter("Carl Adams"),
				"content/supporters/bo-de-vries.md": supporter("Bo de Vries"),
				"content/supporters/ann-cole.md":    supporter("Ann COLE"),
			},
			list: func(s *Site) []*Page { return s.Supporters },
			want: []string{"carl-adams", "zoe-adams", "amy-brown", "ann-cole", "bo-de-vries"},
		},
		{
			name: "networks by title",
			files: map[string]string{
				"content/networks/b.md": network("beta"),
				"content/networks/a.md": network("Alpha"),
				"content/networks/c.md": network("Gamma"),
			},
			list: func(s *Site) []*Page { return s.Networks },
			want: []string{"a", "b", "c"},
		},
		{
			name: "news by date, newest first, then slug",
			files: map[string]string{
				"content/news/old.md":    fm("", "title: Old", "date: 2025-01-01"),
				"content/news/new.md":    fm("", "title: New", "date: 2026-11-01"),
				"content/news/same-b.md": fm("", "title: Same B", "date: 2026-06-01"),
				"content/news/same-a.md": fm("", "title: Same A", "date: 2026-06-01"),
			},
			list: func(s *Site) []*Page { return s.News },
			want: []string{"new", "same-a", "same-b", "old"},
		},
		{
			name: "free pages by weight, then title",
			files: map[string]string{
				"content/pages/about.md":         fm("", "title: About", "weight: 10"),
				"content/pages/accessibility.md": fm("", "title: Accessibility", "weight: 30"),
				"content/pages/contact.md":       fm("", "title: Contact", "weight: -5"),
				"content/pages/b-unweighted.md":  fm("", "title: Beta"),
				"content/pages/a-unweighted.md":  fm("", "title: Alpha"),
			},
			list: func(s *Site) []*Page { return s.Pages },
			want: []string{"contact", "a-unweighted", "b-unweighted", "about", "accessibility"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := build(t, now, tt.files)
			if got := slugs(tt.list(s)); !slices.Equal(got, tt.want) {
				t.Errorf("order = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPublished(t *testing.T) {
	files := map[string]string{
		"content/news/live.md":       fm("", "title: Live", "date: 2026-01-01"),
		"content/news/draft.md":      fm("", "title: Draft", "date: 2026-02-01", "draft: true"),
		"content/news/hidden.md":     fm("", "title: Hidden", "date: 2026-03-01"),
		"content/supporters/jo.md":   supporter("Jo Evans", "draft: true"),
		"content/supporters/kim.md":  supporter("Kim Lee"),
		"content/pages/about.md":     fm("", "title: About"),
		"content/pages/secret.md":    fm("", "title: Secret", "draft: true"),
		"content/training/course.md": course("Course", "2027-01-01 09:30"),
	}
	hideHidden := func(p *content.Page) bool { return p.Slug == "hidden" }
	tests := []struct {
		name       string
		opts       Options
		news       []string
		supporters []string
		pages      []string
	}{
		{"drafts left out", Options{}, []string{"hidden", "live"}, []string{"kim"}, []string{"about"}},
		{"drafts included", Options{Drafts: true}, []string{"hidden", "draft", "live"}, []string{"jo", "kim"}, []string{"about", "secret"}},
		{"hidden left out", Options{Hidden: hideHidden}, []string{"live"}, []string{"kim"}, []string{"about"}},
		{"hidden left out with drafts", Options{Drafts: true, Hidden: hideHidden}, []string{"draft", "live"}, []string{"jo", "kim"}, []string{"about", "secret"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Now = at(t, "2026-11-22 00:00")
			s := buildWith(t, tt.opts, files)
			if got := slugs(s.News); !slices.Equal(got, tt.news) {
				t.Errorf("News = %q, want %q", got, tt.news)
			}
			if got := slugs(s.Supporters); !slices.Equal(got, tt.supporters) {
				t.Errorf("Supporters = %q, want %q", got, tt.supporters)
			}
			if got := slugs(s.Pages); !slices.Equal(got, tt.pages) {
				t.Errorf("Pages = %q, want %q", got, tt.pages)
			}
			published := slices.Concat(tt.news, tt.supporters, tt.pages)
			for _, o := range s.Outputs() {
				for _, slug := range []string{"draft", "hidden", "jo", "secret"} {
					if !slices.Contains(published, slug) && (strings.Contains(o.Path, "/"+slug+"/") || strings.HasPrefix(o.Path, slug+"/")) {
						t.Errorf("Outputs() has %q, want no page for %q", o.Path, slug)
					}
				}
			}
		})
	}
}

// refSite is a small site whose pages refer to each other.
func refSite(t *testing.T) *Site {
	return build(t, at(t, "2026-11-22 00:00"), map[string]string{
		"content/networks/north.md":  network("North network", "regions: [north]"),
		"content/networks/south.md":  network("South network", "regions: [south]"),
		"content/networks/empty.md":  network("Empty network"),
		"content/supporters/amy.md":  supporter("Amy Young", "networks: [north, south]"),
		"content/supporters/bob.md":  supporter("Bob Archer", "networks: [north, nowhere]"),
		"content/supporters/cy.md":   supporter("Cy Moss"),
		"content/training/intro.md":  fm("", "title: Intro", "networks: [north]", "sessions:", `  - start: "2027-01-01 09:30"`),
		"content/training/deeper.md": fm("", "title: Deeper", "networks: [south, north]", "sessions:", `  - start: "2027-02-01 09:30"`),
		"content/testimonials/t1.md": testimonial("It helped.", "networks: [north]", "supporter: amy"),
		"content/testimonials/t2.md": testimonial("Very good.", "networks: [south]", "supporter: amy"),
		"content/testimonials/t3.md": testimonial("Fine.", "supporter: nobody"),
	})
}

func TestReferences(t *testing.T) {
	s := refSite(t)
	find := func(list []*Page, slug string) *Page {
		for _, p := range list {
			if p.Slug == slug {
				return p
			}
		}
		t.Fatalf("no page %q in %q", slug, slugs(list))
		return nil
	}
	tests := []struct {
		name string
		got  []*Page
		want []string
	}{
		{"north.Supporters", find(s.Networks, "north").Supporters, []string{"bob", "amy"}},
		{"south.Supporters", find(s.Networks, "south").Supporters, []string{"amy"}},
		{"empty.Supporters", find(s.Networks, "empty").Supporters, []string{}},
		{"north.Courses", find(s.Networks, "north").Courses, []string{"deeper", "intro"}},
		{"south.Courses", find(s.Networks, "south").Courses, []string{"deeper"}},
		{"north.Testimonials", find(s.Networks, "north").Testimonials, []string{"t1"}},
		{"south.Testimonials", find(s.Networks, "south").Testimonials, []string{"t2"}},
		{"amy.Networks", find(s.Supporters, "amy").Networks, []string{"north", "south"}},
		{"bob.Networks (unknown slug dropped)", find(s.Supporters, "bob").Networks, []string{"north"}},
		{"cy.Networks", find(s.Supporters, "cy").Networks, []string{}},
		{"deeper.Networks", find(s.Courses, "deeper").Networks, []string{"south", "north"}},
		{"amy.Testimonials", find(s.Supporters, "amy").Testimonials, []string{"t1", "t2"}},
		{"bob.Testimonials", find(s.Supporters, "bob").Testimonials, []string{}},
		{"t1.Networks", find(s.Testimonials, "t1").Networks, []string{"north"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := slugs(tt.got); !slices.Equal(got, tt.want) {
				t.Errorf("%s = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
	supporterTests := []struct {
		testimonial, want string
	}{
		{"t1", "amy"},
		{"t2", "amy"},
		{"t3", ""},
	}
	for _, tt := range supporterTests {
		t.Run(tt.testimonial+".SupporterPage", func(t *testing.T) {
			got := ""
			if sp := find(s.Testimonials, tt.testimonial).SupporterPage; sp != nil {
				got = sp.Slug
			}
			if got != tt.want {
				t.Errorf("SupporterPage(%s) = %q, want %q", tt.testimonial, got, tt.want)
			}
		})
	}
}

func TestFeatured(t *testing.T) {
	networks := map[string]string{
		"content/networks/a.md": network("A", "status: full"),
		"content/networks/b.md": network("B"),
		"content/networks/c.md": network("C", "status: closed"),
		"content/networks/d.md": network("D"),
		"content/networks/e.md": network("E"),
		"content/networks/f.md": network("F"),
	}
	testimonials := map[string]string{
		"content/testimonials/t1.md": testimonial("One."),
		"content/testimonials/t2.md": testimonial("Two."),
	}
	with := func(home string, sets ...map[string]string) map[string]string {
		files := map[string]string{}
		if home != "" {
			files["content/_index.md"] = home
		}
		for _, set := range sets {
			for k, v := range set {
				files[k] = v
			}
		}
		return files
	}
	tests := []struct {
		name        string
		files       map[string]string
		networks    []string
		testimonial string
	}{
		{"named, in the home page's order", with(fm("", "featured_networks: [f, a, missing, c]", "featured_testimonial: t2"), networks, testimonials), []string{"f", "a", "c"}, "t2"},
		{"none named: up to three open", with(fm("", "title: Home"), networks, testimonials), []string{"b", "d", "e"}, "t1"},
		{"no home page", with("", networks, testimonials), []string{"b", "d", "e"}, "t1"},
		{"only unknown names: open ones", with(fm("", "featured_networks: [missing]", "featured_testimonial: missing"), networks, testimonials), []string{"b", "d", "e"}, "t1"},
		{"fewer than three open", with("", map[string]string{"content/networks/a.md": network("A", "status: full"), "content/networks/b.md": network("B")}), []string{"b"}, ""},
		{"nothing to feature", with(""), []string{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := build(t, at(t, "2026-11-22 00:00"), tt.files)
			if got := slugs(s.FeaturedNetworks()); !slices.Equal(got, tt.networks) {
				t.Errorf("FeaturedNetworks() = %q, want %q", got, tt.networks)
			}
			got := ""
			if p := s.FeaturedTestimonial(); p != nil {
				got = p.Slug
			}
			if got != tt.testimonial {
				t.Errorf("FeaturedTestimonial() = %q, want %q", got, tt.testimonial)
			}
		})
	}
}

func TestHomeAndSummary(t *testing.T) {
	tests := []struct {
		name        string
		file, src   string
		list        func(*Site) *Page
		title       string
		summary     string
		lede        string
		contentPart string
	}{
		{
			name: "home without a file", file: "", list: func(s *Site) *Page { return s.Home },
			title: "Test Peer Support", summary: "A test site.",
		},
		{
			name: "home without a title", file: "content/_index.md", src: fm("Welcome to the scheme.\n", "featured_networks: []"),
			list: func(s *Site) *Page { return s.Home }, title: "Test Peer Support", summary: "Welcome to the scheme.",
		},
		{
			name: "summary from front matter is the lede", file: "content/pages/about.md", src: fm("Body text.\n", "title: About", "summary: Written summary."),
			list: func(s *Site) *Page { return s.Pages[0] }, title: "About", summary: "Written summary.", lede: "Written summary.",
		},
		{
			name: "summary from the first paragraph", file: "content/pages/about.md", src: fm("# Heading\n\nFirst *para*\nwraps.\n\nSecond.\n", "title: About"),
			list: func(s *Site) *Page { return s.Pages[0] }, title: "About", summary: "First para wraps.",
		},
		{
			name: "summary from the body is plain text", file: "content/pages/about.md", src: fm("It's \"ours\" -- AT&amp;T <b>x</b>.\n", "title: About"),
			list: func(s *Site) *Page { return s.Pages[0] }, title: "About", summary: "It\u2019s \u201cours\u201d \u2013 AT&T x.",
		},
		{
			name: "long body summary truncated", file: "content/pages/about.md", src: fm(strings.Repeat("word ", 50)+"\n", "title: About"),
			list: func(s *Site) *Page { return s.Pages[0] }, title: "About", summary: strings.TrimSpace(strings.Repeat("word ", 32)) + "…",
		},
		{
			name: "testimonial: title from attribution, summary from quote", file: "content/testimonials/t.md", src: testimonial("It helped me."),
			list: func(s *Site) *Page { return s.Testimonials[0] }, title: "Testimonial: A head", summary: "It helped me.",
		},
		{
			name: "supporter: title from name", file: "content/supporters/jo.md", src: supporter("Jo Evans"),
			list: func(s *Site) *Page { return s.Supporters[0] }, title: "Jo Evans", summary: "Profile of Jo Evans.",
		},
		{
			name: "content is rendered with the base path", file: "content/pages/about.md", src: fm("[Join](/networks/)\n", "title: About"),
			list: func(s *Site) *Page { return s.Pages[0] }, title: "About", summary: "Join", contentPart: `<a href="/peer/networks/">Join</a>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			if tt.file != "" {
				files[tt.file] = tt.src
			}
			p := tt.list(build(t, at(t, "2026-11-22 00:00"), files))
			if p.Title != tt.title {
				t.Errorf("Title = %q, want %q", p.Title, tt.title)
			}
			if p.Summary != tt.summary {
				t.Errorf("Summary = %q, want %q", p.Summary, tt.summary)
			}
			if p.Lede != tt.lede {
				t.Errorf("Lede = %q, want %q", p.Lede, tt.lede)
			}
			if !strings.Contains(string(p.Content), tt.contentPart) {
				t.Errorf("Content = %q, want it to contain %q", p.Content, tt.contentPart)
			}
		})
	}
}

func TestFacets(t *testing.T) {
	s := build(t, at(t, "2026-11-22 00:00"), map[string]string{
		"content/supporters/a.md": fm("", "name: Ann A", "role: Head", "school:", "  name: S", "  phase: secondary", "  type: academy", "  pupils: 100",
			"region: south", "skills: [send, coaching]"),
		"content/supporters/b.md": fm("", "name: Bea B", "role: Head", "school:", "  name: S", "  phase: primary", "  pupils: 1200",
			"region: east", "skills: [coaching]", "availability: limited"),
		"content/supporters/c.md": fm("", "name: Cal C", "role: Head", "school:", "  name: S", "  phase: secondary",
			"region: south", "availability: unavailable"),
		"content/networks/n1.md": network("N1", "regions: [north, south]", "themes: [curriculum]", "audience: [heads, governors]"),
		"content/networks/n2.md": fm("", "title: N2", "stream: secondary", "regions: [south]", "audience: [heads]"),
	})
	type value struct {
		id    string
		count int
	}
	tests := []struct {
		section content.Section
		key     string
		want    []value
	}{
		{content.Supporters, "region", []value{{"south", 2}, {"east", 1}}},
		{content.Supporters, "phase", []value{{"primary", 1}, {"secondary", 2}}},
		{content.Supporters, "size", []value{{"small", 1}, {"large", 1}}},
		{content.Supporters, "type", []value{{"academy", 1}}},
		{content.Supporters, "skill", []value{{"coaching", 2}, {"send", 1}}},
		{content.Supporters, "availability", []value{{"available", 1}, {"limited", 1}, {"unavailable", 1}}},
		{content.Networks, "stream", []value{{"rural", 1}, {"secondary", 1}}},
		{content.Networks, "region", []value{{"north", 1}, {"south", 2}}},
		{content.Networks, "theme", []value{{"curriculum", 1}}},
		{content.Networks, "audience", []value{{"heads", 2}, {"governors", 1}}},
	}
	keys := map[content.Section][]string{}
	for _, f := range s.Facets[content.Supporters] {
		keys[content.Supporters] = append(keys[content.Supporters], f.Key)
	}
	for _, f := range s.Facets[content.Networks] {
		keys[content.Networks] = append(keys[content.Networks], f.Key)
	}
	if got, want := keys[content.Supporters], []string{"region", "phase", "size", "type", "skill", "availability"}; !slices.Equal(got, want) {
		t.Errorf("supporter facets = %q, want %q", got, want)
	}
	if got, want := keys[content.Networks], []string{"stream", "region", "theme", "audience"}; !slices.Equal(got, want) {
		t.Errorf("network facets = %q, want %q", got, want)
	}
	for _, tt := range tests {
		t.Run(string(tt.section)+"/"+tt.key, func(t *testing.T) {
			var f *Facet
			for _, x := range s.Facets[tt.section] {
				if x.Key == tt.key {
					f = x
				}
			}
			if f == nil {
				t.Fatalf("no facet %q", tt.key)
			}
			if got, want := f.URL, "/"+string(tt.section)+"/"+tt.key+"/"; got != want {
				t.Errorf("URL = %q, want %q", got, want)
			}
			var got []value
			for _, v := range f.Values {
				got = append(got, value{v.ID, v.Count()})
				if v.Facet != f {
					t.Errorf("value %q: Facet = %p, want %p", v.ID, v.Facet, f)
				}
				if want := f.URL + v.ID + "/"; v.URL != want {
					t.Errorf("value %q: URL = %q, want %q", v.ID, v.URL, want)
				}
				if v.Label == "" || v.Label == v.ID {
					t.Errorf("value %q: Label = %q, want the vocabulary's label", v.ID, v.Label)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("values = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAvailableSupportersAndLatestNews(t *testing.T) {
	s := build(t, at(t, "2026-11-22 00:00"), map[string]string{
		"content/supporters/a.md": supporter("Ann A"),
		"content/supporters/b.md": supporter("Bea B", "availability: limited"),
		"content/supporters/c.md": supporter("Cal C", "availability: unavailable"),
		"content/news/one.md":     fm("", "title: One", "date: 2026-01-01"),
		"content/news/two.md":     fm("", "title: Two", "date: 2026-02-01"),
	})
	if got := s.AvailableSupporters(); got != 2 {
		t.Errorf("AvailableSupporters() = %d, want 2", got)
	}
	tests := []struct {
		n    int
		want []string
	}{
		{0, []string{}},
		{1, []string{"two"}},
		{2, []string{"two", "one"}},
		{5, []string{"two", "one"}},
	}
	for _, tt := range tests {
		if got := slugs(s.LatestNews(tt.n)); !slices.Equal(got, tt.want) {
			t.Errorf("LatestNews(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestPaginate(t *testing.T) {
	pages := func(n int) []*Page {
		out := make([]*Page, n)
		for i := range out {
			out[i] = &Page{Slug: fmt.Sprint(i)}
		}
		return out
	}
	type want struct {
		url, prev, next string
		items           int
	}
	tests := []struct {
		name  string
		items int
		per   int
		want  []want
	}{
		{"empty list has one page", 0, 2, []want{{"/s/", "", "", 0}}},
		{"fits one page", 2, 2, []want{{"/s/", "", "", 2}}},
		{"one over", 3, 2, []want{{"/s/", "", "/s/page/2/", 2}, {"/s/page/2/", "/s/", "", 1}}},
		{"three pages", 5, 2, []want{{"/s/", "", "/s/page/2/", 2}, {"/s/page/2/", "/s/", "/s/page/3/", 2}, {"/s/page/3/", "/s/page/2/", "", 1}}},
		{"no limit", 5, 0, []want{{"/s/", "", "", 5}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chunks := paginate(pages(tt.items), tt.per, "/s/")
			if len(chunks) != len(tt.want) {
				t.Fatalf("paginate(%d, %d) = %d pages, want %d", tt.items, tt.per, len(chunks), len(tt.want))
			}
			for i, c := range chunks {
				w := tt.want[i]
				got := want{c.url, c.pager.Prev, c.pager.Next, len(c.items)}
				if got != w {
					t.Errorf("paginate(%d, %d)[%d] = %+v, want %+v", tt.items, tt.per, i, got, w)
				}
				if c.pager.Number != i+1 || c.pager.Total != len(tt.want) || len(c.pager.Pages) != len(tt.want) {
					t.Errorf("paginate(%d, %d)[%d] pager = %d of %d with %d links, want %d of %d", tt.items, tt.per, i, c.pager.Number, c.pager.Total, len(c.pager.Pages), i+1, len(tt.want))
				}
			}
		})
	}
}

// outputSite has enough supporters for two listing pages.
func outputSite(t *testing.T) *Site {
	return build(t, at(t, "2026-11-22 00:00"), map[string]string{
		"content/_index.md":              fm("Welcome.\n", "title: Home"),
		"content/supporters/ann-a.md":    supporter("Ann A", "skills: [coaching]"),
		"content/supporters/bea-b.md":    supporter("Bea B", "skills: [coaching, finance]"),
		"content/supporters/cal-c.md":    supporter("Cal C", "skills: [coaching]"),
		"content/networks/n1.md":         network("N1", "regions: [north]"),
		"content/training/course.md":     course("Course", "2027-01-01 09:30"),
		"content/testimonials/t.md":      testimonial("Good."),
		"content/news/post.md":           fm("", "title: Post", "date: 2026-01-01"),
		"content/pages/about.md":         fm("", "title: About", "aliases: [/about-us/]"),
		"content/pages/special.md":       fm("", "title: Special", "layout: special"),
		"content/supporters/dee-d.md":    supporter("Dee D", "layout: profile"),
		"content/networks/n2-network.md": network("N2"),
	})
}

func TestOutputs(t *testing.T) {
	s := outputSite(t)
	outs := s.Outputs()
	byPath := map[string]Output{}
	for _, o := range outs {
		if _, dup := byPath[o.Path]; dup {
			t.Errorf("Outputs() has %q twice", o.Path)
		}
		byPath[o.Path] = o
		if o.View == nil {
			t.Errorf("Outputs()[%q].View = nil", o.Path)
			continue
		}
		if o.View.Site != s {
			t.Errorf("Outputs()[%q].View.Site is not the site", o.Path)
		}
		if o.Path != "404.html" && o.Path != pathOf(o.View.URL) {
			t.Errorf("Outputs()[%q].View.URL = %q, want the output's own URL", o.Path, o.View.URL)
		}
	}
	type crumbs = []Crumb
	home := Crumb{"Home", "/"}
	sup := Crumb{"Peer supporters", "/supporters/"}
	tests := []struct {
		path    string
		layout  string
		kind    string
		title   string
		total   int
		items   []string
		prev    string
		next    string
		crumbs  crumbs
		noIndex bool
	}{
		{path: "index.html", layout: "home", kind: "home", title: "Home"},
		{path: "supporters/index.html", layout: "supporters", kind: "supporters", title: "Peer supporters", total: 4, items: []string{"ann-a", "bea-b"},
			next: "/supporters/page/2/", crumbs: crumbs{home}},
		{path: "supporters/page/2/index.html", layout: "supporters", kind: "supporters", title: "Peer supporters", total: 4, items: []string{"cal-c", "dee-d"},
			prev: "/supporters/", crumbs: crumbs{home}},
		{path: "supporters/ann-a/index.html", layout: "supporter", kind: "supporter", title: "Ann A", crumbs: crumbs{home, sup}},
		{path: "supporters/dee-d/index.html", layout: "profile", kind: "supporter", title: "Dee D", crumbs: crumbs{home, sup}},
		{path: "supporters/skill/index.html", layout: "facet-index", kind: "facet-index", title: "Peer supporters by skills", crumbs: crumbs{home, sup}},
		{path: "supporters/skill/coaching/index.html", layout: "facet", kind: "facet", title: "Peer supporters: Coaching", total: 3, items: []string{"ann-a", "bea-b"},
			next: "/supporters/skill/coaching/page/2/", crumbs: crumbs{home, sup, {"Skills", "/supporters/skill/"}}},
		{path: "supporters/skill/coaching/page/2/index.html", layout: "facet", kind: "facet", title: "Peer supporters: Coaching", total: 3, items: []string{"cal-c"},
			prev: "/supporters/skill/coaching/", crumbs: crumbs{home, sup, {"Skills", "/supporters/skill/"}}},
		{path: "supporters/skill/finance/index.html", layout: "facet", kind: "facet", title: "Peer supporters: Finance", total: 1, items: []string{"bea-b"},
			crumbs: crumbs{home, sup, {"Skills", "/supporters/skill/"}}},
		{path: "networks/index.html", layout: "networks", kind: "networks", title: "Networks", total: 2, items: []string{"n1", "n2-network"}, crumbs: crumbs{home}},
		{path: "networks/n1/index.html", layout: "network", kind: "network", title: "N1", crumbs: crumbs{home, {"Networks", "/networks/"}}},
		{path: "training/index.html", layout: "training", kind: "training", title: "Training", total: 1, items: []string{"course"}, crumbs: crumbs{home}},
		{path: "training/course/index.html", layout: "course", kind: "course", title: "Course", crumbs: crumbs{home, {"Training", "/training/"}}},
		{path: "testimonials/index.html", layout: "testimonials", kind: "testimonials", title: "Testimonials", total: 1, items: []string{"t"}, crumbs: crumbs{home}},
		{path: "news/index.html", layout: "news", kind: "news", title: "News", total: 1, items: []string{"post"}, crumbs: crumbs{home}},
		{path: "news/post/index.html", layout: "article", kind: "article", title: "Post", crumbs: crumbs{home, {"News", "/news/"}}},
		{path: "about/index.html", layout: "page", kind: "page", title: "About", crumbs: crumbs{home}},
		{path: "special/index.html", layout: "special", kind: "page", title: "Special", crumbs: crumbs{home}},
		{path: "404.html", layout: "404", kind: "404", title: "Page not found", noIndex: true},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			o, ok := byPath[tt.path]
			if !ok {
				t.Fatalf("Outputs() has no %q", tt.path)
			}
			v := o.View
			if o.Layout != tt.layout {
				t.Errorf("Outputs()[%q].Layout = %q, want %q", tt.path, o.Layout, tt.layout)
			}
			if v.Kind != tt.kind {
				t.Errorf("Outputs()[%q].Kind = %q, want %q", tt.path, v.Kind, tt.kind)
			}
			if v.Title != tt.title {
				t.Errorf("Outputs()[%q].Title = %q, want %q", tt.path, v.Title, tt.title)
			}
			if v.Total != tt.total {
				t.Errorf("Outputs()[%q].Total = %d, want %d", tt.path, v.Total, tt.total)
			}
			if got, want := slugs(v.Items), append([]string{}, tt.items...); !slices.Equal(got, want) {
				t.Errorf("Outputs()[%q].Items = %q, want %q", tt.path, got, want)
			}
			prev, next := "", ""
			if v.Pager != nil {
				prev, next = v.Pager.Prev, v.Pager.Next
			}
			if prev != tt.prev || next != tt.next {
				t.Errorf("Outputs()[%q].Pager.Prev, Next = %q, %q, want %q, %q", tt.path, prev, next, tt.prev, tt.next)
			}
			if !slices.Equal(v.Breadcrumbs, tt.crumbs) {
				t.Errorf("Outputs()[%q].Breadcrumbs = %v, want %v", tt.path, v.Breadcrumbs, tt.crumbs)
			}
			if v.NoIndex != tt.noIndex {
				t.Errorf("Outputs()[%q].NoIndex = %v, want %v", tt.path, v.NoIndex, tt.noIndex)
			}
			if (v.Description == "") != (tt.kind == "404") {
				t.Errorf("Outputs()[%q].Description = %q, want one on every page but 404", tt.path, v.Description)
			}
		})
	}

	t.Run("every facet value has a page", func(t *testing.T) {
		for _, section := range []content.Section{content.Supporters, content.Networks} {
			for _, f := range s.Facets[section] {
				if _, ok := byPath[pathOf(f.URL)]; !ok {
					t.Errorf("Outputs() has no page for facet %s", f.URL)
				}
				for _, v := range f.Values {
					o, ok := byPath[pathOf(v.URL)]
					if !ok {
						t.Errorf("Outputs() has no page for facet value %s", v.URL)
						continue
					}
					if o.View.Value != v || o.View.Facet != f {
						t.Errorf("Outputs()[%q] shows facet %v value %v, want %s", o.Path, o.View.Facet, o.View.Value, v.URL)
					}
				}
			}
		}
	})

	t.Run("only the 404 page is noindex", func(t *testing.T) {
		for _, o := range outs {
			if o.View.NoIndex != (o.Path == "404.html") {
				t.Errorf("Outputs()[%q].NoIndex = %v", o.Path, o.View.NoIndex)
			}
		}
	})

	t.Run("listing pages' pagers link pages that exist", func(t *testing.T) {
		for _, o := range outs {
			if o.View.Pager == nil {
				continue
			}
			for _, l := range o.View.Pager.Pages {
				if _, ok := byPath[pathOf(l.URL)]; !ok {
					t.Errorf("Outputs()[%q] links page %d at %s, which is not an output", o.Path, l.Number, l.URL)
				}
			}
		}
	})
}

func TestOutputsEmptySite(t *testing.T) {
	s := build(t, at(t, "2026-11-22 00:00"), nil)
	var paths []string
	for _, o := range s.Outputs() {
		paths = append(paths, o.Path)
	}
	want := []string{"index.html", "networks/index.html"}
	for _, key := range []string{"stream", "region", "theme", "audience"} {
		want = append(want, "networks/"+key+"/index.html")
	}
	want = append(want, "supporters/index.html")
	for _, key := range []string{"region", "phase", "size", "type", "skill", "availability"} {
		want = append(want, "supporters/"+key+"/index.html")
	}
	want = append(want, "training/index.html", "testimonials/index.html", "news/index.html", "search/index.html", "404.html")
	if !slices.Equal(paths, want) {
		t.Errorf("Outputs() = %q, want %q", paths, want)
	}
}

func TestFuncs(t *testing.T) {
	fm := Funcs(testCfg(t))
	label := fm["label"].(func(string, string) string)
	status := fm["statusLabel"].(func(string) string)
	format := fm["formatLabel"].(func(string) string)
	formatName := fm["formatName"].(func(string) string)
	section := fm["sectionTitle"].(func(content.Section) string)
	tests := []struct {
		call string
		got  string
		want string
	}{
		{`label "regions" "north"`, label("regions", "north"), "North"},
		{`label "regions" "unknown"`, label("regions", "unknown"), "unknown"},
		{`label "size_bands" "small"`, label("size_bands", "small"), "Small"},
		{`label "availability" "limited"`, label("availability", "limited"), "Limited availability"},
		{`statusLabel "waitlist"`, status("waitlist"), "Waiting list"},
		{`statusLabel "odd"`, status("odd"), "odd"},
		{`formatLabel "cluster"`, format("cluster"), "Cluster of local schools"},
		{`formatLabel "odd"`, format("odd"), "odd"},
		{`formatName "triad"`, formatName("triad"), "Peer-review triad"},
		{`formatName "odd"`, formatName("odd"), "odd"},
		{`sectionTitle "supporters"`, section(content.Supporters), "Peer supporters"},
	}
	for _, tt := range tests {
		t.Run(tt.call, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("%s = %q, want %q", tt.call, tt.got, tt.want)
			}
		})
	}
}

// TestPageLinks checks the windowed page links of long listings.
func TestPageLinks(t *testing.T) {
	urlOf := func(n int) string { return fmt.Sprintf("/p/%d/", n) }
	show := func(links []PageLink) string {
		var b strings.Builder
		for _, l := range links {
			if l.Gap {
				b.WriteString("… ")
			} else {
				fmt.Fprintf(&b, "%d ", l.Number)
			}
		}
		return strings.TrimSpace(b.String())
	}
	tests := []struct {
		n, total int
		want     string
	}{
		{1, 1, "1"},
		{1, 3, "1 2 3"},
		{1, 10, "1 2 … 10"},
		{5, 10, "1 … 4 5 6 … 10"},
		{3, 10, "1 2 3 4 … 10"},
		{10, 10, "1 … 9 10"},
		{200, 400, "1 … 199 200 201 … 400"},
	}
	for _, tt := range tests {
		if got := show(pageLinks(tt.n, tt.total, urlOf)); got != tt.want {
			t.Errorf("pageLinks(%d, %d) = %q, want %q", tt.n, tt.total, got, tt.want)
		}
	}
}

// TestFacetLinks checks that facetLink gives what facetURL and label give
// for every value of every facet, and for an id not in the vocabulary.
func TestFacetLinks(t *testing.T) {
	fm := Funcs(testCfg(t))
	label := fm["label"].(func(string, string) string)
	link := fm["facetLink"].(func(string, string, string) (*FacetLink, error))
	links := fm["facetLinks"].(func(string, string, []string) ([]*FacetLink, error))
	n := 0
	for section, defs := range facetDefs {
		for _, def := range defs {
			ids := []string{"not-a-term"}
			if def.vocab == "availability" {
				ids = append(ids, availability.IDs()...)
			} else {
				ids = append(ids, testCfg(t).Vocabularies.Vocabulary(def.vocab).IDs()...)
			}
			all, err := links(string(section), def.key, ids)
			if err != nil || len(all) != len(ids) {
				t.Fatalf("facetLinks %q %q = %d links, %v; want %d", section, def.key, len(all), err, len(ids))
			}
			for i, id := range ids {
				l, err := link(string(section), def.key, id)
				if err != nil {
					t.Fatal(err)
				}
				want := FacetLink{ID: id, Label: label(def.vocab, id), URL: "/" + string(section) + "/" + def.key + "/" + id + "/"}
				if *l != want || *all[i] != want || l.CacheKey() != want.URL {
					t.Errorf("facetLink %q %q %q = %+v, want %+v", section, def.key, id, *l, want)
				}
				n++
			}
		}
	}
	if n < 20 {
		t.Errorf("checked %d links, want every value of the test vocabularies", n)
	}
	if _, err := link("supporters", "shoe-size", "x"); err == nil {
		t.Error("facetLink of no facet: no error")
	}
}
