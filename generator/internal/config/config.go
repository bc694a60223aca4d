// Package config reads site.yaml: the site's settings, its vocabularies (the
// regions, streams, skills and grades content may use) and its navigation.
// Every problem is reported with its line and column.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"peerpress/generator/internal/decode"
	"peerpress/generator/internal/diag"
)

// File is the name of the settings file at the root of a site.
const File = "site.yaml"

// Config is site.yaml.
type Config struct {
	Title       string `yaml:"title" pp:"required"`
	Description string `yaml:"description"`
	// BaseURL is the absolute URL the site is published at; its path, if any,
	// prefixes every link.
	BaseURL  string `yaml:"base_url" pp:"required"`
	Language string `yaml:"language"`
	Timezone string `yaml:"timezone"`
	// Organisation names who runs the programme, for the footer and
	// structured data.
	Organisation string       `yaml:"organisation"`
	Contact      Contact      `yaml:"contact"`
	Paginate     int          `yaml:"paginate" pp:"min=1"`
	Markdown     Markdown     `yaml:"markdown"`
	Navigation   []NavItem    `yaml:"navigation"`
	Footer       []NavItem    `yaml:"footer"`
	Vocabularies Vocabularies `yaml:"vocabularies" pp:"required"`
	// Rules are the scheme's eligibility and content-policy rules; their
	// problems are in Rules.Diags, not in Parse's result.
	Rules Rules `yaml:"rules"`
	// Forms are the site's forms and where their answers go (forms.go).
	Forms Forms `yaml:"forms"`
	// Favicon is the site path of the icon browsers show in tabs and
	// bookmarks: an SVG, PNG or ICO file the site serves, usually from
	// static/.
	Favicon string `yaml:"favicon"`

	// Location is Timezone loaded.
	Location *time.Location `yaml:"-"`
	// Base is BaseURL parsed; its path always ends in "/".
	Base *url.URL `yaml:"-"`
	// Pos is where each setting's value was written, keyed by its path
	// ("navigation[1].url"); see PosOf.
	Pos map[string]diag.Pos `yaml:"-"`
}

// PosOf returns where the setting at path was written, or the start of
// site.yaml when it was not.
func (c *Config) PosOf(path string) diag.Pos {
	if p, ok := c.Pos[path]; ok {
		return p
	}
	return diag.Pos{File: File, Line: 1, Col: 1}
}

// faviconTypes are the media types of the icons Favicon may name, by
// extension: those every current browser shows.
var faviconTypes = map[string]string{
	".svg": "image/svg+xml",
	".png": "image/png",
	".ico": "image/x-icon",
}

// FaviconType is the media type of Favicon, for its <link>.
func (c *Config) FaviconType() string {
	return faviconTypes[strings.ToLower(path.Ext(c.Favicon))]
}

// Contact is how people reach the scheme (never an individual supporter).
type Contact struct {
	Name  string `yaml:"name"`
	Email string `yaml:"email"`
	Phone string `yaml:"phone"`
}

// Markdown holds rendering options for bodies.
type Markdown struct {
	// UnsafeHTML lets raw HTML in Markdown through; by default it is escaped.
	UnsafeHTML bool `yaml:"unsafe_html"`
}

// NavItem is one link of a menu.
type NavItem struct {
	Title string `yaml:"title" pp:"required"`
	URL   string `yaml:"url" pp:"required"`
}

// MenuItem is an item of one of site.yaml's menus, with the path of its
// url setting ("footer[2].url"), where problems with it are reported.
type MenuItem struct {
	Field string
	NavItem
}

// MenuItems lists the items of the main menu, then the footer's.
func (c *Config) MenuItems() []MenuItem {
	var out []MenuItem
	for _, menu := range []struct {
		key   string
		items []NavItem
	}{{"navigation", c.Navigation}, {"footer", c.Footer}} {
		for i, item := range menu.items {
			out = append(out, MenuItem{fmt.Sprintf("%s[%d].url", menu.key, i), item})
		}
	}
	return out
}

// Vocabularies are the values content fields may take, so each scheme can
// use its own without touching code.
type Vocabularies struct {
	Streams          Vocabulary `yaml:"streams" pp:"required"`
	Regions          Vocabulary `yaml:"regions" pp:"required"`
	Themes           Vocabulary `yaml:"themes"`
	Audiences        Vocabulary `yaml:"audiences"`
	SchoolTypes      Vocabulary `yaml:"school_types"`
	Phases           Vocabulary `yaml:"phases"`
	SizeBands        []SizeBand `yaml:"size_bands"`
	InspectionGrades Vocabulary `yaml:"inspection_grades"`
	Skills           Vocabulary `yaml:"skills"`
}

// SizeBand is a range of pupil numbers shown instead of the exact number.
type SizeBand struct {
	ID    string `yaml:"id" pp:"required"`
	Label string `yaml:"label" pp:"required"`
	// Max is the largest number of pupils in the band; 0 on the last band
	// means no upper limit.
	Max int `yaml:"max"`
}

// Term is one value of a vocabulary: the id content uses and the label
// readers see.
type Term struct {
	ID    string
	Label string
}

// Vocabulary is an ordered list of terms, written in site.yaml as a mapping
// of id to label.
type Vocabulary []Term

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// IsSlug reports whether s is lower-case ASCII letters, digits and single
// hyphens: the form of every id and URL segment.
func IsSlug(s string) bool { return slugRE.MatchString(s) }

// DecodeYAML implements decode.Unmarshaler.
func (v *Vocabulary) DecodeYAML(d *decode.Decoder, path string, n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		d.Errorf(n, path, "expected id: label lines, such as \"north: North Wealdshire\"")
		return
	}
	seen := map[string]int{} // the line each id is first on
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		switch {
		case !IsSlug(k.Value):
			d.Errorf(k, path+"."+k.Value, "id %q is not a slug (expected lower-case letters, digits and hyphens)", k.Value)
		case seen[k.Value] > 0:
			d.Errorf(k, path+"."+k.Value, "id appears twice (first on line %d)", seen[k.Value]+d.LineOffset)
		case val.Kind != yaml.ScalarNode || strings.TrimSpace(val.Value) == "":
			d.Errorf(val, path+"."+k.Value, "expected a label")
		default:
			*v = append(*v, Term{ID: k.Value, Label: val.Value})
		}
		if seen[k.Value] == 0 {
			seen[k.Value] = k.Line
		}
	}
}

// IDs lists the ids in order.
func (v Vocabulary) IDs() []string {
	ids := make([]string, len(v))
	for i, t := range v {
		ids[i] = t.ID
	}
	return ids
}

// Label returns the label of id, or id itself if it is unknown.
func (v Vocabulary) Label(id string) string {
	for _, t := range v {
		if t.ID == id {
			return t.Label
		}
	}
	return id
}

// Lookup returns the ids of the named vocabulary (the site.yaml key), and
// whether there is a vocabulary of that name.
func (vs *Vocabularies) Lookup(name string) ([]string, bool) {
	v, ok := vs.vocabulary(name)
	return v.IDs(), ok
}

// IDOfLabel returns the id whose label in the named vocabulary is label,
// ignoring case, or "".
func (vs *Vocabularies) IDOfLabel(name, label string) string {
	v, _ := vs.vocabulary(name)
	for _, t := range v {
		if strings.EqualFold(t.Label, strings.TrimSpace(label)) {
			return t.ID
		}
	}
	return ""
}

// Vocabulary returns the named vocabulary; size bands are returned as terms.
func (vs *Vocabularies) Vocabulary(name string) Vocabulary {
	v, _ := vs.vocabulary(name)
	return v
}

// vocabularyNames are the vocabularies' names, as site.yaml writes them.
var vocabularyNames = []string{"streams", "regions", "themes", "audiences", "school_types", "phases", "inspection_grades", "skills", "size_bands"}

func (vs *Vocabularies) vocabulary(name string) (Vocabulary, bool) {
	switch name {
	case "streams":
		return vs.Streams, true
	case "regions":
		return vs.Regions, true
	case "themes":
		return vs.Themes, true
	case "audiences":
		return vs.Audiences, true
	case "school_types":
		return vs.SchoolTypes, true
	case "phases":
		return vs.Phases, true
	case "inspection_grades":
		return vs.InspectionGrades, true
	case "skills":
		return vs.Skills, true
	case "size_bands":
		v := make(Vocabulary, len(vs.SizeBands))
		for i, b := range vs.SizeBands {
			v[i] = Term{ID: b.ID, Label: b.Label}
		}
		return v, true
	}
	return nil, false
}

// SizeBand returns the band that a school of pupils falls in, or nil.
func (vs *Vocabularies) SizeBand(pupils int) *SizeBand {
	for i, b := range vs.SizeBands {
		if b.Max == 0 || pupils <= b.Max {
			return &vs.SizeBands[i]
		}
	}
	return nil
}

// Load reads and checks site.yaml from the root of fsys.
func Load(fsys fs.FS) (*Config, diag.List) {
	data, err := fs.ReadFile(fsys, File)
	if err != nil {
		var l diag.List
		if errors.Is(err, fs.ErrNotExist) {
			l.Add(diag.Pos{File: File}, "", "cannot read the site settings: there is no site.yaml here (run the generator in the site's folder, or give --source with that folder)")
		} else {
			l.Add(diag.Pos{File: File}, "", "cannot read the site settings: %v", err)
		}
		return nil, l
	}
	return Parse(data)
}

// Favicons are the names of the icons a site may keep in static/ without
// naming one in site.yaml, in the order FoundFavicon looks for them.
var Favicons = []string{"favicon.svg", "favicon.png", "favicon.ico"}

// FoundFavicon is the site path of the first of Favicons that fsys (a
// site's root) has in static/, or "" when it has none: the favicon of a
// site whose site.yaml names none.
func FoundFavicon(fsys fs.FS) string {
	for _, name := range Favicons {
		if info, err := fs.Stat(fsys, "static/"+name); err == nil && info.Mode().IsRegular() {
			return "/" + name
		}
	}
	return ""
}

// Parse decodes and checks the text of site.yaml.
func Parse(data []byte) (*Config, diag.List) {
	n, diags := decode.Parse(data, File, 0)
	if n == nil {
		return nil, diags
	}
	c := &Config{Language: "en-GB", Timezone: "Europe/London", Paginate: 20}
	d := &decode.Decoder{File: File}
	d.Decode(n, c)
	pos := func(field string) diag.Pos {
		if p, ok := d.Pos[field]; ok {
			return p
		}
		return diag.Pos{File: File, Line: 1, Col: 1}
	}
	if loc, err := time.LoadLocation(c.Timezone); err != nil {
		d.Diags.Add(pos("timezone"), "timezone", "unknown time zone %q (expected an IANA name such as Europe/London)", c.Timezone)
	} else {
		c.Location = loc
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			d.Diags.Add(pos("base_url"), "base_url", "%q is not an absolute http(s) URL (expected e.g. https://peer-support.example.org/)", c.BaseURL)
		} else {
			c.SetBase(u)
		}
	}
	prev := -1
	bandIDs := map[string]bool{}
	for i, b := range c.Vocabularies.SizeBands {
		field := fmt.Sprintf("vocabularies.size_bands[%d]", i)
		switch {
		case b.ID != "" && !IsSlug(b.ID):
			d.Diags.Add(pos(field+".id"), field+".id", "id %q is not a slug (expected lower-case letters, digits and hyphens)", b.ID)
		case bandIDs[b.ID]:
			d.Diags.Add(pos(field+".id"), field+".id", "id %q appears twice", b.ID)
		}
		bandIDs[b.ID] = true
		switch {
		case b.Max == 0 && i != len(c.Vocabularies.SizeBands)-1:
			d.Diags.Add(pos(field), field+".max", "only the last size band may leave max out")
		case b.Max != 0 && b.Max <= prev:
			d.Diags.Add(pos(field+".max"), field+".max", "%d is not above the previous band's max %d (bands go from small to large)", b.Max, prev)
		}
		prev = b.Max
	}
	for _, item := range c.MenuItems() {
		// A relative address would go somewhere else on every page of
		// a different depth.
		if u, err := url.Parse(item.URL); item.URL != "" && (err != nil || u.Scheme == "" && !strings.HasPrefix(item.URL, "/")) {
			d.Diags.Add(pos(item.Field), item.Field, "%q is neither a path from the site's root nor a whole address (expected e.g. /about/ or https://example.org/)", item.URL)
		}
	}
	if f := c.Favicon; f != "" {
		switch {
		case !strings.HasPrefix(f, "/") || strings.HasPrefix(f, "//"):
			d.Diags.Add(pos("favicon"), "favicon", "%q is not a path from the site's root (expected e.g. /favicon.svg, for static/favicon.svg)", f)
		case c.FaviconType() == "":
			d.Diags.Add(pos("favicon"), "favicon", "%q is not an SVG, PNG or ICO file (expected a name ending in .svg, .png or .ico)", f)
		}
	}
	c.Pos = d.Pos
	return c, d.Diags.Sort()
}

// SetBase sets the base URL (from site.yaml or --base-url), making sure its
// path ends in a slash.
func (c *Config) SetBase(u *url.URL) {
	u = &url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	c.Base = u
	c.BaseURL = u.String()
}

// BasePath is the path the site lives under, "/" or "/peer-support/".
func (c *Config) BasePath() string { return c.Base.Path }

// Link is the address pages link p at: a path from the site's root with
// the base path before it ("/about/" is "/peer-support/about/"), anything
// else (a relative, whole or protocol-relative address, "#top") as it is.
func (c *Config) Link(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return p
	}
	return c.Base.Path + p[1:]
}
