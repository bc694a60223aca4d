// Package search builds the site's full-text search index at build time:
// words folded and stemmed, each document's fields weighted BM25-style, and
// the facet values of each document, written as a few small JSON files
// under public/search/ that the theme's search.js queries in the browser.
package search
