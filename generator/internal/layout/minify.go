package layout

import (
	"maps"
	"slices"
	"text/template/parse"

	"peerpress/generator/internal/htmlmin"
)

// minifyLayouts minifies the text of each layout file (by name) as HTML
// with template actions in it (htmlmin.Template), once per load, so that
// pages need no minifying. A file whose minifying fails, or whose minified
// text does not parse where the file does, is used as it is and listed in
// unminified: its markup then reaches pages as written, which is correct
// HTML, only not minified.
func minifyLayouts(files map[string]string) (min map[string]string, unminified []string) {
	min = make(map[string]string, len(files))
	for _, name := range slices.Sorted(maps.Keys(files)) {
		text := files[name]
		m, err := htmlmin.Template(text)
		if err != nil || (!parses(name, m) && parses(name, text)) {
			m = text
			unminified = append(unminified, name)
		}
		min[name] = m
	}
	return min, unminified
}

// parses reports whether text parses as a template, functions unchecked.
func parses(name, text string) bool {
	t := parse.New(name)
	t.Mode = parse.SkipFuncCheck
	_, err := t.Parse(text, "", "", map[string]*parse.Tree{})
	return err == nil
}
