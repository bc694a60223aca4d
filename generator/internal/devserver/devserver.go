// Package devserver is `generator serve`: it builds the site, serves it on
// loopback from memory, watches the site's files with fsnotify, batches
// bursts of events into one rebuild of what they affect (build.Session),
// and tells open pages to reload over Server-Sent Events. A build with errors keeps the last good pages served and shows the
// errors over every page, and in the terminal, until they are fixed. The
// reload script and the error overlay are added to pages as they are served,
// never written into the built files. The site's forms work too: the form
// endpoint is mounted on the same origin, storing into a temporary directory
// unless told where.
package devserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"

	"peerpress/generator/internal/build"
	"peerpress/generator/internal/diag"
	"peerpress/generator/internal/forms"
	"peerpress/generator/internal/formspec"
)

// Options configure a Server.
type Options struct {
	// Build says what to build; its Destination is not used (the build is
	// kept in memory), and Run replaces its BaseURL by the server's address.
	Build build.Options
	// Addr is where to listen, such as 127.0.0.1:1313.
	Addr string
	// Log receives one line per build and every content problem.
	Log io.Writer
	// Data is where form submissions are stored; empty means a temporary
	// directory removed when the server stops.
	Data string
	// Quiet is how long the files must be left alone before a burst of
	// changes is rebuilt (default 20 ms): an editor saving a file, or git
	// switching branches, makes many events at once.
	Quiet time.Duration
}

// Server is a running development server.
type Server struct {
	opts Options
	dir  string // the server's own temporary directory
	// sess keeps the site in memory between builds, so that a change
	// re-renders only the pages it affects; snap is the last good build,
	// which is what is served.
	sess *build.Session
	snap atomic.Pointer[build.Snapshot]
	// complete asks the background worker to make the site-wide files
	// (search index, feeds, sitemap) of the latest build.
	complete chan struct{}

	mu      sync.RWMutex
	diags   diag.List // problems of the last build; errors mean it failed
	version int       // counts good builds
	subs    map[chan string]bool
	// store keeps form submissions; forms is the form endpoint of one
	// build, made when a form is first posted after that build, because
	// the forms and their choices come from content.
	store   *forms.Store
	formsMu sync.Mutex
	forms   *mountedForms
	// done is closed when the server stops, to end the event streams, which
	// would otherwise hold http.Server.Shutdown open.
	done     chan struct{}
	stopOnce sync.Once
}

// New prepares a server; it does not build or listen yet.
func New(opts Options) (*Server, error) {
	if opts.Quiet <= 0 {
		opts.Quiet = 20 * time.Millisecond
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	dir, err := os.MkdirTemp("", "peerpress-serve-")
	if err != nil {
		return nil, err
	}
	if opts.Data == "" {
		opts.Data = filepath.Join(dir, "forms-data")
	}
	store, err := forms.Open(opts.Data)
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("form store: %w", err)
	}
	return &Server{opts: opts, dir: dir, sess: build.NewSession(opts.Build), complete: make(chan struct{}, 1),
		store: store, subs: map[chan string]bool{}, done: make(chan struct{})}, nil
}

// Stop ends the event streams of open pages.
func (s *Server) Stop() { s.stopOnce.Do(func() { close(s.done) }) }

// Close stops the server's streams, closes the form store and removes the
// build directory (and the form data, unless Options.Data named a place).
func (s *Server) Close() error {
	s.Stop()
	err := s.store.Close()
	return errors.Join(err, os.RemoveAll(s.dir))
}

// Rebuild builds the whole site. On success the new pages are served and
// open pages reload; on content errors the last good pages stay and the
// errors are shown over them. It returns the build's problems.
func (s *Server) Rebuild(ctx context.Context) diag.List { return s.Update(ctx, nil) }

// Update rebuilds after changes to the named files (relative to the site's
// root; nil for all), re-rendering only the pages they affect.
func (s *Server) Update(ctx context.Context, changed []string) diag.List {
	start := time.Now()
	snap, err := s.sess.Update(ctx, changed)
	var diags diag.List
	var ce *build.ContentError
	switch {
	case errors.As(err, &ce):
		diags = ce.Diags
	case err != nil:
		diags = diag.List{{Pos: diag.Pos{File: s.opts.Build.Source}, Msg: err.Error()}}
	default:
		diags = snap.Diags
	}
	s.mu.Lock()
	s.diags = diags
	if err == nil {
		s.version++
		s.snap.Store(snap)
	}
	s.mu.Unlock()
	for _, d := range diags {
		fmt.Fprintln(s.opts.Log, d.Error())
	}
	if err != nil {
		n := diags.Count(diag.Error)
		noun := "errors"
		if n == 1 {
			noun = "error"
		}
		fmt.Fprintf(s.opts.Log, "%d %s: still serving the last good build\n", n, noun)
	} else {
		fmt.Fprintf(s.opts.Log, "Built %d pages in %s (%d rendered)\n", snap.Pages, time.Since(start).Round(time.Millisecond), len(snap.Rendered))
		select {
		case s.complete <- struct{}{}:
		default: // the worker will see this build when it next looks
		}
	}
	s.broadcast("reload")
	return diags
}

// settle is how long the site must go unchanged before the completer makes
// its site-wide files: while an editor saves again and again, the work
// would be thrown away each time and would slow the next rebuild.
const settle = 400 * time.Millisecond

// completer makes the site-wide files of the latest build in the
// background, once the site has settled, so that searching or fetching a
// feed after an edit seldom waits (a request for one makes it at once).
// Builds that follow each other quickly are done once, for the last.
func (s *Server) completer(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-s.complete:
			timer.Reset(settle)
		case <-timer.C:
			if snap := s.snap.Load(); snap != nil {
				if err := snap.Complete(); err != nil {
					fmt.Fprintf(s.opts.Log, "site files: %v\n", err)
				}
			}
		}
	}
}

// mountedForms is the form endpoint of one build.
type mountedForms struct {
	snap *build.Snapshot
	srv  *forms.Server
}

// formServer returns the form endpoint of the build being served, making
// it if need be: its manifest has the current forms, supporters and
// sessions. It is nil when the site has no forms.
func (s *Server) formServer() *forms.Server {
	snap := s.snap.Load()
	if snap == nil {
		return nil
	}
	s.formsMu.Lock()
	defer s.formsMu.Unlock()
	if s.forms != nil && s.forms.snap == snap {
		return s.forms.srv
	}
	var srv *forms.Server
	if _, ok := snap.File(formspec.ManifestPath); ok {
		var err error
		if srv, err = forms.New(forms.Options{Files: snap.FS()}, s.store); err != nil {
			fmt.Fprintf(s.opts.Log, "forms: %v\n", err)
		}
	}
	s.forms = &mountedForms{snap, srv}
	return srv
}

// submit passes a form submission, or a request for the places left, to
// the current build's form endpoint.
func (s *Server) submit(w http.ResponseWriter, r *http.Request) {
	fs := s.formServer()
	if fs == nil {
		http.Error(w, "This site has no forms.", http.StatusNotFound)
		return
	}
	fs.Handler().ServeHTTP(w, r)
}

// broadcast sends an event to every open page.
func (s *Server) broadcast(event string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for ch := range s.subs {
		select {
		case ch <- event:
		default: // a page that is not reading will reload on its next event
		}
	}
}

// Handler serves the built site with the reload script and any error
// overlay added to pages, and the event stream at /_peerpress/events.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_peerpress/events", s.events)
	mux.HandleFunc("POST /forms/{name}", s.submit)
	// The places left on each training session, which course pages show
	// when their forms post to this server, as they do in a preview.
	mux.HandleFunc("GET /"+forms.PlacesPath, s.submit)
	mux.HandleFunc("GET /_peerpress/reload.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = io.WriteString(w, reloadJS)
	})
	mux.HandleFunc("/", s.page)
	return mux
}

// reloadJS reloads the page when the server says the site was rebuilt, and
// reconnects if the server restarts.
const reloadJS = `(() => {
  const es = new EventSource('/_peerpress/events');
  es.addEventListener('reload', () => location.reload());
})();`

func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	ch := make(chan string, 1)
	s.mu.Lock()
	s.subs[ch] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.subs, ch)
		s.mu.Unlock()
	}()
	_, _ = io.WriteString(w, ": connected\n\n")
	flusher.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		case ev := <-ch:
			fmt.Fprintf(w, "event: %s\ndata: %d\n\n", ev, time.Now().UnixMilli())
			flusher.Flush()
		}
	}
}

// page serves a file of the built site as a static host would, adding the
// reload script and the error overlay to HTML.
func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	snap := s.snap.Load()
	if snap == nil {
		// No good build yet: only the overlay can be shown.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write(s.inject([]byte("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>No build yet</title></head><body><h1>The site has not built yet</h1></body></html>")))
		return
	}
	p := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	status := http.StatusOK
	// A page's address is a directory: look for its index.html first,
	// which is never one of the site files made in the background.
	body, ok := snap.File(path.Join(p, "index.html"))
	if ok {
		p = path.Join(p, "index.html")
	} else if p != "" {
		body, ok = snap.File(p)
	}
	if !ok {
		p, status = "404.html", http.StatusNotFound
		body, _ = snap.File(p)
	}
	if !strings.HasSuffix(p, ".html") {
		http.ServeContent(w, r, p, time.Time{}, bytes.NewReader(body))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(s.inject(body))
}

var overlayTmpl = template.Must(template.New("overlay").Parse(`<div id="peerpress-errors" role="alert" style="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:16px 20px;background:#fff;color:#0b0c0c;border-top:5px solid #d4351c;box-shadow:0 -2px 8px #0004;font:16px/1.4 system-ui,sans-serif">
<h2 style="margin:0 0 8px;font-size:19px;color:#d4351c">{{len .}} {{if eq (len .) 1}}problem{{else}}problems{{end}} in the site: still showing the last good build</h2>
<ul style="margin:0;padding-left:20px;font-family:ui-monospace,monospace;font-size:14px">{{range .}}<li>{{.Error}}</li>{{end}}</ul>
<p style="margin:8px 0 0">Fix the file and save it: the page reloads by itself.</p>
</div>`))

// inject adds the reload script, and the overlay if the last build failed,
// before </body>.
func (s *Server) inject(page []byte) []byte {
	s.mu.RLock()
	diags := s.diags
	s.mu.RUnlock()
	var add bytes.Buffer
	if diags.Err() != nil {
		var errs diag.List
		for _, d := range diags {
			if d.Severity == diag.Error {
				errs = append(errs, d)
			}
		}
		_ = overlayTmpl.Execute(&add, errs)
	}
	add.WriteString(`<script src="/_peerpress/reload.js"></script>`)
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		return append(page, add.Bytes()...)
	}
	out := make([]byte, 0, len(page)+add.Len())
	out = append(out, page[:i]...)
	out = append(out, add.Bytes()...)
	return append(out, page[i:]...)
}

// newWatcher watches the site's files. Run makes it before the first
// build, so that a file saved while that build runs is rebuilt after it.
func (s *Server) newWatcher() (*fsnotify.Watcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	if err := s.watchTree(w, s.opts.Build.Source); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// watch rebuilds after each burst of changes w reports, until ctx ends,
// and then closes w. Directories created later are watched too.
func (s *Server) watch(ctx context.Context, w *fsnotify.Watcher) error {
	defer w.Close()
	var timer *time.Timer
	fire := make(chan struct{}, 1)
	var changed []string // since the last rebuild, relative to the root
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-w.Errors:
			fmt.Fprintf(s.opts.Log, "watch: %v\n", err)
		case ev := <-w.Events:
			if s.ignored(ev.Name) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
					_ = s.watchTree(w, ev.Name)
				}
			}
			if rel, err := filepath.Rel(s.opts.Build.Source, ev.Name); err == nil && !slices.Contains(changed, filepath.ToSlash(rel)) {
				changed = append(changed, filepath.ToSlash(rel))
			}
			if timer == nil {
				timer = time.AfterFunc(s.opts.Quiet, func() {
					select {
					case fire <- struct{}{}:
					default:
					}
				})
			} else {
				timer.Reset(s.opts.Quiet)
			}
		case <-fire:
			s.Update(ctx, changed)
			changed = nil
		}
	}
}

// watched are what a site is made of, below its root: changes anywhere
// else (the Go code, public/, a README) do not change the site.
var watched = []string{"site.yaml", "content", "layouts", "static"}

// ignored reports whether a change to name leaves the site as it is:
// anything outside site.yaml, content/, layouts/ and static/, hidden files
// and editors' temporary files.
func (s *Server) ignored(name string) bool {
	rel, err := filepath.Rel(s.opts.Build.Source, name)
	switch {
	case err != nil:
		return true
	case rel == ".":
		return false
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	if !slices.Contains(watched, parts[0]) {
		return true
	}
	for _, part := range parts {
		if strings.HasPrefix(part, ".") || strings.HasSuffix(part, "~") || strings.HasSuffix(part, ".swp") {
			return true
		}
	}
	return false
}

// watchTree watches root and the directories below it that make the site.
// The root itself is watched so that site.yaml, and content/ or static/
// created later, are seen.
func (s *Server) watchTree(w *fsnotify.Watcher, root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // a directory removed while walking
		}
		if !d.IsDir() {
			return nil
		}
		if p != s.opts.Build.Source && s.ignored(p) {
			return filepath.SkipDir
		}
		return w.Add(p)
	})
}

// Run builds, serves on opts.Addr and watches until ctx ends, then shuts
// the HTTP server down cleanly. ready, if not nil, is called with the
// address once the server listens.
func Run(ctx context.Context, opts Options, ready func(addr string)) error {
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	opts.Build.BaseURL = "http://" + addr + "/"
	s, err := New(opts)
	if err != nil {
		ln.Close()
		return err
	}
	defer s.Close()
	w, err := s.newWatcher()
	if err != nil {
		ln.Close()
		return err
	}
	s.Rebuild(ctx)
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	wctx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go func() { errc <- s.watch(wctx, w) }()
	go s.completer(wctx)
	if ready != nil {
		ready(addr)
	}
	select {
	case <-ctx.Done():
	case err := <-errc:
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	stopWatch()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.Stop()
	if err := srv.Shutdown(shutdown); err != nil {
		return srv.Close()
	}
	return nil
}
