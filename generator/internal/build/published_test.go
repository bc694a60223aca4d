package build

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/html"

	"peerpress/generator/internal/ics/icstest"
)

// buildExample builds the repository's example site at the tests' build
// date and returns where it went.
func buildExample(t *testing.T) string {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := Build(context.Background(), Options{Source: exampleSite, Destination: dest, Now: buildDate, NowIsDate: true}); err != nil {
		t.Fatalf("build: %v", err)
	}
	return dest
}

// TestCalendarsIcalJS reads every calendar of the example site with ical.js,
// an independent parser, and checks times across the change to British
// Summer Time: the training day runs 09:30 to 12:30 local on 18 March 2027
// (GMT) and 15 April 2027 (BST).
func TestCalendarsIcalJS(t *testing.T) {
	dest := buildExample(t)
	files, _ := filepath.Glob(filepath.Join(dest, "training", "*", "*.ics"))
	files = append(files, filepath.Join(dest, "training", "calendar.ics"))
	nets, _ := filepath.Glob(filepath.Join(dest, "networks", "*", "calendar.ics"))
	if len(nets) == 0 {
		t.Fatal("no network calendars")
	}
	files = append(files, nets...)
	cals := icstest.Parse(t, files...)
	byFile := map[string]icstest.Calendar{}
	for _, c := range cals {
		rel, _ := filepath.Rel(dest, c.File)
		byFile[filepath.ToSlash(rel)] = c
		if c.Version != "2.0" || c.ProdID == "" {
			t.Errorf("%s: VERSION %q PRODID %q", rel, c.Version, c.ProdID)
		}
		for _, e := range c.Events {
			if e.DTStamp != "2026-11-22T00:00:00.000Z" {
				t.Errorf("%s: DTSTAMP %s, want the build date", rel, e.DTStamp)
			}
			if !strings.HasSuffix(e.UID, "@peer-support.wealdshire.example.org") || e.Summary == "" || e.Location == "" || !strings.HasPrefix(e.URL, "https://") {
				t.Errorf("%s: incomplete event %+v", rel, e)
			}
		}
	}
	for _, tt := range []struct{ file, start, end string }{
		{"training/peer-support-training-day/2027-03-18.ics", "2027-03-18T09:30:00.000Z", "2027-03-18T12:30:00.000Z"},
		{"training/peer-support-training-day/2027-04-15.ics", "2027-04-15T08:30:00.000Z", "2027-04-15T11:30:00.000Z"},
	} {
		c, ok := byFile[tt.file]
		if !ok || len(c.Events) != 1 {
			t.Errorf("%s: %d events, want 1", tt.file, len(c.Events))
			continue
		}
		if e := c.Events[0]; e.Start != tt.start || e.End != tt.end {
			t.Errorf("%s: %s to %s, want %s to %s", tt.file, e.Start, e.End, tt.start, tt.end)
		}
		if e := c.Events[0]; e.UID != "peer-support-training-day/"+strings.TrimSuffix(filepath.Base(tt.file), ".ics")+"@peer-support.wealdshire.example.org" {
			t.Errorf("%s: UID %q", tt.file, e.UID)
		}
	}
	all := byFile["training/calendar.ics"]
	var uids []string
	for _, e := range all.Events {
		if e.Start < "2026-11-22" {
			t.Errorf("training/calendar.ics has a past session: %+v", e)
		}
		uids = append(uids, e.UID)
	}
	if len(uids) == 0 || len(slices.Compact(slices.Sorted(slices.Values(uids)))) != len(uids) {
		t.Errorf("training/calendar.ics: UIDs %v, want some, each once", uids)
	}
}

// TestFeedsAndSitemap parses the Atom feeds and the sitemap of the example
// site and checks the rules of Atom 1.0 (RFC 4287) and of sitemaps.org.
func TestFeedsAndSitemap(t *testing.T) {
	dest := buildExample(t)
	type link struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
		Type string `xml:"type,attr"`
	}
	type person struct {
		Name string `xml:"name"`
	}
	type entry struct {
		ID      string   `xml:"id"`
		Title   string   `xml:"title"`
		Updated string   `xml:"updated"`
		Author  []person `xml:"author"`
		Links   []link   `xml:"link"`
		Summary string   `xml:"summary"`
		Content string   `xml:"content"`
	}
	type feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Title   string   `xml:"title"`
		Updated string   `xml:"updated"`
		Author  []person `xml:"author"`
		Links   []link   `xml:"link"`
		Entries []entry  `xml:"entry"`
	}
	absolute := func(s string) bool {
		u, err := url.Parse(s)
		return err == nil && u.Scheme == "https" && u.Host == "peer-support.wealdshire.example.org"
	}
	rfc3339 := func(s string) bool { _, err := time.Parse(time.RFC3339, s); return err == nil }
	for _, tt := range []struct {
		path    string
		entries int
	}{{"news/feed.xml", 5}, {"training/feed.xml", 0}} { // 5: one of six news posts is a draft
		b, err := os.ReadFile(filepath.Join(dest, tt.path))
		if err != nil {
			t.Fatal(err)
		}
		var f feed
		if err := xml.Unmarshal(b, &f); err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		if !absolute(f.ID) || f.Title == "" || !rfc3339(f.Updated) || len(f.Author) != 1 || f.Author[0].Name == "" {
			t.Errorf("%s: feed id %q title %q updated %q author %v", tt.path, f.ID, f.Title, f.Updated, f.Author)
		}
		self := slices.IndexFunc(f.Links, func(l link) bool { return l.Rel == "self" })
		if self < 0 || f.Links[self].Href != "https://peer-support.wealdshire.example.org/"+tt.path {
			t.Errorf("%s: no rel=self link to itself in %v", tt.path, f.Links)
		}
		if len(f.Entries) == 0 || (tt.entries > 0 && len(f.Entries) != tt.entries) {
			t.Errorf("%s: %d entries, want %d", tt.path, len(f.Entries), tt.entries)
		}
		ids := map[string]bool{}
		for _, e := range f.Entries {
			if !absolute(e.ID) || ids[e.ID] || e.Title == "" || !rfc3339(e.Updated) || e.Summary == "" {
				t.Errorf("%s: entry id %q title %q updated %q summary %q", tt.path, e.ID, e.Title, e.Updated, e.Summary)
			}
			ids[e.ID] = true
			alt := slices.IndexFunc(e.Links, func(l link) bool { return l.Rel == "alternate" })
			if alt < 0 || !absolute(e.Links[alt].Href) {
				t.Errorf("%s: entry %s has no absolute alternate link", tt.path, e.ID)
			}
			if strings.Contains(e.Content, `href="/`) || strings.Contains(e.Content, `src="/`) {
				t.Errorf("%s: entry %s content has a relative link", tt.path, e.ID)
			}
		}
	}

	b, err := os.ReadFile(filepath.Join(dest, "sitemap.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var set struct {
		XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
		URLs    []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(b, &set); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	if n := len(set.URLs); n == 0 || n > 50000 || len(b) > 50<<20 {
		t.Errorf("sitemap.xml: %d URLs in %d bytes (at most 50,000 and 50 MB)", n, len(b))
	}
	seen := map[string]bool{}
	for _, u := range set.URLs {
		if !absolute(u.Loc) || seen[u.Loc] {
			t.Errorf("sitemap.xml: loc %q not absolute or repeated", u.Loc)
		}
		seen[u.Loc] = true
		if _, err := time.Parse(time.DateOnly, u.LastMod); u.LastMod != "" && err != nil {
			t.Errorf("sitemap.xml: lastmod %q is not a W3C date", u.LastMod)
		}
		p := strings.TrimPrefix(u.Loc, "https://peer-support.wealdshire.example.org/")
		if _, err := os.Stat(filepath.Join(dest, filepath.FromSlash(p), "index.html")); err != nil {
			t.Errorf("sitemap.xml: %s has no page", u.Loc)
		}
	}
}

var ldScript = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

// TestStructuredData checks the JSON-LD of a course page of the example site:
// valid JSON, an Event per upcoming session with the fields search engines
// read, and a BreadcrumbList.
func TestStructuredData(t *testing.T) {
	dest := buildExample(t)
	b, err := os.ReadFile(filepath.Join(dest, "training", "peer-support-training-day", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	m := ldScript.FindSubmatch(b)
	if m == nil {
		t.Fatal("no JSON-LD on the course page")
	}
	var ld struct {
		Context string           `json:"@context"`
		Graph   []map[string]any `json:"@graph"`
	}
	if err := json.Unmarshal(m[1], &ld); err != nil {
		t.Fatalf("JSON-LD is not valid JSON: %v\n%s", err, m[1])
	}
	types := map[string]int{}
	for _, n := range ld.Graph {
		typ, _ := n["@type"].(string)
		types[typ]++
		if typ != "Event" {
			continue
		}
		for _, k := range []string{"name", "startDate", "endDate", "eventAttendanceMode", "location", "offers", "maximumAttendeeCapacity", "organizer"} {
			if _, ok := n[k]; !ok {
				t.Errorf("Event %v lacks %s", n["url"], k)
			}
		}
		if s, _ := n["startDate"].(string); !rfc3339OK(s) {
			t.Errorf("startDate %q is not a date-time with an offset", s)
		}
		if a, _ := n["offers"].(map[string]any)["availability"].(string); !strings.HasPrefix(a, "https://schema.org/") {
			t.Errorf("availability %q", a)
		}
	}
	if ld.Context != "https://schema.org" || types["BreadcrumbList"] != 1 || types["Event"] < 2 {
		t.Errorf("JSON-LD has @context %q and types %v, want a BreadcrumbList and Events", ld.Context, types)
	}
	home, _ := os.ReadFile(filepath.Join(dest, "index.html"))
	if !bytes.Contains(home, []byte(`"@type":"Organization"`)) {
		t.Errorf("home page has no Organization")
	}
}

func rfc3339OK(s string) bool { _, err := time.Parse(time.RFC3339, s); return err == nil }

// TestStructuredDataEscaped puts a closing script tag in a course's title
// and summary: it must stay inside the JSON-LD as text.
func TestStructuredDataEscaped(t *testing.T) {
	src, _, opts := basicSite(t)
	course := "---\ntitle: \"Day </script><script>alert(1)</script>\"\nsummary: \"Ends </SCRIPT> here & <!-- there\"\nsessions:\n  - start: \"2027-04-15 09:30\"\n    location: {online: true}\n---\n"
	if err := os.WriteFile(filepath.Join(src, "content", "training", "evil.md"), []byte(course), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(opts.Destination, "training", "evil", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	// An HTML tokenizer sees the page as a browser does: exactly one inline
	// script element, the JSON-LD (the theme's scripts, such as the
	// header's, come from files, with a src).
	var scripts []string
	lx := html.NewLexer(parse.NewInputBytes(b))
	for inScript, external := false, false; ; {
		tt, data := lx.Next()
		if tt == html.ErrorToken {
			break
		}
		switch {
		case tt == html.StartTagToken && string(lx.Text()) == "script":
			inScript, external = true, false
			scripts = append(scripts, "")
		case inScript && tt == html.AttributeToken && string(lx.Text()) == "src":
			external = true
		case inScript && tt == html.StartTagCloseToken && external:
			scripts = scripts[:len(scripts)-1]
		case tt == html.EndTagToken && string(lx.Text()) == "script":
			inScript = false
		case inScript && !external && tt == html.TextToken:
			scripts[len(scripts)-1] += string(data)
		}
	}
	if len(scripts) != 1 {
		t.Errorf("the page has %d inline script elements, want 1: %q", len(scripts), scripts)
	}
	m := ldScript.FindSubmatch(b)
	if m == nil {
		t.Fatal("no JSON-LD")
	}
	var ld map[string]any
	if err := json.Unmarshal(m[1], &ld); err != nil {
		t.Fatalf("JSON-LD is not valid JSON: %v\n%s", err, m[1])
	}
	if !strings.Contains(string(m[1]), `\u003c/script\u003e`) && !strings.Contains(string(m[1]), `\x3c/script`) {
		t.Errorf("closing tag not escaped in %s", m[1])
	}
	if got := ld["@graph"].([]any)[1].(map[string]any)["name"]; got != "Day </script><script>alert(1)</script>" {
		t.Errorf("name = %q, want the title as written", got)
	}
}

// TestRedirectsFile checks _redirects: one "from to 301" line per alias,
// both under the base path.
func TestRedirectsFile(t *testing.T) {
	_, _, opts := basicSite(t)
	opts.BaseURL = "https://example.org/peer/"
	if _, err := Build(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(opts.Destination, "_redirects"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	for sc := bufio.NewScanner(f); sc.Scan(); {
		lines = append(lines, sc.Text())
	}
	if want := []string{"/peer/about-us/ /peer/about/ 301"}; !slices.Equal(lines, want) {
		t.Errorf("_redirects = %q, want %q", lines, want)
	}
}

// TestSupporterPhoto gives one supporter a photo under static/ and another
// one under content/, and checks the sizes written and the img elements of
// the profile and the directory.
func TestSupporterPhoto(t *testing.T) {
	src, _, opts := basicSite(t)
	opts.BaseURL = "https://example.org/peer/"
	img := image.NewRGBA(image.Rect(0, 0, 600, 800))
	for y := range 800 {
		for x := range 600 {
			img.Set(x, y, color.RGBA{uint8(x / 3), uint8(y / 4), 120, 255})
		}
	}
	var pngBytes, jpegBytes bytes.Buffer
	if err := png.Encode(&pngBytes, img); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&jpegBytes, img, nil); err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) {
		p := filepath.Join(src, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("static/images/ann.png", pngBytes.Bytes())
	write("content/supporters/bob.jpg", jpegBytes.Bytes())
	addField := func(file, line string) {
		p := filepath.Join(src, "content", "supporters", file)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		write("content/supporters/"+file, bytes.Replace(b, []byte("---\n"), []byte("---\n"+line+"\n"), 1))
	}
	addField("ann-able.md", "photo: images/ann.png")
	addField("bob-baker.md", "photo: supporters/bob.jpg")
	if _, err := Build(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	pub := opts.Destination
	for _, tt := range []struct{ glob, want string }{
		{"images/supporters/ann-able.*-96.png", "96×96"},
		{"images/supporters/ann-able.*-480.png", "480×480"},
		{"images/supporters/bob-baker.*-240.jpg", "240×240"},
	} {
		files, _ := filepath.Glob(filepath.Join(pub, filepath.FromSlash(tt.glob)))
		if len(files) != 1 {
			t.Errorf("%s: %d files, want 1", tt.glob, len(files))
			continue
		}
		f, err := os.Open(files[0])
		if err != nil {
			t.Fatal(err)
		}
		cfg, _, err := image.DecodeConfig(f)
		f.Close()
		if err != nil || fmt.Sprintf("%d×%d", cfg.Width, cfg.Height) != tt.want {
			t.Errorf("%s: %v %d×%d, want %s", files[0], err, cfg.Width, cfg.Height, tt.want)
		}
	}
	profile, _ := os.ReadFile(filepath.Join(pub, "supporters", "ann-able", "index.html"))
	profileImg := regexp.MustCompile(`<img class="profile-photo" src="/peer/images/supporters/ann-able\.[0-9a-f]{8}-240\.png" srcset="[^"]+ 96w, [^"]+ 192w, [^"]+ 240w, [^"]+ 480w" sizes="[^"]+" width="240" height="240" alt="Ann Able"`)
	if !profileImg.Match(profile) {
		t.Errorf("profile has no sized photo:\n%s", regexp.MustCompile(`<img[^>]*>`).Find(profile))
	}
	listing, _ := os.ReadFile(filepath.Join(pub, "supporters", "index.html"))
	cardImg := regexp.MustCompile(`<img class="card-photo" src="/peer/images/supporters/ann-able\.[0-9a-f]{8}-96\.png" srcset="[^"]+" sizes="96px" width="96" height="96" alt="Ann Able" loading="lazy"`)
	if !cardImg.Match(listing) {
		t.Errorf("directory card has no lazy sized photo:\n%s", regexp.MustCompile(`<img[^>]*>`).FindAll(listing, -1))
	}
}

// TestSupporterPhotoNotAnImage checks that a photo that is no image stops
// the build with an error at its field.
func TestSupporterPhotoNotAnImage(t *testing.T) {
	src, _, opts := basicSite(t)
	if err := os.MkdirAll(filepath.Join(src, "static", "images"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "static", "images", "ann.png"), []byte("not a picture"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(src, "content", "supporters", "ann-able.md")
	b, _ := os.ReadFile(p)
	if err := os.WriteFile(p, bytes.Replace(b, []byte("---\n"), []byte("---\nphoto: images/ann.png\n"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Build(context.Background(), opts)
	var ce *ContentError
	if !errors.As(err, &ce) || !strings.Contains(ce.Diags.Error(), "content/supporters/ann-able.md:2:8: photo: images/ann.png: not a JPEG or PNG image") {
		t.Errorf("build = %v, want an error at the photo field", err)
	}
}
