// Package forms is the form server: it receives the answers to a site's
// forms, checks them against the forms manifest the build wrote, stores
// them durably before answering (in SQLite, or in PostgreSQL shared by
// several servers behind a load balancer), counts bookings against places,
// and serves the built site's files, so that one process can host a whole
// programme. It never reads content/: everything it knows of the site is in
// public/forms/manifest.json.
package forms

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/decode"
	"peerpress/generator/internal/formspec"
)

// MaxBody bounds a request body: far above what the longest form can
// hold, far below what could hurt the server.
const MaxBody = 256 << 10

// Options configure a Server.
type Options struct {
	// Public is the built site: its files are served, and its forms
	// manifest says what the forms are.
	Public string
	// Files, when set, is the built site instead of the directory Public:
	// `generator serve` keeps its build in memory.
	Files fs.FS
	// AllowOrigins are other origins (scheme://host[:port]) whose pages
	// may post to this server, such as the site's own when the server
	// runs elsewhere.
	AllowOrigins []string
	// TrustedProxies are the addresses of reverse proxies whose
	// X-Forwarded-For header names the client.
	TrustedProxies []netip.Prefix
	// MinFill is the least time a person takes to fill a form, as the
	// page's script measures it; quicker submissions are taken for
	// robots. Zero means 2 seconds; negative turns the check off.
	MinFill time.Duration
	// Rate and Burst limit each client's submissions: Burst at once, then
	// one every Rate. Zero means 10 at once, then one every 6 seconds.
	Rate  time.Duration
	Burst int
	// Logger receives one line per submission, without the answers.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Server answers the forms of one site.
type Server struct {
	opts   Options
	store  *Store
	limits rateLimiter
	log    *slog.Logger
	// site is the built site as its manifest now describes it.
	site atomic.Pointer[site]
	// reload is held while the manifest is read again; checked is when
	// it was last read (under reload).
	reload  sync.Mutex
	checked time.Time
	handler http.Handler
	// placesCache is the last count of places taken (see PlacesPath).
	placesCache placesCache
}

// site is the built site as one version of its forms manifest describes
// it, with the handler that answers for it. A rebuild of the site writes a
// new manifest (a training date added, a session full, a supporter
// unavailable), and the server reads it again (see current).
type site struct {
	*Server
	manifest *formspec.Manifest
	elig     *formspec.Eligibility
	loc      *time.Location
	handler  http.Handler
	// digest is the manifest file's SHA-256.
	digest [sha256.Size]byte
}

// recheck is how often the server looks for a rebuilt manifest, at most:
// a request after that long reads the manifest again.
const recheck = time.Second

// New reads the manifest from opts.Public and returns a server that stores
// submissions in store.
func New(opts Options, store *Store) (*Server, error) {
	if opts.Files == nil {
		opts.Files = os.DirFS(opts.Public)
	}
	if opts.MinFill == 0 {
		opts.MinFill = 2 * time.Second
	}
	if opts.Rate == 0 {
		opts.Rate = 6 * time.Second
	}
	if opts.Burst == 0 {
		opts.Burst = 10
	}
	// Without a clock of the caller's own, servers sharing PostgreSQL
	// refill their clients' buckets by the database's clock.
	dbClock := opts.Now == nil
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if _, err := crossOrigin(opts.AllowOrigins); err != nil {
		return nil, err
	}
	s := &Server{opts: opts, store: store, log: opts.Logger}
	if store.pg {
		ctx, cancel := context.WithTimeout(context.Background(), limiterTimeout)
		l, err := newPGLimiter(ctx, store, opts.Burst, opts.Rate, dbClock)
		cancel()
		if err != nil {
			return nil, err
		}
		s.limits = l
	} else {
		s.limits = memoryLimiter{newLimiter(opts.Burst, opts.Rate)}
	}
	data, err := ReadManifest(opts.Files, opts.Public)
	if err != nil {
		return nil, err
	}
	st, err := s.newSite(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w (build the site again)", manifestName(opts.Public), err)
	}
	s.site.Store(st)
	s.checked = opts.Now()
	s.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.current().handler.ServeHTTP(w, r)
	})
	return s, nil
}

// crossOrigin is the protection against posts from other origins than
// the site's own and origins. An origin as a site's address is often
// written, with a slash at the end (https://site.example.org/), is taken
// as the origin it names: a browser's Origin header never has one. New
// checks the origins with it before the manifest is read, so that a
// mistyped one is not taken for a broken manifest.
func crossOrigin(origins []string) (*http.CrossOriginProtection, error) {
	cop := http.NewCrossOriginProtection()
	for _, o := range origins {
		if err := cop.AddTrustedOrigin(strings.TrimSuffix(o, "/")); err != nil {
			return nil, fmt.Errorf("--allow-origin %q is not an origin (expected such as https://peer-support.example.org): %w", o, err)
		}
	}
	return cop, nil
}

// CheckOrigins reports the first of origins, the --allow-origin flags,
// that is not an origin, so that a command can refuse it before it makes
// anything.
func CheckOrigins(origins []string) error {
	_, err := crossOrigin(origins)
	return err
}

// ReadManifest reads the forms manifest of the built site fsys, which is
// the directory public (for messages; "" for a site in memory), with an
// error that says what to do when there is none: the server, started from
// the wrong directory or before the first build, must say which directory
// it looked in.
func ReadManifest(fsys fs.FS, public string) ([]byte, error) {
	data, err := fs.ReadFile(fsys, formspec.ManifestPath)
	if err == nil {
		return data, nil
	}
	if public != "" && errors.Is(err, fs.ErrNotExist) {
		if info, serr := os.Stat(public); serr != nil || !info.IsDir() {
			return nil, fmt.Errorf("there is no built site in %s (build it with generator build, or give --public the directory it was built into)", public)
		}
		return nil, fmt.Errorf("the built site in %s has no forms manifest, %s (build a site whose site.yaml has forms:, or give --public the directory it was built into)", public, manifestName(public))
	}
	return nil, fmt.Errorf("the built site has no forms manifest (build a site whose site.yaml has forms:): %w", err)
}

// manifestName is the manifest's file name for messages.
func manifestName(public string) string {
	if public == "" {
		return formspec.ManifestPath
	}
	return filepath.Join(public, filepath.FromSlash(formspec.ManifestPath))
}

// newSite makes the site the manifest data describes.
func (s *Server) newSite(data []byte) (*site, error) {
	m, err := formspec.Parse(data)
	if err != nil {
		return nil, err
	}
	elig, err := formspec.NewEligibility(m)
	if err != nil {
		return nil, err
	}
	loc, _ := time.LoadLocation(m.Timezone)
	st := &site{Server: s, manifest: m, elig: elig, loc: loc, digest: sha256.Sum256(data)}
	cop, err := crossOrigin(s.opts.AllowOrigins)
	if err != nil {
		return nil, err
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.Warn("refused", "outcome", "cross-origin", "path", r.URL.Path)
		http.Error(w, "This form can only be sent from the site's own pages.", http.StatusForbidden)
	}))
	mux := http.NewServeMux()
	base := m.BasePath
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("POST "+base+"forms/{name}", st.submit)
	mux.HandleFunc("GET "+base+PlacesPath, st.places)
	if base != "/" {
		// A site elsewhere posts to <endpoint>/forms/<name>, whatever its
		// own base path, and reads its places from there.
		mux.HandleFunc("POST /forms/{name}", st.submit)
		mux.HandleFunc("GET /"+PlacesPath, st.places)
	}
	files := http.StripPrefix(strings.TrimSuffix(base, "/"), s.static())
	mux.Handle("GET "+base, compress(st.pages(files)))
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "Method not allowed.", http.StatusMethodNotAllowed)
			return
		}
		http.NotFound(w, r)
	}))
	st.handler = securityHeaders(cop.Handler(mux))
	return st, nil
}

// current returns the site as its manifest describes it now. At most once
// a second it reads the manifest again, and when a rebuild has changed it,
// answers from then on by the new one. A manifest it cannot read or parse
// (a build being swapped into place, or a broken one) leaves the last good
// one in use. Requests that come while the manifest is read use the last.
func (s *Server) current() *site {
	st := s.site.Load()
	if !s.reload.TryLock() {
		return st
	}
	defer s.reload.Unlock()
	now := s.opts.Now()
	if now.Sub(s.checked) < recheck && !now.Before(s.checked) {
		return st
	}
	s.checked = now
	data, err := fs.ReadFile(s.opts.Files, formspec.ManifestPath)
	if err != nil {
		s.log.Warn("forms manifest", "outcome", "unreadable", "err", err)
		return st
	}
	if sha256.Sum256(data) == st.digest {
		return st
	}
	next, err := s.newSite(data)
	if err != nil {
		s.log.Error("forms manifest", "outcome", "invalid, still using the last one", "err", err)
		return st
	}
	s.site.Store(next)
	s.log.Info("forms manifest", "outcome", "reloaded", "forms", len(next.manifest.Forms), "sessions", len(next.manifest.Sessions))
	return next
}

// Handler is the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Manifest is the manifest the server answers by now.
func (s *Server) Manifest() *formspec.Manifest { return s.current().manifest }

// HTTPServer returns an http.Server for addr with time-outs that a slow or
// idle client cannot hold open.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s.handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       20 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    32 << 10,
	}
}

func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "same-origin")
		w.Header().Set("X-Frame-Options", "DENY")
		h.ServeHTTP(w, r)
	})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if err := s.store.Healthy(ctx, s.opts.Now()); err != nil {
		s.log.Error("health check", "err", err)
		http.Error(w, "store not writable", http.StatusServiceUnavailable)
		return
	}
	if l, ok := s.limits.(*pgLimiter); ok {
		l.tidy(ctx, s.opts.Now())
	}
	w.Header().Set("Cache-Control", "no-store")
	io.WriteString(w, "ok\n")
}

// visitRE is the form of a per-visit key the page's script makes.
var visitRE = regexp.MustCompile(`^[A-Za-z0-9-]{8,64}$`)

// unsaved tells the sender the answers could not be stored.
const unsaved = "Your answers could not be saved just now. Please try again in a few minutes."

// tooMany tells the sender the rate limit was reached.
const tooMany = "Too many forms have been sent from your connection. Please wait a minute and try again."

// browserForm reads the answers of a form a browser sent (not a script
// asking for JSON), for the form to be shown again with them; ok is false
// when there are none to show.
func browserForm(w http.ResponseWriter, r *http.Request, wantsJSON bool) (url.Values, bool) {
	if wantsJSON {
		return nil, false
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, false
	}
	values, err := readForm(w, r)
	return values, err == nil
}

// problem is an answer to a request that is refused before its answers are
// read: the message is for the sender, the outcome for the log.
type problem struct {
	code    int
	message string
	outcome string
}

func (s *site) submit(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	name := r.PathValue("name")
	wantsJSON := acceptsJSON(r)
	logOutcome := func(outcome string, attrs ...any) {
		s.log.Info("submission", append([]any{"form", name, "outcome", outcome, "ms", time.Since(start).Milliseconds()}, attrs...)...)
	}
	fail := func(p problem) {
		logOutcome(p.outcome)
		if wantsJSON {
			writeJSON(w, p.code, map[string]any{"error": p.message})
			return
		}
		http.Error(w, p.message, p.code)
	}
	f := s.manifest.Form(name)
	if f == nil || f.External {
		fail(problem{http.StatusNotFound, "There is no such form.", "unknown-form"})
		return
	}
	allowed, err := s.limits.allow(r.Context(), rateClient(s.clientIP(r)), s.opts.Now())
	if err != nil {
		// Without the database no submission can be stored either; never
		// let one through unlimited.
		s.log.Error("submission", "form", name, "outcome", "store-failed", "err", err)
		if values, ok := browserForm(w, r, wantsJSON); ok {
			s.writeForm(w, f, values, []formspec.FieldError{{Message: unsaved}}, http.StatusServiceUnavailable)
			return
		}
		fail(problem{http.StatusServiceUnavailable, unsaved, "store-failed"})
		return
	}
	if !allowed {
		w.Header().Set("Retry-After", strconv.Itoa(int(s.opts.Rate.Seconds())+1))
		if values, ok := browserForm(w, r, wantsJSON); ok {
			// A school office booking places for its staff one after
			// another reaches the limit too: give the form back with the
			// answers in it, to send again in a moment.
			logOutcome("rate-limited")
			s.writeForm(w, f, values, []formspec.FieldError{{Message: tooMany}}, http.StatusTooManyRequests)
			return
		}
		fail(problem{http.StatusTooManyRequests, tooMany, "rate-limited"})
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		fail(problem{http.StatusUnsupportedMediaType, "Send the form as application/x-www-form-urlencoded (no form of this site takes files).", "bad-content-type"})
		return
	}
	values, err := readForm(w, r)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(problem{http.StatusRequestEntityTooLarge, "The form is too large to accept.", "too-large"})
			return
		}
		fail(problem{http.StatusBadRequest, "The form could not be read.", "unreadable"})
		return
	}
	now := s.opts.Now()
	if values.Get(formspec.HoneypotField) != "" || s.tooQuick(values) {
		// A robot gets what a person gets, so it learns nothing; nothing
		// is stored.
		logOutcome("dropped")
		s.success(w, r, f, Receipt{ID: newReceipt(), Status: StatusReceived}, wantsJSON)
		return
	}
	answers, errs := formspec.Validate(f, values)
	sub := Submission{Form: f.Name, Answers: answers, Hash: contentHash(f, answers)}
	if fe := s.booking(f, answers, now, &sub); fe != nil {
		errs = append(errs, *fe)
	}
	if len(errs) > 0 {
		logOutcome("invalid", "fields", fieldNames(errs))
		if wantsJSON {
			writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"errors": errs})
			return
		}
		s.writeForm(w, f, values, errs, http.StatusUnprocessableEntity)
		return
	}
	if v := values.Get(formspec.VisitField); visitRE.MatchString(v) {
		sub.Visit = v
	}
	sub.Unmet = s.elig.Check(f, answers, decode.DateOf(now.In(s.loc)))
	rec, err := s.store.Save(r.Context(), sub, now)
	if err != nil {
		s.log.Error("submission", "form", name, "outcome", "store-failed", "err", err)
		if !wantsJSON {
			// A browser gets the form back with the answers in it, ready to
			// send again, rather than a page of text and answers to type
			// again.
			s.writeForm(w, f, values, []formspec.FieldError{{Message: unsaved}}, http.StatusServiceUnavailable)
			return
		}
		fail(problem{http.StatusServiceUnavailable, unsaved, "store-failed"})
		return
	}
	outcome := "stored"
	if rec.Repeat {
		outcome = "repeat"
	} else if sub.Session != "" {
		s.placesCache.stale()
	}
	logOutcome(outcome, "receipt", rec.ID, "status", rec.Status, "unmet", len(rec.Unmet))
	s.success(w, r, f, rec, wantsJSON)
}

// booking fills in the session a booking form's answers book, with its
// places, or returns the error to show beside the session question when it
// takes no bookings now. The manifest lists the sessions open for booking
// when the site was built; a server left running past a session's start,
// or past the last day its bookings are taken, without a rebuild must not
// book it.
func (s *site) booking(f *formspec.Form, answers []formspec.Answer, now time.Time, sub *Submission) *formspec.FieldError {
	bf := f.BookingField()
	if bf == nil {
		return nil
	}
	for _, a := range answers {
		if a.Name != bf.Name || a.Value == "" {
			continue
		}
		ss := s.manifest.Session(a.Value)
		if msg := sessionClosed(ss, now, s.loc); msg != "" {
			return &formspec.FieldError{Field: bf.Name, Message: msg}
		}
		sub.Session, sub.Capacity, sub.Waitlist = ss.ID, ss.Capacity, ss.State == "waitlist"
	}
	return nil
}

// sessionClosed says why session ss takes no bookings at now, or "" if it
// does; loc is the site's time zone, in which its closing day ends.
func sessionClosed(ss *formspec.Session, now time.Time, loc *time.Location) string {
	if ss == nil {
		return "That session does not take bookings: choose another"
	}
	if start, err := time.Parse(time.RFC3339, ss.Start); err == nil && !now.Before(start) {
		return fmt.Sprintf("%s has already started: choose another session", ss.Label)
	}
	if ss.Closes != "" && ss.Closes < now.In(loc).Format(time.DateOnly) {
		return fmt.Sprintf("Bookings for %s closed on %s: choose another session", ss.Label, closesText(ss.Closes))
	}
	return ""
}

// closesText is a closing date as the pages write dates (11 January 2027).
func closesText(date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	return t.Format("2 January 2006")
}

func readForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		return nil, err
	}
	return url.ParseQuery(string(body))
}

// tooQuick reports whether the page's script says the form was sent
// sooner after it was shown than a person could fill it.
func (s *Server) tooQuick(v url.Values) bool {
	ms, err := strconv.ParseInt(v.Get(formspec.ElapsedField), 10, 64)
	return err == nil && s.opts.MinFill > 0 && ms >= 0 && time.Duration(ms)*time.Millisecond < s.opts.MinFill
}

func fieldNames(errs []formspec.FieldError) string {
	names := make([]string, len(errs))
	for i, e := range errs {
		names[i] = e.Field
	}
	return strings.Join(names, ",")
}

// contentHash identifies a submission by its answers, case and spacing
// aside, so that a form sent twice without JavaScript is recognised. Only
// answers that give an e-mail address are recognised so: the same answers
// without one (anonymous feedback, "very useful") may well come from two
// people, who must never be merged; it returns "" for those.
func contentHash(f *formspec.Form, answers []formspec.Answer) string {
	identified := false
	for _, a := range answers {
		if fl := f.Field(a.Name); fl != nil && fl.Type == config.FieldEmail && a.Value != "" {
			identified = true
		}
	}
	if !identified {
		return ""
	}
	h := sha256.New()
	io.WriteString(h, f.Name)
	for _, a := range answers {
		fmt.Fprintf(h, "\x00%s\x01%s", a.Name, strings.Join(strings.Fields(strings.ToLower(a.Text())), " "))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func acceptsJSON(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, _ := mime.ParseMediaType(strings.TrimSpace(part))
		if mt == "application/json" {
			return true
		}
	}
	return false
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// success answers a stored (or dropped) submission: JSON, or a redirect to
// the form's thank-you page, which is always one of the site's own pages.
func (s *site) success(w http.ResponseWriter, r *http.Request, f *formspec.Form, rec Receipt, wantsJSON bool) {
	if wantsJSON {
		writeJSON(w, http.StatusOK, rec)
		return
	}
	http.Redirect(w, r, s.thanksURL(f, rec), http.StatusSeeOther)
}

func (s *site) thanksURL(f *formspec.Form, rec Receipt) string {
	q := url.Values{"receipt": {rec.ID}}
	if rec.Status != StatusReceived {
		q.Set("status", rec.Status)
	}
	var ids []string
	for _, u := range rec.Unmet {
		ids = append(ids, u.ID)
	}
	if ids != nil {
		q.Set("unmet", strings.Join(ids, ","))
	}
	path := s.manifest.BasePath + strings.TrimPrefix(f.ThanksURL, "/")
	if !s.manifest.SameOrigin {
		// The server is not where the site is: send the browser back to
		// the site.
		if u, err := url.Parse(s.manifest.BaseURL); err == nil {
			u.Path, u.RawQuery = path, q.Encode()
			return u.String()
		}
	}
	return path + "?" + q.Encode()
}

// pages serves the built site, with a form's page and thank-you page
// rendered for the query string they are asked with. (These are not
// patterns of the mux: a pattern ending in a slash would have the mux
// redirect /forms/manifest.json to /forms/manifest.json/.)
func (s *site) pages(files http.Handler) http.Handler {
	formPage, thanksPage := s.formPage(files), s.thanksPage(files)
	prefix := s.manifest.BasePath + "forms/"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.Path, prefix)
		if ok && r.URL.RawQuery != "" {
			name, tail, _ := strings.Cut(rest, "/")
			r.SetPathValue("name", name)
			switch tail {
			case "":
				if strings.HasSuffix(rest, "/") {
					formPage.ServeHTTP(w, r)
					return
				}
			case "thanks/":
				thanksPage.ServeHTTP(w, r)
				return
			}
		}
		files.ServeHTTP(w, r)
	})
}

// receiptRE is the form of a receipt id.
var receiptRE = regexp.MustCompile(`^PP(-[A-Z0-9]{4}){3}$`)

// thanksPage serves a thank-you page with the result of the submission
// named in its query string put in; the page alone says only "thank you".
func (s *site) thanksPage(files http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := s.manifest.Form(r.PathValue("name"))
		q := r.URL.Query()
		receipt := q.Get("receipt")
		if f == nil || !receiptRE.MatchString(receipt) {
			files.ServeHTTP(w, r)
			return
		}
		v := formspec.ResultView{Receipt: receipt, Status: StatusReceived}
		if st := q.Get("status"); st == StatusConfirmed || st == StatusWaitlisted {
			v.Status = st
		}
		for _, id := range strings.Split(q.Get("unmet"), ",") {
			if i := slices.IndexFunc(s.manifest.Rules, func(r formspec.Rule) bool { return r.ID == id }); i >= 0 {
				v.Unmet = append(v.Unmet, formspec.Unmet{ID: id, Message: s.manifest.Rules[i].Message})
			}
		}
		html, err := formspec.RenderResult(v)
		if err != nil {
			files.ServeHTTP(w, r)
			return
		}
		page, err := fs.ReadFile(s.opts.Files, s.pageFile(f.ThanksURL))
		if err != nil {
			files.ServeHTTP(w, r)
			return
		}
		out, ok := splice(page, []byte(`<section class="receipt" id="pp-result"`), []byte(`</section>`), []byte(html))
		if !ok {
			files.ServeHTTP(w, r)
			return
		}
		writeHTML(w, http.StatusOK, out)
	})
}

// formPage serves a form's page, filled from the query string when there
// is one (?supporter=jo-evans), so that a link from a profile chooses the
// supporter even without JavaScript.
func (s *site) formPage(files http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := s.manifest.Form(r.PathValue("name"))
		if f == nil || r.URL.RawQuery == "" {
			files.ServeHTTP(w, r)
			return
		}
		q := url.Values{}
		for k, v := range r.URL.Query() {
			if fl := f.Field(k); fl != nil && len(v) > 0 && len(v[0]) <= fl.MaxLength {
				q[k] = v[:1]
			}
		}
		s.writeForm(w, f, q, nil, http.StatusOK)
	})
}

// writeForm sends a form's page with values and errors: the built page,
// with its form rendered again.
func (s *site) writeForm(w http.ResponseWriter, f *formspec.Form, values url.Values, errs []formspec.FieldError, code int) {
	v := formspec.View{Form: f, Values: values, Errors: errs, Prefill: true}
	if f.Eligibility {
		v.Criteria = s.manifest.Rules
	}
	html, err := formspec.Render(v)
	if err != nil {
		s.log.Error("render form", "form", f.Name, "err", err)
		http.Error(w, "The form could not be shown.", http.StatusInternalServerError)
		return
	}
	page, err := fs.ReadFile(s.opts.Files, s.pageFile(f.URL))
	var out []byte
	ok := false
	if err == nil {
		out, ok = splice(page, []byte(`<form class="form"`), []byte(`</form>`), []byte(html))
	}
	if !ok {
		out = fallbackPage(f.Title, html)
	}
	if errs != nil {
		out = bytes.Replace(out, []byte("<title>"), []byte("<title>Error: "), 1)
	}
	writeHTML(w, code, out)
}

func writeHTML(w http.ResponseWriter, code int, body []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(body)
}

// pageFile is the file of a site page in the built site.
func (s *Server) pageFile(sitePath string) string {
	return path.Join(strings.TrimPrefix(sitePath, "/"), "index.html")
}

// splice replaces the first element of page that starts with open, up to
// and including the first close after it, with repl.
func splice(page, open, close, repl []byte) ([]byte, bool) {
	i := bytes.Index(page, open)
	if i < 0 {
		return nil, false
	}
	j := bytes.Index(page[i:], close)
	if j < 0 {
		return nil, false
	}
	j += i + len(close)
	out := make([]byte, 0, len(page)-(j-i)+len(repl))
	out = append(out, page[:i]...)
	out = append(out, repl...)
	return append(out, page[j:]...), true
}

var fallbackTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.Title}}</title></head>
<body><main id="main"><h1>{{.Title}}</h1>{{.Form}}</main></body></html>`))

// fallbackPage is a bare page for a form whose built page is missing.
func fallbackPage(title string, form template.HTML) []byte {
	var buf bytes.Buffer
	fallbackTemplate.Execute(&buf, struct {
		Title string
		Form  template.HTML
	}{title, form})
	return buf.Bytes()
}

// clientIP is the address a request came from: the connection's, or,
// when that is a trusted proxy, the nearest address in X-Forwarded-For
// that is not one.
func (s *Server) clientIP(r *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	addr := ap.Addr().Unmap()
	if !s.trusted(addr) {
		return addr
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return addr
		}
		a = a.Unmap()
		if !s.trusted(a) {
			return a
		}
		addr = a
	}
	return addr
}

// rateClient is whose allowance a submission from a takes: its IPv4
// address, or its IPv6 /64. One household or office is given a /64, and
// its machines pick addresses in it at will (privacy addresses change
// daily), so a single client can take as many IPv6 addresses as it likes
// and an address each would be no limit at all.
func rateClient(a netip.Addr) string {
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.opts.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// static serves the built site's files as a static host does: a directory
// with its index.html, anything missing with the site's 404.html, and
// each file with how long browsers may keep it (see cacheControl).
func (s *Server) static() http.Handler {
	fsys := s.opts.Files
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if p == "" {
			p = "."
		}
		info, err := fs.Stat(fsys, p)
		if err == nil && info.IsDir() {
			_, err = fs.Stat(fsys, path.Join(p, "index.html"))
		}
		if err != nil {
			body, rerr := fs.ReadFile(fsys, "404.html")
			if rerr != nil {
				http.NotFound(w, r)
				return
			}
			writeHTML(w, http.StatusNotFound, body)
			return
		}
		w.Header().Set("Cache-Control", cacheControl(p))
		files.ServeHTTP(w, r)
	})
}
