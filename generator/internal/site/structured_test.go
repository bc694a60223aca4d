package site

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"peerpress/generator/internal/config"
)

// TestAppendJSONString checks the JSON strings of structured data against
// encoding/json, which wrote them before.
func TestAppendJSONString(t *testing.T) {
	tests := []string{
		"", "plain", `Jo "Jay" O'Neil`, `back\slash`, "</script><!-- & >",
		"tab\tnew\nline\rfeed\fbell\bnul\x00esc\x1bdel\x7f",
		"Zoë – “quoted” 🎓", "sep\u2028par\u2029end", "bad \xff utf8 \xe2\x80", "\xc3",
	}
	for _, s := range tests {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
}

// TestStructuredDataBreadcrumbs checks the directly written BreadcrumbList
// against the maps json.Marshal wrote it from before.
func TestStructuredDataBreadcrumbs(t *testing.T) {
	base, _ := url.Parse("https://example.org/peer/")
	s := &Site{Config: &config.Config{Base: base}}
	v := &View{Site: s, Kind: "supporter", Title: `Jo <b>"Evans"</b> & co`, URL: "/supporters/jo/",
		Breadcrumbs: []Crumb{{"Home", "/"}, {"Peer supporters", "/supporters/"}}}
	var items []any
	for i, c := range append(v.Breadcrumbs, Crumb{v.Title, v.URL}) {
		items = append(items, map[string]any{"@type": "ListItem", "position": i + 1, "name": c.Title, "item": s.Abs(c.URL)})
	}
	want, _ := json.Marshal(map[string]any{"@context": "https://schema.org", "@graph": []any{map[string]any{"@type": "BreadcrumbList", "itemListElement": items}}})
	if got := StructuredData(v); string(got) != string(want) {
		t.Errorf("StructuredData =\n%s\nwant\n%s", got, want)
	}
	if got := StructuredData(&View{Site: s, Kind: "404"}); got != "" {
		t.Errorf("StructuredData of a page with nothing to say = %s, want empty", got)
	}
}

// TestAbsURL checks the short way of building absolute URLs against
// url.URL.String, which it stands for.
func TestAbsURL(t *testing.T) {
	for _, b := range []string{"https://example.org/", "https://example.org/peer/", "http://localhost:1313/", "https://example.org/a%20b/", "https://user@example.org/", "https://example.org/?q=1", "https://[::1]:8080/"} {
		base, err := url.Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		basePath := base.Path
		for _, p := range []string{"/", "/supporters/jo-evans/", "news/feed.xml", "/a b/", "/caf\u00e9/", "/x?y/", "/a:b/~c/"} {
			u := *base
			u.Path = basePath + strings.TrimPrefix(p, "/")
			if got, want := AbsURL(base, basePath, p), u.String(); got != want {
				t.Errorf("AbsURL(%s, %q) = %q, want %q", b, p, got, want)
			}
		}
	}
}
