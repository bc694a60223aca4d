package browsertest

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// printedJS describes the page as it prints: which of the screen's chrome
// and of what is there to click rather than read (forms, buttons, booking
// and calendar links) still shows, the page's own address under the site's name, and what
// each visible link of the main content adds after its text.
const printedJS = `(() => {
  const shown = el => el && getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0;
  const chrome = ['.skip-link', '.site-nav', '.site-search', '.breadcrumbs', '.site-footer nav',
    'form', '.button', '.booking', '.booking-link', '.calendar-link']
    .filter(sel => [...document.querySelectorAll(sel)].some(shown));
  const url = document.querySelector('.print-url');
  const links = [...document.querySelectorAll('main a[href]')].filter(shown).map(a => ({
    href: a.getAttribute('href'),
    after: getComputedStyle(a, '::after').content,
    inFacts: !!a.closest('.facts'), inCell: !!a.closest('td'), tag: a.classList.contains('tag'),
  }));
  return {chrome, url: shown(url) ? url.textContent : '', links};
})()`

type printedLink struct {
	Href    string `json:"href"`
	After   string `json:"after"`
	InFacts bool   `json:"inFacts"`
	InCell  bool   `json:"inCell"`
	Tag     bool   `json:"tag"`
}

// TestPrint checks that a profile, the directory, the training page and a
// course print as the product promises a coordinator who e-mails them as
// PDFs: no navigation chrome, forms or booking links, the page's own
// address at the top, and the whole address after each link of the text
// (the site's origin before a path from its root), but not after the
// facts' and tags' links to listings nor in a table's cells. It prints
// each to A4 too, which must give a PDF.
func TestPrint(t *testing.T) {
	ctx := New(t, 1280, 900)
	base := Serve(t, example(t))
	const origin = "https://peer-support.wealdshire.example.org" // site.yaml's base_url
	for _, path := range []string{"/supporters/helen-marsh/", "/supporters/", "/training/", "/training/peer-support-training-day/"} {
		t.Run(path, func(t *testing.T) {
			var got struct {
				Chrome []string      `json:"chrome"`
				URL    string        `json:"url"`
				Links  []printedLink `json:"links"`
			}
			var pdf []byte
			if err := chromedp.Run(ctx,
				chromedp.Navigate(base+path),
				emulation.SetEmulatedMedia().WithMedia("print"),
				chromedp.Evaluate(printedJS, &got),
				emulation.SetEmulatedMedia().WithMedia(""),
				chromedp.ActionFunc(func(ctx context.Context) error {
					var err error
					pdf, _, err = page.PrintToPDF().WithPaperWidth(8.27).WithPaperHeight(11.69).WithPreferCSSPageSize(true).Do(ctx)
					return err
				}),
			); err != nil {
				t.Fatal(err)
			}
			if len(got.Chrome) > 0 {
				t.Errorf("printed page shows %v", got.Chrome)
			}
			if want := origin + path; got.URL != want {
				t.Errorf("printed address = %q, want %q", got.URL, want)
			}
			withURL := 0
			for _, l := range got.Links {
				plain := l.InFacts || l.InCell || l.Tag
				switch {
				case plain && l.After != "none":
					t.Errorf("link %q prints %s after it, want nothing", l.Href, l.After)
				case plain:
				case strings.HasPrefix(l.Href, "/"):
					if want := strconv.Quote(" (" + origin + l.Href + ")"); l.After != want {
						t.Errorf("link %q prints %s after it, want %s", l.Href, l.After, want)
					}
					withURL++
				}
			}
			if withURL == 0 {
				t.Errorf("no link of %s prints its address", path)
			}
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Errorf("printing %s gave no PDF", path)
			}
		})
	}
}
