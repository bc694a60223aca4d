package layout

import (
	"hash/fnv"
	"regexp"
	"slices"
	"strings"
)

// Deps say what each page layout is made of, so that `generator serve` can
// re-render only the pages a change to the layouts affects.
type Deps struct {
	// Digest is, by page layout, a hash of the text of every file the
	// layout executes: the base, the layout itself and the partials it
	// reaches. Two sets give a layout the same digest only if it would
	// render the same way.
	Digest map[string]uint64
	// Site lists, by page layout, the members of the site the layout reads
	// through .Site, such as Config or UpcomingSessions, sorted; "." means
	// .Site itself is passed on whole to something that cannot be seen
	// into, such as a function.
	Site map[string][]string
}

var (
	// callRe finds the named templates a file executes: {{template "x"}},
	// {{block "x"}}, and the functions that execute a partial by name
	// ({{cached "x" ...}}, {{cachedEach "x" ...}}, {{shared "x" ...}}),
	// wherever in an action they are called.
	callRe = regexp.MustCompile(`(?:\{\{-?\s*(?:template|block)|\b(?:cached|cachedEach|shared))\s+"([^"]+)"`)
	// defineRe finds the templates a file defines.
	defineRe = regexp.MustCompile(`\{\{-?\s*(?:define|block)\s+"([^"]+)"`)
	// siteRe finds what is read of .Site (or $.Site): a member's name, or
	// nothing when .Site is used whole.
	siteRe = regexp.MustCompile(`\.Site\b(\.[A-Za-z_]\w*)?`)
	// siteArgRe is .Site handed on as a dict entry named Site, which the
	// partial receiving it reads as .Site again: its members are found in
	// the partial's own text.
	siteArgRe = regexp.MustCompile(`"Site"\s+\$?\.Site\b`)
)

// Deps works out what each page layout is made of. The analysis is of the
// layouts' text, which is enough because a template can reach a partial
// only by name.
func (s *Set) Deps() Deps {
	definedIn := map[string][]string{} // template name -> files defining it
	for file, text := range s.text {
		for _, m := range defineRe.FindAllSubmatch(text, -1) {
			definedIn[string(m[1])] = append(definedIn[string(m[1])], file)
		}
	}
	d := Deps{Digest: map[string]uint64{}, Site: map[string][]string{}}
	for name := range s.min.pages {
		files := s.reach(name+".html", definedIn)
		h := fnv.New64a()
		var site []string
		for _, f := range files {
			h.Write([]byte(f))
			h.Write([]byte{0})
			h.Write(s.text[f])
			h.Write([]byte{0})
			text := siteArgRe.ReplaceAll(s.text[f], nil)
			for _, m := range siteRe.FindAllSubmatch(text, -1) {
				member := "."
				if len(m[1]) > 0 {
					member = string(m[1][1:])
				}
				if !slices.Contains(site, member) {
					site = append(site, member)
				}
			}
		}
		slices.Sort(site)
		d.Digest[name], d.Site[name] = h.Sum64(), site
	}
	return d
}

// reach lists, sorted, the files the page layout file executes: the base,
// the file itself, and every file defining a template they call, and so on.
func (s *Set) reach(file string, definedIn map[string][]string) []string {
	seen := map[string]bool{}
	pending := []string{baseFile, file}
	for len(pending) > 0 {
		f := pending[len(pending)-1]
		pending = pending[:len(pending)-1]
		if seen[f] {
			continue
		}
		seen[f] = true
		for _, m := range callRe.FindAllSubmatch(s.text[f], -1) {
			for _, g := range definedIn[string(m[1])] {
				// A page layout's own definitions (its "main") are not
				// shared with other page layouts.
				if g == file || strings.Contains(g, "/") || g == baseFile {
					pending = append(pending, g)
				}
			}
		}
	}
	out := make([]string, 0, len(seen))
	for f := range seen {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

// ForgetCached drops what `cached`, `cachedEach` and `shared` have kept,
// for a Set used again for another build of the same site, whose data may
// differ.
func (s *Set) ForgetCached() {
	s.cache.Lock()
	s.cache.m = nil
	s.cache.Unlock()
}

// ForgetCachedWhere drops what `cached`, `cachedEach` and `shared` have
// kept of the partials drop names (by partial and key) and keeps the rest
// for the next build, for `generator serve`, where an edit changes a few
// pages' cards and leaves thousands as they were.
func (s *Set) ForgetCachedWhere(drop func(name, key string) bool) {
	s.cache.Lock()
	defer s.cache.Unlock()
	for name, byKey := range s.cache.m {
		for key := range byKey {
			if drop(name, key) {
				delete(byKey, key)
			}
		}
	}
}
