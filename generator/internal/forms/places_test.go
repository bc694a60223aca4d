package forms

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"peerpress/generator/internal/formspec"
)

// TestPlacesEndpoint books sessions and reads forms/places.json: the
// counts of the sessions open for booking and nothing else, with headers
// that let any page read it and make browsers check again, a 304 when
// nothing changed, and counts at most placesTTL old.
func TestPlacesEndpoint(t *testing.T) { eachBackend(t, testPlacesEndpoint) }

func testPlacesEndpoint(t *testing.T, b backend) {
	var clock atomic.Int64
	clock.Store(fixedNow.UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	s, store := newTestServerOn(t, b, Options{Now: now})
	book := func(session, name string) {
		t.Helper()
		w := post(s.Handler(), "/forms/book-training", url.Values{"session": {session}, "name": {name}}.Encode(), map[string]string{"Accept": "application/json"})
		if w.Code != http.StatusOK {
			t.Fatalf("booking %s: %d %s", session, w.Code, w.Body)
		}
	}
	get := func(method, path string, hdr map[string]string) *httptest.ResponseRecorder {
		return request(s.Handler(), method, path, hdr)
	}
	places := func() map[string]map[string]any {
		t.Helper()
		w := get("GET", "/forms/places.json", nil)
		var m map[string]map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil || w.Code != http.StatusOK {
			t.Fatalf("places.json: %d %v %s", w.Code, err, w.Body)
		}
		return m
	}

	// Before any booking: every session in the manifest, all free.
	want := `{"day/2027-01-20":{"places":3,"left":3,"waitlist":0},"day/2027-03-18":{"places":12,"left":0,"waitlist":0},"open/2027-04-01":{"places":0,"waitlist":0}}`
	w := get("GET", "/forms/places.json", nil)
	if got := w.Body.String(); got != want {
		t.Errorf("places.json before bookings:\n%s\nwant\n%s", got, want)
	}
	for k, v := range map[string]string{"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*", "X-Content-Type-Options": "nosniff"} {
		if got := w.Header().Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
	etag := w.Header().Get("ETag")
	if w := get("GET", "/forms/places.json", map[string]string{"If-None-Match": etag}); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Errorf("If-None-Match the same: %d %q, want 304", w.Code, w.Body)
	}

	for _, name := range []string{"Jo Bloggs", "Sam Lee", "Ann Ash", "Bo Birch"} {
		book("day/2027-01-20", name)
	}
	book("day/2027-03-18", "Cy Cole")
	book("open/2027-04-01", "Di Dean")
	// A booking of a session that is no longer open (past, or taken out of
	// the content) is not listed.
	if _, err := store.Save(context.Background(), Submission{Form: "book-training", Session: "gone/2020-01-01", Capacity: 5,
		Answers: []formspec.Answer{{Name: "name", Value: "Ed Eve"}}}, fixedNow); err != nil {
		t.Fatal(err)
	}
	// A booking on this server is counted at once.
	w = get("GET", "/forms/places.json", map[string]string{"If-None-Match": etag})
	want = `{"day/2027-01-20":{"places":3,"left":0,"waitlist":1},"day/2027-03-18":{"places":12,"left":0,"waitlist":1},"open/2027-04-01":{"places":0,"waitlist":0}}`
	if got := w.Body.String(); w.Code != http.StatusOK || got != want {
		t.Errorf("places.json after bookings: %d\n%s\nwant\n%s", w.Code, got, want)
	}
	for _, secret := range []string{"Jo", "Bloggs", "Ed Eve", "gone", "@", "PP-"} {
		if strings.Contains(w.Body.String(), secret) {
			t.Errorf("places.json holds %q: %s", secret, w.Body)
		}
	}
	if w := get("HEAD", "/forms/places.json", nil); w.Code != http.StatusOK || w.Body.Len() != 0 || w.Header().Get("Content-Length") == "" {
		t.Errorf("HEAD: %d %q %v", w.Code, w.Body, w.Header())
	}
	if w := get("POST", "/forms/places.json", nil); w.Code == http.StatusOK {
		t.Errorf("POST places.json: %d, want a refusal", w.Code)
	}
	if w := get("PUT", "/forms/places.json", nil); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("PUT places.json: %d, want 405", w.Code)
	}

	// A booking stored by another server is counted once the last count
	// is placesTTL old.
	if _, err := store.Save(context.Background(), Submission{Form: "book-training", Session: "open/2027-04-01",
		Answers: []formspec.Answer{{Name: "name", Value: "Fi Fox"}}}, fixedNow); err != nil {
		t.Fatal(err)
	}
	if got := places()["day/2027-01-20"]["left"]; got != 0.0 {
		t.Errorf("left %v, want 0", got)
	}
	before := get("GET", "/forms/places.json", nil).Body.String()
	clock.Add(int64(placesTTL))
	after := get("GET", "/forms/places.json", nil).Body.String()
	if before != want || after != want {
		// open/2027-04-01 has no limit: its count of confirmed bookings
		// is not shown, so the body stays the same.
		t.Errorf("places.json changed for a session without a limit:\n%s\n%s", before, after)
	}
	if _, err := store.Save(context.Background(), Submission{Form: "book-training", Session: "day/2027-03-18", Waitlist: true,
		Answers: []formspec.Answer{{Name: "name", Value: "Gil Gray"}}}, fixedNow); err != nil {
		t.Fatal(err)
	}
	if got := places()["day/2027-03-18"]["waitlist"]; got != 1.0 {
		t.Errorf("within placesTTL of the last count: waitlist %v, want the cached 1", got)
	}
	clock.Add(int64(placesTTL))
	if got := places()["day/2027-03-18"]["waitlist"]; got != 2.0 {
		t.Errorf("after placesTTL: waitlist %v, want 2", got)
	}
}

// TestPlacesEndpointElsewhere: a site under a base path on another host
// reads its places from the server at <base>forms/places.json and at
// /forms/places.json.
func TestPlacesEndpointElsewhere(t *testing.T) {
	m := testManifest()
	m.SameOrigin = false
	m.BaseURL, m.BasePath = "https://peer.example.org/peer/", "/peer/"
	s, _ := newTestServer(t, Options{Public: writeSite(t, m)})
	for _, p := range []string{"/forms/places.json", "/peer/forms/places.json"} {
		w := httptest.NewRecorder()
		req := httptest.NewRequest("GET", p, nil)
		req.Header.Set("Origin", "https://peer.example.org")
		s.Handler().ServeHTTP(w, req)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"day/2027-01-20":{"places":3,"left":3`) || w.Header().Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("GET %s: %d %v %s", p, w.Code, w.Header(), w.Body)
		}
	}
}

// TestPlacesClosedByNow: a session the manifest lists as open that has
// started, or whose bookings have closed, by the clock (the site not
// rebuilt since) is shown closed with no places left, as the server
// refuses its bookings.
func TestPlacesClosedByNow(t *testing.T) {
	tests := []struct {
		name, start, closes string
		state               string
		left                string
	}{
		{"to come", "2026-11-23T09:30:00Z", "", "open", "3"},
		{"started", "2026-11-22T09:30:00Z", "", "closed", "0"},
		{"bookings closed yesterday", "2026-11-30T09:30:00Z", "2026-11-21", "closed", "0"},
		{"bookings close today", "2026-11-30T09:30:00Z", "2026-11-22", "open", "3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testManifest()
			m.Sessions[0].Start, m.Sessions[0].Closes = tt.start, tt.closes
			p := Places(m, nil, fixedNow)[0]
			if p.State != tt.state || p.left() != tt.left || !p.Listed {
				t.Errorf("state %s, left %s, listed %v; want %s, %s, listed", p.State, p.left(), p.Listed, tt.state, tt.left)
			}
		})
	}
}

// TestPlaces checks the table of places: the manifest's sessions in its
// order, then the sessions with bookings it no longer lists, in each
// format.
func TestPlaces(t *testing.T) {
	m := testManifest()
	m.Sessions[0].Title, m.Sessions[0].Start = "=Day", "2027-01-20T09:30:00Z"
	booked := map[string]Booked{
		"day/2027-01-20":  {Confirmed: 3, Waitlisted: 2},
		"open/2027-04-01": {Confirmed: 7},
		"zed/2026-01-01":  {Confirmed: 1},
		"old/2025-05-05":  {Confirmed: 4, Waitlisted: 1},
	}
	places := Places(m, booked, fixedNow)
	var ids []string
	for _, p := range places {
		ids = append(ids, p.Session)
	}
	if got := strings.Join(ids, " "); got != "day/2027-01-20 day/2027-03-18 open/2027-04-01 old/2025-05-05 zed/2026-01-01" {
		t.Errorf("order %s", got)
	}

	var text bytes.Buffer
	if err := WritePlacesText(&text, places); err != nil {
		t.Fatal(err)
	}
	// Without a start in the manifest, the date is the one in the id.
	wantText := `Course     Date              Booking         Places  Confirmed  Waiting list      Left
=Day       2027-01-20 09:30  open                 3          3             2         0
Later day  2027-03-18        waiting list        12          0             0         0
Open       2027-04-01        open          no limit          7             0  no limit

Bookings for sessions no longer open for booking (past, or taken out of the content):
Session         Confirmed  Waiting list
old/2025-05-05          4             1
zed/2026-01-01          1             0
`
	if text.String() != wantText {
		t.Errorf("text:\n%s\nwant\n%s", text.String(), wantText)
	}

	var csv bytes.Buffer
	if err := WritePlacesCSV(&csv, places); err != nil {
		t.Fatal(err)
	}
	wantCSV := BOM + "session,course,start,state,capacity,confirmed,waitlisted,left\r\n" +
		"day/2027-01-20,'=Day,2027-01-20T09:30:00Z,open,3,3,2,0\r\n" +
		"day/2027-03-18,Later day,,waitlist,12,0,0,0\r\n" +
		"open/2027-04-01,Open,,open,0,7,0,\r\n" +
		"old/2025-05-05,,,closed,,4,1,\r\n" +
		"zed/2026-01-01,,,closed,,1,0,\r\n"
	if csv.String() != wantCSV {
		t.Errorf("csv:\n%q\nwant\n%q", csv.String(), wantCSV)
	}

	var js bytes.Buffer
	if err := WriteJSON(&js, places); err != nil {
		t.Fatal(err)
	}
	var back []Place
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back) != 5 {
		t.Fatalf("json: %v %s", err, js.String())
	}
	if p := back[0]; p.Title != "=Day" || p.Capacity != 3 || p.Left == nil || *p.Left != 0 || !p.Listed || p.Waitlisted != 2 {
		t.Errorf("json first: %+v", p)
	}
	if p := back[2]; p.Left != nil || !p.Listed {
		t.Errorf("json without a limit: %+v", p)
	}
	if p := back[3]; p.Listed || p.Confirmed != 4 || p.State != "closed" {
		t.Errorf("json gone: %+v", p)
	}

	text.Reset()
	WritePlacesText(&text, Places(&formspec.Manifest{}, nil, fixedNow))
	if text.String() != "No sessions are open for booking.\n" {
		t.Errorf("no sessions: %q", text.String())
	}
}
