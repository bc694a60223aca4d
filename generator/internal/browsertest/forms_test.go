package browsertest

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

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

	store, err := forms.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	srv, err := forms.New(forms.Options{Public: dest, MinFill: -1}, store)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()

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
		chromedp.SendKeys("#f-name", "Jo Bloggs", chromedp.ByQuery),
		chromedp.SendKeys("#f-email", "jo@example.org", chromedp.ByQuery),
		chromedp.SendKeys("#f-school", "Oak Primary", chromedp.ByQuery),
		chromedp.Click("#f-consent", chromedp.ByQuery),
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
		chromedp.SendKeys(prefix+"name", "Sam Lee", chromedp.ByQuery),
		chromedp.SendKeys(prefix+"email", "sam@example.org", chromedp.ByQuery),
		chromedp.SendKeys(prefix+"school", "Ash Academy", chromedp.ByQuery),
		chromedp.Click(prefix+"consent", chromedp.ByQuery),
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
