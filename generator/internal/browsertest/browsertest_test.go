package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestExampleSiteOpens builds the example site, serves it and opens the home
// page and a missing page in Chromium: the harness every browser test uses.
func TestExampleSiteOpens(t *testing.T) {
	ctx := New(t, 1280, 900)
	dest := example(t)
	base := Serve(t, dest)
	var title, h1 string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.Title(&title),
		chromedp.Text("h1", &h1),
	); err != nil {
		t.Fatal(err)
	}
	if title != "Wealdshire Headteacher Peer Support" || h1 != title {
		t.Errorf("home page title %q, h1 %q", title, h1)
	}
	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/no-such-page/"), chromedp.Text("h1", &h1)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h1, "Page not found") {
		t.Errorf("missing page shows h1 %q, want the 404 page", h1)
	}
}
