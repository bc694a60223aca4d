package linkcheck

import (
	"fmt"
	"net/url"
	"strings"
)

// CheckAddress checks an address that a built page holds in an attribute
// (href, src, action), as a browser reads it: character references
// resolved, relative to the page's own address. page is that address's
// path, base path included ("/peer-support/about/", "/peer-support/404.html");
// base is the site's base path; exists tells whether public/ has a file,
// relative to base ("about/index.html"); ids, when not nil, gives the ids
// of a page (see IDs). It returns what is wrong, or "" when the address
// goes to a file of the site (a directory's index.html for a path that is
// one) and its fragment, if any, names an element of that page. An
// address with a scheme or a host is not the site's: the caller decides
// about those, and gets "".
//
// Unlike Internal, it takes the address as the page has it, not as an
// editor wrote it in Markdown: no backslash escapes, and the base path is
// already in it.
func CheckAddress(addr, page, base string, exists func(file string) bool, ids IDs) string {
	if External(addr) {
		return ""
	}
	u, err := url.Parse(addr)
	if err != nil {
		return fmt.Sprintf("is not an address: %v", err)
	}
	p := (&url.URL{Path: page}).ResolveReference(u).Path
	if !strings.HasPrefix(p, base) && p+"/" != base {
		return fmt.Sprintf("points outside the site's base path %s", base)
	}
	target := strings.TrimPrefix(p, base)
	if p+"/" == base {
		target = "" // "/peer-support": the host redirects to the folder
	}
	file, ok := found(target, exists)
	if !ok {
		return fmt.Sprintf("no page or file at %s", p)
	}
	_, frag, _ := strings.Cut(addr, "#")
	frag, _, _ = strings.Cut(frag, ":~:")
	if frag == "" || strings.EqualFold(unescapeFragment(frag), "top") || ids == nil {
		return ""
	}
	return fragmentProblem(frag, file, base, ids)
}
