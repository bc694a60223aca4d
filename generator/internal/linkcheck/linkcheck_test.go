package linkcheck

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"peerpress/generator/internal/diag"
)

func TestInternal(t *testing.T) {
	files := map[string]bool{
		"index.html": true, "about/index.html": true, "networks/north/index.html": true,
		"images/logo.svg": true, "news/feed.xml": true,
	}
	tests := []struct {
		base, page, dest string
		want             string // "" when the link works
	}{
		{"/", "/networks/north/", "/about/", ""},
		{"/", "/networks/north/", "/about", ""},
		{"/", "/networks/north/", "/", ""},
		{"/", "/networks/north/", "../../about/", ""},
		{"/", "/networks/north/", "/about/?x=1#team", ""},
		{"/", "/networks/north/", "#top", ""},
		{"/", "/networks/north/", "https://example.com/", ""},
		{"/", "/networks/north/", "mailto:a@example.org", ""},
		{"/", "/networks/north/", "/images/logo.svg", ""},
		{"/", "/networks/north/", "/news/feed.xml", ""},
		{"/", "/networks/north/", "/abuot/", `link "/abuot/" points nowhere: the site has no page or file at /abuot/ (did you mean "/about/"?)`},
		{"/", "/networks/north/", "../south/", `link "../south/" points nowhere: the site has no page or file at /networks/south/ (did you mean "/networks/north/"?)`},
		{"/", "/networks/north/", "/images/logo.png", `link "/images/logo.png" points nowhere: the site has no page or file at /images/logo.png (did you mean "/images/logo.svg"?)`},
		{"/peer/", "/networks/north/", "/peer/about/", ""},
		{"/peer/", "/networks/north/", "/peer/abuot/", `link "/abuot/" points nowhere: the site has no page or file at /peer/abuot/ (did you mean "/about/"?)`},
		{"/peer/", "/networks/north/", "/peer/peer/about/", `link "/peer/about/" points nowhere: the site has no page or file at /peer/peer/about/ (write links from the site's root, such as "/about/": the base path /peer/ is added for you)`},
		{"/peer/", "/about/", "../../../etc/", `link "../../../etc/" points outside the site's base path /peer/`},
	}
	for _, tt := range tests {
		l := Link{Pos: diag.Pos{File: "content/x.md", Line: 3, Col: 1}, Dest: tt.dest, Page: tt.page}
		got := Internal([]Link{l}, tt.base, files, nil)
		var msg string
		if len(got) > 0 {
			msg = got[0].Msg
		}
		if msg != tt.want {
			t.Errorf("Internal(%q on %s, base %s) = %q, want %q", tt.dest, tt.page, tt.base, msg, tt.want)
		}
	}
}

// TestExternal runs a loopback server with a page for each answer a link
// can get, and checks what is reported, that the cache saves asking twice
// and that no more than Concurrency requests are in flight.
func TestExternal(t *testing.T) {
	var hits sync.Map // path -> *atomic.Int32
	var inFlight, most atomic.Int32
	block := make(chan struct{})
	defer close(block)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := hits.LoadOrStore(r.URL.Path, new(atomic.Int32))
		n.(*atomic.Int32).Add(1)
		cur := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := most.Load()
			if cur <= m || most.CompareAndSwap(m, cur) {
				break
			}
		}
		switch {
		case r.URL.Path == "/gone":
			http.Error(w, "gone", http.StatusNotFound)
		case r.URL.Path == "/no-head" && r.Method == http.MethodHead:
			w.WriteHeader(http.StatusMethodNotAllowed)
		case r.URL.Path == "/moved":
			http.Redirect(w, r, "/ok/1", http.StatusMovedPermanently)
		case r.URL.Path == "/slow":
			select {
			case <-block:
			case <-r.Context().Done():
			}
		}
	}))
	defer srv.Close()

	var links []Link
	add := func(line int, dest string) {
		links = append(links, Link{Pos: diag.Pos{File: "content/news/a.md", Line: line, Col: 1}, Dest: dest})
	}
	for i := range 12 {
		add(1, srv.URL+"/ok/"+string(rune('a'+i)))
	}
	add(2, srv.URL+"/gone")
	add(3, srv.URL+"/no-head")
	add(4, srv.URL+"/moved#part")
	add(5, srv.URL+"/slow")
	add(6, srv.URL+"/gone#again") // the same address: asked once, reported twice
	add(7, "mailto:someone@example.org")
	add(8, "/internal/")

	cache := filepath.Join(t.TempDir(), "links.json")
	opts := ExternalOptions{Timeout: 2 * time.Second, Concurrency: 3, CacheFile: cache, MaxAge: time.Hour, Severity: diag.Warning,
		Now: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)}
	got, err := CheckExternal(context.Background(), links, opts)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, d := range got {
		if d.Severity != diag.Warning {
			t.Errorf("%s is not a warning", d.Error())
		}
		msgs = append(msgs, d.Error())
	}
	want := []string{
		`content/news/a.md:2:1: warning: external link "` + srv.URL + `/gone" answered 404 Not Found`,
		`content/news/a.md:5:1: warning: external link "` + srv.URL + `/slow" could not be reached: no answer within 2s`,
		`content/news/a.md:6:1: warning: external link "` + srv.URL + `/gone#again" answered 404 Not Found`,
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	if m := most.Load(); m > 3 {
		t.Errorf("%d requests in flight at once, want at most 3", m)
	}
	count := func(p string) int32 {
		n, ok := hits.Load(p)
		if !ok {
			return 0
		}
		return n.(*atomic.Int32).Load()
	}
	if n := count("/gone"); n != 2 { // HEAD, then GET
		t.Errorf("/gone asked %d times, want 2 (HEAD and GET, once for both links)", n)
	}

	// Within MaxAge, addresses that answered are not asked again; broken
	// ones are.
	before := count("/ok/a")
	if _, err := CheckExternal(context.Background(), links, opts); err != nil {
		t.Fatal(err)
	}
	if n := count("/ok/a"); n != before {
		t.Errorf("/ok/a asked again within the cache's age (%d, then %d)", before, n)
	}
	if n := count("/gone"); n != 4 {
		t.Errorf("/gone asked %d times after two runs, want 4", n)
	}
	// After MaxAge, it is asked again.
	opts.Now = opts.Now.Add(2 * time.Hour)
	if _, err := CheckExternal(context.Background(), links, opts); err != nil {
		t.Fatal(err)
	}
	if n := count("/ok/a"); n != before+1 {
		t.Errorf("/ok/a asked %d times after the cache expired, want %d", n, before+1)
	}
	if b, err := os.ReadFile(cache); err != nil || !strings.Contains(string(b), srv.URL+"/ok/a") {
		t.Errorf("cache file: %v\n%s", err, b)
	}
}

func TestExternalDamagedCache(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	cache := filepath.Join(t.TempDir(), "links.json")
	if err := os.WriteFile(cache, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := CheckExternal(context.Background(), []Link{{Dest: srv.URL}}, ExternalOptions{CacheFile: cache, MaxAge: time.Hour})
	if err != nil || len(got) != 0 {
		t.Errorf("CheckExternal with a damaged cache = %v, %v; want no problems", got, err)
	}
}
