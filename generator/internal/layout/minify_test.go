package layout

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"peerpress/generator/internal/htmlmin"
	"peerpress/generator/internal/site"
)

// TestMinifiedLayouts checks that a page rendered from the minified layouts
// is the page rendered from the layouts as they are, once both are minified
// whole: minifying a layout only drops what minifying the page would.
// Elements whose content is kept as it is come out as written.
func TestMinifiedLayouts(t *testing.T) {
	cfg := testConfig(t, "https://example.org/")
	card := `{{/* a card; it's cached */}}{{define "frag"}}
<li class="card">  <a href="{{.URL}}">{{.Title}}</a>   <span>it&#39;s</span>
</li>
{{end}}`
	tests := []struct {
		name, main string
		verbatim   []string // must be in the page as they are
	}{
		{"cached in a list", `<ul>
  {{cached "frag" "k" .}} {{cached "frag" "k" .}}
</ul>`, nil},
		{"text around actions", `<p>Words   </p>x  {{cached "frag" "k" .}}  y <em>z</em>
  <p>{{.Title}}  and  {{.URL}}</p>`, nil},
		{"attribute", `<a   title="{{.Title}}  x"  href="/y/" >t</a>`, nil},
		// html/template drops the comment; the line it was on stays.
		{"script", "<script>\n// {{.Title}}\nvar x = {{.URL}}\nvar y = 1;\n</script>", []string{"<script>\n\nvar x = \"/x/\"\nvar y = 1;\n</script>"}},
		{"pre", "<pre>  a\n  {{.Title}}\n  b</pre>", []string{"<pre>  a\n  Jo&#39;s page\n  b</pre>"}},
		{"textarea", "<textarea>\n  {{.Title}}  </textarea>", []string{"<textarea>\n  Jo&#39;s page  </textarea>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := load(t, cfg, map[string]string{
				"layouts/partials/frag.html": card,
				"layouts/probe.html":         "{{define \"main\"}}\n" + tt.main + "\n{{end}}\n",
			})
			if len(s.unminified) > 0 {
				t.Fatalf("unminified: %v", s.unminified)
			}
			v := &site.View{Site: &site.Site{Config: cfg}, Kind: "page", Title: "Jo's page", URL: "/x/"}
			got, err := s.Render("probe", v)
			if err != nil {
				t.Fatal(err)
			}
			var orig bytes.Buffer
			if err := s.parseOrig().execute(&orig, "probe", v); err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(got, orig.Bytes()) {
				t.Errorf("the layouts were not minified: %s", got)
			}
			a, err := htmlmin.HTML(got)
			if err != nil {
				t.Fatal(err)
			}
			b, err := htmlmin.HTML(orig.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("minified whole, the page differs:\nfrom minified layouts %s\nfrom the layouts     %s", a, b)
			}
			for _, w := range tt.verbatim {
				if !bytes.Contains(got, []byte(w)) {
					t.Errorf("page lacks %q: %s", w, got)
				}
			}
		})
	}
}

// TestUnminifiable checks that a layout the minifier cannot take is used as
// it is, and its pages still render.
func TestUnminifiable(t *testing.T) {
	cfg := testConfig(t, "https://example.org/")
	// The minifier resolves the entities to "{{", an action the file does
	// not have.
	s := load(t, cfg, map[string]string{
		"layouts/odd.html": "{{define \"main\"}}\n<p>&#123;&#123; {{.Title}} </p>\n{{end}}",
	})
	if !slices.Equal(s.unminified, []string{"odd.html"}) {
		t.Errorf("unminified = %v, want [odd.html]", s.unminified)
	}
	got := execute(t, s, "odd", &site.View{Site: &site.Site{Config: cfg}, Kind: "page", Title: "T", URL: "/x/"})
	if !strings.Contains(got, "<p>&#123;&#123; T </p>") {
		t.Errorf("page = %s", got)
	}
}

// TestExecErrorPosition checks that an error executing a page names the
// line and column in the layout file, not in its minified text, whether it
// is in the page layout or in a partial rendered through `cached`.
func TestExecErrorPosition(t *testing.T) {
	cfg := testConfig(t, "https://example.org/")
	s := load(t, cfg, map[string]string{
		"layouts/partials/frag.html": "{{define \"frag\"}}\n<div>\n  <p>\n    {{.Nope}}</p>\n</div>\n{{end}}\n",
		"layouts/field.html":         "{{define \"main\"}}\n<section>\n  <h2>Title</h2>\n\n  <p>\n      {{.Page.Missing}}\n  </p>\n</section>\n{{end}}\n",
		"layouts/cachedfrag.html":    "{{define \"main\"}}\n<div>\n{{cached \"frag\" \"k\" .}}\n</div>\n{{end}}\n",
	})
	v := outputs(t, cfg)["404.html"].View
	tests := []struct {
		layout    string
		file      string
		line, col int
		msg       string
	}{
		// "{{.Page.Missing}}" is at the seventh byte of line 6; the error
		// is at ".Missing", the 14th.
		{"field", "layouts/field.html", 6, 14, "can't evaluate field Missing"},
		// The error names the call of `cached`, and the partial's own
		// position in its message (text/template's columns count from 0).
		{"cachedfrag", "layouts/cachedfrag.html", 3, 3, `partials/frag.html:4:6: executing "frag" at <.Nope>: can't evaluate field Nope`},
	}
	for _, tt := range tests {
		t.Run(tt.layout, func(t *testing.T) {
			_, err := s.Render(tt.layout, v)
			if err == nil {
				t.Fatalf("Render(%q) = nil error", tt.layout)
			}
			d := s.Diagnostic(err)
			if d.Pos.File != tt.file || d.Pos.Line != tt.line || d.Pos.Col != tt.col || !strings.Contains(d.Msg, tt.msg) {
				t.Errorf("Render(%q) error = %s:%d:%d: %s, want %s:%d:%d: …%s…", tt.layout, d.Pos.File, d.Pos.Line, d.Pos.Col, d.Msg, tt.file, tt.line, tt.col, tt.msg)
			}
		})
	}
}
