package browsertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// headerJS describes the header: its height, where <main> starts, the
// menu button's state and size, and how many of the menu's links show.
const headerJS = `(() => {
  const b = document.querySelector('.site-menu-toggle');
  const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const br = b ? b.getBoundingClientRect() : {width: 0, height: 0};
  return {
    header: document.querySelector('.site-header').getBoundingClientRect().height,
    main: document.querySelector('main').getBoundingClientRect().top,
    button: !!b && shown(b), buttonW: br.width, buttonH: br.height,
    expanded: b ? b.getAttribute('aria-expanded') : '',
    links: [...document.querySelectorAll('.site-nav a[href]')].filter(shown).length,
    current: [...document.querySelectorAll('.site-nav a[aria-current]')].filter(shown).length,
    search: shown(document.getElementById('site-search-q')),
  };
})()`

// headerState is what headerJS returns.
type headerState struct {
	Header   float64 `json:"header"`
	Main     float64 `json:"main"`
	Button   bool    `json:"button"`
	ButtonW  float64 `json:"buttonW"`
	ButtonH  float64 `json:"buttonH"`
	Expanded string  `json:"expanded"`
	Links    int     `json:"links"`
	Current  int     `json:"current"`
	Search   bool    `json:"search"`
}

// menuReadyJS is true once header.js has run: the button is shown (on a
// narrow screen) or the header is known to be wide.
const menuReadyJS = `(() => { const b = document.querySelector('.site-menu-toggle'); return !!b && (!b.hidden || matchMedia('(min-width: 40.0625em)').matches) && b.hasAttribute('aria-expanded'); })()`

// TestPhoneHeader opens the supporter directory on a 320 by 568 phone.
// The header was the site's name, three rows of menu links and the search
// box, 258px, 45% of the screen before the page's heading; now the menu
// folds behind a "Menu" button, which opens and closes it from the mouse
// and the keyboard, Escape closing it and bringing the focus back. Without
// JavaScript, and on a wide screen, the menu shows as it did.
func TestPhoneHeader(t *testing.T) {
	ctx := New(t, 320, 568)
	base := Serve(t, example(t))
	shots := artifacts(t)
	state := func() headerState {
		t.Helper()
		var st headerState
		if err := chromedp.Run(ctx, chromedp.Evaluate(headerJS, &st)); err != nil {
			t.Fatal(err)
		}
		return st
	}
	shot := func(name string) {
		t.Helper()
		var png []byte
		if err := chromedp.Run(ctx, chromedp.CaptureScreenshot(&png)); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shots, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	active := func() string {
		t.Helper()
		var st focusState
		if err := chromedp.Run(ctx, chromedp.Evaluate(activeJS, &st, awaitPromise)); err != nil {
			t.Fatal(err)
		}
		return st.Key
	}
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(320, 568),
		chromedp.Navigate(base+"/supporters/"),
	); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(ctx, chromedp.Poll(menuReadyJS, nil, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("at 320px the header is %vpx high and no menu button shows: %v", state().Header, err)
	}
	shot("header-320-closed.png")
	st := state()
	// 180px is under a third of the screen; the header was 258px.
	const most = 180
	if st.Header > most || !st.Button || st.Expanded != "false" || st.Links != 0 || !st.Search {
		t.Errorf("at 320px the header is %vpx (want at most %v), the menu button showing %v with aria-expanded %q, %d menu links showing, the search box showing %v; want the button closed, no links, the box", st.Header, most, st.Button, st.Expanded, st.Links, st.Search)
	}
	if st.ButtonW < 24 || st.ButtonH < 24 {
		t.Errorf("the menu button is %vx%vpx, under 24x24", st.ButtonW, st.ButtonH)
	}
	t.Logf("at 320px the header is %vpx high and <main> starts at %vpx", st.Header, st.Main)

	// The keyboard: skip link, site name, Menu, then the search box.
	var order []string
	for range 4 {
		if err := chromedp.Run(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		order = append(order, active())
	}
	if !strings.Contains(order[0], "#main") || !strings.Contains(order[1], "site-name") && !strings.HasPrefix(order[1], "A|/|") || !strings.HasPrefix(order[2], "BUTTON|") || !strings.HasPrefix(order[3], "INPUT|") {
		t.Errorf("the first Tab stops are %q; want the skip link, the site's name, the menu button, the search box", order)
	}
	// Enter on the button opens the menu; Tab goes into it.
	if err := chromedp.Run(ctx, chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(input.ModifierShift))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	st = state()
	if st.Expanded != "true" || st.Links != 6 || st.Current != 1 {
		t.Errorf("after Enter on the menu button: aria-expanded %q, %d links showing, %d marked current; want true, all 6, 1", st.Expanded, st.Links, st.Current)
	}
	shot("header-320-open.png")
	if err := chromedp.Run(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
		t.Fatal(err)
	}
	if a := active(); !strings.HasPrefix(a, "A|/networks/|") {
		t.Errorf("Tab after the open menu's button goes to %q, want its first link", a)
	}
	// Escape in the menu closes it and brings the focus back to the button.
	if err := chromedp.Run(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	st = state()
	if a := active(); st.Expanded != "false" || st.Links != 0 || !strings.HasPrefix(a, "BUTTON|") {
		t.Errorf("after Escape in the menu: aria-expanded %q, %d links showing, focus on %q; want closed and the focus on the button", st.Expanded, st.Links, a)
	}
	// A click opens it and a second closes it.
	if err := chromedp.Run(ctx, chromedp.Click(".site-menu-toggle", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if st = state(); st.Expanded != "true" || st.Links != 6 {
		t.Errorf("after a click on the menu button: aria-expanded %q, %d links showing; want true, 6", st.Expanded, st.Links)
	}
	if err := chromedp.Run(ctx, chromedp.Click(".site-menu-toggle", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if st = state(); st.Expanded != "false" || st.Links != 0 {
		t.Errorf("after a second click: aria-expanded %q, %d links showing; want false, 0", st.Expanded, st.Links)
	}

	// On a wide screen the menu shows and the button does not, and the
	// header is as high as without JavaScript: nothing moves when the
	// script runs.
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/supporters/"),
		chromedp.Poll(menuReadyJS, nil, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatal(err)
	}
	wide := state()
	if wide.Button || wide.Links != 6 || wide.Current != 1 {
		t.Errorf("at 1280px the menu button shows %v and %d links (%d current); want no button and all 6 links, 1 current", wide.Button, wide.Links, wide.Current)
	}

	// Without JavaScript the menu is there at both widths.
	if err := chromedp.Run(ctx, emulation.SetScriptExecutionDisabled(true)); err != nil {
		t.Fatal(err)
	}
	defer chromedp.Run(ctx, emulation.SetScriptExecutionDisabled(false))
	for _, width := range []int64{320, 1280} {
		if err := chromedp.Run(ctx, chromedp.EmulateViewport(width, 568), chromedp.Navigate(base+"/supporters/")); err != nil {
			t.Fatal(err)
		}
		st := state()
		if st.Button || st.Links != 6 || st.Current != 1 || !st.Search {
			t.Errorf("at %dpx without JavaScript the menu button shows %v, %d links (%d current) and the search box %v; want no button, all 6 links, 1 current, the box", width, st.Button, st.Links, st.Current, st.Search)
		}
		if width == 1280 && st.Header != wide.Header {
			t.Errorf("at 1280px the header is %vpx with JavaScript and %vpx without: the script moves the page", wide.Header, st.Header)
		}
	}
}

// seenJS counts what of the header a reader sees, hidden or clipped
// elements left out: the menu's links and the menu button.
const seenJS = `(() => {
  const seen = el => el.checkVisibility({visibilityProperty: true, checkVisibilityCSS: true}) &&
    el.closest('.site-nav, .site-menu-toggle').getBoundingClientRect().height > 0;
  const b = document.querySelector('.site-menu-toggle');
  return {
    header: document.querySelector('.site-header').getBoundingClientRect().height,
    links: [...document.querySelectorAll('.site-nav a[href]')].filter(seen).length,
    button: !!b && seen(b),
  };
})()`

// TestPhoneHeaderBeforeScript opens the directory on a 320px phone with
// header.js held back, as it is between the first paint and the deferred
// script's running (and for good, were it to fail to load). The header
// must already be folded, as high as the script leaves it, so that the
// page does not jump when the script runs; and were the script never to
// come, the menu must show after 3 seconds, so the page never loses it.
func TestPhoneHeaderBeforeScript(t *testing.T) {
	ctx := New(t, 320, 568)
	base := Serve(t, example(t))
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(320, 568),
		network.Enable(),
		network.SetBlockedURLs([]string{"*/header.*.js"}),
		chromedp.Navigate(base+"/supporters/"),
	); err != nil {
		t.Fatal(err)
	}
	var st struct {
		Header float64 `json:"header"`
		Links  int     `json:"links"`
		Button bool    `json:"button"`
	}
	if err := chromedp.Run(ctx, chromedp.Evaluate(seenJS, &st)); err != nil {
		t.Fatal(err)
	}
	// The height TestPhoneHeader measures once the script has run.
	const folded = 163
	if st.Links != 0 || !st.Button || st.Header < folded-2 || st.Header > folded+2 {
		t.Errorf("before header.js runs the header is %vpx with %d menu links seen and the button seen %v; want it folded as the script leaves it: about %vpx, no links, the button", st.Header, st.Links, st.Button, folded)
	}
	if err := chromedp.Run(ctx, chromedp.Poll(seenJS+`.links === 6`, nil, chromedp.WithPollingTimeout(6*time.Second))); err != nil {
		t.Errorf("without header.js the menu's 6 links never showed: %v", err)
	}
	if err := chromedp.Run(ctx, chromedp.Evaluate(seenJS, &st)); err != nil {
		t.Fatal(err)
	}
	if st.Button {
		t.Errorf("without header.js, once the menu shows, the menu button (which does nothing) still shows")
	}
}
