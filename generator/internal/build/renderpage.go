package build

import (
	"github.com/tdewolff/minify/v2"

	"peerpress/generator/internal/htmlmin"
)

// newMinifier is the minifier of the files a page does not render: the
// sitemap and the site's static files.
func newMinifier() *minify.M { return htmlmin.New() }
