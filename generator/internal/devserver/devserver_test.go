package devserver

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"peerpress/generator/internal/build"
)

// wait bounds how long a test waits for the watcher: generous, because it
// is a deadline for something that must happen, not a speed check.
const wait = 20 * time.Second

var site = map[string]string{
	"site.yaml":              "title: Serve test\nbase_url: https://serve.example.org/\nvocabularies:\n  streams: {s: S}\n  regions: {r: R}\n",
	"content/_index.md":      "---\ntitle: Home\n---\nWelcome.\n",
	"content/pages/about.md": "---\ntitle: About\n---\nThe first version.\n",
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// start runs a server on a free loopback port over a copy of site and
// returns its source directory, its URL and a channel of reload events.
func start(t *testing.T) (src, base string, reloads <-chan struct{}) {
	t.Helper()
	src = t.TempDir()
	writeFiles(t, src, site)
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Options{Build: build.Options{Source: src, Now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), NowIsDate: true}, Addr: "127.0.0.1:0"}, func(a string) { ready <- a })
	}()
	select {
	case a := <-ready:
		base = "http://" + a
	case err := <-done:
		t.Fatalf("Run: %v", err)
	case <-time.After(wait):
		t.Fatal("server did not start")
	}
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run after Ctrl-C: %v", err)
			}
		case <-time.After(wait):
			t.Error("server did not shut down after its context ended")
		}
	})
	ch := make(chan struct{}, 16)
	resp, err := http.Get(base + "/_peerpress/events")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if sc.Text() == "event: reload" {
				ch <- struct{}{}
			}
		}
	}()
	return src, base, ch
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// eventually polls url until ok accepts its body, failing after wait. An
// editor's save can reach the watcher as more than one event (truncate,
// then write), so a page may pass through a state in between.
func eventually(t *testing.T, url string, ok func(string) bool) string {
	t.Helper()
	deadline := time.Now().Add(wait)
	var body string
	for time.Now().Before(deadline) {
		if _, body = get(t, url); ok(body) {
			return body
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s never showed what was expected; last: %s", url, body)
	return ""
}

func awaitReload(t *testing.T, reloads <-chan struct{}) {
	t.Helper()
	select {
	case <-reloads:
	case <-time.After(wait):
		t.Fatal("no reload event after a change")
	}
}

// TestEditReloads edits a page and checks that open pages are told to
// reload and the page then shows the edit.
func TestEditReloads(t *testing.T) {
	src, base, reloads := start(t)
	if _, body := get(t, base+"/about/"); !strings.Contains(body, "The first version.") || !strings.Contains(body, "/_peerpress/reload.js") {
		t.Fatalf("about page before the edit: %s", body)
	}
	writeFiles(t, src, map[string]string{"content/pages/about.md": "---\ntitle: About\n---\nThe second version.\n"})
	awaitReload(t, reloads)
	eventually(t, base+"/about/", func(body string) bool { return strings.Contains(body, "The second version.") })
}

// TestInvalidEditKeepsLastGood breaks a file: the last good page stays,
// with the error over it naming file, line and field; fixing the file
// clears it.
func TestInvalidEditKeepsLastGood(t *testing.T) {
	src, base, reloads := start(t)
	writeFiles(t, src, map[string]string{"content/pages/about.md": "---\ntitle: About\ntitel: typo\n---\nBroken.\n"})
	awaitReload(t, reloads)
	body := eventually(t, base+"/about/", func(body string) bool { return strings.Contains(body, "titel: unknown field") })
	if !strings.Contains(body, "The first version.") {
		t.Errorf("the last good page is not served after a bad edit: %s", body)
	}
	if !strings.Contains(body, `peerpress-errors`) || !strings.Contains(body, `content/pages/about.md:3:1: titel: unknown field (did you mean &#34;title&#34;?)`) {
		t.Errorf("no error overlay naming file, line and field: %s", body)
	}
	writeFiles(t, src, map[string]string{"content/pages/about.md": "---\ntitle: About\n---\nFixed.\n"})
	awaitReload(t, reloads)
	eventually(t, base+"/about/", func(body string) bool {
		return !strings.Contains(body, "peerpress-errors") && strings.Contains(body, "Fixed.")
	})
}

// TestNewDirectoryIsWatched creates static/ after the server started, and a
// file in a new folder inside it.
func TestNewDirectoryIsWatched(t *testing.T) {
	src, base, reloads := start(t)
	if err := os.MkdirAll(filepath.Join(src, "static", "docs"), 0o755); err != nil {
		t.Fatal(err)
	}
	// The watcher adds new directories as it sees them; give the file a
	// moment's gap so it lands in a directory already watched, then look
	// for it after each rebuild.
	deadline := time.After(wait)
	for i := 0; ; i++ {
		writeFiles(t, src, map[string]string{"static/docs/leaflet.txt": "version " + string(rune('a'+i%26))})
		select {
		case <-reloads:
		case <-deadline:
			t.Fatal("a file in a directory created after start was never served")
		}
		if code, body := get(t, base+"/docs/leaflet.txt"); code == http.StatusOK && strings.HasPrefix(body, "version") {
			return
		}
	}
}

// TestReloadScriptNotInBuild checks that what serve adds to pages is added
// as they are served, never written into the built files.
func TestReloadScriptNotInBuild(t *testing.T) {
	src := t.TempDir()
	writeFiles(t, src, site)
	s, err := New(Options{Build: build.Options{Source: src, Now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), NowIsDate: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if diags := s.Rebuild(context.Background()); diags.Err() != nil {
		t.Fatal(diags)
	}
	b, ok := s.snap.Load().File("about/index.html")
	if !ok {
		t.Fatal("no about/index.html in the build")
	}
	if strings.Contains(string(b), "_peerpress") {
		t.Error("the built file contains the reload script")
	}
}

// TestIgnored checks which paths trigger a rebuild.
func TestIgnored(t *testing.T) {
	s := &Server{opts: Options{Build: build.Options{Source: "/site"}}}
	tests := map[string]bool{
		"/site":                        false,
		"/site/site.yaml":              false,
		"/site/content/news/a.md":      false,
		"/site/layouts/page.html":      false,
		"/site/static/logo.svg":        false,
		"/site/public/index.html":      true,
		"/site/generator/main.go":      true,
		"/site/README.md":              true,
		"/site/content/.a.md.swp":      true,
		"/site/content/news/a.md~":     true,
		"/site/content/.git/HEAD":      true,
		"/elsewhere/content/news/a.md": true,
	}
	for name, want := range tests {
		if got := s.ignored(name); got != want {
			t.Errorf("ignored(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestFormsWork runs serve over the repository's example site, whose
// site.yaml defines forms, and sends a request for support to it.
func TestFormsWork(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	data := t.TempDir()
	go func() {
		done <- Run(ctx, Options{Build: build.Options{Source: "../../..", Now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), NowIsDate: true}, Addr: "127.0.0.1:0", Data: data}, func(a string) { ready <- a })
	}()
	var base string
	select {
	case a := <-ready:
		base = "http://" + a
	case err := <-done:
		t.Fatalf("Run: %v", err)
	case <-time.After(wait):
		t.Fatal("server did not start")
	}
	form := strings.NewReader("supporter=helen-marsh&name=Jo+Test&email=jo%40school.example&school=Test+Primary&consent=yes")
	req, _ := http.NewRequest(http.MethodPost, base+"/forms/request-support", form)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"receipt"`) {
		t.Errorf("POST /forms/request-support = %d %s, want 200 with a receipt", resp.StatusCode, body)
	}
	// Course pages read the places left from the same server.
	resp, err = http.Get(base + "/forms/places.json")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"left":`) {
		t.Errorf("GET /forms/places.json = %d %s, want 200 with the places left", resp.StatusCode, body)
	}
	cancel()
	<-done
	if entries, _ := os.ReadDir(data); len(entries) == 0 {
		t.Error("nothing was stored in --data")
	}
}

// TestEditsWhileSiteFilesAreMade saves a page again and again while the
// site-wide files (sitemap, search index) of each build are asked for, so
// that they are made from the site as an edit is patched into it: run
// with -race, it checks that the two do not share the site unguarded, and
// that each file ends up served as edited.
func TestEditsWhileSiteFilesAreMade(t *testing.T) {
	src, base, _ := start(t)
	stop := make(chan struct{})
	fetched := make(chan struct{})
	go func() {
		defer close(fetched)
		for {
			select {
			case <-stop:
				return
			default:
			}
			resp, err := http.Get(base + "/sitemap.xml")
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}
	}()
	for i := range 20 {
		writeFiles(t, src, map[string]string{"content/pages/about.md": fmt.Sprintf("---\ntitle: About %d\n---\nVersion %d.\n", i, i)})
		eventually(t, base+"/about/", func(body string) bool { return strings.Contains(body, fmt.Sprintf("Version %d.", i)) })
	}
	close(stop)
	<-fetched
	eventually(t, base+"/sitemap.xml", func(body string) bool { return strings.Contains(body, "/about/") })
}
