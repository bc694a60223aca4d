package layout

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"html"
	"html/template"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	_ "time/tzdata" // Europe/London on hosts without a zoneinfo database

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/decode"
	"peerpress/generator/internal/markdown"
	"peerpress/generator/internal/site"
)

// siteYAML is a minimal site.yaml; base is its base_url.
func siteYAML(base string) string {
	return `title: Test Peer Support
base_url: ` + base + `
organisation: Test County Council
contact:
  email: peer@example.org
footer:
  - title: Accessibility
    url: /accessibility/
vocabularies:
  streams:
    rural: Rural
  regions:
    north: North
`
}

func testConfig(t *testing.T, base string) *config.Config {
	t.Helper()
	cfg, diags := config.Parse([]byte(siteYAML(base)))
	if err := diags.Err(); err != nil {
		t.Fatalf("config.Parse: %v", err)
	}
	return cfg
}

// load loads the theme with the site files given (paths from the site root).
func load(t *testing.T, cfg *config.Config, files map[string]string) *Set {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	s, diags := Load(fsys, cfg, site.Funcs(cfg))
	if diags != nil || s == nil {
		t.Fatalf("Load: %v", diags)
	}
	return s
}

// outputs returns the outputs of an empty site, by path.
func outputs(t *testing.T, cfg *config.Config) map[string]site.Output {
	t.Helper()
	md := markdown.New(markdown.Options{BasePath: cfg.BasePath()})
	s, err := site.New(context.Background(), nil, cfg, md, site.Options{Now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]site.Output{}
	for _, o := range s.Outputs() {
		out[o.Path] = o
	}
	return out
}

func execute(t *testing.T, s *Set, name string, v *site.View) string {
	t.Helper()
	page, err := s.Render(name, v)
	if err != nil {
		t.Fatalf("Render(%q): %v", name, err)
	}
	return string(page)
}

func TestLoadBuiltin(t *testing.T) {
	cfg := testConfig(t, "https://example.org/peer/")
	s := load(t, cfg, nil)
	want := slices.Sorted(slices.Values(site.Layouts))
	if got := s.Names(); !slices.Equal(got, want) {
		t.Errorf("Names() = %q, want %q", got, want)
	}
	for _, name := range site.Layouts {
		if !s.Has(name) {
			t.Errorf("Has(%q) = false, want true", name)
		}
	}
	for _, name := range []string{"baseof", "partials/footer", "footer", "nosuch"} {
		if s.Has(name) {
			t.Errorf("Has(%q) = true, want false", name)
		}
	}
	if _, err := s.Render("nosuch", nil); err == nil {
		t.Errorf("Render(%q) = nil error, want an error", "nosuch")
	}

	// Every output of an empty site renders with the built-in theme.
	for path, o := range outputs(t, cfg) {
		t.Run(path, func(t *testing.T) {
			got := execute(t, s, o.Layout, o.View)
			for _, want := range []string{"<!doctype html>", `<html lang="en-GB">`, "</html>", "Test County Council", `href="/peer/assets/site.`} {
				if !strings.Contains(got, want) {
					t.Errorf("Execute(%q) = %q, want it to contain %q", o.Layout, got, want)
				}
			}
		})
	}
}

func TestLoadOverrides(t *testing.T) {
	cfg := testConfig(t, "https://example.org/peer/")
	v404 := outputs(t, cfg)["404.html"].View
	tests := []struct {
		name   string
		files  map[string]string
		layout string
		want   []string
		not    []string
		names  []string // extra page layouts expected in Names
	}{
		{
			name:   "built-in",
			layout: "404",
			want:   []string{`<footer class="site-footer">`, "Page not found", `<a href="/peer/accessibility/">Accessibility</a>`},
			not:    []string{"SITE FOOTER"},
		},
		{
			name:   "site partial replaces the built-in one",
			files:  map[string]string{"layouts/partials/footer.html": `{{define "footer"}}<footer>SITE FOOTER {{.Site.Config.Title}}</footer>{{end}}`},
			layout: "404",
			want:   []string{"<footer>SITE FOOTER Test Peer Support</footer>", "Page not found"},
			not:    []string{`<footer class="site-footer">`},
		},
		{
			name:   "site adds a partial",
			files:  map[string]string{"layouts/partials/extra.html": `{{define "extra"}}EXTRA{{end}}`, "layouts/404.html": `{{define "main"}}{{template "extra" .}}{{end}}`},
			layout: "404",
			want:   []string{"EXTRA"},
			not:    []string{"<h1>Page not found</h1>"},
		},
		{
			name:   "site page layout replaces the built-in one",
			files:  map[string]string{"layouts/404.html": `{{define "main"}}<h1>Lost?</h1>{{end}}`},
			layout: "404",
			want:   []string{"<h1>Lost?</h1>", `<footer class="site-footer">`},
			not:    []string{"<h1>Page not found</h1>"},
		},
		{
			name:   "site adds a page layout",
			files:  map[string]string{"layouts/special.html": `{{define "main"}}<p>Special {{url "/x/"}}</p>{{end}}`},
			layout: "special",
			want:   []string{`<p>Special /peer/x/</p>`, `<footer class="site-footer">`},
			names:  []string{"special"},
		},
		{
			name:   "site base layout",
			files:  map[string]string{"layouts/baseof.html": `BASE[{{block "main" .}}{{end}}]`},
			layout: "404",
			want:   []string{"BASE[", "Page not found"},
			not:    []string{"<!doctype html>"},
		},
		{
			name:   "a page layout may fill the head block",
			files:  map[string]string{"layouts/special.html": `{{define "head"}}<meta name="x" content="y">{{end}}{{define "main"}}S{{end}}`},
			layout: "special",
			want:   []string{`<meta name="x" content="y"></head>`},
			names:  []string{"special"},
		},
		{
			name:   "files that are not html are ignored",
			files:  map[string]string{"layouts/notes.txt": "{{", "layouts/partials/README.md": "{{"},
			layout: "404",
			want:   []string{"Page not found"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := load(t, cfg, tt.files)
			got := execute(t, s, tt.layout, v404)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Execute(%q) = %q, want it to contain %q", tt.layout, got, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("Execute(%q) = %q, want no %q", tt.layout, got, n)
				}
			}
			want := slices.Sorted(slices.Values(append(slices.Clone(site.Layouts), tt.names...)))
			if names := s.Names(); !slices.Equal(names, want) {
				t.Errorf("Names() = %q, want %q", names, want)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	cfg := testConfig(t, "https://example.org/")
	tests := []struct {
		name  string
		files map[string]string
		want  string // the first diagnostic as printed, up to the message
		msg   string // part of its message
	}{
		{
			name:  "page layout",
			files: map[string]string{"layouts/broken.html": "{{define \"main\"}}\n<p>\n{{if}}{{end}}\n{{end}}\n"},
			want:  "layouts/broken.html:3: ",
			msg:   "missing value for if",
		},
		{
			name:  "unknown function",
			files: map[string]string{"layouts/broken.html": "{{define \"main\"}}\n{{nosuch .}}\n{{end}}\n"},
			want:  "layouts/broken.html:2: ",
			msg:   `function "nosuch" not defined`,
		},
		{
			name:  "partial",
			files: map[string]string{"layouts/partials/footer.html": "{{define \"footer\"}}\n\n\n{{.Site | nosuch}}\n{{end}}\n"},
			want:  "layouts/partials/footer.html:4: ",
			msg:   `function "nosuch" not defined`,
		},
		{
			name:  "base",
			files: map[string]string{"layouts/baseof.html": "<html>\n{{end}}\n"},
			want:  "layouts/baseof.html:2: ",
			msg:   "unexpected {{end}}",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, text := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(text)}
			}
			s, diags := Load(fsys, cfg, site.Funcs(cfg))
			if s != nil {
				t.Errorf("Load(%q) returned a set, want nil", tt.files)
			}
			if len(diags) == 0 {
				t.Fatalf("Load(%q) = no diagnostics, want %q", tt.files, tt.want)
			}
			if got := diags[0].Error(); !strings.HasPrefix(got, tt.want) || !strings.Contains(got, tt.msg) {
				t.Errorf("Load(%q) = %q, want %q...%q", tt.files, got, tt.want, tt.msg)
			}
		})
	}
}

func TestDiagnostic(t *testing.T) {
	cfg := testConfig(t, "https://example.org/")
	s := load(t, cfg, map[string]string{
		"layouts/boom.html": "{{define \"main\"}}\n<p>\n  {{index .Items 5}}</p>\n{{end}}\n",
		"layouts/call.html": "{{define \"main\"}}{{dict \"odd\"}}{{end}}\n",
		// html/template finds this at the first Execute: the link's URL is
		// left open on one branch only.
		"layouts/escape.html": "{{define \"main\"}}\n<a href=\"{{if .Page}}x\">{{end}}\n{{end}}\n",
	})
	v := outputs(t, cfg)["404.html"].View
	tests := []struct {
		name   string
		err    error
		file   string
		line   int
		col    int
		msgHas string
	}{
		// Columns count from 1: "{{index" is at the third byte of its
		// line, and the error is at "index", the fifth.
		{"site layout", execErr(t, s, "boom", v), "layouts/boom.html", 3, 5, "index out of range: 5"},
		{"function error", execErr(t, s, "call", v), "layouts/call.html", 1, 20, "dict: odd number of arguments"},
		{"escaping error", execErr(t, s, "escape", v), "layouts/escape.html", 2, 15, "branches end in different contexts"},
		// text/template counts columns from 0.
		{"built-in layout", errors.New(`template: 404.html:2:3: executing "main" at <x>: boom`), "(built-in theme) layouts/404.html", 2, 4, "boom"},
		{"first column", errors.New(`template: boom.html:2:0: executing "main" at <x>: boom`), "layouts/boom.html", 2, 1, "boom"},
		{"line without column", errors.New(`template: boom.html:7: unexpected EOF`), "layouts/boom.html", 7, 0, "unexpected EOF"},
		{"unknown file", errors.New(`template: other.html:2:1: bad`), "other.html", 2, 2, "bad"},
		{"not a template error", errors.New("disk full"), "layouts", 0, 0, "disk full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := s.Diagnostic(tt.err)
			if d.Pos.File != tt.file || d.Pos.Line != tt.line || d.Pos.Col != tt.col {
				t.Errorf("Diagnostic(%q).Pos = %v, want %s:%d:%d", tt.err, d.Pos, tt.file, tt.line, tt.col)
			}
			if !strings.Contains(d.Msg, tt.msgHas) || strings.HasPrefix(d.Msg, "template:") {
				t.Errorf("Diagnostic(%q).Msg = %q, want it to contain %q without the template: prefix", tt.err, d.Msg, tt.msgHas)
			}
		})
	}
}

func execErr(t *testing.T, s *Set, name string, v *site.View) error {
	t.Helper()
	_, err := s.Render(name, v)
	if err == nil {
		t.Fatalf("Render(%q) = nil error, want an error", name)
	}
	return err
}

func TestAssets(t *testing.T) {
	s := load(t, testConfig(t, "https://example.org/"), nil)
	assets := s.Assets()
	if len(assets) == 0 {
		t.Fatal("Assets() is empty")
	}
	var css *Asset
	for _, a := range assets {
		if strings.HasSuffix(a.Path, ".css") {
			css = a
		}
		sum := sha256.Sum256(a.Body)
		sri := sha512.Sum384(a.Body)
		if want := hex.EncodeToString(sum[:4]); !strings.Contains(a.Path, "."+want+".") {
			t.Errorf("Asset %q: want the fingerprint %s of its body", a.Path, want)
		}
		if want := "sha384-" + base64.StdEncoding.EncodeToString(sri[:]); a.Integrity != want {
			t.Errorf("Asset %q: Integrity = %q, want %q", a.Path, a.Integrity, want)
		}
	}
	if css == nil {
		t.Fatalf("Assets() = %v, want a CSS file", assets)
	}
	if !regexp.MustCompile(`^assets/site\.[0-9a-f]{8}\.css$`).MatchString(css.Path) {
		t.Errorf("CSS Path = %q, want assets/site.<8 hex>.css", css.Path)
	}
	if !regexp.MustCompile(`^sha384-[A-Za-z0-9+/]{64}$`).MatchString(css.Integrity) {
		t.Errorf("CSS Integrity = %q, want sha384-<64 base64 characters>", css.Integrity)
	}
	if len(css.Body) == 0 || bytes.Contains(css.Body, []byte("\n\n")) || bytes.Contains(css.Body, []byte("/*")) {
		t.Errorf("CSS Body = %.200q..., want it minified", css.Body)
	}
	if !slices.IsSortedFunc(assets, func(a, b *Asset) int { return strings.Compare(a.Path, b.Path) }) {
		t.Errorf("Assets() not sorted by path")
	}

	// The style sheet ends with the site's origin, which its print rules
	// put before a link's path; so a site elsewhere has its own.
	if want := `:root{--site-origin:"https://example.org"}`; !bytes.HasSuffix(css.Body, []byte(want)) {
		t.Errorf("CSS Body ends %q, want %q", css.Body[max(0, len(css.Body)-60):], want)
	}
	for _, a := range load(t, testConfig(t, "http://localhost:1313/"), nil).Assets() {
		if strings.HasSuffix(a.Path, ".css") && (a.Path == css.Path || !bytes.Contains(a.Body, []byte(`"http://localhost:1313"`))) {
			t.Errorf("CSS of a site at http://localhost:1313/ is %s, %.60q…, want its own origin and fingerprint", a.Path, a.Body[len(a.Body)-60:])
		}
	}

	// Pages link the asset under the base path, with its integrity.
	cfg := testConfig(t, "https://example.org/peer/")
	sub := load(t, cfg, nil)
	page := execute(t, sub, "404", outputs(t, cfg)["404.html"].View)
	link := regexp.MustCompile(`<link rel="stylesheet" href="([^"]*)" integrity="([^"]*)">`).FindStringSubmatch(page)
	if link == nil {
		t.Fatalf("Execute(%q) = %q, want a stylesheet link", "404", page)
	}
	if got, want := link[1], "/peer/"+css.Path; got != want {
		t.Errorf("stylesheet href = %q, want %q", got, want)
	}
	if got := html.UnescapeString(link[2]); got != css.Integrity {
		t.Errorf("stylesheet integrity = %q, want %q", got, css.Integrity)
	}
}

func TestCSSString(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://example.org", `"https://example.org"`},
		{`a"b\c`, `"a\"b\\c"`},
		{"a\nb", `"a\a b"`},
		{"", `""`},
	} {
		if got := cssString(tc.in); got != tc.want {
			t.Errorf("cssString(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestFuncs(t *testing.T) {
	// The functions a layout gets: the Set's own and the site's (absURL,
	// navState), as layout.Load is given them.
	funcs := func(cfg *config.Config) template.FuncMap {
		fm := (&Set{}).funcs(cfg, &tset{})
		maps.Copy(fm, site.Funcs(cfg))
		return fm
	}
	peer := funcs(testConfig(t, "https://example.org/peer/"))
	root := funcs(testConfig(t, "https://example.org"))
	str := func(fm template.FuncMap, name string, args ...string) string {
		switch f := fm[name].(type) {
		case func(string) string:
			return f(args[0])
		case func(string, string) string:
			return f(args[0], args[1])
		case func(string, string) template.URL:
			return string(f(args[0], args[1]))
		case func(string, string, string) string:
			return f(args[0], args[1], args[2])
		}
		t.Fatalf("func %q has type %T", name, fm[name])
		return ""
	}
	tests := []struct {
		call string
		got  string
		want string
	}{
		{`url "/about/" (base /peer/)`, str(peer, "url", "/about/"), "/peer/about/"},
		{`url "/" (base /peer/)`, str(peer, "url", "/"), "/peer/"},
		{`url "about/" (base /peer/)`, str(peer, "url", "about/"), "about/"},
		{`url "https://x.org/a/" (base /peer/)`, str(peer, "url", "https://x.org/a/"), "https://x.org/a/"},
		{`url "#top" (base /peer/)`, str(peer, "url", "#top"), "#top"},
		{`url "//cdn.example/a.js" (base /peer/)`, str(peer, "url", "//cdn.example/a.js"), "//cdn.example/a.js"},
		{`url "/about/" (base /)`, str(root, "url", "/about/"), "/about/"},
		{`url "/" (base /)`, str(root, "url", "/"), "/"},
		{`facetURL "supporters" "region" "north" (base /peer/)`, str(peer, "facetURL", "supporters", "region", "north"), "/peer/supporters/region/north/"},
		{`facetURL "networks" "theme" "send" (base /)`, str(root, "facetURL", "networks", "theme", "send"), "/networks/theme/send/"},
		{`absURL "/about/" (base /peer/)`, str(peer, "absURL", "/about/"), "https://example.org/peer/about/"},
		{`absURL "/" (base /peer/)`, str(peer, "absURL", "/"), "https://example.org/peer/"},
		{`absURL "/404.html" (base /)`, str(root, "absURL", "/404.html"), "https://example.org/404.html"},
		{`navState "/supporters/" "/supporters/"`, str(peer, "navState", "/supporters/", "/supporters/"), "page"},
		{`navState "/supporters/jo/" "/supporters/"`, str(peer, "navState", "/supporters/jo/", "/supporters/"), "true"},
		{`navState "/supporters/page/2/" "/supporters/"`, str(peer, "navState", "/supporters/page/2/", "/supporters/"), "true"},
		{`navState "/networks/" "/supporters/"`, str(peer, "navState", "/networks/", "/supporters/"), ""},
		{`navState "/" "/"`, str(peer, "navState", "/", "/"), "page"},
		{`navState "/about/" "/"`, str(peer, "navState", "/about/", "/"), ""},
		{`navState "/supporters-old/" "/supporters/"`, str(peer, "navState", "/supporters-old/", "/supporters/"), ""},
		{`mailto "a@b.org" "Peer support: Jo & Co?"`, str(peer, "mailto", "a@b.org", "Peer support: Jo & Co?"), "mailto:a@b.org?subject=Peer%20support%3A%20Jo%20%26%20Co%3F"},
		{`mailto "a@b.org" "1+1 = 2"`, str(peer, "mailto", "a@b.org", "1+1 = 2"), "mailto:a@b.org?subject=1%2B1%20%3D%202"},
		{`mailto "a@b.org" "Réunion"`, str(peer, "mailto", "a@b.org", "Réunion"), "mailto:a@b.org?subject=R%C3%A9union"},
		{`lower "ABC"`, str(peer, "lower", "ABC"), "abc"},
		{`ogLocale`, peer["ogLocale"].(func() string)(), "en_GB"},
	}
	for _, tt := range tests {
		t.Run(tt.call, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("%s = %q, want %q", tt.call, tt.got, tt.want)
			}
		})
	}
}

func TestFuncsDates(t *testing.T) {
	fm := (&Set{}).funcs(testConfig(t, "https://example.org/"), &tset{})
	format := func(name string, v any) (string, error) {
		return fm[name].(func(any) (string, error))(v)
	}
	clock := fm["clock"].(func(time.Time) string)
	summer := time.Date(2026, 7, 1, 23, 30, 0, 0, time.UTC) // 00:30 on 2 July in London (BST)
	winter := time.Date(2026, 12, 1, 23, 30, 0, 0, time.UTC)
	tests := []struct {
		call string
		fn   string
		v    any
		want string
	}{
		{"date Date", "date", decode.Date{Year: 2026, Month: 7, Day: 1}, "1 July 2026"},
		{"date zero Date", "date", decode.Date{}, ""},
		{"date summer time", "date", summer, "2 July 2026"},
		{"date winter time", "date", winter, "1 December 2026"},
		{"date zero time", "date", time.Time{}, ""},
		{"isoDate summer time", "isoDate", summer, "2026-07-02"},
		{"isoDate Date", "isoDate", decode.Date{Year: 2026, Month: 3, Day: 4}, "2026-03-04"},
		{"shortDate summer time", "shortDate", summer, "Thu 2 Jul 2026"},
		{"shortDate Date", "shortDate", decode.Date{Year: 2027, Month: 3, Day: 28}, "Sun 28 Mar 2027"},
	}
	for _, tt := range tests {
		t.Run(tt.call, func(t *testing.T) {
			got, err := format(tt.fn, tt.v)
			if err != nil || got != tt.want {
				t.Errorf("%s(%v) = %q, %v, want %q", tt.fn, tt.v, got, err, tt.want)
			}
		})
	}
	if got, err := format("date", "2026-07-01"); err == nil {
		t.Errorf("date(%q) = %q, want an error", "2026-07-01", got)
	}

	clockTests := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 7, 1, 8, 30, 0, 0, time.UTC), "9:30am"},  // BST
		{time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC), "9:30am"}, // GMT
		{time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC), "9am"},
		{time.Date(2026, 12, 1, 13, 5, 0, 0, time.UTC), "1:05pm"},
		{time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC), "12pm"},
		{time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), "12am"},
	}
	for _, tt := range clockTests {
		t.Run("clock "+tt.t.Format(time.RFC3339), func(t *testing.T) {
			if got := clock(tt.t); got != tt.want {
				t.Errorf("clock(%s) = %q, want %q", tt.t.Format(time.RFC3339), got, tt.want)
			}
		})
	}
}

func TestFuncsOther(t *testing.T) {
	fm := (&Set{}).funcs(testConfig(t, "https://example.org/"), &tset{})
	plural := fm["plural"].(func(int, string, string) string)
	deref := fm["deref"].(func(*int) int)
	dict := fm["dict"].(func(...any) (map[string]any, error))
	pluralTests := []struct {
		n    int
		want string
	}{
		{0, "0 supporters"},
		{1, "1 supporter"},
		{2, "2 supporters"},
		{-1, "-1 supporters"},
	}
	for _, tt := range pluralTests {
		if got := plural(tt.n, "supporter", "supporters"); got != tt.want {
			t.Errorf("plural(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
	seven := 7
	if got := deref(&seven); got != 7 {
		t.Errorf("deref(&7) = %d, want 7", got)
	}
	if got := deref(nil); got != 0 {
		t.Errorf("deref(nil) = %d, want 0", got)
	}
	dictTests := []struct {
		args    []any
		want    map[string]any
		wantErr bool
	}{
		{nil, map[string]any{}, false},
		{[]any{"a", 1, "b", "x"}, map[string]any{"a": 1, "b": "x"}, false},
		{[]any{"a"}, nil, true},
		{[]any{1, 2}, nil, true},
	}
	for _, tt := range dictTests {
		got, err := dict(tt.args...)
		if (err != nil) != tt.wantErr || len(got) != len(tt.want) {
			t.Errorf("dict(%v) = %v, %v, want %v (error %v)", tt.args, got, err, tt.want, tt.wantErr)
			continue
		}
		for k, v := range tt.want {
			if got[k] != v {
				t.Errorf("dict(%v)[%q] = %v, want %v", tt.args, k, got[k], v)
			}
		}
	}
}
