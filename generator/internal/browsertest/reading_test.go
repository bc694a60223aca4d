package browsertest

import (
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// lineLengthJS estimates the characters per line of each block of running
// text in main that wraps: its width over its font's average letter width,
// measured on its own text.
const lineLengthJS = `(() => {
  const c = document.createElement('canvas').getContext('2d'), out = [];
  for (const el of document.querySelectorAll('main p, main li, main dd')) {
    if (el.querySelector('p, li, ul, ol') || el.closest('aside')) continue;
    const text = el.textContent.trim().replace(/\s+/g, ' ');
    const s = getComputedStyle(el), r = el.getBoundingClientRect();
    if (text.length < 100 || r.height < 1.8 * parseFloat(s.lineHeight)) continue;
    c.font = s.fontWeight + ' ' + s.fontSize + ' ' + s.fontFamily;
    const perLine = Math.round(r.width / (c.measureText(text).width / text.length));
    if (perLine > 75) out.push(perLine + ' characters a line: ' + el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ' "' + text.slice(0, 40) + '…"');
  }
  return out;
})()`

// TestLineLength checks that no paragraph, list item or fact on a page
// type runs to more than about 70 characters a line (75 allowing for the
// estimate) on a large screen, the measure the product promises.
func TestLineLength(t *testing.T) {
	ctx := New(t, 1280, 900)
	base := Serve(t, example(t))
	for _, pt := range pageTypes {
		var long []string
		if err := chromedp.Run(ctx, open(base, pt), chromedp.Evaluate(lineLengthJS, &long)); err != nil {
			t.Fatal(err)
		}
		for _, l := range long {
			t.Errorf("%s: %s", pt.path, l)
		}
	}
}

// TestForcedColours emulates forced colours (Windows high contrast), which
// paints every border in the text colour and every background in the
// page's, and checks that the menu still marks the current section and a
// long list's combobox its active suggestion.
func TestForcedColours(t *testing.T) {
	dest := longListSite(t)
	ctx := New(t, 390, 844)
	base := Serve(t, dest)
	forced := emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "forced-colors", Value: "active"}})
	var nav struct {
		Current string   `json:"current"`
		Others  []string `json:"others"`
	}
	if err := chromedp.Run(ctx, forced,
		chromedp.Navigate(base+"/supporters/"),
		chromedp.Evaluate(`(() => {
  const c = a => getComputedStyle(a).borderBottomColor;
  return {current: c(document.querySelector('.site-nav a[aria-current]')),
    others: [...document.querySelectorAll('.site-nav a:not([aria-current])')].map(c)};
})()`, &nav),
	); err != nil {
		t.Fatal(err)
	}
	for _, o := range nav.Others {
		if o == nav.Current {
			t.Errorf("in forced colours every menu link is underlined in %s: the current section does not show", o)
			break
		}
	}
	var opts struct {
		Active string   `json:"active"`
		Others []string `json:"others"`
	}
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/forms/request-support/"),
		chromedp.WaitVisible("#f-supporter", chromedp.ByQuery),
		chromedp.Click("#f-supporter", chromedp.ByQuery),
		chromedp.SendKeys("#f-supporter", "a", chromedp.ByQuery),
		chromedp.WaitVisible(`#f-supporter-listbox [role=option]`, chromedp.ByQuery),
		chromedp.KeyEvent(kb.ArrowDown),
		chromedp.Poll(`document.querySelector('#f-supporter-listbox [aria-selected=true]') !== null`, nil, chromedp.WithPollingTimeout(5*time.Second)),
		chromedp.Evaluate(`(() => {
  // A transparent option shows the popup's background.
  const c = o => { const s = getComputedStyle(o); let bg = s.backgroundColor;
    if (/^rgba\(.*, 0\)$/.test(bg)) bg = getComputedStyle(o.closest('.combobox__popup')).backgroundColor;
    return bg + ' ' + s.borderLeftColor; };
  return {active: c(document.querySelector('#f-supporter-listbox [aria-selected=true]')),
    others: [...document.querySelectorAll('#f-supporter-listbox [aria-selected=false]')].map(c)};
})()`, &opts),
	); err != nil {
		t.Fatal(err)
	}
	for _, o := range opts.Others {
		if o == opts.Active {
			t.Errorf("in forced colours the active suggestion looks like the others (%s)", o)
			break
		}
	}
}
