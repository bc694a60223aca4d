package markdown

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func render(t *testing.T, opts Options, src string) Result {
	t.Helper()
	r, err := New(opts).Render([]byte(src))
	if err != nil {
		t.Fatalf("Render(%q): %v", src, err)
	}
	return r
}

func TestRenderHTML(t *testing.T) {
	peer := Options{BasePath: "/peer/"}
	root := Options{BasePath: "/"}
	unsafe := Options{BasePath: "/peer/", UnsafeHTML: true}
	tests := []struct {
		name string
		opts Options
		src  string
		// want are substrings the HTML must contain; not those it must not.
		want []string
		not  []string
	}{
		{
			name: "gfm table",
			opts: peer,
			src:  "| Region | Heads |\n|---|---:|\n| North | 12 |\n",
			want: []string{"<table>", "<th>Region</th>", `<th align="right">Heads</th>`, "<td>North</td>", `<td align="right">12</td>`},
		},
		{
			name: "autolink of a bare url",
			opts: peer,
			src:  "See https://example.org/help now.",
			want: []string{`<a href="https://example.org/help">https://example.org/help</a>`},
		},
		{
			name: "autolink is not rebased",
			opts: peer,
			src:  "www.example.org",
			want: []string{`<a href="http://www.example.org">www.example.org</a>`},
			not:  []string{"/peer/"},
		},
		{
			name: "strikethrough",
			opts: peer,
			src:  "~~cancelled~~ moved",
			want: []string{"<del>cancelled</del> moved"},
		},
		{
			name: "heading ids, unique on repeats",
			opts: peer,
			src:  "## Getting started\n\n## Getting started\n\n### Who it's for\n",
			want: []string{`<h2 id="getting-started">Getting started</h2>`, `<h2 id="getting-started-1">Getting started</h2>`, `<h3 id="who-its-for">`},
		},
		{
			name: "heading ids keep letters beyond ASCII",
			opts: peer,
			src:  "## Café\n\n## Ysgol Tŷ Coch\n\n## Dates & times\n\n## my_heading\n\n## Café\n\n## €\n",
			want: []string{`<h2 id="café">`, `<h2 id="ysgol-tŷ-coch">`, `<h2 id="dates--times">`, `<h2 id="my-heading">`, `<h2 id="café-1">`, `<h2 id="heading">`},
		},
		{
			name: "typographic double quotes",
			opts: peer,
			src:  `She said "x" twice.`,
			want: []string{"&ldquo;x&rdquo;"},
			not:  []string{`"x"`},
		},
		{
			name: "typographic apostrophe, dashes and ellipsis",
			opts: peer,
			src:  "it's 9--5 --- mostly...",
			want: []string{"it&rsquo;s", "9&ndash;5", "&mdash;", "mostly&mldr;"},
		},
		{
			name: "first-level heading becomes h2",
			opts: peer,
			src:  "# Title\n",
			want: []string{`<h2 id="title">Title</h2>`},
			not:  []string{"<h1"},
		},
		{
			name: "setext first-level heading becomes h2",
			opts: peer,
			src:  "Title\n=====\n",
			want: []string{`<h2 id="title">Title</h2>`},
			not:  []string{"<h1"},
		},
		{
			name: "root-relative link gets the base path",
			opts: peer,
			src:  "[About](/about/)",
			want: []string{`<a href="/peer/about/">About</a>`},
		},
		{
			name: "link to the root gets the base path",
			opts: peer,
			src:  "[Home](/)",
			want: []string{`<a href="/peer/">Home</a>`},
		},
		{
			name: "base path without trailing slash",
			opts: Options{BasePath: "/peer"},
			src:  "[About](/about/)",
			want: []string{`<a href="/peer/about/">About</a>`},
		},
		{
			name: "root-relative image gets the base path",
			opts: peer,
			src:  "![Map](/images/map.png)",
			want: []string{`<img src="/peer/images/map.png" alt="Map">`},
		},
		{
			name: "reference-style link gets the base path",
			opts: peer,
			src:  "[About][a]\n\n[a]: /about/\n",
			want: []string{`<a href="/peer/about/">About</a>`},
		},
		{
			name: "root base path leaves links alone",
			opts: root,
			src:  "[About](/about/) ![Map](/images/map.png)",
			want: []string{`<a href="/about/">About</a>`, `<img src="/images/map.png"`},
		},
		{
			name: "empty base path leaves links alone",
			opts: Options{},
			src:  "[About](/about/)",
			want: []string{`<a href="/about/">About</a>`},
		},
		{
			name: "protocol-relative link untouched",
			opts: peer,
			src:  "[CDN](//cdn.example.org/x.js)",
			want: []string{`<a href="//cdn.example.org/x.js">CDN</a>`},
		},
		{
			name: "absolute link untouched",
			opts: peer,
			src:  "[Gov](https://www.gov.uk/about/)",
			want: []string{`<a href="https://www.gov.uk/about/">Gov</a>`},
		},
		{
			name: "fragment link untouched",
			opts: peer,
			src:  "[Below](#frag)",
			want: []string{`<a href="#frag">Below</a>`},
		},
		{
			name: "relative link untouched",
			opts: peer,
			src:  "[Next](relative/page/) ![Pic](pic.png)",
			want: []string{`<a href="relative/page/">Next</a>`, `<img src="pic.png"`},
		},
		{
			name: "mailto untouched",
			opts: peer,
			src:  "[Write](mailto:coordinator@example.org)",
			want: []string{`<a href="mailto:coordinator@example.org">Write</a>`},
		},
		{
			name: "raw inline html escaped by default",
			opts: peer,
			src:  "Hello <b>bold</b> there",
			want: []string{"<p>Hello &lt;b>bold&lt;/b> there</p>"},
			not:  []string{"<b>"},
		},
		{
			name: "html block escaped by default",
			opts: peer,
			src:  "<div class=\"box\">\nblock\n</div>\n\nafter\n",
			want: []string{`&lt;div class="box">`, "&lt;/div>", "<p>after</p>"},
			not:  []string{"<div"},
		},
		{
			name: "script block escaped by default",
			opts: peer,
			src:  "<script>alert(1)</script>\n",
			want: []string{"&lt;script>alert(1)&lt;/script>"},
			not:  []string{"<script"},
		},
		{
			name: "html comment escaped by default",
			opts: peer,
			src:  "text <!-- note --> more",
			want: []string{"&lt;!-- note -->"},
			not:  []string{"<!--"},
		},
		{
			name: "raw inline html passed through when unsafe",
			opts: unsafe,
			src:  "Hello <b>bold</b> there",
			want: []string{"<p>Hello <b>bold</b> there</p>"},
			not:  []string{"&lt;"},
		},
		{
			name: "html block passed through when unsafe",
			opts: unsafe,
			src:  "<div class=\"box\">\nblock\n</div>\n\nafter\n",
			want: []string{"<div class=\"box\">block</div><p>after</p>"},
			not:  []string{"&lt;"},
		},
		{
			name: "unsafe still rebases links",
			opts: unsafe,
			src:  "[About](/about/)",
			want: []string{`<a href="/peer/about/">About</a>`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(render(t, tt.opts, tt.src).HTML)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Render(%q) = %q, want it to contain %q", tt.src, got, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("Render(%q) = %q, want no %q", tt.src, got, n)
				}
			}
		})
	}
}

func TestRenderLead(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		src  string
		want string
	}{
		{"plain paragraph", Options{}, "Peer support is free.", "Peer support is free."},
		{"first paragraph only", Options{}, "One.\n\nTwo.", "One."},
		{"markup removed", Options{}, "A *new* **head** `code` ~~old~~ [link](/about/).", "A new head code old link."},
		{"soft breaks become spaces", Options{}, "First line\nsecond line\nthird", "First line second line third"},
		{"hard break becomes a space", Options{}, "First line  \nsecond", "First line second"},
		{"runs of spaces collapse", Options{}, "  lots   of    space  ", "lots of space"},
		{"raw inline html left out", Options{}, "Hello <span class=\"x\">there</span> you", "Hello there you"},
		{"raw inline html left out when unsafe", Options{UnsafeHTML: true}, "Hello <b>bold</b> you", "Hello bold you"},
		{"autolink keeps its url", Options{}, "See https://example.org/x now.", "See https://example.org/x now."},
		{"angle autolink keeps its url", Options{}, "Mail <coordinator@example.org> today.", "Mail coordinator@example.org today."},
		{"image alt text kept", Options{}, "![A map](/map.png) of the county", "A map of the county"},
		{"heading skipped for the paragraph after it", Options{}, "# Heading\n\nPara after.", "Para after."},
		{"heading and no paragraph", Options{}, "# Heading\n\n- a list item\n", ""},
		{"list item is not a paragraph", Options{}, "- item one\n- item two\n\nThen text.", "Then text."},
		{"html block skipped", Options{}, "<div>\nblock\n</div>\n\nafter", "after"},
		{"table is not a paragraph", Options{}, "| a |\n|---|\n| 1 |\n", ""},
		{"empty body", Options{}, "", ""},
		{"typographic quotes as characters", Options{}, `They said "yes" -- it's done...`, "They said \u201cyes\u201d \u2013 it\u2019s done\u2026"},
		{"entity references resolved", Options{}, "AT&amp;T &copy; &#169; &#xA9;", "AT&T \u00a9 \u00a9 \u00a9"},
		{"backslash escapes resolved", Options{}, `1\. Not \*a\* list`, "1. Not *a* list"},
		{"code span kept literally", Options{}, "Type `&amp;` or `\\*`", "Type &amp; or \\*"},
		{"ampersand kept", Options{}, "Heads & governors", "Heads & governors"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(t, tt.opts, tt.src).Lead; got != tt.want {
				t.Errorf("Render(%q).Lead = %q, want %q", tt.src, got, tt.want)
			}
		})
	}
}

func TestRendererConcurrent(t *testing.T) {
	r := New(Options{BasePath: "/peer/"})
	done := make(chan string)
	for range 4 {
		go func() {
			res, err := r.Render([]byte("[a](/x/) \"q\""))
			if err != nil {
				done <- err.Error()
				return
			}
			done <- string(res.HTML)
		}()
	}
	for range 4 {
		if got, want := <-done, "<p><a href=\"/peer/x/\">a</a> &ldquo;q&rdquo;</p>"; got != want {
			t.Errorf("Render = %q, want %q", got, want)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"", 10, ""},
		{"short", 10, "short"},
		{"exactly ten", 11, "exactly ten"},
		{"hello world foo", 13, "hello world…"},
		{"hello world foo", 11, "hello world…"},
		{"hello world foo", 12, "hello world…"},
		{"hello, world foo", 8, "hello…"},
		{"ends with a full stop. More", 23, "ends with a full stop…"},
		{"héllo wörld ünïcode", 12, "héllo wörld…"},
		{"日本語 のテキスト です", 9, "日本語 のテキスト…"},
		{"Ünïcödé wörds àré çut whôle", 20, "Ünïcödé wörds àré…"},
		// With no space in the second half, it cuts inside the word at n/2.
		{"supercalifragilistic", 10, "super…"},
		{"a b", 0, "…"},
	}
	for _, tt := range tests {
		t.Run(tt.s, func(t *testing.T) {
			got := Truncate(tt.s, tt.n)
			if got != tt.want {
				t.Errorf("Truncate(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("Truncate(%q, %d) = %q, not valid UTF-8", tt.s, tt.n, got)
			}
			if body := strings.TrimSuffix(got, "…"); utf8.RuneCountInString(body) > max(tt.n, 0) {
				t.Errorf("Truncate(%q, %d) = %q, longer than %d runes before the ellipsis", tt.s, tt.n, got, tt.n)
			}
		})
	}
}
