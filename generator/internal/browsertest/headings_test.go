package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// cardHeadingsJS lists the cards whose title is not a level below the
// heading of the section they are listed in (the nearest heading before
// them in main, leaving out other cards and the filters), which a screen
// reader's list of headings would show as the section's equals.
const cardHeadingsJS = `(() => {
  const out = [];
  let section = 1;
  for (const h of document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')) {
    const level = +h.tagName[1];
    if (h.closest('aside')) continue;
    if (!h.classList.contains('card-title')) { section = level; continue; }
    if (level !== section + 1) out.push(h.tagName + ' "' + h.textContent.trim() + '" under an h' + section);
  }
  return out;
})()`

// TestCardHeadings checks on every page type that a list of cards under
// one of the page's section headings (a network's supporters and courses,
// the training page's courses) has titles a level below it.
func TestCardHeadings(t *testing.T) {
	ctx := New(t, 1280, 900)
	base := Serve(t, example(t))
	for _, pt := range pageTypes {
		var bad []string
		if err := chromedp.Run(ctx, open(base, pt), chromedp.Evaluate(cardHeadingsJS, &bad)); err != nil {
			t.Fatal(err)
		}
		for _, b := range bad {
			t.Errorf("%s: card title %s", pt.path, b)
		}
	}
}
