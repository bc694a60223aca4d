package browsertest

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"peerpress/generator/internal/build"
)

// pageTypes are the example site's page types that every check runs on,
// one page of each.
// A page type's ready selector, when set, is waited for before a check: the
// search page fills its results after it loads.
var pageTypes = []struct{ name, path, ready string }{
	{"home", "/", ""},
	{"networks", "/networks/", ""},
	{"network", "/networks/north-weald-rural-schools/", ""},
	{"directory", "/supporters/", ""},
	{"supporter", "/supporters/helen-marsh/", ""},
	{"facet", "/supporters/region/north/", ""},
	{"facet-index", "/supporters/skill/", ""},
	{"training", "/training/", ""},
	{"course", "/training/peer-support-training-day/", ""},
	{"testimonials", "/testimonials/", ""},
	{"news", "/news/", ""},
	{"article", "/news/call-for-new-supporters-2026/", ""},
	{"page", "/how-peer-support-works/", ""},
	{"search", "/search/?q=finance+rural", "#search-results li"},
	{"form", "/forms/offer-support/", ""},
	{"form-thanks", "/forms/request-support/thanks/?receipt=PP-AAAA-BBBB-CCCC", ""},
	{"404", "/no-such-page/", ""},
}

var (
	exampleOnce sync.Once
	exampleDir  string
	exampleErr  error
)

// example builds the repository's example site once for all tests and
// returns the directory it was written to.
func example(t *testing.T) string {
	t.Helper()
	exampleOnce.Do(func() {
		dir, err := os.MkdirTemp("", "peerpress-example-")
		if err != nil {
			exampleErr = err
			return
		}
		exampleDir = filepath.Join(dir, "public")
		_, exampleErr = build.Build(context.Background(), build.Options{
			Source: repoRoot(), Destination: exampleDir,
			Now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), NowIsDate: true,
		})
	})
	if exampleErr != nil {
		t.Fatalf("build the example site: %v", exampleErr)
	}
	return exampleDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if exampleDir != "" {
		os.RemoveAll(filepath.Dir(exampleDir))
	}
	os.Exit(code)
}

// artifacts is where screenshots go: $PEERPRESS_ARTIFACTS, or
// test-artifacts/ at the top of the repository (git-ignored).
func artifacts(t *testing.T) string {
	dir := os.Getenv("PEERPRESS_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(repoRoot(), "test-artifacts")
	}
	dir = filepath.Join(dir, "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestAccessibility runs axe-core's WCAG 2.2 AA rules on every page type at
// a desktop and a phone width, checks that no page asks another origin for
// anything, and saves a screenshot of each for people to look at.
func TestAccessibility(t *testing.T) {
	axe := AxeSource(t)
	ctx := New(t, 1280, 900)
	base := Serve(t, example(t))
	origin, _ := url.Parse(base)
	var mu sync.Mutex
	var foreign []string
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			u, err := url.Parse(e.Request.URL)
			if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != origin.Host {
				mu.Lock()
				foreign = append(foreign, e.Request.URL)
				mu.Unlock()
			}
		}
	})
	if err := chromedp.Run(ctx, network.Enable()); err != nil {
		t.Fatal(err)
	}
	shots := artifacts(t)
	for _, width := range []int{1280, 390} {
		for _, pt := range pageTypes {
			t.Run(fmt.Sprintf("%s-%d", pt.name, width), func(t *testing.T) {
				var png []byte
				if err := chromedp.Run(ctx,
					chromedp.EmulateViewport(int64(width), 900),
					open(base, pt),
					chromedp.FullScreenshot(&png, 80),
				); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(shots, fmt.Sprintf("%s-%d.jpg", pt.name, width)), png, 0o644); err != nil {
					t.Fatal(err)
				}
				violations, err := Axe(ctx, axe)
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range violations {
					t.Errorf("%s: %s", pt.path, v)
				}
			})
		}
	}
	if len(foreign) > 0 {
		t.Errorf("pages asked other origins for: %v", foreign)
	}
}

// open navigates to a page type and waits until it is ready.
func open(base string, pt struct{ name, path, ready string }) chromedp.Tasks {
	tasks := chromedp.Tasks{chromedp.Navigate(base + pt.path)}
	if pt.ready != "" {
		tasks = append(tasks, chromedp.WaitVisible(pt.ready, chromedp.ByQuery))
	}
	return tasks
}

// focusState describes the focused element and whether its focus shows.
type focusState struct {
	Key     string `json:"key"`
	Visible bool   `json:"visible"`
}

// focusables lists the keys of the elements a keyboard user should reach
// (not the content of a closed <details>, which opens first).
const focusablesJS = `(() => {
  const key = el => el.tagName + '|' + (el.getAttribute('href') || el.name || el.id || '') + '|' + (el.textContent || '').trim().slice(0, 40);
  return [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
    .filter(el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el); return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !el.disabled && !el.closest('details:not([open]) > :not(summary)'); })
    .map(key);
})()`

// activeJS describes document.activeElement and whether its focus is drawn
// (an outline or a box shadow), after two frames so the focus change and its
// styles have settled (a date field moves focus into its parts).
const activeJS = `new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return done({key: '', visible: false});
  const key = el.tagName + '|' + (el.getAttribute('href') || el.name || el.id || '') + '|' + (el.textContent || '').trim().slice(0, 40);
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  done({key, visible: outline || shadow});
})))`

// TestKeyboard tabs through every page type and checks that the Tab key
// reaches every link and control, in a page whose first stop is the skip
// link, and that the focused element always shows it has focus.
func TestKeyboard(t *testing.T) {
	ctx := New(t, 1280, 900)
	base := Serve(t, example(t))
	for _, pt := range pageTypes {
		t.Run(pt.name, func(t *testing.T) {
			var want []string
			if err := chromedp.Run(ctx, open(base, pt), chromedp.Evaluate(focusablesJS, &want)); err != nil {
				t.Fatal(err)
			}
			// Tab until focus comes round to the skip link again; a date
			// field takes one Tab per part, so allow several per element.
			reached := map[string]bool{}
			var first string
			for i := 0; i < 3*len(want)+10; i++ {
				var st focusState
				if err := chromedp.Run(ctx, chromedp.KeyEvent(kb.Tab), chromedp.Evaluate(activeJS, &st, awaitPromise)); err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					first = st.Key
					if !strings.Contains(st.Key, "#main") {
						t.Errorf("first Tab stop is %q, want the skip link", st.Key)
					}
				} else if st.Key == first {
					break
				}
				if st.Key != "" && !st.Visible {
					t.Errorf("focus on %q is not visible", st.Key)
				}
				reached[st.Key] = true
			}
			for _, k := range want {
				if !reached[k] {
					t.Errorf("Tab never reaches %q", k)
				}
			}
		})
	}
}

// layoutJS reports what a narrow screen breaks: the page's own horizontal
// scroll, and interactive elements smaller than 24 by 24 CSS pixels that are
// not links inside a sentence (WCAG 2.5.8 exempts those).
const layoutJS = `(() => {
  const out = {overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth, small: []};
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue; // visually hidden until focused (the skip link)
    if (r.width >= 23.5 && r.height >= 23.5) continue; // 24 px, allowing for sub-pixel layout
    const s = getComputedStyle(el);
    const block = el.closest('p, li, dd, td, figcaption, blockquote, cite, span.cohort');
    const inSentence = s.display === 'inline' && block && block.textContent.trim().length > el.textContent.trim().length + 2;
    if (inSentence) continue;
    out.small.push(el.tagName + ' "' + el.textContent.trim().slice(0, 30) + '" ' + Math.round(r.width) + 'x' + Math.round(r.height));
  }
  return out;
})()`

// TestNarrowScreens checks every page type at 320 px (the narrowest width
// WCAG reflow asks for) for sideways scrolling, and at 320 and 1280 px for
// targets under 24 by 24 px.
func TestNarrowScreens(t *testing.T) {
	ctx := New(t, 320, 800)
	base := Serve(t, example(t))
	for _, width := range []int{320, 1280} {
		for _, pt := range pageTypes {
			t.Run(fmt.Sprintf("%s-%d", pt.name, width), func(t *testing.T) {
				var res struct {
					Overflow int      `json:"overflow"`
					Small    []string `json:"small"`
				}
				if err := chromedp.Run(ctx, chromedp.EmulateViewport(int64(width), 800), open(base, pt), chromedp.Evaluate(layoutJS, &res)); err != nil {
					t.Fatal(err)
				}
				if res.Overflow > 0 {
					t.Errorf("%s at %d px scrolls sideways by %d px", pt.path, width, res.Overflow)
				}
				for _, s := range res.Small {
					t.Errorf("%s at %d px: target smaller than 24x24: %s", pt.path, width, s)
				}
			})
		}
	}
}

// TestWithoutJavaScript opens every page type with scripts disabled and
// checks it is still whole: a heading, its text, and the main menu.
func TestWithoutJavaScript(t *testing.T) {
	ctx := New(t, 1280, 900)
	base := Serve(t, example(t))
	if err := chromedp.Run(ctx, emulation.SetScriptExecutionDisabled(true)); err != nil {
		t.Fatal(err)
	}
	for _, pt := range pageTypes {
		t.Run(pt.name, func(t *testing.T) {
			var h1, main string
			var nav int
			if err := chromedp.Run(ctx,
				chromedp.Navigate(base+pt.path),
				chromedp.Text("h1", &h1, chromedp.ByQuery),
				chromedp.Text("main", &main, chromedp.ByQuery),
				chromedp.Evaluate(`document.querySelectorAll('.site-nav a[href]').length`, &nav),
			); err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(h1) == "" || len(strings.TrimSpace(main)) < 100 || nav == 0 {
				t.Errorf("%s without JavaScript: h1 %q, %d characters of main text, %d menu links", pt.path, h1, len(main), nav)
			}
		})
	}
}

var resourceRE = regexp.MustCompile(`<(?:link[^>]+rel="?stylesheet"?[^>]*href|script[^>]+src)="?([^" >]+)`)

// gzipSize returns the size of b gzipped.
func gzipSize(t *testing.T, b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Len()
}

// TestPageWeight checks that every page type's HTML, CSS and JavaScript
// come to under 50 KB gzipped, the budget for a head on a phone signal.
func TestPageWeight(t *testing.T) {
	const budget = 50 << 10
	base := Serve(t, example(t))
	get := func(u string) []byte {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, pt := range pageTypes {
		html := get(base + pt.path)
		total := gzipSize(t, html)
		for _, m := range resourceRE.FindAllSubmatch(html, -1) {
			total += gzipSize(t, get(base+string(m[1])))
		}
		if total > budget {
			t.Errorf("%s weighs %d bytes gzipped with its CSS and JS, over the %d budget", pt.path, total, budget)
		}
	}
}

// TestSuiteCatchesBrokenPages builds a site whose footer has an image with
// no alt text and a form field with no label, and checks that the checks
// above find both, so they cannot pass by checking nothing.
func TestSuiteCatchesBrokenPages(t *testing.T) {
	axe := AxeSource(t)
	src := t.TempDir()
	files := map[string]string{
		"site.yaml":                    "title: Broken\nbase_url: https://broken.example.org/\nvocabularies:\n  streams: {s: S}\n  regions: {r: R}\n",
		"content/_index.md":            "---\ntitle: Broken\n---\nA page with two faults in its footer.\n",
		"layouts/partials/footer.html": `{{define "footer"}}<footer class="site-footer"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40"><input type="text" name="q"></footer>{{end}}`,
	}
	for name, body := range files {
		p := filepath.Join(src, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := build.Build(context.Background(), build.Options{Source: src, Destination: dest, Now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), NowIsDate: true}); err != nil {
		t.Fatalf("build: %v", err)
	}
	ctx := New(t, 1280, 900)
	if err := chromedp.Run(ctx, chromedp.Navigate(Serve(t, dest)+"/")); err != nil {
		t.Fatal(err)
	}
	violations, err := Axe(ctx, axe)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, v := range violations {
		found[v.ID] = true
	}
	for _, want := range []string{"image-alt", "label"} {
		if !found[want] {
			t.Errorf("axe did not report %q on the broken page; it reported %v", want, violations)
		}
	}
}
