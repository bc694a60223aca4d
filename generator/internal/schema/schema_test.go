package schema

import (
	"strings"
	"testing"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/content"
)

func TestCleanAlias(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/about-us", "/about-us/"},
		{"/about-us/", "/about-us/"},
		{"/about-us/index.html", "/about-us/"},
		{"/old/page.html", "/old/page.html"},
	}
	for _, tt := range tests {
		if got := CleanAlias(tt.in); got != tt.want {
			t.Errorf("CleanAlias(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCheck(t *testing.T) {
	cfg, diags := config.Parse([]byte("title: T\nbase_url: https://e.org/\nvocabularies: {streams: {s: S}, regions: {r: R}}\n"))
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	files := map[string]string{
		"content/networks/net.md":        "---\ntitle: Net\nstream: s\nsessions_per_year: {min: 5, max: 3}\n---\n",
		"content/pages/about.md":         "---\ntitle: About\naliases: [/networks/net/, old, /gone/]\n---\n",
		"content/pages/help.md":          "---\ntitle: Help\naliases: [/gone]\n---\n",
		"content/pages/search.md":        "---\ntitle: Search\n---\n",
		"content/supporters/sam.md":      "---\nname: Sam\nrole: Head\nregion: r\nschool: {name: S}\nphoto: sam.jpg\nnetworks: [nett, net, net]\n---\n",
		"content/testimonials/quote.md":  "---\nquote: Q\nattribution: A\nconsent: false\n---\n",
		"content/training/two-starts.md": "---\ntitle: Two\nsessions:\n  - {start: \"2027-01-01 09:00\", location: {online: true}}\n  - {start: \"2027-01-01 09:00\"}\n---\n",
	}
	var pages []*content.Page
	for _, f := range []string{"content/networks/net.md", "content/pages/about.md", "content/pages/help.md", "content/pages/search.md", "content/supporters/sam.md", "content/testimonials/quote.md", "content/training/two-starts.md"} {
		p := content.Parse(f, []byte(files[f]), cfg)
		if len(p.Diags) > 0 {
			t.Fatalf("%s: %v", f, p.Diags)
		}
		pages = append(pages, p)
	}
	got := Check(pages, cfg, Options{Exists: func(string) bool { return false }, Layouts: []string{"page"}}).Error()
	for _, want := range []string{
		`content/networks/net.md:4:34: sessions_per_year.max: 3 is below min 5 (expected max >= min)`,
		`content/pages/about.md:3:11: aliases[0]: "/networks/net/" is already the address of content/networks/net.md`,
		`content/pages/about.md:3:27: aliases[1]: "old" is not a site path (expected one starting with /, such as /old-page/)`,
		`content/pages/help.md:3:11: aliases[0]: "/gone" is already an alias of content/pages/about.md, line 3 (an old address can lead to one page only)`,
		`content/pages/search.md: free page "search" clashes with the site's own /search/ (choose another file name)`,
		`content/supporters/sam.md:6:8: photo: no file "sam.jpg" (expected a path under static/ or content/)`,
		`content/supporters/sam.md:7:12: networks[0]: no network "nett" (expected the name of a file in content/networks/; did you mean "net"?)`,
		`content/supporters/sam.md:7:23: networks[2]: "net" is already in the list, as networks[1] (write each network once)`,
		`content/testimonials/quote.md:4:10: hidden: consent: not published: a testimonial needs consent: true`,
		`content/training/two-starts.md:5:5: sessions[1].location: required field is missing (expected a name and address, or online: true)`,
		`content/training/two-starts.md:5:13: sessions[1].start: same start as sessions[0]`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Check is missing\n  %s\ngot:\n%s", want, got)
		}
	}
}
