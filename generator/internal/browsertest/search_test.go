package browsertest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"peerpress/generator/internal/build"
	"peerpress/generator/internal/corpus"
)

// TestSearch builds the example site, types a query into its search page,
// filters the results and moves to them with the keyboard, as a head
// would.
func TestSearch(t *testing.T) {
	ctx := New(t, 1280, 900)
	dest := example(t)
	base := Serve(t, dest)

	// waitFor polls the page until js is true.
	waitFor := func(what, js string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			var ok bool
			// While a submitted form navigates, evaluating fails with
			// "target navigated or closed": that is a reason to look
			// again, not a failure, until the deadline.
			err := chromedp.Run(ctx, chromedp.Evaluate(statusJS+js, &ok))
			if err == nil && ok {
				return
			}
			if time.Now().After(deadline) {
				if err != nil {
					t.Fatalf("waiting for %s: %v", what, err)
				}
				var status string
				_ = chromedp.Run(ctx, chromedp.Evaluate(statusJS+`status()`, &status))
				t.Fatalf("waiting for %s; the status says %q", what, status)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	titles := func() []string {
		var out []string
		if err := chromedp.Run(ctx, chromedp.Evaluate(`Array.from(document.querySelectorAll('.search-result-title')).map(e => e.textContent)`, &out)); err != nil {
			t.Fatal(err)
		}
		return out
	}

	// The header's box is a plain form: it lands on the search page.
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/supporters/"),
		chromedp.SendKeys("#site-search-q", "wellbeing\n"),
	); err != nil {
		t.Fatal(err)
	}
	waitFor("results for the header's query", `/results? for “wellbeing”/.test(status())`)
	var loc string
	if err := chromedp.Run(ctx, chromedp.Location(&loc)); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(loc, "/search/?q=wellbeing") {
		t.Errorf("the header's search went to %s", loc)
	}

	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/search/"),
		chromedp.WaitVisible("#search-filters fieldset"),
		chromedp.SendKeys("#search-q", "finance rural"),
	); err != nil {
		t.Fatal(err)
	}
	waitFor("results for “finance rural”", `status() === '2 results for “finance rural”.'`)
	if got := titles(); len(got) != 2 || got[0] != "Tom Ellery" || got[1] != "James Orton" {
		t.Errorf("results for “finance rural” = %q, want Tom Ellery, James Orton", got)
	}
	// The count is announced once the search is exact: the live region is
	// no longer busy. The results' records came by byte range, not as the
	// whole file of records.
	var busy bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.getElementById('search-status').hasAttribute('aria-busy')`, &busy)); err != nil {
		t.Fatal(err)
	}
	if busy {
		t.Error("the live region is still busy after the final count")
	}
	var fetched []struct {
		Name string  `json:"name"`
		Size float64 `json:"size"`
	}
	if err := chromedp.Run(ctx, chromedp.Evaluate(`performance.getEntriesByType('resource').filter(e => /\/search\/d\.[0-9a-f]+\.txt$/.test(e.name)).map(e => ({name: e.name, size: e.encodedBodySize}))`, &fetched)); err != nil {
		t.Fatal(err)
	}
	records, _ := filepath.Glob(filepath.Join(dest, "search", "d.*.txt"))
	if len(fetched) == 0 || len(records) != 1 {
		t.Errorf("fetched records %v from %q, want ranges of one file", fetched, records)
	} else if info, err := os.Stat(records[0]); err != nil {
		t.Fatal(err)
	} else {
		for _, f := range fetched {
			if f.Size >= float64(info.Size()) {
				t.Errorf("fetched %s whole (%v bytes), want the results' records only", f.Name, f.Size)
			}
		}
	}
	var marks []string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`Array.from(document.querySelectorAll('.search-result mark')).map(e => e.textContent.toLowerCase())`, &marks)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(marks, " "), "rural") {
		t.Errorf("highlighted words %q, want “rural” among them", marks)
	}

	// Filtering by school type leaves the federation's head.
	if err := chromedp.Run(ctx, chromedp.Click("#f-type-federation")); err != nil {
		t.Fatal(err)
	}
	waitFor("one filtered result", `status() === '1 result for “finance rural”.'`)
	if got := titles(); len(got) != 1 || got[0] != "Tom Ellery" {
		t.Errorf("filtered results = %q, want Tom Ellery", got)
	}
	var search string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`location.search`, &search)); err != nil {
		t.Fatal(err)
	}
	if search != "?q=finance+rural&type=federation" {
		t.Errorf("the address says %q, want the query and the filter", search)
	}

	// The page with its filters and results meets WCAG 2.2 AA.
	violations, err := Axe(ctx, AxeSource(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range violations {
		t.Errorf("axe: %s", v)
	}

	// The arrow key moves from the box to the first result.
	var focused string
	if err := chromedp.Run(ctx,
		chromedp.Focus("#search-q"),
		chromedp.KeyEvent(kb.ArrowDown),
		chromedp.Evaluate(`document.activeElement.textContent`, &focused),
	); err != nil {
		t.Fatal(err)
	}
	if focused != "Tom Ellery" {
		t.Errorf("after the down arrow the focus is on %q, want the first result", focused)
	}

	// A shared address restores the search.
	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/search/?q=finance+rural&type=federation")); err != nil {
		t.Fatal(err)
	}
	waitFor("the shared search", `status() === '1 result for “finance rural”.'`)
	var checked bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.getElementById('f-type-federation').checked`, &checked)); err != nil {
		t.Fatal(err)
	}
	if !checked {
		t.Error("the shared address did not tick the school type filter")
	}

	// A quoted phrase finds the pages with its words in order, stop words
	// included: not those with other stop words between them.
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/search/"),
		chromedp.WaitVisible("#search-filters fieldset"),
		chromedp.SendKeys("#search-q", `"east of the county"`),
	); err != nil {
		t.Fatal(err)
	}
	waitFor("results for the phrase", `status() === '3 results for “"east of the county"”.'`)
	got := titles()
	slices.Sort(got)
	if want := []string{"Claire Benson", "Could you be a peer supporter?", "Priya Raman"}; !slices.Equal(got, want) {
		t.Errorf("results for the phrase = %q, want %q", got, want)
	}
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/search/"),
		chromedp.WaitVisible("#search-filters fieldset"),
		chromedp.SendKeys("#search-q", `"east in the county"`),
	); err != nil {
		t.Fatal(err)
	}
	waitFor("no results for the phrase", `status().startsWith('No results for “"east in the county"”')`)

	// On a phone the filters start closed, so that the results come
	// straight under the search box; their button says how many are
	// chosen, opens them, and "Clear filters" takes the filters away.
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 800),
		chromedp.Navigate(base+"/search/?q=finance+rural&type=federation"),
	); err != nil {
		t.Fatal(err)
	}
	waitFor("the search on a phone", `status() === '1 result for “finance rural”.'`)
	var phone struct {
		Expanded  string  `json:"expanded"`
		Hidden    bool    `json:"hidden"`
		Button    string  `json:"button"`
		ResultTop float64 `json:"resultTop"`
		Height    float64 `json:"height"`
	}
	const phoneJS = `(() => {
  const b = document.getElementById('search-filter-toggle');
  return {expanded: b.getAttribute('aria-expanded'), hidden: document.getElementById('search-filter-panel').hidden,
    button: b.textContent, resultTop: document.querySelector('.search-result').getBoundingClientRect().top, height: innerHeight};
})()`
	if err := chromedp.Run(ctx, chromedp.Evaluate(phoneJS, &phone)); err != nil {
		t.Fatal(err)
	}
	if phone.Expanded != "false" || !phone.Hidden || phone.Button != "Filter (1 selected)" {
		t.Errorf("on a phone the filters' button is %q, aria-expanded %s, panel hidden %v; want closed, saying one is selected", phone.Button, phone.Expanded, phone.Hidden)
	}
	if phone.ResultTop >= phone.Height {
		t.Errorf("on a phone the first result is at %v px, below the %v px screen", phone.ResultTop, phone.Height)
	}
	violations, err = Axe(ctx, AxeSource(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range violations {
		t.Errorf("axe, on a phone with the filters closed: %s", v)
	}
	if err := chromedp.Run(ctx,
		chromedp.Click("#search-filter-toggle"),
		chromedp.WaitVisible("#f-type-federation"),
		chromedp.Click("#search-clear"),
	); err != nil {
		t.Fatal(err)
	}
	waitFor("the search without filters", `status() === '2 results for “finance rural”.'`)
	if err := chromedp.Run(ctx,
		chromedp.Evaluate(phoneJS, &phone),
		chromedp.Evaluate(`document.activeElement.id`, &focused),
		chromedp.Evaluate(`location.search`, &search),
		chromedp.Evaluate(`document.getElementById('search-clear').hidden`, &checked),
	); err != nil {
		t.Fatal(err)
	}
	if phone.Expanded != "true" || phone.Hidden || phone.Button != "Filter" || !checked {
		t.Errorf("after clearing, the filters' button is %q, aria-expanded %s, panel hidden %v, clear button hidden %v; want open, none selected, no clear button", phone.Button, phone.Expanded, phone.Hidden, checked)
	}
	if focused != "search-filter-toggle" || search != "?q=finance+rural" {
		t.Errorf("after clearing, the focus is on %q and the address says %q; want the filters' button and the query alone", focused, search)
	}
}

// statusJS defines status(), the text of the search page's live region, or
// "" while the page is loading.
const statusJS = `function status() { const e = document.getElementById('search-status'); return e ? e.textContent : ''; }
`

// TestSearchTiers searches a generated site of 300 documents, large enough
// that a common word's full postings are not in the first tier: the page
// shows the first tier's top results with the live region busy, then the
// exact count, once.
func TestSearchTiers(t *testing.T) {
	siteYAML, err := os.ReadFile(filepath.Join(repoRoot(), "site.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	if err := corpus.Write(src, corpus.Options{Docs: 300, SiteYAML: siteYAML}); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := build.Build(context.Background(), build.Options{Source: src, Destination: dest,
		Now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), NowIsDate: true}); err != nil {
		t.Fatal(err)
	}
	ctx := New(t, 1280, 900)
	base := Serve(t, dest)
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/search/"),
		chromedp.WaitVisible("#search-filters fieldset"),
	); err != nil {
		t.Fatal(err)
	}
	// The page first shows every page to browse and says how many: wait
	// for that, so that only the query's announcements are watched (on a
	// slow machine it could otherwise come after the watching starts).
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var settled bool
		if err := chromedp.Run(ctx, chromedp.Evaluate(`(() => { const s = document.getElementById('search-status'); return s.textContent !== '' && !s.hasAttribute('aria-busy'); })()`, &settled)); err != nil {
			t.Fatal(err)
		}
		if settled {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the search page never said how many pages there are to browse")
		}
	}
	// Every change to the live region: busy or not, its text and how many
	// results the page shows.
	if err := chromedp.Run(ctx,
		chromedp.Evaluate(`window.said = [];
new MutationObserver(() => {
  const s = document.getElementById('search-status');
  said.push((s.hasAttribute('aria-busy') ? 'busy: ' : '') + s.textContent + ' (' + document.querySelectorAll('.search-result').length + ')');
}).observe(document.getElementById('search-status'), {childList: true, characterData: true, subtree: true, attributes: true});
// The whole word at once: keys typed slower than the page's pause would
// search for its start too.
const q = document.getElementById('search-q');
q.value = 'wellbeing';
q.dispatchEvent(new Event('input'));
true`, nil),
	); err != nil {
		t.Fatal(err)
	}
	var said []string
	deadline := time.Now().Add(20 * time.Second)
	for {
		if err := chromedp.Run(ctx, chromedp.Evaluate(`said`, &said)); err != nil {
			t.Fatal(err)
		}
		if n := len(said); n > 0 && !strings.HasPrefix(said[n-1], "busy") || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(said) != 2 || said[0] != "busy: Showing the top results for “wellbeing”… (10)" ||
		!strings.HasSuffix(said[1], " results for “wellbeing”. (10)") {
		t.Errorf("the live region said %q; want the top results while busy, then the count once", said)
	}
	final := said[len(said)-1]

	// A host that ignores byte ranges sends whole files: search works the
	// same, only fetching more.
	static := StaticHandler(dest)
	whole := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Del("Range")
		static.ServeHTTP(w, r)
	}))
	t.Cleanup(whole.Close)
	if err := chromedp.Run(ctx, chromedp.Navigate(whole.URL+"/search/?q=wellbeing")); err != nil {
		t.Fatal(err)
	}
	var status string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if err := chromedp.Run(ctx, chromedp.Evaluate(statusJS+`status()`, &status)); err != nil {
			t.Fatal(err)
		}
		if status+" (10)" == final {
			break
		}
	}
	if status+" (10)" != final {
		t.Errorf("without byte ranges the live region says %q, want %q", status, final)
	}
}
