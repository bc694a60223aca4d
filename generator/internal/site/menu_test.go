package site

import (
	"testing"

	"peerpress/generator/internal/config"
)

// TestMenuKey checks that pages share a header exactly when every menu
// link's aria-current and the search box are the same on them.
func TestMenuKey(t *testing.T) {
	s := &Site{Config: &config.Config{Navigation: []config.NavItem{{Title: "Home", URL: "/"}, {Title: "Supporters", URL: "/supporters/"}, {Title: "News", URL: "/news/"}}}}
	key := func(kind, url string) string { return (&View{Site: s, Kind: kind, URL: url}).MenuKey() }
	same := [][2][2]string{
		{{"supporter", "/supporters/jo/"}, {"facet", "/supporters/region/north/"}},
		{{"supporters", "/supporters/page/2/"}, {"supporter", "/supporters/jo/"}},
		{{"page", "/about/"}, {"network", "/networks/n1/"}},
	}
	for _, p := range same {
		if a, b := key(p[0][0], p[0][1]), key(p[1][0], p[1][1]); a != b {
			t.Errorf("MenuKey of %s = %q, of %s = %q, want them equal", p[0][1], a, p[1][1], b)
		}
	}
	differ := [][2][2]string{
		{{"supporters", "/supporters/"}, {"supporter", "/supporters/jo/"}}, // "page" against "true"
		{{"home", "/"}, {"page", "/about/"}},
		{{"search", "/search/"}, {"page", "/about/"}}, // no search box
		{{"news", "/news/"}, {"supporters", "/supporters/"}},
	}
	for _, p := range differ {
		if a, b := key(p[0][0], p[0][1]), key(p[1][0], p[1][1]); a == b {
			t.Errorf("MenuKey of %s and of %s are both %q, want them to differ", p[0][1], p[1][1], a)
		}
	}
}
