package forms

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAcceptsGzip(t *testing.T) {
	for _, tt := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"gzip, deflate, br, zstd", true},
		{"br;q=1.0, GZIP;q=0.5", true},
		{"deflate, br", false},
		{"gzip;q=0", false},
		{"gzip;q=0.000", false},
		{"gzip;q=0.001", true},
		{"*", true},
		{"*;q=0", false},
		{"*, gzip;q=0", false},
		{"identity", false},
		{"x-gzip", true},
	} {
		if got := acceptsGzip(tt.header); got != tt.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}

func TestCacheControl(t *testing.T) {
	const year, ask = "public, max-age=31536000, immutable", "no-cache"
	for _, tt := range []struct{ path, want string }{
		{"assets/site.4df65774.css", year},
		{"assets/search.55b67743.js", year},
		{"search/h.f27d77ee.json", year},
		{"search/p.30321459.txt", year},
		{"forms/supporters.1a2b3c4d.json", year},
		{"images/supporters/jo-evans.1a2b3c4d-480.jpg", year},
		{"search/index.json", ask},         // names the others: must be fresh
		{"forms/manifest.json", ask},       //
		{"index.html", ask},                //
		{"supporters/jo-evans", ask},       // a page
		{"files/report.1a2b3c4d.pdf", ask}, // the site's own static file
		{"assets/site.css", ask},           //
		{"assets/site.4DF65774.css", ask},  // the build writes lower case
	} {
		if got := cacheControl(tt.path); got != tt.want {
			t.Errorf("cacheControl(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

// TestCompression serves a built site's files and checks what a browser
// gets: text gzipped when it asks for it, a byte range of the file itself
// (as search.js asks for the index), and how long it may keep each file.
func TestCompression(t *testing.T) {
	public := writeSite(t, testManifest())
	big := strings.Repeat("peer support for headteachers ", 200)
	files := map[string]string{
		"assets/site.4df65774.css": "body{color:#0b0c0c}" + big,
		"search/p.30321459.txt":    big,
		"search/index.json":        `{"v":"` + big + `"}`,
		"tiny.txt":                 "small",
		"photo.png":                "\x89PNG\r\n\x1a\n" + big,
		"supporters/index.html":    "<!doctype html><title>Supporters</title><h1>Supporters</h1>" + big,
		"404.html":                 "<!doctype html><title>Page not found</title><h1>Page not found</h1>",
	}
	for p, body := range files {
		full := filepath.Join(public, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, _ := newTestServer(t, Options{Public: public})
	get := func(method, p string, hdr map[string]string) *httptest.ResponseRecorder {
		return request(s.Handler(), method, p, hdr)
	}
	gunzip := func(b []byte) string {
		t.Helper()
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("not gzip: %v", err)
		}
		out, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	gz := map[string]string{"Accept-Encoding": "gzip, deflate, br"}

	for _, tt := range []struct {
		path, file, cache string
		gzipped           bool
	}{
		{"/supporters/", "supporters/index.html", "no-cache", true},
		{"/assets/site.4df65774.css", "assets/site.4df65774.css", "public, max-age=31536000, immutable", true},
		{"/search/index.json", "search/index.json", "no-cache", true},
		{"/tiny.txt", "tiny.txt", "no-cache", false},
		{"/photo.png", "photo.png", "no-cache", false},
	} {
		w := get("GET", tt.path, gz)
		if w.Code != 200 {
			t.Fatalf("GET %s: %d", tt.path, w.Code)
		}
		body := w.Body.String()
		if enc := w.Header().Get("Content-Encoding"); (enc == "gzip") != tt.gzipped {
			t.Errorf("GET %s: Content-Encoding %q, want gzipped %v", tt.path, enc, tt.gzipped)
		} else if tt.gzipped {
			body = gunzip(w.Body.Bytes())
			if w.Header().Get("Content-Length") != "" || w.Header().Get("Accept-Ranges") != "" {
				t.Errorf("GET %s gzipped still says Content-Length %q, Accept-Ranges %q", tt.path, w.Header().Get("Content-Length"), w.Header().Get("Accept-Ranges"))
			}
		}
		if body != files[tt.file] {
			t.Errorf("GET %s: the body is not the file's", tt.path)
		}
		if got := w.Header().Get("Cache-Control"); got != tt.cache {
			t.Errorf("GET %s: Cache-Control %q, want %q", tt.path, got, tt.cache)
		}
		if !strings.Contains(w.Header().Get("Vary"), "Accept-Encoding") {
			t.Errorf("GET %s: no Vary: Accept-Encoding", tt.path)
		}
	}

	// Without gzip, the file as it is.
	if w := get("GET", "/supporters/", nil); w.Header().Get("Content-Encoding") != "" || w.Body.String() != files["supporters/index.html"] {
		t.Errorf("GET without Accept-Encoding: Content-Encoding %q", w.Header().Get("Content-Encoding"))
	}
	// A byte range is of the file itself, never compressed.
	w := get("GET", "/search/p.30321459.txt", map[string]string{"Accept-Encoding": "gzip", "Range": "bytes=10-29"})
	if w.Code != http.StatusPartialContent || w.Header().Get("Content-Encoding") != "" || w.Body.String() != files["search/p.30321459.txt"][10:30] {
		t.Errorf("range: %d, Content-Encoding %q, body %q", w.Code, w.Header().Get("Content-Encoding"), w.Body.String())
	}
	// HEAD says what GET would send, with no body.
	w = get("HEAD", "/supporters/", gz)
	if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" || w.Body.Len() != 0 {
		t.Errorf("HEAD: %d, Content-Encoding %q, %d bytes of body", w.Code, w.Header().Get("Content-Encoding"), w.Body.Len())
	}
	// A browser that has the page asks whether it changed: it has not.
	lm := get("GET", "/supporters/", gz).Header().Get("Last-Modified")
	if w := get("GET", "/supporters/", map[string]string{"Accept-Encoding": "gzip", "If-Modified-Since": lm}); lm == "" || w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Errorf("revalidation with If-Modified-Since %q: %d, %d bytes", lm, w.Code, w.Body.Len())
	}
	// A missing page is the site's 404 page, kept by no one.
	if w := get("GET", "/no-such-page/", gz); w.Code != 404 || w.Header().Get("Cache-Control") != "no-store" || w.Body.String() != files["404.html"] {
		t.Errorf("missing page: %d, Cache-Control %q, body %q", w.Code, w.Header().Get("Cache-Control"), w.Body.String())
	}
	// A prefilled form page, made by the server, is compressed too.
	w = get("GET", "/forms/request-support/?supporter=sam-lee", gz)
	if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(gunzip(w.Body.Bytes()), `<option value="sam-lee" selected>`) {
		t.Errorf("prefilled form page: %d, Content-Encoding %q", w.Code, w.Header().Get("Content-Encoding"))
	}
}

// FuzzAcceptsGzip reads any Accept-Encoding header: acceptsGzip never
// panics, and a header it takes gzip from still does with more codings
// after it.
func FuzzAcceptsGzip(f *testing.F) {
	for _, s := range []string{"gzip", "br;q=1.0, GZIP;q=0.5", "gzip;q=0", "*;q=0", ";;=,", "gzip;q=", "*, gzip;q=0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		if acceptsGzip(header) && !acceptsGzip(header+", br") {
			t.Errorf("acceptsGzip(%q) is true, but not with \", br\" after it", header)
		}
	})
}
