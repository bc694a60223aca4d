package linkcheck

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"peerpress/generator/internal/diag"
)

// ExternalOptions say how external links are checked.
type ExternalOptions struct {
	// Timeout bounds each request, redirects included.
	Timeout time.Duration
	// Concurrency is how many requests may be in flight at once.
	Concurrency int
	// CacheFile, when set, is a JSON file of earlier answers. An address
	// that answered well is not asked again until MaxAge has passed; one
	// that failed is asked again every run, so a fixed link is seen at once.
	CacheFile string
	MaxAge    time.Duration
	// Severity is what a broken link is: diag.Warning unless the caller
	// wants broken external links to fail the check.
	Severity diag.Severity
	// Client makes the requests; nil means a client with Timeout.
	Client *http.Client
	// Now is the time of the check, for the cache.
	Now time.Time
}

// Answer is what an address said when it was last asked.
type Answer struct {
	Status  int       `json:"status,omitempty"`
	Err     string    `json:"error,omitempty"`
	Checked time.Time `json:"checked"`
}

// OK reports whether the answer means the link works.
func (a Answer) OK() bool { return a.Err == "" && a.Status >= 200 && a.Status < 400 }

// CheckExternal asks every http(s) address the links point at (each once,
// fragment left off) whether it is there, and returns a problem at every
// link whose address failed. It returns an error only when the cache cannot
// be written.
func CheckExternal(ctx context.Context, links []Link, opts ExternalOptions) (diag.List, error) {
	if opts.Concurrency <= 0 {
		opts.Concurrency = 8
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	client := opts.Client
	if client == nil {
		client = &http.Client{Timeout: opts.Timeout}
	}
	cache := readCache(opts.CacheFile)

	var targets []string
	for _, l := range links {
		if t, ok := fetchable(l.Dest); ok {
			targets = append(targets, t)
		}
	}
	slices.Sort(targets)
	targets = slices.Compact(targets)

	answers := make([]Answer, len(targets))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(opts.Concurrency)
	for i, t := range targets {
		if a, ok := cache[t]; ok && a.OK() && opts.Now.Sub(a.Checked) < opts.MaxAge {
			answers[i] = a
			continue
		}
		g.Go(func() error {
			answers[i] = ask(gctx, client, opts.Timeout, t)
			answers[i].Checked = opts.Now
			return nil
		})
	}
	_ = g.Wait()

	byTarget := map[string]Answer{}
	for i, t := range targets {
		byTarget[t] = answers[i]
		cache[t] = answers[i]
	}
	var diags diag.List
	for _, l := range links {
		t, ok := fetchable(l.Dest)
		if !ok {
			continue
		}
		a := byTarget[t]
		if a.OK() {
			continue
		}
		what := "link"
		if l.Image {
			what = "image"
		}
		var msg string
		if a.Err != "" {
			msg = fmt.Sprintf("external %s %q could not be reached: %s", what, l.Dest, a.Err)
		} else {
			msg = fmt.Sprintf("external %s %q answered %d %s", what, l.Dest, a.Status, http.StatusText(a.Status))
		}
		diags = append(diags, diag.Diagnostic{Pos: l.Pos, Msg: msg, Severity: opts.Severity})
	}
	if err := writeCache(opts.CacheFile, cache); err != nil {
		return diags.Sort(), fmt.Errorf("link cache: %w", err)
	}
	return diags.Sort(), nil
}

// fetchable returns an http(s) link's address without its fragment.
func fetchable(dest string) (string, bool) {
	u, err := url.Parse(dest)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	u.Fragment = ""
	return u.String(), true
}

// ask requests an address with HEAD, and with GET when the server does not
// answer HEAD properly (many answer 405, some 403 or 404).
func ask(ctx context.Context, client *http.Client, timeout time.Duration, target string) Answer {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	status, err := request(ctx, client, http.MethodHead, target)
	if err == nil && status >= 400 {
		status, err = request(ctx, client, http.MethodGet, target)
	}
	if err != nil {
		msg := err.Error()
		var ue *url.Error
		if errors.As(err, &ue) {
			msg = ue.Err.Error()
			if ue.Timeout() {
				msg = fmt.Sprintf("no answer within %s", timeout)
			}
		}
		return Answer{Err: msg}
	}
	return Answer{Status: status}
}

func request(ctx context.Context, client *http.Client, method, target string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, method, target, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("User-Agent", "Peerpress link check")
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	// Read a little of the body so the connection can be reused, no more.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return resp.StatusCode, nil
}

func readCache(file string) map[string]Answer {
	cache := map[string]Answer{}
	if file == "" {
		return cache
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return cache
	}
	// A damaged cache is as good as none: every address is asked again.
	if json.Unmarshal(b, &cache) != nil {
		return map[string]Answer{}
	}
	return cache
}

// writeCache replaces the cache file atomically: a temporary sibling, then
// a rename.
func writeCache(file string, cache map[string]Answer) error {
	if file == "" {
		return nil
	}
	b, err := json.MarshalIndent(cache, "", " ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+"-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// DefaultCacheFile is where the cache lives unless told otherwise: the
// user's cache directory, one file per site directory.
func DefaultCacheFile(source string) string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	abs, err := filepath.Abs(source)
	if err != nil {
		abs = source
	}
	name := strings.Trim(strings.NewReplacer("/", "_", "\\", "_", ":", "_").Replace(abs), "_")
	return filepath.Join(dir, "peerpress", "links-"+name+".json")
}
