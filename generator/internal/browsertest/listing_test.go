package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestFiltersOnAPhone opens the supporter directory and a facet value's
// page at a phone's width and at a desktop's: on the phone the filters are
// their names alone, each a link to its values, and the first supporter is
// on the first screen; on the desktop every value shows beside the results.
func TestFiltersOnAPhone(t *testing.T) {
	ctx := New(t, 1280, 900)
	base := Serve(t, example(t))
	const js = `(() => {
  const visible = el => el.getBoundingClientRect().height > 0;
  return {
    names: [...document.querySelectorAll('.facet-sidebar h3 a')].filter(visible).map(a => a.textContent),
    values: [...document.querySelectorAll('.facet-sidebar li a')].filter(visible).length,
    first: document.querySelector('#results .card, #results li').getBoundingClientRect().top,
    height: innerHeight,
  };
})()`
	var res struct {
		Names  []string `json:"names"`
		Values int      `json:"values"`
		First  float64  `json:"first"`
		Height float64  `json:"height"`
	}
	for _, path := range []string{"/supporters/", "/supporters/region/north/"} {
		for _, width := range []int{390, 1280} {
			if err := chromedp.Run(ctx, chromedp.EmulateViewport(int64(width), 800), chromedp.Navigate(base+path), chromedp.Evaluate(js, &res)); err != nil {
				t.Fatal(err)
			}
			if len(res.Names) != 6 || res.Names[0] != "Region" {
				t.Errorf("%s at %d px: the filters named are %q, want the six of the directory", path, width, res.Names)
			}
			switch {
			case width == 390 && (res.Values != 0 || res.First >= res.Height):
				t.Errorf("%s on a phone: %d filter values showing and the first supporter at %v px of %v; want none, and on the first screen", path, res.Values, res.First, res.Height)
			case width == 1280 && res.Values < 20:
				t.Errorf("%s on a desktop: %d filter values showing, want all of them", path, res.Values)
			}
		}
	}
}
