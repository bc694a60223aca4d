package layout

import (
	"bytes"
	"html/template"
	"strings"
	"testing"

	"github.com/tdewolff/minify/v2"
	mhtml "github.com/tdewolff/minify/v2/html"

	"peerpress/generator/internal/site"
)

// htmlMinifier is the build's HTML minifier, as far as splicing depends on.
func htmlMinifier() *minify.M {
	m := minify.New()
	m.Add("text/html", &mhtml.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true})
	return m
}

func TestBlockBounded(t *testing.T) {
	tests := []struct {
		html string
		want bool
	}{
		{"\n<li class=\"card\">\n<a href=\"/x/\">X</a>\n</li>\n", true},
		{"<aside><p>a</p></aside><div>b</div>", true},
		{"<DIV>a</DIV>", true},
		{"<header>a</header>", true},
		{"<span>a</span>", false},     // inline: white space around it counts
		{"<li>a</li> tail", false},    // ends in text
		{"lead <li>a</li>", false},    // starts with text
		{"<li>a</span>", false},       // ends with an inline end tag
		{"<style>a{}</style>", false}, // raw text
		{"<title>a</title>", false},
		{"", false},
		{"<li", false},
	}
	for _, tt := range tests {
		if got := blockBounded(tt.html); got != tt.want {
			t.Errorf("blockBounded(%q) = %v, want %v", tt.html, got, tt.want)
		}
	}
}

// TestExecuteMinifiedSplice checks that a page minified with its cached
// partials spliced in is byte for byte the page minified whole, wherever a
// layout puts the partial: where a placeholder cannot stand for it (in an
// attribute, a script, <pre>, or next to text for a partial that does not
// start and end with a block element) the page is rendered again with the
// partial in place.
func TestExecuteMinifiedSplice(t *testing.T) {
	cfg := testConfig(t, "https://example.org/")
	block := `{{define "frag"}}
<li class="card">  <a href="{{.URL}}">{{.Title}}</a>   <span>it&#39;s</span>
</li>
{{end}}`
	inline := `{{define "frag"}}<span> {{.Title}} </span> and <b>more</b>{{end}}`
	tests := []struct {
		name, partial, main string
		spliced             bool // whether the placeholder stays in use
	}{
		{"block in a list", block, `<ul>{{cached "frag" "k" .}} {{cached "frag" "k" .}}</ul>`, true},
		{"block after text", block, `<p>Words   </p>x  {{cached "frag" "k" .}}  y <em>z</em>`, true},
		{"inline after text", inline, `<p>Words {{cached "frag" "k" .}} end.</p>`, true},
		{"block in an attribute", block, `<a title="{{cached "frag" "k" .}}">t</a>`, false},
		{"block in a script", block, `<script>var x = {{cached "frag" "k" .}};</script>`, false},
		{"block in pre", block, "<pre>  a\n{{cached \"frag\" \"k\" .}}\n  b</pre>", false},
		{"block in a textarea", block, `<textarea>{{cached "frag" "k" .}}</textarea>`, false},
	}
	m := htmlMinifier()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := load(t, cfg, map[string]string{
				"layouts/partials/frag.html": tt.partial,
				"layouts/probe.html":         `{{define "main"}}` + tt.main + `{{end}}`,
			})
			v := &site.View{Site: &site.Site{Config: cfg}, Kind: "page", Title: "Jo's page", URL: "/x/"}
			plain := execute(t, s, "probe", v)
			if strings.Contains(plain, s.frags.nonce) {
				t.Errorf("Execute left a placeholder: %s", plain)
			}
			whole, err := m.Bytes("text/html", []byte(plain))
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.ExecuteMinified("probe", v, m)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, whole) {
				t.Errorf("spliced:\n%s\nwant (minified whole):\n%s", got, whole)
			}
			if bytes.Contains(got, []byte(s.frags.nonce)) {
				t.Errorf("placeholder left in the page: %s", got)
			}
			if inline := s.frags.isInline(); inline == tt.spliced {
				t.Errorf("placeholders in use after rendering = %v, want %v", !inline, tt.spliced)
			}
		})
	}
}

// TestShared checks that `shared` renders the theme's partial once per key,
// but a partial the site replaces on every page, since it may show anything
// of the page.
func TestShared(t *testing.T) {
	cfg := testConfig(t, "https://example.org/")
	page := func(s *Set, title string) string {
		v := &site.View{Site: &site.Site{Config: cfg}, Kind: "page", Title: title, URL: "/" + title + "/"}
		return execute(t, s, "probe", v)
	}
	probe := `{{define "main"}}{{shared "stamp" "one key" .}}{{end}}`
	theme := load(t, cfg, map[string]string{"layouts/probe.html": probe})
	theme.overridden = map[string]bool{} // as if the theme had "stamp"
	theme.partials = template.Must(theme.partials.New("stamp").Parse(`<p>{{.Title}}</p>`))
	if got := page(theme, "first"); !strings.Contains(got, "<p>first</p>") {
		t.Fatalf("first rendering: %s", got)
	}
	if got := page(theme, "second"); !strings.Contains(got, "<p>first</p>") {
		t.Errorf("theme partial rendered again for the same key: %s", got)
	}

	own := load(t, cfg, map[string]string{
		"layouts/probe.html":          probe,
		"layouts/partials/stamp.html": `{{define "stamp"}}<p>{{.Title}}</p>{{end}}`,
	})
	for _, title := range []string{"first", "second"} {
		if got := page(own, title); !strings.Contains(got, "<p>"+title+"</p>") {
			t.Errorf("site's own partial not rendered on each page: %s", got)
		}
	}

	// A page layout's own version of a partial wins on its pages.
	pageOwn := load(t, cfg, map[string]string{
		"layouts/partials/stamp.html": `{{define "stamp"}}<p>partial</p>{{end}}`,
		"layouts/probe.html":          probe + `{{define "stamp"}}<p>page {{.Title}}</p>{{end}}`,
	})
	if got := page(pageOwn, "first"); !strings.Contains(got, "<p>page first</p>") {
		t.Errorf("page layout's own partial not used: %s", got)
	}
}

// TestCachedEach checks that cachedEach renders the partial once per page,
// keyed by the page's URL, in the list's order.
func TestCachedEach(t *testing.T) {
	cfg := testConfig(t, "https://example.org/")
	s := load(t, cfg, map[string]string{
		"layouts/partials/item.html": `{{define "item"}}<li>{{.Title}}</li>{{end}}`,
		"layouts/probe.html":         `{{define "main"}}<ul>{{cachedEach "item" .Items}}</ul>{{end}}`,
		"layouts/crumbs.html":        `{{define "main"}}<ol>{{cachedEach "item" .Breadcrumbs}}</ol>{{end}}`,
	})
	a, b := &site.Page{Title: "A", URL: "/a/"}, &site.Page{Title: "B", URL: "/b/"}
	v := &site.View{Site: &site.Site{Config: cfg}, Kind: "page", Title: "List", URL: "/x/", Items: []*site.Page{a, b, a}}
	if got := execute(t, s, "probe", v); !strings.Contains(got, "<ul><li>A</li><li>B</li><li>A</li></ul>") {
		t.Errorf("cachedEach: %s", got)
	}
	a.Title = "changed"
	if got := execute(t, s, "probe", v); !strings.Contains(got, "<li>A</li>") {
		t.Errorf("cachedEach rendered a page again: %s", got)
	}
	v.Breadcrumbs = []site.Crumb{{Title: "Home", URL: "/"}, {Title: "News", URL: "/news/"}}
	if got := execute(t, s, "crumbs", v); !strings.Contains(got, "<ol><li>Home</li><li>News</li></ol>") {
		t.Errorf("cachedEach of crumbs: %s", got)
	}
	if _, err := s.cachedEach("item", []string{"x"}); err == nil {
		t.Errorf("cachedEach of strings: no error")
	}
}
