package forms

import (
	"compress/gzip"
	"io"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// The server hosts the whole site when nothing else does, so it does what
// a static host does for a fast site: it compresses text, and lets
// browsers keep files whose names change with their contents.

// minCompress is the smallest body worth compressing: below it gzip's own
// header and trailer eat most of the gain.
const minCompress = 512

// compressible are the media types sent gzipped, by their type before any
// parameter. Images, photos and fonts are compressed already.
var compressible = map[string]bool{
	"text/html":              true,
	"text/css":               true,
	"text/javascript":        true,
	"text/plain":             true,
	"text/xml":               true,
	"text/calendar":          true,
	"application/javascript": true,
	"application/json":       true,
	"application/xml":        true,
	"application/atom+xml":   true,
	"application/rss+xml":    true,
	"application/ld+json":    true,
	"image/svg+xml":          true,
}

// gzipWriters are reused across responses: a gzip.Writer holds about
// 800 KB of tables.
var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression)
	return w
}}

// compress sends h's responses gzipped to clients that accept it, when
// they are whole (status 200) text of at least minCompress bytes. A
// request for a byte range is answered as it is: search.js fetches the
// index's files by range, and a range counts in the bytes of the file
// itself, not of a compressed copy.
func compress(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		if r.Header.Get("Range") != "" || !acceptsGzip(r.Header.Get("Accept-Encoding")) {
			h.ServeHTTP(w, r)
			return
		}
		cw := &compressWriter{ResponseWriter: w, head: r.Method == http.MethodHead}
		defer cw.close()
		h.ServeHTTP(cw, r)
	})
}

// acceptsGzip reports whether an Accept-Encoding header takes gzip: named,
// or by "*", and not with q=0.
func acceptsGzip(header string) bool {
	ok := false
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "x-gzip" && name != "*" {
			continue
		}
		zero := false
		for p := range strings.SplitSeq(params, ";") {
			k, v, _ := strings.Cut(p, "=")
			if strings.TrimSpace(k) == "q" {
				v = strings.TrimRight(strings.TrimSpace(v), "0")
				zero = v == "0" || v == "0." || v == ""
			}
		}
		if name == "*" {
			ok = ok || !zero
			continue
		}
		return !zero
	}
	return ok
}

// compressWriter decides at WriteHeader whether the body is gzipped: when
// the status is 200, the type is text and the length, if known, is worth
// it. Then the length is the compressed one, unknown until the end, and
// the response no longer offers byte ranges.
type compressWriter struct {
	http.ResponseWriter
	head    bool // a HEAD request: headers only
	decided bool
	gz      *gzip.Writer
}

func (c *compressWriter) WriteHeader(code int) {
	if c.decided {
		c.ResponseWriter.WriteHeader(code)
		return
	}
	c.decided = true
	h := c.Header()
	mediaType, _, _ := strings.Cut(h.Get("Content-Type"), ";")
	n, err := strconv.Atoi(h.Get("Content-Length"))
	small := err == nil && n < minCompress
	if code != http.StatusOK || h.Get("Content-Encoding") != "" || !compressible[strings.TrimSpace(mediaType)] || small {
		c.ResponseWriter.WriteHeader(code)
		return
	}
	h.Set("Content-Encoding", "gzip")
	h.Del("Content-Length")
	h.Del("Accept-Ranges")
	if !c.head {
		c.gz = gzipWriters.Get().(*gzip.Writer)
		c.gz.Reset(c.ResponseWriter)
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *compressWriter) Write(b []byte) (int, error) {
	if !c.decided {
		if c.Header().Get("Content-Type") == "" {
			c.Header().Set("Content-Type", http.DetectContentType(b))
		}
		c.WriteHeader(http.StatusOK)
	}
	if c.gz != nil {
		return c.gz.Write(b)
	}
	return c.ResponseWriter.Write(b)
}

// close ends the compressed body, if there is one.
func (c *compressWriter) close() {
	if c.gz == nil {
		return
	}
	c.gz.Close()
	c.gz.Reset(io.Discard)
	gzipWriters.Put(c.gz)
	c.gz = nil
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (c *compressWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// fingerprintRE matches a file name carrying a hash of its contents, as
// the build names the theme's assets (site.4df65774.css), the search
// index's files (h.f27d77ee.json), the forms' lists of choices and the
// supporters' photos (jo-evans.1a2b3c4d-480.jpg).
var fingerprintRE = regexp.MustCompile(`\.[0-9a-f]{8}(-[0-9]+)?\.[a-z0-9]+$`)

// fingerprinted are the folders of the built site whose fingerprinted
// files the build names so; a file elsewhere is the site's own, from
// static/, whatever its name.
var fingerprinted = map[string]bool{"assets": true, "images": true, "search": true, "forms": true}

// cacheControl is how long browsers may keep the file at p (relative to
// the site's root): a year, never asking again, when its name changes
// with its contents; otherwise they ask each time whether it changed,
// which costs a 304 when it has not.
func cacheControl(p string) string {
	top, _, _ := strings.Cut(p, "/")
	if fingerprinted[top] && fingerprintRE.MatchString(path.Base(p)) {
		return "public, max-age=31536000, immutable"
	}
	return "no-cache"
}
