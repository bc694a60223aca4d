package config

import (
	"strings"
	"testing"
	"testing/fstest"
)

const minimal = `title: T
base_url: https://example.org/peer
vocabularies:
  streams: {rural: Rural}
  regions:
    north: North
    south: South
  size_bands:
    - {id: small, label: Small, max: 150}
    - {id: medium, label: Medium, max: 400}
    - {id: large, label: Large}
`

func TestParseDefaults(t *testing.T) {
	c, diags := Parse([]byte(minimal))
	if len(diags) > 0 {
		t.Fatalf("Parse: %v", diags)
	}
	if c.Language != "en-GB" || c.Timezone != "Europe/London" || c.Paginate != 20 {
		t.Errorf("defaults = %q %q %d", c.Language, c.Timezone, c.Paginate)
	}
	if got, want := c.BaseURL, "https://example.org/peer/"; got != want {
		t.Errorf("BaseURL = %q, want %q", got, want)
	}
	if got, want := c.BasePath(), "/peer/"; got != want {
		t.Errorf("BasePath() = %q, want %q", got, want)
	}
	if got, want := strings.Join(c.Vocabularies.Regions.IDs(), ","), "north,south"; got != want {
		t.Errorf("regions = %s, want %s (in file order)", got, want)
	}
	if got := c.Vocabularies.Regions.Label("south"); got != "South" {
		t.Errorf("Label(south) = %q, want South", got)
	}
	if got := c.Vocabularies.Regions.Label("nowhere"); got != "nowhere" {
		t.Errorf("Label(nowhere) = %q, want the id back", got)
	}
}

func TestSizeBand(t *testing.T) {
	c, _ := Parse([]byte(minimal))
	tests := []struct {
		pupils int
		want   string
	}{{1, "small"}, {150, "small"}, {151, "medium"}, {400, "medium"}, {401, "large"}, {5000, "large"}}
	for _, tt := range tests {
		if got := c.Vocabularies.SizeBand(tt.pupils); got == nil || got.ID != tt.want {
			t.Errorf("SizeBand(%d) = %v, want %s", tt.pupils, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unknown key", "title: T\nbase_url: https://e.org/\ncolor: red\nvocabularies: {streams: {a: A}, regions: {b: B}}\n", `site.yaml:3:1: color: unknown field`},
		{"missing vocabularies", "title: T\nbase_url: https://e.org/\n", `site.yaml:1:1: vocabularies: required field is missing`},
		{"bad base url", "title: T\nbase_url: /peer/\nvocabularies: {streams: {a: A}, regions: {b: B}}\n", `site.yaml:2:11: base_url: "/peer/" is not an absolute http(s) URL (expected e.g. https://peer-support.example.org/)`},
		{"relative menu address", "title: T\nbase_url: https://e.org/\nnavigation:\n  - {title: About, url: about/}\nvocabularies: {streams: {a: A}, regions: {b: B}}\n", `site.yaml:4:25: navigation[0].url: "about/" is neither a path from the site's root nor a whole address (expected e.g. /about/ or https://example.org/)`},
		{"favicon not from the root", "title: T\nbase_url: https://e.org/\nfavicon: favicon.svg\nvocabularies: {streams: {a: A}, regions: {b: B}}\n", `site.yaml:3:10: favicon: "favicon.svg" is not a path from the site's root (expected e.g. /favicon.svg, for static/favicon.svg)`},
		{"favicon on another host", "title: T\nbase_url: https://e.org/\nfavicon: //cdn.example/i.svg\nvocabularies: {streams: {a: A}, regions: {b: B}}\n", `site.yaml:3:10: favicon: "//cdn.example/i.svg" is not a path from the site's root (expected e.g. /favicon.svg, for static/favicon.svg)`},
		{"favicon not an icon", "title: T\nbase_url: https://e.org/\nfavicon: /logo.jpg\nvocabularies: {streams: {a: A}, regions: {b: B}}\n", `site.yaml:3:10: favicon: "/logo.jpg" is not an SVG, PNG or ICO file (expected a name ending in .svg, .png or .ico)`},
		{"bad time zone", "title: T\nbase_url: https://e.org/\ntimezone: Mars/Olympus\nvocabularies: {streams: {a: A}, regions: {b: B}}\n", `site.yaml:3:11: timezone: unknown time zone "Mars/Olympus" (expected an IANA name such as Europe/London)`},
		{"id not a slug", "title: T\nbase_url: https://e.org/\nvocabularies:\n  streams: {Rural: A}\n  regions: {b: B}\n", `site.yaml:4:13: vocabularies.streams.Rural: id "Rural" is not a slug (expected lower-case letters, digits and hyphens)`},
		{"id twice", "title: T\nbase_url: https://e.org/\nvocabularies:\n  streams: {a: A}\n  regions:\n    north: North\n    south: South\n    north: North again\n", `site.yaml:8:5: vocabularies.regions.north: id appears twice (first on line 6)`},
		{"vocabulary as list", "title: T\nbase_url: https://e.org/\nvocabularies:\n  streams: [a, b]\n  regions: {b: B}\n", `site.yaml:4:12: vocabularies.streams: expected id: label lines, such as "north: North Wealdshire"`},
		{"empty label", "title: T\nbase_url: https://e.org/\nvocabularies:\n  streams: {a: \"\"}\n  regions: {b: B}\n", `site.yaml:4:16: vocabularies.streams.a: expected a label`},
		{"bands out of order", "title: T\nbase_url: https://e.org/\nvocabularies:\n  streams: {a: A}\n  regions: {b: B}\n  size_bands:\n    - {id: big, label: Big, max: 400}\n    - {id: small, label: Small, max: 100}\n    - {id: huge, label: Huge}\n", `site.yaml:8:38: vocabularies.size_bands[1].max: 100 is not above the previous band's max 400 (bands go from small to large)`},
		{"syntax", "title: T\nbase_url: [\n", `site.yaml:3: invalid YAML: did not find expected node content`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Parse([]byte(tt.src))
			if got := diags.Error(); !strings.Contains(got, tt.want) {
				t.Errorf("Parse problems:\n%s\nwant among them:\n%s", got, tt.want)
			}
		})
	}
}

// TestVocabularyNames checks that every name a form's from may give is a
// vocabulary Lookup knows.
func TestVocabularyNames(t *testing.T) {
	for _, name := range vocabularyNames {
		if _, ok := (&Vocabularies{}).Lookup(name); !ok {
			t.Errorf("Lookup(%q) = false, want true", name)
		}
	}
}

// TestFavicon checks which icon a site gets: the one site.yaml names, else
// (FoundFavicon, as build.Load asks) the first of static/favicon.svg, .png
// and .ico it keeps, else none; and the media type its <link> says.
func TestFavicon(t *testing.T) {
	const yml = "title: T\nbase_url: https://e.org/\nvocabularies: {streams: {a: A}, regions: {b: B}}\n"
	for _, tc := range []struct {
		name, favicon string
		static        []string
		want, typ     string
	}{
		{"none", "", nil, "", ""},
		{"named", "/img/Icon.PNG", []string{"favicon.svg"}, "/img/Icon.PNG", "image/png"},
		{"svg first", "", []string{"favicon.ico", "favicon.svg"}, "/favicon.svg", "image/svg+xml"},
		{"png before ico", "", []string{"favicon.ico", "favicon.png"}, "/favicon.png", "image/png"},
		{"ico", "", []string{"favicon.ico"}, "/favicon.ico", "image/x-icon"},
		{"elsewhere is not found", "", []string{"img/favicon.svg"}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := yml
			if tc.favicon != "" {
				text += "favicon: " + tc.favicon + "\n"
			}
			fsys := fstest.MapFS{File: {Data: []byte(text)}}
			for _, name := range tc.static {
				fsys["static/"+name] = &fstest.MapFile{Data: []byte("icon")}
			}
			c, diags := Load(fsys)
			if err := diags.Err(); err != nil {
				t.Fatal(err)
			}
			if c.Favicon == "" { // as build.Load does
				c.Favicon = FoundFavicon(fsys)
			}
			if c.Favicon != tc.want || c.FaviconType() != tc.typ {
				t.Errorf("Favicon = %q (%q), want %q (%q)", c.Favicon, c.FaviconType(), tc.want, tc.typ)
			}
		})
	}
}

func TestIsSlug(t *testing.T) {
	for s, want := range map[string]bool{"jo-evans": true, "a1": true, "Jo": false, "jo--evans": false, "-jo": false, "jo_evans": false, "": false} {
		if got := IsSlug(s); got != want {
			t.Errorf("IsSlug(%q) = %v, want %v", s, got, want)
		}
	}
}
