package linkcheck

import (
	"slices"
	"testing"
)

func TestCheckAddress(t *testing.T) {
	files := map[string]bool{
		"index.html": true, "about/index.html": true, "training/course-x/index.html": true,
		"training/course-x/2027-01-20.ics": true, "assets/site.css": true, "404.html": true,
		"café/index.html": true,
	}
	pages := map[string][]string{
		"index.html":                   {"main"},
		"about/index.html":             {"main", "our-team", "café"},
		"training/course-x/index.html": {"book-course-x", "main"},
		"404.html":                     {"main"},
		"café/index.html":              {"main"},
	}
	ids := func(f string) ([]string, bool) {
		p, ok := pages[f]
		return slices.Sorted(slices.Values(p)), ok
	}
	exists := func(f string) bool { return files[f] }
	tests := []struct {
		base, page, addr string
		want             string // "" when the address works
	}{
		{"/", "/about/", "/training/course-x/#book-course-x", ""},
		{"/", "/about/", "/training/course-x#book-course-x", ""},
		{"/", "/about/", "/training/course-x/?page=2#book-course-x", ""},
		{"/", "/about/", "#main", ""},
		{"/", "/about/", "#", ""},
		{"/", "/about/", "#top", ""},
		{"/", "/about/", "#caf%C3%A9", ""},
		{"/", "/about/", "#café", ""},
		{"/", "/about/", "#our-team:~:text=peer", ""},
		{"/", "/about/", "?q=x", ""},
		{"/", "/about/", "", ""},
		{"/", "/about/", "/", ""},
		{"/", "/about/", "../training/course-x/2027-01-20.ics", ""},
		{"/", "/training/course-x/", "2027-01-20.ics", ""},
		{"/", "/404.html", "assets/site.css", ""}, // relative to the folder of 404.html
		{"/", "/about/", "/caf%C3%A9/", ""},
		{"/", "/about/", "https://example.org/nowhere/#x", ""},
		{"/", "/about/", "mailto:a@example.org", ""},
		{"/", "/about/", "//cdn.example.org/x.js", ""},
		{"/", "/about/", "/training/course-x/#book-course-y", `no element with id "book-course-y" on /training/course-x/ (did you mean "book-course-x"?)`},
		{"/", "/about/", "#nowhere", `no element with id "nowhere" on /about/`},
		{"/", "/about/", "#caf%C3%A8", `no element with id "cafè" on /about/ (did you mean "café"?)`},
		{"/", "/about/", "/trainig/", `no page or file at /trainig/`},
		{"/", "/about/", "2027-01-20.ics", `no page or file at /about/2027-01-20.ics`},
		{"/peer/", "/peer/about/", "/peer/training/course-x/#book-course-x", ""},
		{"/peer/", "/peer/about/", "/peer", ""},
		{"/peer/", "/peer/about/", "#our-team", ""},
		{"/peer/", "/peer/about/", "../", ""},
		{"/peer/", "/peer/about/", "/training/course-x/", `points outside the site's base path /peer/`},
		{"/peer/", "/peer/about/", "../../training/", `points outside the site's base path /peer/`},
		{"/peer/", "/peer/about/", "/peer/#nowhere", `no element with id "nowhere" on /peer/`},
	}
	for _, tt := range tests {
		if got := CheckAddress(tt.addr, tt.page, tt.base, exists, ids); got != tt.want {
			t.Errorf("CheckAddress(%q on %s, base %s) = %q, want %q", tt.addr, tt.page, tt.base, got, tt.want)
		}
	}
	// Without ids, fragments are not checked.
	if got := CheckAddress("#nowhere", "/about/", "/", exists, nil); got != "" {
		t.Errorf("CheckAddress without ids = %q", got)
	}
}
