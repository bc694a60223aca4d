package forms

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/formspec"
)

// testManifest is a site with one form of each kind: every field type, a
// booking form and an eligibility form.
func testManifest() *formspec.Manifest {
	two := int64(2)
	_ = two
	return &formspec.Manifest{
		BaseURL: "https://peer.example.org/", BasePath: "/", SameOrigin: true, Timezone: "Europe/London",
		Forms: []formspec.Form{
			{Name: "request-support", Title: "Request a supporter", Submit: "Send", Consent: "We keep it safe.",
				Action: "/forms/request-support", URL: "/forms/request-support/", ThanksURL: "/forms/request-support/thanks/", ThanksTitle: "Thanks",
				Fields: []formspec.Field{
					{Name: "supporter", Label: "Preferred supporter", Type: config.FieldChoice, MaxLength: 200, From: config.FromSupporters,
						Choices: []formspec.Option{{Value: "jo-evans", Label: "Jo Evans"}, {Value: "sam-lee", Label: "Sam Lee"}}},
					{Name: "name", Label: "Your name", Type: config.FieldText, Required: true, MinLength: 2, MaxLength: 40, Autocomplete: "name"},
					{Name: "email", Label: "Your e-mail address", Type: config.FieldEmail, Required: true, MaxLength: 254, Autocomplete: "email"},
					{Name: "started", Label: "Date you started", Type: config.FieldDate, MaxLength: 40},
					{Name: "new_head", Label: "I am a new head", Type: config.FieldCheckbox, MaxLength: 200},
					{Name: "skills", Label: "Support with", Type: config.FieldMultiChoice, MaxLength: 200,
						Choices: []formspec.Option{{Value: "finance", Label: "Finance"}, {Value: "send", Label: "SEND"}}},
					{Name: "message", Label: "Message", Type: config.FieldTextarea, MaxLength: 100},
					{Name: "ref", Type: config.FieldHidden, MaxLength: 20},
				}},
			{Name: "book-training", Title: "Book", Submit: "Book", Action: "/forms/book-training", URL: "/forms/book-training/",
				ThanksURL: "/forms/book-training/thanks/", ThanksTitle: "Thanks",
				Fields: []formspec.Field{
					{Name: "session", Label: "Session", Type: config.FieldChoice, Required: true, MaxLength: 200, From: config.FromOpenSessions,
						Choices: []formspec.Option{{Value: "day/2027-01-20", Label: "Day"}, {Value: "day/2027-03-18", Label: "Later day"}, {Value: "open/2027-04-01", Label: "Open"}}},
					{Name: "name", Label: "Your name", Type: config.FieldText, Required: true, MaxLength: 200},
				}},
			{Name: "offer-support", Title: "Offer", Submit: "Send", Action: "/forms/offer-support", URL: "/forms/offer-support/",
				ThanksURL: "/forms/offer-support/thanks/", ThanksTitle: "Thanks", Eligibility: true,
				Fields: []formspec.Field{
					{Name: "headship_since", Label: "Head since", Type: config.FieldDate, Required: true, MaxLength: 10, RuleField: "headship_since"},
					{Name: "local_knowledge", Label: "I know the area", Type: config.FieldCheckbox, MaxLength: 200, RuleField: "local_knowledge"},
				}},
			{Name: "elsewhere", Title: "Third party", Submit: "Send", Action: "https://formspree.example/f/x", External: true,
				URL: "/forms/elsewhere/", ThanksURL: "/forms/elsewhere/thanks/", ThanksTitle: "Thanks",
				Fields: []formspec.Field{{Name: "name", Label: "Name", Type: config.FieldText, MaxLength: 200}}},
		},
		Sessions: []formspec.Session{
			{ID: "day/2027-01-20", Course: "day", Label: "Day", Capacity: 3, State: "open"},
			{ID: "day/2027-03-18", Course: "day", Label: "Later day", Capacity: 12, State: "waitlist"},
			{ID: "open/2027-04-01", Course: "open", Label: "Open", Capacity: 0, State: "open"},
		},
		Rules: []formspec.Rule{
			{ID: "five-years-headship", Field: "headship_since", Message: "five years as a head", Present: true, AtLeastBefore: "5 years"},
			{ID: "local-knowledge", Field: "local_knowledge", Message: "know the area", Present: true, OneOf: []string{"true"}},
		},
	}
}

// writeSite writes a built site with the manifest m and a page per form.
func writeSite(t testing.TB, m *formspec.Manifest) string {
	t.Helper()
	dir := t.TempDir()
	body, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	write := func(p, s string) {
		p = filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(formspec.ManifestPath, string(body))
	write("index.html", "<!doctype html><title>Home</title><h1>Home</h1>")
	for _, f := range m.Forms {
		html, err := formspec.Render(formspec.View{Form: &f})
		if err != nil {
			t.Fatal(err)
		}
		write(strings.TrimPrefix(f.URL, "/")+"index.html", "<!doctype html><title>"+f.Title+"</title><main><h1>"+f.Title+"</h1>"+string(html)+"</main>")
		write(strings.TrimPrefix(f.ThanksURL, "/")+"index.html", `<!doctype html><title>Thanks</title><main><h1>Thanks</h1><section class="receipt" id="pp-result"><h2>We have your answers</h2></section></main>`)
	}
	return dir
}

// fixedNow is the clock of the tests: after the eligibility rule's five
// years for 2020-01-01, before them for 2024-01-01.
var fixedNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func newTestServer(t testing.TB, opts Options) (*Server, *Store) {
	t.Helper()
	return newTestServerOn(t, sqliteBackend, opts)
}

// newTestServerOn is newTestServer with its store on backend b.
func newTestServerOn(t testing.TB, b backend, opts Options) (*Server, *Store) {
	t.Helper()
	if opts.Public == "" {
		opts.Public = writeSite(t, testManifest())
	}
	if opts.MinFill == 0 {
		opts.MinFill = -1
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return fixedNow }
	}
	if opts.Burst == 0 {
		opts.Burst = 1000
	}
	store := b.open(t)
	s, err := New(opts, store)
	if err != nil {
		t.Fatal(err)
	}
	return s, store
}

// request sends h a request with no body and the headers hdr.
func request(h http.Handler, method, path string, hdr map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func post(h http.Handler, path, body string, hdr map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range hdr {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

const okRequest = "name=Jo+Bloggs&email=jo%40example.org&consent=yes"

func count(t testing.TB, s *Store, form string) int {
	t.Helper()
	rs, err := s.Records(context.Background(), form, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return len(rs)
}

// TestSubmitFields posts each field type's good and bad answers as a
// browser and as a script.
func TestSubmitFields(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		field  string // the field in error, "" for success
		stored map[string]string
	}{
		{"minimal", okRequest, "", map[string]string{"name": "Jo Bloggs", "email": "jo@example.org", "new_head": "no"}},
		{"text trimmed and one line", "email=jo%40example.org&consent=yes&name=%20Jo%0D%0ABloggs%20", "", map[string]string{"name": "Jo Bloggs"}},
		{"text missing", "email=jo%40example.org&consent=yes", "name", nil},
		{"text too short", "name=J&email=jo%40example.org&consent=yes", "name", nil},
		{"text too long", "name=" + strings.Repeat("x", 41) + "&email=jo%40example.org&consent=yes", "name", nil},
		{"text twice", okRequest + "&name=Other", "name", nil},
		{"email bad", "name=Jo&email=jo%40example&consent=yes", "email", nil},
		{"email with space", "name=Jo&email=jo+x%40example.org&consent=yes", "email", nil},
		{"choice good", okRequest + "&supporter=sam-lee", "", map[string]string{"supporter": "sam-lee"}},
		{"choice not in list", okRequest + "&supporter=nobody", "supporter", nil},
		{"date good", okRequest + "&started=2019-09-01", "", map[string]string{"started": "2019-09-01"}},
		{"date not real", okRequest + "&started=2019-02-30", "started", nil},
		{"date day first", okRequest + "&started=01%2F09%2F2019", "", map[string]string{"started": "2019-09-01"}},
		{"date not a date", okRequest + "&started=soon", "started", nil},
		{"checkbox ticked", okRequest + "&new_head=yes", "", map[string]string{"new_head": "yes"}},
		{"multi-choice good", okRequest + "&skills=send&skills=finance", "", map[string]string{"skills": "finance; send"}},
		{"multi-choice bad", okRequest + "&skills=send&skills=cooking", "skills", nil},
		{"textarea keeps lines", okRequest + "&message=one%0D%0Atwo", "", map[string]string{"message": "one\ntwo"}},
		{"textarea too long", okRequest + "&message=" + strings.Repeat("y", 101), "message", nil},
		{"hidden", okRequest + "&ref=abc", "", map[string]string{"ref": "abc"}},
		{"consent missing", "name=Jo&email=jo%40example.org", "consent", nil},
		{"unknown field ignored", okRequest + "&admin=1", "", map[string]string{"name": "Jo Bloggs"}},
		{"not UTF-8", okRequest + "&message=%FF%FE", "message", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, store := newTestServer(t, Options{})
			w := post(s.Handler(), "/forms/request-support", tt.body, map[string]string{"Accept": "application/json"})
			if tt.field != "" {
				if w.Code != http.StatusUnprocessableEntity {
					t.Fatalf("status %d, want 422; body %s", w.Code, w.Body)
				}
				var got struct{ Errors []formspec.FieldError }
				if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
					t.Fatal(err)
				}
				if len(got.Errors) != 1 || got.Errors[0].Field != tt.field {
					t.Errorf("errors %+v, want one for %s", got.Errors, tt.field)
				}
				if n := count(t, store, "request-support"); n != 0 {
					t.Errorf("%d stored, want 0", n)
				}
				// A browser gets the form again, with the error beside the
				// field and the values kept.
				w = post(s.Handler(), "/forms/request-support", tt.body, nil)
				page := w.Body.String()
				if w.Code != http.StatusUnprocessableEntity || !strings.Contains(page, `id="f-`+tt.field+`-error"`) ||
					!strings.Contains(page, "There is a problem") || !strings.Contains(page, "<title>Error: ") {
					t.Errorf("browser answer %d does not show the error for %s:\n%s", w.Code, tt.field, page)
				}
				return
			}
			if w.Code != http.StatusOK {
				t.Fatalf("status %d, want 200; body %s", w.Code, w.Body)
			}
			rs, err := store.Records(context.Background(), "request-support", time.Time{})
			if err != nil || len(rs) != 1 {
				t.Fatalf("records %v, %v; want 1", rs, err)
			}
			got := map[string]string{}
			for _, a := range rs[0].Answers {
				got[a.Name] = a.Text()
			}
			for k, v := range tt.stored {
				if got[k] != v {
					t.Errorf("stored %s = %q, want %q", k, got[k], v)
				}
			}
			if _, ok := got["admin"]; ok {
				t.Errorf("stored a field the form does not have")
			}
		})
	}
}

// TestSubmitRejections covers every refusal before the answers are read,
// and the robots that get a normal answer with nothing stored.
func TestSubmitRejections(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		path string
		body string
		hdr  map[string]string
		code int
	}{
		{"unknown form", Options{}, "/forms/nope", okRequest, nil, http.StatusNotFound},
		{"third-party form", Options{}, "/forms/elsewhere", "name=x", nil, http.StatusNotFound},
		{"multipart", Options{}, "/forms/request-support", okRequest, map[string]string{"Content-Type": "multipart/form-data; boundary=x"}, http.StatusUnsupportedMediaType},
		{"no content type", Options{}, "/forms/request-support", okRequest, map[string]string{"Content-Type": ""}, http.StatusUnsupportedMediaType},
		{"too large", Options{}, "/forms/request-support", okRequest + "&message=" + strings.Repeat("z", MaxBody), nil, http.StatusRequestEntityTooLarge},
		{"bad encoding", Options{}, "/forms/request-support", "name=%zz", nil, http.StatusBadRequest},
		{"cross-origin", Options{}, "/forms/request-support", okRequest, map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, http.StatusForbidden},
		{"cross-origin without fetch metadata", Options{}, "/forms/request-support", okRequest, map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		{"GET is not a submission", Options{}, "/forms/request-support", "", map[string]string{"X-Method": "PUT"}, http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, store := newTestServer(t, tt.opts)
			var w *httptest.ResponseRecorder
			if tt.hdr["X-Method"] != "" {
				req := httptest.NewRequest(tt.hdr["X-Method"], tt.path, strings.NewReader(tt.body))
				w = httptest.NewRecorder()
				s.Handler().ServeHTTP(w, req)
			} else {
				w = post(s.Handler(), tt.path, tt.body, tt.hdr)
			}
			if w.Code != tt.code {
				t.Errorf("status %d, want %d; body %s", w.Code, tt.code, w.Body)
			}
			if n := count(t, store, "request-support"); n != 0 {
				t.Errorf("%d stored, want 0", n)
			}
		})
	}
}

func TestCrossOriginAllowed(t *testing.T) {
	// An origin written as the site's address, with a slash at the end, is
	// that origin.
	for _, origin := range []string{"https://peer.example.org", "https://peer.example.org/"} {
		s, store := newTestServer(t, Options{AllowOrigins: []string{origin}})
		w := post(s.Handler(), "/forms/request-support", okRequest, map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://peer.example.org"})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("--allow-origin %s: status %d, want 303", origin, w.Code)
		}
		if n := count(t, store, "request-support"); n != 1 {
			t.Errorf("--allow-origin %s: %d stored, want 1", origin, n)
		}
	}
}

// TestStoreFailure sends a form when the database cannot be written: a
// script gets 503 and the message; a browser gets the form again with the
// message above it and the answers in it, ready to send again.
func TestStoreFailure(t *testing.T) {
	s, store := newTestServer(t, Options{})
	store.Close()
	body := okRequest + "&message=" + url.QueryEscape("Zoë's long message")
	w := post(s.Handler(), "/forms/request-support", body, map[string]string{"Accept": "application/json"})
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), `"error":"Your answers could not be saved just now.`) {
		t.Errorf("script: %d %s", w.Code, w.Body)
	}
	w = post(s.Handler(), "/forms/request-support", body, nil)
	page := w.Body.String()
	for _, want := range []string{"There is a problem", "<li>Your answers could not be saved just now.", `value="Jo Bloggs"`, "Zoë&#39;s long message</textarea>", "<title>Error: "} {
		if !strings.Contains(page, want) {
			t.Errorf("browser page (%d) lacks %q:\n%s", w.Code, want, page)
		}
	}
	if w.Code != http.StatusServiceUnavailable || strings.Contains(page, `href="#f-"`) {
		t.Errorf("browser page: status %d, or a link to no question:\n%s", w.Code, page)
	}
}

// TestBadAllowOrigin: an origin that is not one is named as such, not
// taken for a problem with the manifest.
func TestBadAllowOrigin(t *testing.T) {
	for _, origin := range []string{"https://peer.example.org/forms", "peer.example.org", "https://peer.example.org?x=1"} {
		_, err := New(Options{Public: writeSite(t, testManifest()), AllowOrigins: []string{origin}}, sqliteBackend.open(t))
		if err == nil || !strings.HasPrefix(err.Error(), fmt.Sprintf("--allow-origin %q is not an origin (expected such as https://", origin)) {
			t.Errorf("--allow-origin %s: %v", origin, err)
		}
	}
}

func TestRobotsGetANormalAnswer(t *testing.T) {
	for _, tt := range []struct{ name, body string }{
		{"honeypot", okRequest + "&homepage=http%3A%2F%2Fspam.example"},
		{"too quick", okRequest + "&_elapsed=300"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, store := newTestServer(t, Options{MinFill: 2 * time.Second})
			w := post(s.Handler(), "/forms/request-support", tt.body, nil)
			if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/forms/request-support/thanks/?receipt=PP-") {
				t.Errorf("answer %d %q, want a 303 to the thank-you page", w.Code, w.Header().Get("Location"))
			}
			if n := count(t, store, "request-support"); n != 0 {
				t.Errorf("%d stored, want 0", n)
			}
		})
	}
	s, store := newTestServer(t, Options{MinFill: 2 * time.Second})
	if w := post(s.Handler(), "/forms/request-support", okRequest+"&_elapsed=45000", nil); w.Code != http.StatusSeeOther {
		t.Errorf("a person's 45 seconds: status %d", w.Code)
	}
	if n := count(t, store, "request-support"); n != 1 {
		t.Errorf("%d stored, want 1", n)
	}
}

func TestRateLimit(t *testing.T) {
	now := fixedNow
	s, _ := newTestServer(t, Options{Burst: 3, Rate: time.Minute, Now: func() time.Time { return now },
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
	send := func(remote, xff string) int {
		req := httptest.NewRequest(http.MethodPost, "/forms/request-support", strings.NewReader(okRequest))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = remote
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, req)
		return w.Code
	}
	for i := range 3 {
		if c := send("192.0.2.1:5000", ""); c != http.StatusSeeOther {
			t.Fatalf("submission %d: %d", i, c)
		}
	}
	if c := send("192.0.2.1:5000", ""); c != http.StatusTooManyRequests {
		t.Errorf("fourth at once: %d, want 429", c)
	}
	// A browser is given the form back with its answers and the message;
	// a script, the message.
	for _, hdr := range []map[string]string{nil, {"Accept": "application/json"}} {
		req := httptest.NewRequest(http.MethodPost, "/forms/request-support", strings.NewReader(okRequest))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", hdr["Accept"])
		req.RemoteAddr = "192.0.2.1:5000"
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, req)
		body := w.Body.String()
		if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" || !strings.Contains(body, "Too many forms have been sent") {
			t.Errorf("limited (Accept %q): %d %s", hdr["Accept"], w.Code, body)
		}
		if browser := hdr == nil; browser != strings.Contains(body, `value="Jo Bloggs"`) {
			t.Errorf("limited (Accept %q): answers kept %v, want %v:\n%s", hdr["Accept"], !browser, browser, body)
		}
	}
	// An untrusted client cannot pose as another with X-Forwarded-For.
	if c := send("192.0.2.1:5001", "198.51.100.7"); c != http.StatusTooManyRequests {
		t.Errorf("forged X-Forwarded-For: %d, want 429", c)
	}
	// Behind a trusted proxy, each client has its own allowance.
	if c := send("10.0.0.2:80", "198.51.100.7, 10.0.0.3"); c != http.StatusSeeOther {
		t.Errorf("first client behind proxy: %d", c)
	}
	now = now.Add(time.Minute)
	if c := send("192.0.2.1:5000", ""); c != http.StatusSeeOther {
		t.Errorf("a minute later: %d, want 303", c)
	}
	// An IPv6 client picks any address of its /64: the allowance is the
	// /64's.
	for i := range 3 {
		if c := send(fmt.Sprintf("[2001:db8:5:6::%x]:5000", i+1), ""); c != http.StatusSeeOther {
			t.Fatalf("IPv6 submission %d: %d", i, c)
		}
	}
	if c := send("[2001:db8:5:6:ffff::9]:5000", ""); c != http.StatusTooManyRequests {
		t.Errorf("a fourth address of the same /64: %d, want 429", c)
	}
	if c := send("[2001:db8:5:7::1]:5000", ""); c != http.StatusSeeOther {
		t.Errorf("the next /64: %d, want 303", c)
	}
}

func TestClientIP(t *testing.T) {
	s := &Server{opts: Options{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}}}
	tests := []struct{ remote, xff, want string }{
		{"192.0.2.1:1", "", "192.0.2.1"},
		{"192.0.2.1:1", "198.51.100.1", "192.0.2.1"},
		{"10.1.1.1:1", "198.51.100.1", "198.51.100.1"},
		{"10.1.1.1:1", "203.0.113.9, 198.51.100.1, 10.2.2.2", "198.51.100.1"},
		{"10.1.1.1:1", "", "10.1.1.1"},
		{"10.1.1.1:1", "garbage", "10.1.1.1"},
		{"[::1]:1", "2001:db8::1", "2001:db8::1"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		if got := s.clientIP(r).String(); got != tt.want {
			t.Errorf("clientIP(%s, %q) = %s, want %s", tt.remote, tt.xff, got, tt.want)
		}
	}
}

func TestRateClient(t *testing.T) {
	tests := []struct{ addr, want string }{
		{"192.0.2.1", "192.0.2.1"},
		{"192.0.2.2", "192.0.2.2"},
		{"2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:bbbb:cccc:dddd:eeee", "2001:db8:1:2::/64"},
		{"2001:db8:1:3::1", "2001:db8:1:3::/64"},
		{"::1", "::/64"},
		{"", "invalid IP"}, // no address: one shared allowance
	}
	for _, tt := range tests {
		var a netip.Addr
		if tt.addr != "" {
			a = netip.MustParseAddr(tt.addr)
		}
		if got := rateClient(a); got != tt.want {
			t.Errorf("rateClient(%s) = %s, want %s", tt.addr, got, tt.want)
		}
	}
}

func TestResubmission(t *testing.T) { eachBackend(t, testResubmission) }

func testResubmission(t *testing.T, b backend) {
	s, store := newTestServerOn(t, b, Options{})
	loc := func(body string) string {
		w := post(s.Handler(), "/forms/request-support", body, nil)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		return w.Header().Get("Location")
	}
	// With the page's script: the visit key decides.
	a := loc(okRequest + "&_visit=visit-aaaaaaaa")
	if b := loc(okRequest + "&_visit=visit-aaaaaaaa"); a != b {
		t.Errorf("a retry got %q, want the first receipt %q", b, a)
	}
	if c := loc(okRequest + "&_visit=visit-bbbbbbbb"); c == a {
		t.Errorf("another visit with the same answers got the same receipt: two people merged")
	}
	// Without it: the same answers, spacing and case aside, are one.
	d := loc("name=Sam&email=sam%40example.org&consent=yes")
	if e := loc("name=sam+&email=SAM%40example.org&consent=on"); d != e {
		t.Errorf("a no-JS retry got %q, want %q", e, d)
	}
	if n := count(t, store, "request-support"); n != 3 {
		t.Errorf("%d stored, want 3", n)
	}
	// Answers that do not say who sent them are never merged.
	book := func() string {
		return post(s.Handler(), "/forms/book-training", "session=open%2F2027-04-01&name=Sam", nil).Header().Get("Location")
	}
	if f, g := book(), book(); f == g || f == "" {
		t.Errorf("two no-JS bookings without an e-mail address got one receipt %q", f)
	}
}

// TestSameVisitOtherAnswers sends forms from one showing of a page (one
// visit key) as a browser's Back button does: the same answers again are a
// retry, answered with the first receipt; other answers are another
// submission, stored and answered with a receipt of its own, and their own
// retries are recognised in turn.
func TestSameVisitOtherAnswers(t *testing.T) { eachBackend(t, testSameVisitOtherAnswers) }

func testSameVisitOtherAnswers(t *testing.T, b backend) {
	s, store := newTestServerOn(t, b, Options{})
	tests := []struct {
		name, session string
		same          int // the step whose receipt this one gets, -1 for a new one
		status        string
	}{
		{"Head", "day/2027-01-20", -1, StatusConfirmed},
		{"Head", "day/2027-01-20", 0, StatusConfirmed},       // a double click
		{"Deputy", "day/2027-01-20", -1, StatusConfirmed},    // Back, and a colleague's name
		{"Deputy", "day/2027-01-20", 2, StatusConfirmed},     // ... sent twice
		{"Head", "open/2027-04-01", -1, StatusConfirmed},     // Back, and another date
		{"Bursar", "day/2027-01-20", -1, StatusConfirmed},    // the last place
		{"Governor", "day/2027-01-20", -1, StatusWaitlisted}, // Back once more: the session is full
		{"Head", "day/2027-01-20", 0, StatusConfirmed},       // the first answers again
	}
	var receipts []string
	for i, tt := range tests {
		body := url.Values{"session": {tt.session}, "name": {tt.name}, formspec.VisitField: {"visit-aaaaaaaa"}}.Encode()
		w := post(s.Handler(), "/forms/book-training", body, map[string]string{"Accept": "application/json"})
		var r Receipt
		if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil || w.Code != http.StatusOK {
			t.Fatalf("step %d: status %d, %v: %s", i, w.Code, err, w.Body)
		}
		if r.Status != tt.status {
			t.Errorf("step %d (%s, %s): status %s, want %s", i, tt.name, tt.session, r.Status, tt.status)
		}
		if tt.same >= 0 && r.ID != receipts[tt.same] {
			t.Errorf("step %d (%s, %s): receipt %s, want step %d's %s", i, tt.name, tt.session, r.ID, tt.same, receipts[tt.same])
		}
		if tt.same < 0 && slices.Contains(receipts, r.ID) {
			t.Errorf("step %d (%s, %s): got an earlier receipt %s: these answers were not stored", i, tt.name, tt.session, r.ID)
		}
		receipts = append(receipts, r.ID)
	}
	if n := count(t, store, "book-training"); n != 5 {
		t.Errorf("%d stored, want 5", n)
	}
}

func TestBookings(t *testing.T) { eachBackend(t, testBookings) }

func testBookings(t *testing.T, b backend) {
	s, _ := newTestServerOn(t, b, Options{})
	book := func(session, name string) Receipt {
		w := post(s.Handler(), "/forms/book-training", url.Values{"session": {session}, "name": {name}}.Encode(), map[string]string{"Accept": "application/json"})
		var r Receipt
		if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil || w.Code != http.StatusOK {
			t.Fatalf("status %d, %v: %s", w.Code, err, w.Body)
		}
		return r
	}
	if r := book("day/2027-03-18", "A"); r.Status != StatusWaitlisted {
		t.Errorf("waitlist-only session: %s, want waitlisted", r.Status)
	}
	if r := book("open/2027-04-01", "B"); r.Status != StatusConfirmed {
		t.Errorf("session without a limit: %s, want confirmed", r.Status)
	}
	w := post(s.Handler(), "/forms/book-training", "session=past%2F2020-01-01&name=C", map[string]string{"Accept": "application/json"})
	if w.Code != http.StatusUnprocessableEntity {
		t.Errorf("closed session: status %d, want 422", w.Code)
	}
	// The redirect says so.
	w = post(s.Handler(), "/forms/book-training", "session=day%2F2027-03-18&name=D", nil)
	if loc := w.Header().Get("Location"); !strings.Contains(loc, "status=waitlisted") {
		t.Errorf("redirect %q does not say waitlisted", loc)
	}
}

// TestBookingClosed books sessions that the manifest, built days before,
// lists as open but that have started, or whose bookings have closed, by
// the server's clock: each is refused beside the session question, with
// the answers kept, and nothing is stored.
func TestBookingClosed(t *testing.T) {
	// fixedNow is 2026-11-22 12:00 UTC, noon in London.
	tests := []struct {
		name    string
		session formspec.Session
		want    string // the error, "" for a booking taken
	}{
		{"started an hour ago", formspec.Session{Start: "2026-11-22T11:00:00Z"}, "Day at 11 has already started: choose another session"},
		{"starts now", formspec.Session{Start: "2026-11-22T12:00:00Z"}, "has already started"},
		{"starts in a minute", formspec.Session{Start: "2026-11-22T12:01:00Z"}, ""},
		{"bookings closed yesterday", formspec.Session{Start: "2027-01-20T09:30:00Z", Closes: "2026-11-21"}, "Bookings for Day at 11 closed on 21 November 2026: choose another session"},
		{"bookings close today", formspec.Session{Start: "2027-01-20T09:30:00Z", Closes: "2026-11-22"}, ""},
		{"an older manifest without a start", formspec.Session{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testManifest()
			ss := tt.session
			ss.ID, ss.Course, ss.Label, ss.Capacity, ss.State = "day/soon", "day", "Day at 11", 3, "open"
			m.Sessions = append(m.Sessions, ss)
			f := m.Form("book-training")
			f.Fields[0].Choices = append(f.Fields[0].Choices, formspec.Option{Value: ss.ID, Label: ss.Label})
			s, store := newTestServer(t, Options{Public: writeSite(t, m)})
			body := url.Values{"session": {ss.ID}, "name": {"Zoë Ó Súilleabháin"}}.Encode()
			w := post(s.Handler(), "/forms/book-training", body, map[string]string{"Accept": "application/json"})
			if tt.want == "" {
				if w.Code != http.StatusOK || count(t, store, "book-training") != 1 {
					t.Fatalf("status %d, %d stored; want 200 and 1: %s", w.Code, count(t, store, "book-training"), w.Body)
				}
				return
			}
			var got struct{ Errors []formspec.FieldError }
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != http.StatusUnprocessableEntity ||
				len(got.Errors) != 1 || got.Errors[0].Field != "session" || !strings.Contains(got.Errors[0].Message, tt.want) {
				t.Errorf("status %d, errors %+v (%v); want 422 on session with %q", w.Code, got.Errors, err, tt.want)
			}
			w = post(s.Handler(), "/forms/book-training", body, nil)
			page := w.Body.String()
			if w.Code != http.StatusUnprocessableEntity || !strings.Contains(page, `id="f-session-error"`) || !strings.Contains(page, "Zoë Ó Súilleabháin") {
				t.Errorf("browser answer %d lacks the error or the answers:\n%s", w.Code, page)
			}
			if n := count(t, store, "book-training"); n != 0 {
				t.Errorf("%d stored, want 0", n)
			}
		})
	}
}

// TestConcurrentBookings fires more bookings than places at one session at
// once: exactly capacity are confirmed, the rest waitlisted.
func TestConcurrentBookings(t *testing.T) { eachBackend(t, testConcurrentBookings) }

func testConcurrentBookings(t *testing.T, b backend) {
	s, store := newTestServerOn(t, b, Options{})
	const n = 40
	var wg sync.WaitGroup
	statuses := make([]string, n)
	for i := range n {
		wg.Go(func() {
			w := post(s.Handler(), "/forms/book-training", url.Values{"session": {"day/2027-01-20"}, "name": {"Person " + string(rune('A'+i))}, "_visit": {"visit-" + strings.Repeat(string(rune('a'+i%26)), 8) + string(rune('0'+i/26))}}.Encode(),
				map[string]string{"Accept": "application/json"})
			var r Receipt
			if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil {
				t.Errorf("booking %d: %d %s", i, w.Code, w.Body)
				return
			}
			statuses[i] = r.Status
		})
	}
	wg.Wait()
	checkBooked(t, store, statuses, 3)
}

// checkBooked checks that of the bookings answered with statuses, which
// are all the store holds, capacity were confirmed and the rest
// waitlisted, in the answers and in the store.
func checkBooked(t *testing.T, store *Store, statuses []string, capacity int) {
	t.Helper()
	n := len(statuses)
	got := map[string]int{}
	for _, st := range statuses {
		got[st]++
	}
	if got[StatusConfirmed] != capacity || got[StatusWaitlisted] != n-capacity {
		t.Errorf("answers %v, want %d confirmed and %d waitlisted", got, capacity, n-capacity)
	}
	rs, err := store.Records(context.Background(), "book-training", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]int{}
	for _, r := range rs {
		stored[r.Status]++
	}
	if stored[StatusConfirmed] != capacity || len(rs) != n {
		t.Errorf("stored %v of %d, want %d confirmed of %d", stored, len(rs), capacity, n)
	}
}

func TestEligibility(t *testing.T) { eachBackend(t, testEligibility) }

func testEligibility(t *testing.T, b backend) {
	s, store := newTestServerOn(t, b, Options{})
	tests := []struct {
		body  string
		unmet string
	}{
		{"headship_since=2020-01-01&local_knowledge=yes", ""},
		{"headship_since=2024-01-01&local_knowledge=yes", "five-years-headship"},
		{"headship_since=2024-01-01", "five-years-headship,local-knowledge"},
	}
	for _, tt := range tests {
		w := post(s.Handler(), "/forms/offer-support", tt.body, nil)
		loc, _ := url.Parse(w.Header().Get("Location"))
		if w.Code != http.StatusSeeOther || loc.Query().Get("unmet") != tt.unmet {
			t.Errorf("%s: %d, unmet %q, want %q", tt.body, w.Code, loc.Query().Get("unmet"), tt.unmet)
		}
		// The thank-you page, from this server, lists what is not met.
		req := httptest.NewRequest("GET", loc.String(), nil)
		rw := httptest.NewRecorder()
		s.Handler().ServeHTTP(rw, req)
		if tt.unmet != "" && !strings.Contains(rw.Body.String(), "five years as a head") {
			t.Errorf("thank-you page does not list the criteria:\n%s", rw.Body)
		}
		if !strings.Contains(rw.Body.String(), loc.Query().Get("receipt")) {
			t.Errorf("thank-you page does not show the receipt:\n%s", rw.Body)
		}
	}
	rs, _ := store.Records(context.Background(), "offer-support", time.Time{})
	if len(rs) != 3 || len(rs[0].Unmet) != 0 || len(rs[2].Unmet) != 2 {
		t.Errorf("stored %+v, want three applications, marked", rs)
	}
}

func TestPagesAndHealth(t *testing.T) { eachBackend(t, testPagesAndHealth) }

func testPagesAndHealth(t *testing.T, b backend) {
	s, _ := newTestServerOn(t, b, Options{})
	get := func(p string) (int, string) {
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, httptest.NewRequest("GET", p, nil))
		return w.Code, w.Body.String()
	}
	if c, b := get("/healthz"); c != 200 || b != "ok\n" {
		t.Errorf("/healthz: %d %q", c, b)
	}
	if c, b := get("/"); c != 200 || !strings.Contains(b, "<h1>Home</h1>") {
		t.Errorf("/: %d %q", c, b)
	}
	if c, b := get("/forms/request-support/?supporter=sam-lee&name=%3Cscript%3E"); c != 200 ||
		!strings.Contains(b, `<option value="sam-lee" selected>`) || strings.Contains(b, "<script>") {
		t.Errorf("prefilled form page: %d\n%s", c, b)
	}
	if c, _ := get("/no-such-page/"); c != 404 {
		t.Errorf("missing page: %d, want 404", c)
	}
	if c, _ := get("/forms/manifest.json"); c != 200 {
		t.Errorf("manifest: %d", c)
	}
	if c, b := get("/forms/request-support/thanks/?receipt=%3Cb%3E"); c != 200 || strings.Contains(b, "<b>") {
		t.Errorf("thank-you page with a bad receipt: %d\n%s", c, b)
	}
}

func TestRedirectElsewhere(t *testing.T) {
	m := testManifest()
	m.SameOrigin = false
	m.BaseURL, m.BasePath = "https://peer.example.org/peer/", "/peer/"
	s, _ := newTestServer(t, Options{Public: writeSite(t, m)})
	for _, p := range []string{"/forms/request-support", "/peer/forms/request-support"} {
		w := post(s.Handler(), p, okRequest+"&_visit=visit-"+strings.Repeat("x", len(p)), nil)
		if loc := w.Header().Get("Location"); !strings.HasPrefix(loc, "https://peer.example.org/peer/forms/request-support/thanks/?receipt=") {
			t.Errorf("POST %s: %d, redirect to %q, want the site's own thank-you page", p, w.Code, loc)
		}
	}
}

func TestExportCSV(t *testing.T) { eachBackend(t, testExportCSV) }

func testExportCSV(t *testing.T, b backend) {
	s, store := newTestServerOn(t, b, Options{})
	evil := []string{"=HYPERLINK(\"http://x\")", "+1+2", "-3", "@SUM(A1)", "\tTab", "\rCR", "plain, \"quoted\"\nline"}
	for i, v := range evil {
		body := url.Values{"name": {"Jo " + string(rune('A'+i))}, "email": {"jo@example.org"}, "consent": {"yes"}, "message": {v}}.Encode()
		if w := post(s.Handler(), "/forms/request-support", body, nil); w.Code != http.StatusSeeOther {
			t.Fatalf("%q: %d %s", v, w.Code, w.Body)
		}
	}
	rs, err := store.Records(context.Background(), "request-support", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, rs); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`"'=HYPERLINK(""http://x"")"`, ",'+1+2", ",'-3", ",'@SUM(A1)", `"plain, ""quoted""` + "\r\nline\""} {
		if !strings.Contains(out, want) {
			t.Errorf("CSV lacks %q:\n%s", want, out)
		}
	}
	// The stored text was cleaned: tab and CR at the start became spaces
	// and were trimmed, so they arrive as plain text.
	for _, c := range []struct{ in, want string }{
		{"=1+1", "'=1+1"}, {"+x", "'+x"}, {"-x", "'-x"}, {"@x", "'@x"}, {"\tx", "'\tx"}, {"\rx", "'\rx"}, {"x=1", "x=1"}, {"", ""},
	} {
		if got := SafeCell(c.in); got != c.want {
			t.Errorf("SafeCell(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if !strings.HasPrefix(out, BOM+"receipt,created,session,status,criteria_not_met,") || !strings.Contains(out, "\r\n") {
		t.Errorf("CSV header or line ends wrong:\n%s", out)
	}
	var js bytes.Buffer
	if err := WriteJSON(&js, rs); err != nil {
		t.Fatal(err)
	}
	var back []Record
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back) != len(evil) {
		t.Errorf("JSON export: %v, %d records", err, len(back))
	}
}

// TestExportColumns checks the CSV's header: UTF-8 with a BOM, so that
// Excel reads accented names, and never two columns of one name.
func TestExportColumns(t *testing.T) {
	at := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		records []Record
		want    string
	}{
		{"empty store", nil, "receipt,created,session,status,criteria_not_met\r\n"},
		{"booking: the session field is the session column",
			[]Record{{Receipt: "PP-1", Created: at, Session: "day/2027-01-20", Status: "waitlisted",
				Answers: []formspec.Answer{{Name: "session", Value: "day/2027-01-20"}, {Name: "name", Value: "Zoë Ó Súilleabháin"}}}},
			"receipt,created,session,status,criteria_not_met,name\r\nPP-1,2026-11-22T09:00:00Z,day/2027-01-20,waitlisted,,Zoë Ó Súilleabháin\r\n"},
		{"a field named as a column but answering something else",
			[]Record{{Receipt: "PP-2", Created: at, Status: "received",
				Answers: []formspec.Answer{{Name: "session", Value: "evening"}, {Name: "status", Value: "head"}, {Name: "answer_status", Value: "x"}}}},
			"receipt,created,session,status,criteria_not_met,answer_session,answer_status,answer_answer_status\r\nPP-2,2026-11-22T09:00:00Z,,received,,evening,head,x\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteCSV(&buf, tt.records); err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != BOM+tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, BOM+tt.want)
			}
		})
	}
}

func TestPurge(t *testing.T) { eachBackend(t, testPurge) }

func testPurge(t *testing.T, b backend) {
	store := b.open(t)
	ctx := context.Background()
	for i, at := range []time.Time{fixedNow.AddDate(-2, 0, 0), fixedNow.AddDate(0, -13, 0), fixedNow.AddDate(0, -1, 0)} {
		if _, err := store.Save(ctx, Submission{Form: "feedback", Hash: string(rune('a' + i)), Answers: []formspec.Answer{{Name: "x", Value: "y"}}}, at); err != nil {
			t.Fatal(err)
		}
	}
	n, err := store.Purge(ctx, fixedNow.AddDate(0, -12, 0))
	if err != nil || n != 2 {
		t.Errorf("Purge = %d, %v; want 2", n, err)
	}
	if c := count(t, store, "feedback"); c != 1 {
		t.Errorf("%d left, want 1", c)
	}
}

func TestBodyNeverRead(t *testing.T) {
	// A refused content type is refused before the body is read.
	s, _ := newTestServer(t, Options{})
	req := httptest.NewRequest(http.MethodPost, "/forms/request-support", io.MultiReader(strings.NewReader("a"), failingReader{}))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	if w.Code != http.StatusUnsupportedMediaType {
		t.Errorf("status %d", w.Code)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { panic("body read") }

func TestHTTPServerTimeouts(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	hs := s.HTTPServer("127.0.0.1:0")
	if hs.ReadHeaderTimeout <= 0 || hs.ReadTimeout <= 0 || hs.WriteTimeout <= 0 || hs.IdleTimeout <= 0 || hs.MaxHeaderBytes <= 0 {
		t.Errorf("server without a time-out or header limit: %+v", hs)
	}
}

// TestRebuiltManifest checks that the server answers by the manifest a
// rebuild writes, without a restart: a training date added to the site can
// be booked once the manifest says so, and a manifest that is missing for a
// moment (a build being swapped into place) or broken leaves the last good
// one in use.
func TestRebuiltManifest(t *testing.T) {
	now := fixedNow
	var logs bytes.Buffer
	dir := writeSite(t, testManifest())
	s, _ := newTestServer(t, Options{Public: dir, Now: func() time.Time { return now },
		Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	book := func() int {
		t.Helper()
		return post(s.Handler(), "/forms/book-training", "session=new%2F2027-05-05&name=Sam", map[string]string{"Accept": "application/json"}).Code
	}
	if code := book(); code != http.StatusUnprocessableEntity {
		t.Fatalf("a date the site does not have: status %d, want 422", code)
	}

	m := testManifest()
	m.Sessions = append(m.Sessions, formspec.Session{ID: "new/2027-05-05", Course: "new", Label: "New day", Capacity: 12, State: "open"})
	for i := range m.Forms {
		if m.Forms[i].Name == "book-training" {
			f := &m.Forms[i].Fields[0]
			f.Choices = append(f.Choices, formspec.Option{Value: "new/2027-05-05", Label: "New day"})
		}
	}
	body, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	manifest := filepath.Join(dir, filepath.FromSlash(formspec.ManifestPath))
	if err := os.WriteFile(manifest, body, 0o644); err != nil {
		t.Fatal(err)
	}
	if code := book(); code != http.StatusUnprocessableEntity {
		t.Errorf("within a second of the rebuild: status %d, want 422 (the manifest is read at most once a second)", code)
	}
	now = now.Add(2 * time.Second)
	if code := book(); code != http.StatusOK {
		t.Fatalf("after the rebuild: status %d, want 200", code)
	}
	if !strings.Contains(logs.String(), `"outcome":"reloaded"`) {
		t.Errorf("the log does not say the manifest was read again:\n%s", logs.String())
	}

	for _, broken := range []func() error{
		func() error { return os.Remove(manifest) },
		func() error { return os.WriteFile(manifest, []byte(`{"forms": [`), 0o644) },
	} {
		if err := broken(); err != nil {
			t.Fatal(err)
		}
		now = now.Add(2 * time.Second)
		if code := book(); code != http.StatusOK {
			t.Errorf("with the manifest missing or broken: status %d, want 200 by the last good one", code)
		}
	}
	if !strings.Contains(logs.String(), "still using the last one") {
		t.Errorf("the log does not report the broken manifest:\n%s", logs.String())
	}
}

// TestTypedChoice sends names typed into a searchable supporter field, as
// a browser without JavaScript does: a name that reads as one choice's is
// stored as its id; an unknown or shared one sends the form back with the
// error beside the field, every other answer kept and nothing stored, and
// a shared name with a drop-down of those who bear it. A link naming a
// supporter shows the name in the box.
func TestTypedChoice(t *testing.T) {
	m := testManifest()
	sup := &m.Forms[0].Fields[0]
	sup.ChoicesURL = "/forms/supporters.0000.json"
	sup.Choices = append(sup.Choices, formspec.Option{Value: "jo-evans-2", Label: "Jo Evans", Hint: "Ash Academy"}, formspec.Option{Value: "zoe-oneil", Label: "Zoë O’Neil"})
	sup.Choices[0].Hint = "Oak Primary"
	s, store := newTestServer(t, Options{Public: writeSite(t, m)})

	w := post(s.Handler(), "/forms/request-support", okRequest+"&supporter=zoe+o%27neil", nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("a typed name: %d, want 303\n%s", w.Code, w.Body)
	}
	rs, err := store.Records(context.Background(), "request-support", time.Time{})
	if err != nil || len(rs) != 1 || rs[0].Answers[0].Name != "supporter" || rs[0].Answers[0].Value != "zoe-oneil" {
		t.Fatalf("stored %+v, %v; want supporter zoe-oneil", rs, err)
	}

	w = post(s.Handler(), "/forms/request-support", okRequest+"&supporter=Jo+Evnas&message=Hello+there", nil)
	page := w.Body.String()
	for _, want := range []string{`“Jo Evnas” is not a choice for preferred supporter: check the spelling`, `value="Jo Evnas"`,
		`value="Jo Bloggs"`, `value="jo@example.org"`, `>Hello there</textarea>`, `href="#f-supporter"`, "<title>Error: "} {
		if !strings.Contains(page, want) {
			t.Errorf("an unknown name: %d, the page lacks %s\n%s", w.Code, want, page)
		}
	}
	w = post(s.Handler(), "/forms/request-support", okRequest+"&supporter=jo+evans", nil)
	page = w.Body.String()
	for _, want := range []string{`More than one choice for preferred supporter is called “jo evans”: choose the one you mean`,
		`<option value="jo-evans">Jo Evans (Oak Primary)</option><option value="jo-evans-2">Jo Evans (Ash Academy)</option>`, `value="Jo Bloggs"`} {
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(page, want) {
			t.Errorf("a shared name: %d, the page lacks %s\n%s", w.Code, want, page)
		}
	}
	if n := count(t, store, "request-support"); n != 1 {
		t.Errorf("%d stored, want only the first", n)
	}

	req := httptest.NewRequest("GET", "/forms/request-support/?supporter=zoe-oneil", nil)
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if b := rec.Body.String(); !strings.Contains(b, `value="Zoë O’Neil" data-value="zoe-oneil"`) {
		t.Errorf("a link naming a supporter: %d\n%s", rec.Code, b)
	}
}
