package build

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	mhtml "github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"

	"peerpress/generator/internal/layout"
	"peerpress/generator/internal/site"
)

func newMinifier() *minify.M {
	m := minify.New()
	m.Add("text/html", &mhtml.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true})
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("image/svg+xml", svg.Minify)
	m.AddFuncRegexp(regexp.MustCompile("^(application|text)/(x-)?(java|ecma)script$"), js.Minify)
	m.AddFuncRegexp(regexp.MustCompile("[/+]json$"), json.Minify)
	m.AddFuncRegexp(regexp.MustCompile("[/+]xml$"), xml.Minify)
	return m
}

// templateError is a layout's failure to execute, as opposed to a failure
// of the build itself: it becomes a diagnostic naming the template.
type templateError struct{ err error }

func (e *templateError) Error() string { return e.err.Error() }

// renderPage executes one output's layout and minifies the result. It may
// be called from many goroutines at once.
func renderPage(layouts *layout.Set, m *minify.M, o site.Output) ([]byte, error) {
	out, err := layouts.ExecuteMinified(o.Layout, o.View, m)
	var me *layout.MinifyError
	if errors.As(err, &me) {
		return nil, fmt.Errorf("render: minify %s: %w", o.Path, me.Err)
	} else if err != nil {
		return nil, &templateError{err}
	}
	return out, nil
}
