package cli

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckExternal checks external links against a loopback server: a
// broken one is a warning (exit 0) unless --fail-external makes it an error.
func TestCheckExternal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/gone" {
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := writeTree(t, testSiteWith(map[string]string{
		"content/news/hello.md": "---\ntitle: Hello\ndate: 2026-11-01\n---\nNews.\n\nSee [the report](" + srv.URL + "/report) and\n[the old page](" + srv.URL + "/gone).\n",
	}))
	cache := filepath.Join(t.TempDir(), "links.json")
	want := `content/news/hello.md:8:1: warning: external link "` + srv.URL + `/gone" answered 404 Not Found`

	code, stdout, stderr := runCLI(t, "check", "--source", dir, "--now", "2026-11-22", "--external", "--link-cache", cache)
	if code != ExitOK || !strings.Contains(stdout, want) || strings.Contains(stdout, "/report") {
		t.Errorf("check --external = %d\n%s%s\nwant 0 and %s", code, stdout, stderr, want)
	}
	if _, err := os.Stat(cache); err != nil {
		t.Errorf("no cache written: %v", err)
	}

	code, stdout, _ = runCLI(t, "check", "--source", dir, "--now", "2026-11-22", "--external", "--fail-external", "--link-cache", "off")
	if code != ExitContent || !strings.Contains(stdout, strings.Replace(want, "warning: ", "", 1)) {
		t.Errorf("check --external --fail-external = %d\n%s\nwant 1 and the error", code, stdout)
	}

	// Without --external nothing is fetched.
	code, stdout, _ = runCLI(t, "check", "--source", dir, "--now", "2026-11-22")
	if code != ExitOK || strings.Contains(stdout, "/gone") {
		t.Errorf("check without --external = %d\n%s", code, stdout)
	}
}

// TestCheckInternalLinks checks that check finds a broken internal link,
// as build would, without writing anything.
func TestCheckInternalLinks(t *testing.T) {
	dir := writeTree(t, testSiteWith(map[string]string{
		"content/news/hello.md": "---\ntitle: Hello\ndate: 2026-11-01\n---\nNews.\n\nSee [the networks](/netwroks/).\n",
	}))
	code, stdout, _ := runCLI(t, "check", "--source", dir, "--now", "2026-11-22")
	want := `content/news/hello.md:7:5: link "/netwroks/" points nowhere: the site has no page or file at /netwroks/ (did you mean "/networks/"?)`
	if code != ExitContent || !strings.Contains(stdout, want) {
		t.Errorf("check = %d\n%s\nwant 1 and %s", code, stdout, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Errorf("check wrote public/")
	}
}
