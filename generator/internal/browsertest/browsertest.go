// Package browsertest runs tests in real headless Chromium (Debian's
// chromium package) through the DevTools protocol, against a site served on
// loopback. Where Chromium is missing, tests skip, except under CI=true,
// where they fail: CI installs it, so a missing browser there is a fault.
package browsertest

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Timeout bounds a whole browser session, so a hung page fails the test
// instead of the run.
const Timeout = 2 * time.Minute

// candidates are the names Chromium goes by.
var candidates = []string{"chromium", "chromium-browser", "google-chrome", "chrome"}

// Chromium returns the browser's path, skipping the test when there is none
// (failing it under CI=true).
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("PEERPRESS_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range candidates {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "Chromium is not installed (apt-get install chromium, or set PEERPRESS_CHROMIUM)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// New starts a headless browser for the test and returns a context for one
// tab in it; the browser is closed when the test ends. Width and height set
// the window size in CSS pixels.
func New(t testing.TB, width, height int) context.Context {
	t.Helper()
	exe := Chromium(t)
	// The profile is removed by hand after the browser has exited:
	// t.TempDir's own clean-up can run while Chromium still writes to it.
	profile, err := os.MkdirTemp("", "peerpress-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(width, height),
		// The machine has no network: stop Chromium from trying.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
	}
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		_ = chromedp.Cancel(bctx) // closes the browser and waits for it
		bcancel()
		acancel()
		cancel()
		for range 10 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
	if err := chromedp.Run(bctx); err != nil {
		t.Fatalf("start Chromium (%s): %v", exe, err)
	}
	return bctx
}

// Serve serves the built site in dir on loopback as a static host would:
// directories answer with their index.html, and anything missing with
// 404.html and status 404. It returns the base URL, without a trailing slash.
func Serve(t testing.TB, dir string) string {
	t.Helper()
	srv := httptest.NewServer(StaticHandler(dir))
	t.Cleanup(srv.Close)
	return srv.URL
}

// StaticHandler serves dir like a static host.
func StaticHandler(dir string) http.Handler {
	fsys := os.DirFS(dir)
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if p == "" {
			p = "."
		}
		info, err := fs.Stat(fsys, p)
		if err == nil && info.IsDir() {
			_, err = fs.Stat(fsys, path.Join(p, "index.html"))
		}
		if errors.Is(err, fs.ErrNotExist) {
			body, rerr := os.ReadFile(filepath.Join(dir, "404.html"))
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			if rerr == nil {
				_, _ = w.Write(body)
			}
			return
		}
		files.ServeHTTP(w, r)
	})
}
