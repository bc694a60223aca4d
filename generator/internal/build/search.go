package build

import (
	"peerpress/generator/internal/search"
	"peerpress/generator/internal/site"
)

// searchFiles builds the site's search index: search/index.json and the
// fingerprinted files it names, which the theme's search page queries.
func searchFiles(s *site.Site) ([]file, error) {
	return indexFiles(search.FromSite(s))
}

// indexFiles builds the search index of docs, the site's documents.
func indexFiles(docs []search.Doc, facets []search.Facet) ([]file, error) {
	idx, err := search.Build(docs, facets, search.DefaultOptions())
	if err != nil {
		return nil, err
	}
	out := make([]file, len(idx))
	for i, f := range idx {
		out[i] = file{Path: f.Path, Body: f.Body}
	}
	return out, nil
}
