package site

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"

	"peerpress/generator/internal/content"
	"peerpress/generator/internal/markdown"
)

// shape describes what Patch must keep as New makes it: each section's
// order, the references both ways, the facet values and the sessions.
func shape(s *Site) string {
	var b strings.Builder
	for _, p := range s.AllPages() {
		fmt.Fprintf(&b, "%s %q %q nets=%v sup=%v tes=%v cou=%v", p.URL, p.Title, p.Summary, slugs(p.Networks), slugs(p.Supporters), slugs(p.Testimonials), slugs(p.Courses))
		if p.SupporterPage != nil {
			fmt.Fprintf(&b, " by=%s", p.SupporterPage.Slug)
		}
		b.WriteByte('\n')
	}
	for _, sec := range []content.Section{content.Supporters, content.Networks} {
		for _, f := range s.Facets[sec] {
			for _, v := range f.Values {
				fmt.Fprintf(&b, "%s %s=%s %v\n", sec, f.Key, v.ID, slugs(v.Pages))
			}
		}
	}
	fmt.Fprintln(&b, sessionIDs(s.Sessions))
	return b.String()
}

func TestPatchMatchesNew(t *testing.T) {
	files := map[string]string{
		"content/networks/rural.md":       network("Rural heads", "regions: [north]"),
		"content/networks/city.md":        network("City heads", "format: cluster"),
		"content/training/induction.md":   course("Induction", "2026-12-01 09:30", "2027-02-01 09:30"),
		"content/training/governance.md":  course("Governance", "2027-01-10 09:30"),
		"content/testimonials/first.md":   testimonial("It helped.", "supporter: ann-smith", "networks: [rural]"),
		"content/testimonials/second.md":  testimonial("Good.", "supporter: bo-jones"),
		"content/supporters/ann-smith.md": supporter("Ann Smith", "networks: [rural]"),
		"content/supporters/bo-jones.md":  supporter("Bo Jones", "networks: [rural, city]"),
	}
	// More than 12 members with one surname: a network's members are
	// sorted by surname alone, with an unstable sort, whose ties come out
	// in an order that depends on the order it was given.
	for i := range 14 {
		files[fmt.Sprintf("content/supporters/smith-%02d.md", i)] = supporter(fmt.Sprintf("Person%02d Smith", 13-i), "networks: [rural]")
	}
	tests := []struct {
		name     string
		file     string
		from, to string
	}{
		{"a body", "content/supporters/smith-03.md", "Profile of", "A profile of"},
		{"a surname with ties", "content/supporters/smith-05.md", "name: Person08 Smith", "name: Person08 Abbott"},
		{"a region", "content/supporters/ann-smith.md", "region: north", "region: south"},
		{"networks", "content/supporters/bo-jones.md", "networks: [rural, city]", "networks: [city]"},
		{"a network's title", "content/networks/rural.md", "title: Rural heads", "title: Above all rural heads"},
		{"a testimonial's supporter", "content/testimonials/first.md", "supporter: ann-smith", "supporter: bo-jones"},
		{"a session's date", "content/training/governance.md", "2027-01-10 09:30", "2026-11-30 09:30"},
	}
	now := at(t, "2026-11-22 00:00")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := build(t, now, files)
			edited := maps.Clone(files)
			if !strings.Contains(edited[tt.file], tt.from) {
				t.Fatalf("%s has no %q", tt.file, tt.from)
			}
			edited[tt.file] = strings.Replace(edited[tt.file], tt.from, tt.to, 1)
			page := parsePages(t, s.Config, map[string]string{tt.file: edited[tt.file]})[0]
			md := markdown.New(markdown.Options{})
			if _, err := s.Patch(context.Background(), []*content.Page{page}, func(p *content.Page) (markdown.Result, error) { return md.Render(p.Body) }); err != nil {
				t.Fatal(err)
			}
			if got, want := shape(s), shape(build(t, now, edited)); got != want {
				t.Errorf("patched:\n%s\nassembled anew:\n%s", got, want)
			}
		})
	}
}

func TestPatchRefusesAPageNotPublished(t *testing.T) {
	s := build(t, at(t, "2026-11-22 00:00"), map[string]string{"content/supporters/ann-smith.md": supporter("Ann Smith")})
	page := parsePages(t, s.Config, map[string]string{"content/supporters/bo-jones.md": supporter("Bo Jones")})[0]
	_, err := s.Patch(context.Background(), []*content.Page{page}, func(p *content.Page) (markdown.Result, error) { return markdown.Result{}, nil })
	if !errors.Is(err, ErrNotPatchable) {
		t.Errorf("Patch of a page the site does not have: %v, want ErrNotPatchable", err)
	}
}
