package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"peerpress/generator/internal/build"
	"peerpress/generator/internal/forms"
)

// TestRequestSupporter opens a supporter's profile, follows "Request ... as
// your supporter", fills in the form and sends it to a running form server,
// and sees the thank-you page with its reference; the request is stored
// with the supporter chosen.
func TestRequestSupporter(t *testing.T) {
	ctx := New(t, 1024, 900)
	dest := example(t)

	// On a static host the page's script chooses the supporter named in
	// the query string and gives the visit its key.
	static := Serve(t, dest)
	var chosen, visit string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(static+"/forms/request-support/?supporter=helen-marsh"),
		chromedp.WaitVisible("#f-name", chromedp.ByQuery),
		chromedp.Value("#f-supporter", &chosen, chromedp.ByQuery),
		chromedp.Value(`input[name="_visit"]`, &visit, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	if chosen != "helen-marsh" || len(visit) < 8 {
		t.Errorf("static form page: supporter %q, visit key %q; want helen-marsh and a key", chosen, visit)
	}

	hs, store := formServer(t, dest)

	var h1, receipt, title string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(hs.URL+"/supporters/helen-marsh/"),
		chromedp.Click(`a.button[href*="/forms/request-support/"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#f-name", chromedp.ByQuery),
		chromedp.Value("#f-supporter", &chosen, chromedp.ByQuery),
		// Sending it empty shows the error summary, focused.
		chromedp.Click(`form[data-pp-form] button`, chromedp.ByQuery),
		chromedp.WaitVisible(".error-summary", chromedp.ByQuery),
		chromedp.Title(&title),
		fillRequester("#f-", "Jo Bloggs", "jo@example.org", "Oak Primary"),
		chromedp.Click(`form[data-pp-form] button`, chromedp.ByQuery),
		chromedp.WaitVisible(".receipt__id", chromedp.ByQuery),
		chromedp.Text("h1", &h1, chromedp.ByQuery),
		chromedp.Text(".receipt__id", &receipt, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	if chosen != "helen-marsh" {
		t.Errorf("the request form chose %q, want helen-marsh", chosen)
	}
	if !strings.HasPrefix(title, "Error: ") {
		t.Errorf("title after an empty send = %q, want it to start Error:", title)
	}
	if h1 != "Your request has been sent" || !strings.HasPrefix(receipt, "PP-") {
		t.Errorf("thank-you page: h1 %q, receipt %q", h1, receipt)
	}
	records, err := store.Records(context.Background(), "request-support", time.Time{})
	if err != nil || len(records) != 1 || records[0].Receipt != receipt {
		t.Fatalf("stored %+v, %v; want the one request %s", records, err, receipt)
	}
	got := map[string]string{}
	for _, a := range records[0].Answers {
		got[a.Name] = a.Text()
	}
	if got["supporter"] != "helen-marsh" || got["name"] != "Jo Bloggs" || got["school"] != "Oak Primary" {
		t.Errorf("stored answers %v", got)
	}

	// "Book a place" beside a session opens that session's form, which
	// books it.
	const session = "peer-support-training-day/2027-01-20"
	const prefix = "#session-peer-support-training-day-2027-01-20-"
	if err := chromedp.Run(ctx,
		chromedp.Navigate(hs.URL+"/training/peer-support-training-day/"),
		chromedp.Click(`a[href$="#book-session-peer-support-training-day-2027-01-20"]`, chromedp.ByQuery),
		chromedp.WaitVisible(prefix+"name", chromedp.ByQuery),
		fillRequester(prefix, "Sam Lee", "sam@example.org", "Ash Academy"),
		chromedp.Click(`#book-session-peer-support-training-day-2027-01-20 button`, chromedp.ByQuery),
		chromedp.WaitVisible(".receipt__id", chromedp.ByQuery),
		chromedp.Text("#pp-result-title", &h1, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	if h1 != "Your place is booked" {
		t.Errorf("booking result %q, want Your place is booked", h1)
	}
	records, err = store.Records(context.Background(), "book-training", time.Time{})
	if err != nil || len(records) != 1 || records[0].Session != session || records[0].Status != forms.StatusConfirmed {
		t.Errorf("stored bookings %+v, %v; want one confirmed for %s", records, err, session)
	}
}

// longListSite builds the example site with 64 more supporters, among them
// a second Helen Marsh (at another school) and a Zoë O’Neil, so that its
// supporter fields have more choices than a drop-down shows, and returns
// its public directory.
func longListSite(t *testing.T) string {
	t.Helper()
	root, src := repoRoot(), t.TempDir()
	for _, dir := range []string{"content", "layouts"} {
		if err := os.CopyFS(filepath.Join(src, dir), os.DirFS(filepath.Join(root, dir))); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"site.yaml"} {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(src, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	helen, err := os.ReadFile(filepath.Join(root, "content", "supporters", "helen-marsh.md"))
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"Zoë O’Neil", "Helen Marsh"}
	for _, first := range []string{"Amy", "Ben", "Cara", "Dev", "Ellen", "Femi", "Gus"} {
		for _, last := range []string{"Abbott", "Baker", "Clarke", "Dunn", "Ekwueme", "Fox", "Green", "Hale", "Ince"} {
			names = append(names, first+" "+last)
		}
	}
	for i, name := range names {
		body := strings.Replace(string(helen), "name: Helen Marsh", "name: "+name, 1)
		body = strings.Replace(body, "name: Hollowford Church of England Primary School", fmt.Sprintf("name: Ashcombe School %d", i), 1)
		if err := os.WriteFile(filepath.Join(src, "content", "supporters", fmt.Sprintf("extra-%02d.md", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := build.Build(context.Background(), build.Options{Source: src, Destination: dest,
		Now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), NowIsDate: true}); err != nil {
		t.Fatalf("build: %v", err)
	}
	return dest
}

// TestLongSupporterList uses the request form of a site with 75
// supporters, on a phone-sized screen: the supporter is a text box that
// suggests names. A link from a profile fills it in, on a static host (by
// the script) and on the form server; typing words of a name, without its
// accent or apostrophe, lists the matches, announced; a tap, or the arrow
// keys and Enter, choose one; Escape closes the list, then clears the box;
// the form sends the chosen id to the form server, which stores it. axe
// finds nothing wrong with the list open. Without JavaScript, a misspelt
// name comes back with an error and the other answers kept, and a name two
// supporters share comes back as a choice between them.
func TestLongSupporterList(t *testing.T) {
	axe := AxeSource(t)
	dest := longListSite(t)
	ctx := New(t, 390, 844)
	hs, store := formServer(t, dest)
	const sent = `input[type=hidden][name=supporter]`
	stored := func(form string) map[string]string {
		t.Helper()
		records, err := store.Records(context.Background(), form, time.Time{})
		if err != nil || len(records) == 0 {
			t.Fatalf("stored %+v, %v", records, err)
		}
		got := map[string]string{}
		for _, a := range records[len(records)-1].Answers {
			got[a.Name] = a.Text()
		}
		return got
	}

	for _, base := range []string{Serve(t, dest), hs.URL} {
		if err := chromedp.Run(ctx,
			chromedp.Navigate(base+"/supporters/helen-marsh/"),
			chromedp.Click(`a.button[href*="/forms/request-support/"]`, chromedp.ByQuery),
			chromedp.WaitVisible("#f-name", chromedp.ByQuery),
			chromedp.Poll(`document.querySelector('#f-supporter').value === 'Helen Marsh' && document.querySelector('`+sent+`').value === 'helen-marsh'`,
				nil, chromedp.WithPollingTimeout(10*time.Second)),
		); err != nil {
			t.Fatalf("%s: the link from a profile does not choose Helen Marsh: %v", base, err)
		}
	}

	var options []string
	var expanded, active, selected string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(hs.URL+"/forms/request-support/"),
		chromedp.WaitVisible("#f-supporter", chromedp.ByQuery),
		chromedp.Click("#f-supporter", chromedp.ByQuery),
		chromedp.SendKeys("#f-supporter", "marsh", chromedp.ByQuery),
		chromedp.WaitVisible(`#f-supporter-listbox [role=option]`, chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll('#f-supporter-listbox [role=option]')].map(o => o.textContent)`, &options),
		chromedp.Poll(`document.querySelector('[role=status]').textContent === '2 results.'`, nil, chromedp.WithPollingTimeout(5*time.Second)),
	); err != nil {
		t.Fatal(err)
	}
	slices.Sort(options)
	if len(options) != 2 || options[0] != "Helen Marsh, Ashcombe School 1" || options[1] != "Helen Marsh, Hollowford Church of England Primary School" {
		t.Errorf("suggestions for marsh: %q, want both Helen Marshes with their schools", options)
	}
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 80)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(artifacts(t), "form-suggestions-390.jpg"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	violations, err := Axe(ctx, axe)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range violations {
		t.Errorf("with the suggestions open: %s", v)
	}
	// A tap (here a click) on a suggestion chooses it, and the focus stays
	// in the box; Down opens the list again, and Escape closes it, then
	// clears the box.
	var tapped, tappedID, focused, reopened, cleared, clearedID string
	if err := chromedp.Run(ctx,
		chromedp.Click("#f-supporter-listbox-1", chromedp.ByQuery),
		chromedp.Value("#f-supporter", &tapped, chromedp.ByQuery),
		chromedp.Value(sent, &tappedID, chromedp.ByQuery),
		chromedp.Evaluate(`document.activeElement.id`, &focused),
		chromedp.AttributeValue("#f-supporter", "aria-expanded", &expanded, nil, chromedp.ByQuery),
		chromedp.SendKeys("#f-supporter", kb.ArrowDown, chromedp.ByQuery),
		chromedp.WaitVisible(`#f-supporter-listbox [role=option]`, chromedp.ByQuery),
		chromedp.AttributeValue("#f-supporter", "aria-expanded", &reopened, nil, chromedp.ByQuery),
		chromedp.SendKeys("#f-supporter", kb.Escape, chromedp.ByQuery),
		chromedp.WaitNotVisible(`#f-supporter-listbox`, chromedp.ByQuery),
		chromedp.SendKeys("#f-supporter", kb.Escape, chromedp.ByQuery),
		chromedp.Value("#f-supporter", &cleared, chromedp.ByQuery),
		chromedp.Value(sent, &clearedID, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	if tapped != "Helen Marsh" || tappedID != "helen-marsh" || focused != "f-supporter" || expanded != "false" {
		t.Errorf("after a tap: box %q, sends %q, focus on %q, expanded %q", tapped, tappedID, focused, expanded)
	}
	if reopened != "true" || cleared != "" || clearedID != "" {
		t.Errorf("Down then Escape twice: expanded %q, box %q, sends %q", reopened, cleared, clearedID)
	}

	var shown, id string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(hs.URL+"/forms/request-support/"),
		chromedp.WaitVisible("#f-supporter", chromedp.ByQuery),
		chromedp.Click("#f-supporter", chromedp.ByQuery),
		chromedp.SendKeys("#f-supporter", "ZOE neil", chromedp.ByQuery),
		chromedp.WaitVisible(`#f-supporter-listbox [role=option]`, chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll('#f-supporter-listbox [role=option]')].map(o => o.textContent)`, &options),
		chromedp.SendKeys("#f-supporter", kb.ArrowDown, chromedp.ByQuery),
		chromedp.AttributeValue("#f-supporter", "aria-activedescendant", &active, nil, chromedp.ByQuery),
		chromedp.AttributeValue(`#f-supporter-listbox [role=option]`, "aria-selected", &selected, nil, chromedp.ByQuery),
		chromedp.SendKeys("#f-supporter", kb.Enter, chromedp.ByQuery),
		chromedp.Value("#f-supporter", &shown, chromedp.ByQuery),
		chromedp.Value(sent, &id, chromedp.ByQuery),
		chromedp.AttributeValue("#f-supporter", "aria-expanded", &expanded, nil, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	if len(options) != 1 || !strings.HasPrefix(options[0], "Zoë O’Neil") || active != "f-supporter-listbox-0" || selected != "true" {
		t.Errorf("ZOE neil: suggestions %q, active %q (selected %q); want Zoë O’Neil, active", options, active, selected)
	}
	if shown != "Zoë O’Neil" || id != "extra-00" || expanded != "false" {
		t.Errorf("after Enter: box %q, sends %q, expanded %q; want Zoë O’Neil, extra-00, false", shown, id, expanded)
	}
	var receipt string
	if err := chromedp.Run(ctx,
		fillRequester("#f-", "Jo Bloggs", "jo@example.org", "Oak Primary"),
		chromedp.Click(`form[data-pp-form] button`, chromedp.ByQuery),
		chromedp.WaitVisible(".receipt__id", chromedp.ByQuery),
		chromedp.Text(".receipt__id", &receipt, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	if got := stored("request-support"); got["supporter"] != "extra-00" || got["name"] != "Jo Bloggs" {
		t.Errorf("stored %v, want supporter extra-00", got)
	}

	// Without JavaScript.
	var problem, name string
	var choices []string
	if err := chromedp.Run(ctx,
		emulation.SetScriptExecutionDisabled(true),
		chromedp.Navigate(hs.URL+"/forms/request-support/"),
		chromedp.WaitVisible("#f-supporter", chromedp.ByQuery),
		chromedp.SendKeys("#f-supporter", "Helen Marshh", chromedp.ByQuery),
		fillRequester("#f-", "Sam Lee", "sam@example.org", "Ash Academy"),
		chromedp.Click(`form[data-pp-form] button`, chromedp.ByQuery),
		chromedp.WaitVisible(".error-summary", chromedp.ByQuery),
		chromedp.Text("#f-supporter-error", &problem, chromedp.ByQuery),
		chromedp.Value("#f-name", &name, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(problem, "“Helen Marshh” is not a choice for preferred supporter: check the spelling") || name != "Sam Lee" {
		t.Errorf("a misspelt name: error %q, name kept %q", problem, name)
	}
	if err := chromedp.Run(ctx,
		chromedp.SetValue("#f-supporter", "helen marsh", chromedp.ByQuery),
		chromedp.Click(`form[data-pp-form] button`, chromedp.ByQuery),
		chromedp.WaitVisible("select#f-supporter", chromedp.ByQuery),
		chromedp.Text("#f-supporter-error", &problem, chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll('#f-supporter option')].map(o => o.value + '=' + o.textContent)`, &choices),
		chromedp.SetValue("select#f-supporter", "extra-01", chromedp.ByQuery),
		chromedp.Click(`form[data-pp-form] button`, chromedp.ByQuery),
		chromedp.WaitVisible(".receipt", chromedp.ByQuery),
		emulation.SetScriptExecutionDisabled(false),
	); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(problem, "More than one choice for preferred supporter is called “helen marsh”") ||
		strings.Join(choices, "|") != "=No preference|extra-01=Helen Marsh (Ashcombe School 1)|helen-marsh=Helen Marsh (Hollowford Church of England Primary School)" {
		t.Errorf("a shared name: error %q, choices %q", problem, choices)
	}
	if got := stored("request-support"); got["supporter"] != "extra-01" || got["name"] != "Sam Lee" {
		t.Errorf("stored %v, want supporter extra-01", got)
	}
}

// formServer serves the built site in dest with a form server storing in a
// new store, both closed when the test ends.
func formServer(t *testing.T, dest string) (*httptest.Server, *forms.Store) {
	t.Helper()
	return formServerWith(t, forms.Options{Public: dest, MinFill: -1})
}

// formServerWith is formServer with options of the test's own.
func formServerWith(t *testing.T, opts forms.Options) (*httptest.Server, *forms.Store) {
	t.Helper()
	store, err := forms.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	srv, err := forms.New(opts, store)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs, store
}

// TestPlacesLeft books places on a session through the form server until
// it is full, and sees its course page say how many are left, in the table
// of dates ("2 left") and at the top of its booking form ("2 of 12 places
// left"), and then that it is full;
// the booking links do not move when the count comes, and axe finds
// nothing wrong. On a static host (no forms/places.json) the page is as
// built.
func TestPlacesLeft(t *testing.T) {
	axe := AxeSource(t)
	dest := example(t)
	ctx := New(t, 1024, 900)
	// Twelve bookings from one address are more than the rate limit lets
	// through at once.
	hs, _ := formServerWith(t, forms.Options{Public: dest, MinFill: -1, Burst: 100})
	const (
		session = "peer-support-training-day/2027-01-20"
		anchor  = "session-peer-support-training-day-2027-01-20"
		page    = "/training/peer-support-training-day/"
		cell    = `[data-pp-places="` + session + `"]`
		line    = `#book-` + anchor + ` .places-left`
	)
	booked := 0
	book := func(n int) {
		t.Helper()
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		for range n {
			booked++
			i := booked
			resp, err := client.PostForm(hs.URL+"/forms/book-training", url.Values{
				"session": {session}, "name": {fmt.Sprintf("Head %d", i)}, "email": {fmt.Sprintf("head%d@example.org", i)},
				"school": {"Oak Primary"}, "consent": {"yes"}, "_visit": {fmt.Sprintf("visit-%s-%03d", t.Name(), i)},
			})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("booking %d: %d", i, resp.StatusCode)
			}
		}
	}
	// where are the tops of the booking form's summary and the left of the
	// table's Book a place link.
	const where = `(() => { const s = document.querySelector('#book-` + anchor + ` > summary').getBoundingClientRect();
		const a = document.querySelector('#` + anchor + ` td[data-label=Booking] a').getBoundingClientRect();
		return [s.top, s.left, a.top, a.left]; })()`
	shows := func(base, want string) (cellText string, at []float64) {
		t.Helper()
		if err := chromedp.Run(ctx,
			chromedp.Navigate(base+page),
			chromedp.WaitVisible(cell, chromedp.ByQuery),
			chromedp.Poll(`document.querySelector('`+cell+`').textContent === `+strconv.Quote(want), nil, chromedp.WithPollingTimeout(10*time.Second)),
			chromedp.Evaluate(where, &at),
		); err != nil {
			got := ""
			chromedp.Run(ctx, chromedp.Text(cell, &got, chromedp.ByQuery))
			t.Fatalf("%s%s: the places cell says %q, want %q: %v", base, page, got, want, err)
		}
		return want, at
	}

	// A static host has no count: the page is as built.
	static := Serve(t, dest)
	_, before := shows(static, "12")
	if err := chromedp.Run(ctx, chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	var lines int
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll('.places-left').length`, &lines)); err != nil {
		t.Fatal(err)
	}
	if lines != 0 {
		t.Errorf("a static host shows %d places lines, want none", lines)
	}

	_, at := shows(hs.URL, "12 left")
	if !slices.Equal(at, before) {
		t.Errorf("the booking links moved when the count came: %v, were %v", at, before)
	}
	book(10)
	shows(hs.URL, "2 left")
	// The training page's and the home page's tables of dates say so too.
	for _, list := range []string{"/training/", "/"} {
		var got string
		if err := chromedp.Run(ctx,
			chromedp.Navigate(hs.URL+list),
			chromedp.WaitVisible(cell, chromedp.ByQuery),
			chromedp.Poll(`document.querySelector('`+cell+`').textContent === '2 left'`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		); err != nil {
			chromedp.Run(ctx, chromedp.Text(cell, &got, chromedp.ByQuery))
			t.Errorf("%s: the places cell says %q, want 2 left: %v", list, got, err)
		}
	}
	// formSays opens the session's booking form and reads its line on
	// places.
	formSays := func() string {
		t.Helper()
		var said string
		if err := chromedp.Run(ctx,
			chromedp.Click(`a[href$="#book-`+anchor+`"]`, chromedp.ByQuery),
			chromedp.WaitVisible(line, chromedp.ByQuery),
			chromedp.Text(line, &said, chromedp.ByQuery),
		); err != nil {
			t.Fatal(err)
		}
		return said
	}
	if said := formSays(); said != "2 of 12 places left" {
		t.Errorf("the booking form says %q, want 2 of 12 places left", said)
	}
	violations, err := Axe(ctx, axe)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range violations {
		t.Errorf("with the places shown: %s", v)
	}

	// One more through the page itself, then the last by another head.
	const prefix = "#" + anchor + "-"
	if err := chromedp.Run(ctx,
		fillRequester(prefix, "Sam Lee", "sam@example.org", "Ash Academy"),
		chromedp.Click(`#book-`+anchor+` button`, chromedp.ByQuery),
		chromedp.WaitVisible(".receipt__id", chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	shows(hs.URL, "1 left")
	book(1)
	shows(hs.URL, "Full")
	if said := formSays(); said != "Full: bookings go on the waiting list" {
		t.Errorf("the full session's booking form says %q", said)
	}
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 80)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(artifacts(t), "places-full-1024.jpg"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	violations, err = Axe(ctx, axe)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range violations {
		t.Errorf("with the session full: %s", v)
	}
}

// fillRequester fills in a form's questions about the sender and ticks
// its consent; prefix starts the fields' ids ("#f-" on a form's own page).
func fillRequester(prefix, name, email, school string) chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.SendKeys(prefix+"name", name, chromedp.ByQuery),
		chromedp.SendKeys(prefix+"email", email, chromedp.ByQuery),
		chromedp.SendKeys(prefix+"school", school, chromedp.ByQuery),
		chromedp.Click(prefix+"consent", chromedp.ByQuery),
	}
}

// TestVisitKeyAfterBack checks that a form page the browser brings back
// from its back-forward cache gets a new visit key: the form server takes
// a second send with the key of the first as a repeat, so a head who
// books a place, goes Back and books another for a colleague would
// otherwise be sent the first receipt again. The cache's return is the
// pageshow event with persisted set, dispatched here as the browser does.
func TestVisitKeyAfterBack(t *testing.T) {
	ctx := New(t, 1024, 900)
	base := Serve(t, example(t))
	var before, after, reloaded string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/forms/feedback/"),
		chromedp.WaitVisible(`form[data-pp-form]`, chromedp.ByQuery),
		chromedp.Value(`input[name="_visit"]`, &before, chromedp.ByQuery),
		chromedp.Evaluate(`window.dispatchEvent(new PageTransitionEvent("pageshow", {persisted: false})); true`, nil),
		chromedp.Value(`input[name="_visit"]`, &reloaded, chromedp.ByQuery),
		chromedp.Evaluate(`window.dispatchEvent(new PageTransitionEvent("pageshow", {persisted: true})); true`, nil),
		chromedp.Value(`input[name="_visit"]`, &after, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	if len(before) < 8 || reloaded != before {
		t.Errorf("visit key %q, then %q after a pageshow not from the cache; want a key, unchanged", before, reloaded)
	}
	if after == before || len(after) < 8 {
		t.Errorf("visit key %q after the page came back from the cache, %q before; want a new key", after, before)
	}
}
