package build

import (
	"github.com/tdewolff/minify/v2"

	"peerpress/generator/internal/htmlmin"
	"peerpress/generator/internal/layout"
	"peerpress/generator/internal/site"
)

// newMinifier is the minifier of the files a page does not render: the
// sitemap and the site's static files.
func newMinifier() *minify.M { return htmlmin.New() }

// templateError is a layout's failure to execute, as opposed to a failure
// of the build itself: it becomes a diagnostic naming the template.
type templateError struct{ err error }

func (e *templateError) Error() string { return e.err.Error() }

// renderPage executes one output's layout. The layouts were minified when
// they were loaded and the HTML of values where it was made, so the page is
// minified already. It may be called from many goroutines at once.
func renderPage(layouts *layout.Set, o site.Output) ([]byte, error) {
	out, err := layouts.Render(o.Layout, o.View)
	if err != nil {
		return nil, &templateError{err}
	}
	return out, nil
}
