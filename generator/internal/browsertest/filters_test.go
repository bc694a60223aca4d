package browsertest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// filterTopsJS maps each search filter's checkbox that shows to its top
// in the page (not the screen, which scrolls).
const filterTopsJS = `(() => Object.fromEntries([...document.querySelectorAll('#search-filters input[type=checkbox]')]
  .filter(c => c.getBoundingClientRect().height > 0)
  .map(c => [c.id, c.getBoundingClientRect().top + scrollY])))()`

// searchSettledJS is true when the search page shows its exact results
// and the filters their counts: the live region is no longer busy, and the
// counts, which may come after the results, are written.
const searchSettledJS = `(() => { const s = document.getElementById('search-status'), c = document.querySelector('#search-filters .count');
  return !!c && c.textContent !== '' && !s.hasAttribute('aria-busy') && /result/i.test(s.textContent); })()`

// TestFiltersStayPut ticks search filters, on a phone and a desktop, and
// checks that no checkbox that showed moves: a quick second tap lands on
// the box it aimed at. Before, ticking the first filter brought "Clear
// filters" in above the filters, pushing every one down about 60px, and
// values left with no results vanished, moving the ones below them.
func TestFiltersStayPut(t *testing.T) {
	ctx := New(t, 1280, 900)
	base := Serve(t, example(t))
	// settle waits for the search to finish: the results and counts
	// shown, and then the filters' places the same at two looks 250ms
	// apart (the exact counts may follow the first ones).
	settle := func(what string) {
		t.Helper()
		if err := chromedp.Run(ctx, chromedp.Poll(searchSettledJS, nil, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		var last string
		for range 80 {
			var now string
			if err := chromedp.Run(ctx, chromedp.Evaluate(`JSON.stringify(`+filterTopsJS+`)`, &now)); err != nil {
				t.Fatal(err)
			}
			if now == last {
				return
			}
			last = now
			time.Sleep(250 * time.Millisecond)
		}
		t.Fatalf("waiting for %s: the filters keep moving", what)
	}
	for _, width := range []int64{390, 1280} {
		for _, query := range []string{"", "?q=finance"} {
			t.Run(fmt.Sprintf("%d%s", width, query), func(t *testing.T) {
				if err := chromedp.Run(ctx, chromedp.EmulateViewport(width, 800), chromedp.Navigate(base+"/search/"+query)); err != nil {
					t.Fatal(err)
				}
				settle("the search page")
				if err := chromedp.Run(ctx, chromedp.Evaluate(`(() => { const b = document.getElementById('search-filter-toggle');
  if (b.getAttribute('aria-expanded') !== 'true') b.click(); })()`, nil)); err != nil {
					t.Fatal(err)
				}
				// Tick the first filter, then the first of the skills, a
				// later group whose values the first choice recounts.
				for i, pick := range []string{`#search-filters input[type=checkbox]`, `#search-filters [data-key=skill] li:not([hidden]) input`} {
					var before, after map[string]float64
					var picked string
					if err := chromedp.Run(ctx,
						chromedp.Evaluate(filterTopsJS, &before),
						chromedp.Evaluate(`(() => { const c = document.querySelector('`+pick+`'); c.click(); return c.id; })()`, &picked),
						chromedp.Poll(`location.search.includes('`+strings.SplitN(strings.TrimPrefix(picked, "f-"), "-", 2)[0]+`=')`, nil, chromedp.WithPollingTimeout(5*time.Second)),
					); err != nil {
						t.Fatal(err)
					}
					settle("the filtered results")
					if err := chromedp.Run(ctx, chromedp.Evaluate(filterTopsJS, &after)); err != nil {
						t.Fatal(err)
					}
					moved := 0
					for id, top := range before {
						if got, ok := after[id]; !ok || got < top-0.5 || got > top+0.5 {
							if moved++; moved <= 3 {
								t.Errorf("tick %d (%s): the checkbox %s moved from %vpx to %vpx (0: gone)", i+1, picked, id, top, got)
							}
						}
					}
					if moved > 3 {
						t.Errorf("tick %d (%s): %d of %d checkboxes moved", i+1, picked, moved, len(before))
					}
				}
				// "Clear filters" shows, after the filters, and the
				// keyboard reaches it from the last one.
				var clear struct {
					Shown bool `json:"shown"`
					After bool `json:"after"`
				}
				if err := chromedp.Run(ctx, chromedp.Evaluate(`(() => { const c = document.getElementById('search-clear');
  return {shown: c.getBoundingClientRect().height > 0,
    after: !!(document.getElementById('search-filters').compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING)}; })()`, &clear)); err != nil {
					t.Fatal(err)
				}
				if !clear.Shown || !clear.After {
					t.Errorf("with filters ticked, Clear filters shows %v and comes after the filters %v; want both", clear.Shown, clear.After)
				}
				if err := chromedp.Run(ctx, chromedp.Focus("#search-to", chromedp.ByQuery)); err != nil {
					t.Fatal(err)
				}
				reached := false
				for range 5 {
					var id string
					if err := chromedp.Run(ctx, chromedp.KeyEvent(kb.Tab), chromedp.Evaluate(`document.activeElement.id`, &id)); err != nil {
						t.Fatal(err)
					}
					if id == "search-clear" {
						reached = true
						break
					}
				}
				if !reached {
					t.Error("Tab from the last filter does not reach Clear filters")
				}
			})
		}
	}
}
