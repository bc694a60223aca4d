package linkcheck

import (
	"bytes"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"peerpress/generator/internal/diag"
)

func TestInternalFragments(t *testing.T) {
	files := map[string]bool{
		"index.html": true, "about/index.html": true, "training/course-x/index.html": true,
		"images/logo.svg": true, "static.html": true, "old/index.html": true,
	}
	// The pages rendered from layouts, with their ids; static.html, the
	// logo and old/ (an alias's redirect) are not among them.
	pages := map[string][]string{
		"index.html":                   {"main"},
		"about/index.html":             {"main", "our-team", "café", "a b", "a_b", "a&b", "Mixed"},
		"training/course-x/index.html": {"book-course-x", "dates", "main"},
	}
	ids := func(f string) ([]string, bool) {
		p, ok := pages[f]
		return slices.Sorted(slices.Values(p)), ok
	}
	tests := []struct {
		base, page, dest string
		image            bool
		want             string // "" when the link works
	}{
		{"/", "/about/", "/training/course-x/#dates", false, ""},
		{"/", "/about/", "/training/course-x#dates", false, ""},
		{"/", "/about/", "/training/course-x/?x=1#dates", false, ""},
		{"/", "/about/", "#our-team", false, ""},
		{"/", "/about/", "#main", false, ""},
		{"/", "/about/", "#", false, ""},
		{"/", "/about/", "#top", false, ""},
		{"/", "/about/", "#TOP", false, ""},
		{"/", "/about/", "#:~:text=peer", false, ""},
		{"/", "/about/", "#our-team:~:text=peer", false, ""},
		{"/", "/about/", "#caf%C3%A9", false, ""},
		{"/", "/about/", "#café", false, ""},
		{"/", "/about/", "#a%20b", false, ""},
		{"/", "/about/", "#a b", false, ""}, // written <#a b>
		{"/", "/about/", `#a\_b`, false, ""},
		{"/", "/about/", "#a&amp;b", false, ""},
		{"/", "/about/", "#a&#95;b", false, ""},
		{"/", "/about/", "#Mixed", false, ""},
		{"/", "/networks/north/", "/about/#our-team", false, ""},
		{"/", "/networks/north/", "../../about/#our-team", false, ""},
		{"/", "/about/", "/static.html#anything", false, ""},
		{"/", "/about/", "/images/logo.svg#icon", true, ""},
		{"/", "/about/", "/old/#gone", false, ""},
		{"/", "/about/", "/training/course-x/#dats", false, `link "/training/course-x/#dats" points to no element with id "dats" on /training/course-x/ (did you mean "dates"?)`},
		{"/", "/about/", "/training/course-x#dats", false, `link "/training/course-x#dats" points to no element with id "dats" on /training/course-x/ (did you mean "dates"?)`},
		{"/", "/about/", "#our-taem", false, `link "#our-taem" points to no element with id "our-taem" on /about/ (did you mean "our-team"?)`},
		{"/", "/about/", "#Our-Team", false, `link "#Our-Team" points to no element with id "Our-Team" on /about/ (did you mean "our-team"?)`},
		{"/", "/about/", "#mixed", false, `link "#mixed" points to no element with id "mixed" on /about/ (did you mean "Mixed"?)`},
		{"/", "/about/", "#caf%C3%A8", false, `link "#caf%C3%A8" points to no element with id "cafè" on /about/ (did you mean "café"?)`},
		{"/", "/about/", "#our-taem:~:text=peer", false, `link "#our-taem:~:text=peer" points to no element with id "our-taem" on /about/ (did you mean "our-team"?)`},
		{"/", "/about/", "#100%", false, `link "#100%" points to no element with id "100%" on /about/`},
		{"/", "/about/", `#a\-b`, false, `link "#a\\-b" points to no element with id "a-b" on /about/ (did you mean "a b"?)`},
		{"/", "/about/", "/#nowhere", false, `link "/#nowhere" points to no element with id "nowhere" on /`},
		// A broken page is reported as such, not its fragment.
		{"/", "/about/", "/abuot/#our-team", false, `link "/abuot/#our-team" points nowhere: the site has no page or file at /abuot/ (did you mean "/about/"?)`},
		{"/peer/", "/about/", "/peer/training/course-x/#dates", false, ""},
		{"/peer/", "/about/", "/peer/training/course-x/#dats", false, `link "/training/course-x/#dats" points to no element with id "dats" on /peer/training/course-x/ (did you mean "dates"?)`},
		{"/peer/", "/about/", "#dats", false, `link "#dats" points to no element with id "dats" on /peer/about/`},
	}
	for _, tt := range tests {
		l := Link{Pos: diag.Pos{File: "content/x.md", Line: 3, Col: 1}, Dest: tt.dest, Page: tt.page, Image: tt.image}
		got := Internal([]Link{l}, tt.base, files, ids)
		var msg string
		if len(got) > 0 {
			msg = got[0].Msg
		}
		if msg != tt.want {
			t.Errorf("Internal(%q on %s, base %s) = %q, want %q", tt.dest, tt.page, tt.base, msg, tt.want)
		}
		// Without ids, fragments are not checked.
		if got := Internal([]Link{l}, tt.base, files, nil); len(got) > 0 && strings.Contains(got[0].Msg, "no element") {
			t.Errorf("Internal(%q) without ids checked the fragment: %q", tt.dest, got[0].Msg)
		}
	}
}

func TestTargets(t *testing.T) {
	links := []Link{
		{Dest: "/training/course-x/#dates", Page: "/about/"}, // outside the base path
		{Dest: "/peer/news#latest", Page: "/about/"},
		{Dest: "/peer/news/#caf%C3%A9", Page: "/about/"},
		{Dest: "#team", Page: "/about/"},
		{Dest: "/peer/#main", Page: "/about/"},
		{Dest: "/peer/networks/#top", Page: "/about/"},       // the top: no id needed
		{Dest: "/peer/networks/#:~:text=x", Page: "/about/"}, // a text fragment
		{Dest: "/peer/networks/", Page: "/about/"},           // no fragment
		{Dest: "/logo.svg#x", Page: "/about/", Image: true},  // an image
		{Dest: "https://example.org/#x", Page: "/about/"},    // another site
	}
	got := map[string][]string{}
	for f, ids := range Targets(links, "/peer/") {
		got[f] = slices.Sorted(maps.Keys(ids))
	}
	want := map[string][]string{
		"about/index.html": {"team"},
		"index.html":       {"main"},
		"news":             {"latest"},
		"news/index.html":  {"caf%C3%A9", "café", "latest"},
	}
	if !maps.EqualFunc(got, want, slices.Equal) {
		t.Errorf("Targets = %q, want %q", got, want)
	}
	into := LinksInto(links, "/peer/", map[string]bool{"news/index.html": true, "networks/index.html": true})
	if len(into) != 2 || into[0].Dest != "/peer/news#latest" || into[1].Dest != "/peer/news/#caf%C3%A9" {
		t.Errorf("LinksInto = %v, want the links to /peer/news", into)
	}
}

func TestUnescape(t *testing.T) {
	for in, want := range map[string]string{
		"plain":       "plain",
		"caf%C3%A9":   "café",
		"a%20b":       "a b",
		"100%":        "100%",
		"%zz":         "%zz",
		"%4":          "%4",
		"%FF":         "%FF", // not UTF-8: kept as written
		"%2541":       "%41",
		"%e2%9c%93ok": "✓ok",
	} {
		if got := unescapeFragment(in); got != want {
			t.Errorf("unescapeFragment(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPageIDs(t *testing.T) {
	tests := []struct {
		name, html string
		want       []string
	}{
		{"quoted", `<h2 id="dates">Dates</h2><div id='b'>`, []string{"b", "dates"}},
		{"unquoted", `<section id=main class=x>`, []string{"main"}},
		{"upper case attribute", `<DIV ID="Up">`, []string{"Up"}},
		{"spaces around =", `<p id = "sp" >`, []string{"sp"}},
		{"anchor name", `<a name="old">x</a><A NAME=older></A>`, []string{"old", "older"}},
		{"name on other elements is not an anchor", `<input name="q"><meta name="viewport" content="x">`, nil},
		{"entities", `<h2 id="a&amp;b">`, []string{"a&b"}},
		{"unicode", `<h2 id="café">`, []string{"café"}},
		{"empty id", `<p id="">`, nil},
		{"data-id is not id", `<p data-id="x" aria-id=y>`, nil},
		{"text is not a tag", `<p>id="no" 1 < 2 id=no</p>`, nil},
		{"escaped markup", `<code>&lt;p id="no"&gt;</code>`, nil},
		{"comment", `<!-- <p id="no"> --><p id="yes">`, []string{"yes"}},
		{"script", `<script>let s = '<div id="no">'</script><p id="yes">`, []string{"yes"}},
		{"script upper case end", `<SCRIPT>x='<b id=no>'</SCRIPT ><p id=yes>`, []string{"yes"}},
		{"style", `<style>#no{}</style><p id="yes">`, []string{"yes"}},
		{"title", `<title>a <b id="no"></title>`, nil},
		{"doctype", `<!DOCTYPE html><html lang=en><body id=top>`, []string{"top"}},
		{"end tags", `</p id="no"><p id="yes">`, []string{"yes"}},
		{"quoted >", `<a title="a>b" id="yes">`, []string{"yes"}},
		{"self-closing", `<br/><img src=x.png id=pic/>`, []string{"pic/"}},
		{"self-closing spaced", `<img src="x.png" id="pic" />`, []string{"pic"}},
		{"repeats", `<p id="a"><p id="a">`, []string{"a"}},
		{"unterminated", `<p id="a`, nil},
		{"truncated", `<p id=`, nil},
		{"lone <", `a <`, nil},
		{"cut off after a tag's name", `x <p id=a><div `, []string{"a"}},
		{"boolean attribute", `<details open id="d">`, []string{"d"}},
	}
	for _, tt := range tests {
		got := PageIDs([]byte(tt.html))
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: PageIDs(%q) = %q, want %q", tt.name, tt.html, got, tt.want)
		}
	}
}

func TestAnchors(t *testing.T) {
	a := NewAnchors(map[string]map[string]bool{
		"about/index.html": {"team": true, "main": true},
		"news/index.html":  {"gone": true},
	})
	if !a.Wants("about/index.html") || a.Wants("index.html") {
		t.Fatal("Wants does not follow the targets")
	}
	page := []byte(`<p id="a"><main id="main"><h2 id="team">Team</h2><h2 id="later">`)
	a.Scan("about/index.html", page)
	a.Scan("news/index.html", page)
	// The ids up to the last one wanted, when all are there; all of
	// them, for the suggestion, when one is missing.
	if ids, ok := a.IDs("about/index.html"); !ok || !slices.Equal(ids, []string{"a", "main", "team"}) {
		t.Errorf("IDs(about) = %q, %v", ids, ok)
	}
	if ids, ok := a.IDs("news/index.html"); !ok || !slices.Equal(ids, []string{"a", "later", "main", "team"}) {
		t.Errorf("IDs(news) = %q, %v", ids, ok)
	}
	if _, ok := a.IDs("index.html"); ok {
		t.Error("IDs of a page not scanned is ok")
	}
	var none *Anchors
	if none.Wants("x") {
		t.Error("a nil *Anchors wants a page")
	}
	if _, ok := none.IDs("x"); ok {
		t.Error("a nil *Anchors has ids")
	}
}

func TestPageIDsStopsAtTheLastWanted(t *testing.T) {
	page := []byte(`<p id="a"><p id="a"><p id="b"><p id="c">`)
	for _, tt := range []struct {
		want []string
		ids  []string
	}{
		{nil, []string{"a", "b", "c"}},
		{[]string{"a"}, []string{"a"}},
		{[]string{"b", "a"}, []string{"a", "b"}},
		{[]string{"a", "x"}, []string{"a", "b", "c"}},
	} {
		want := map[string]bool{}
		for _, id := range tt.want {
			want[id] = true
		}
		if got := pageIDs(page, want); !slices.Equal(got, tt.ids) {
			t.Errorf("pageIDs(want %q) = %q, want %q", tt.want, got, tt.ids)
		}
	}
}

// BenchmarkPageIDs reads the ids of a supporter's page of the example
// site, as a build does for each page a fragment points into; the MB/s
// figure, times a site's HTML, is what checking fragments into every
// page would cost.
func BenchmarkPageIDs(b *testing.B) {
	page, err := os.ReadFile("testdata/page.html")
	if err != nil {
		b.Fatal(err)
	}
	if ids := PageIDs(page); !slices.Contains(ids, "main") {
		b.Fatalf("the page's ids %q have no main", ids)
	}
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		PageIDs(page)
	}
}

// FuzzPageIDs reads any bytes as a page: PageIDs never panics; every id it
// finds is written in the page, as it is or with character references;
// and reading only until a set of ids is found finds each of them.
func FuzzPageIDs(f *testing.F) {
	for _, s := range []string{
		`<h2 id="dates">Dates</h2><div id='b'>`, `<A NAME=older></A><p id = "sp" >`,
		`<h2 id="a&amp;b">`, `<!-- <p id="no"> --><p id="yes">`,
		`<SCRIPT>x='<b id=no>'</SCRIPT ><p id=yes>`, `<title>a <b id="no"></title><p id=x>`,
		`<img src=x.png id=pic/>`, `<p id="a`, `<p id=`, `a <`, `<![CDATA[<p id=c>]]><?x id=y?>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, page []byte) {
		ids := PageIDs(page)
		want := map[string]bool{}
		for _, id := range ids {
			if id == "" || !bytes.Contains(page, []byte(id)) && !bytes.Contains(page, []byte("&")) {
				t.Fatalf("PageIDs(%q) found %q, which the page does not hold", page, id)
			}
			want[id] = true
		}
		if len(want) == 0 {
			return
		}
		got := pageIDs(page, want)
		for id := range want {
			if !slices.Contains(got, id) {
				t.Fatalf("pageIDs(%q) reading until %q stopped before %q: %q", page, ids, id, got)
			}
		}
	})
}
