package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/forms"
	"peerpress/generator/internal/formspec"
)

// listFlag is a flag that may be given more than once.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// runForms is `generator forms`: the form server, or with export, purge
// or places the tools for the answers it stored.
func runForms(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "export":
			return runFormsExport(ctx, args[1:], stdout, stderr)
		case "purge":
			return runFormsPurge(ctx, args[1:], stdout, stderr)
		case "places":
			return runFormsPlaces(ctx, args[1:], stdout, stderr)
		}
	}
	fs := newFlags("forms", "forms [--addr 127.0.0.1:8081] [--data DIR|URL] [--public DIR] [--allow-origin URL]... [--trusted-proxy CIDR]... [--min-fill 2s]\n       generator forms export --data DIR|URL --form NAME [--since DATE] [--format csv|json]\n       generator forms purge --data DIR|URL --older-than 12mo\n       generator forms places --data DIR|URL [--public DIR] [--format text|csv|json]\n\n"+dataHelp, stderr)
	addr := fs.String("addr", "127.0.0.1:8081", "the `address` to listen on")
	data := dataFlag(fs)
	public := fs.String("public", "public", "the built site (`directory`) to serve, with its forms manifest")
	var origins, proxies listFlag
	fs.Var(&origins, "allow-origin", "another `origin` (https://site.example.org) whose pages may post forms here; repeatable")
	fs.Var(&proxies, "trusted-proxy", "a reverse proxy's addresses (`CIDR`, such as 10.0.0.0/8) whose X-Forwarded-For names the client; repeatable")
	minFill := fs.Duration("min-fill", 2*time.Second, "the least `time` a person takes to fill a form; quicker ones are taken for robots (0 turns it off)")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	opts := forms.Options{Public: *public, AllowOrigins: origins, MinFill: *minFill}
	if *minFill == 0 {
		opts.MinFill = -1
	}
	for _, p := range proxies {
		pfx, err := netip.ParsePrefix(p)
		if err != nil {
			if a, aerr := netip.ParseAddr(p); aerr == nil {
				pfx = netip.PrefixFrom(a, a.BitLen())
			} else {
				fmt.Fprintf(stderr, "generator forms: --trusted-proxy %q is not an address or CIDR (expected such as 10.0.0.0/8)\n", p)
				return ExitUsage
			}
		}
		opts.TrustedProxies = append(opts.TrustedProxies, pfx)
	}
	if err := forms.CheckOrigins(origins); err != nil {
		fmt.Fprintf(stderr, "generator forms: %v\n", err)
		return ExitUsage
	}
	opts.Logger = slog.New(slog.NewJSONHandler(stderr, nil))
	where := data()
	if err := dataOutsidePublic(where, *public); err != nil {
		fmt.Fprintf(stderr, "generator forms: %v\n", err)
		return ExitUsage
	}
	// Look for the built site before making a database for it.
	if _, err := forms.ReadManifest(os.DirFS(*public), *public); err != nil {
		fmt.Fprintf(stderr, "generator forms: %v\n", err)
		return ExitUsage
	}
	store, err := forms.OpenAt(ctx, where, true)
	if err != nil {
		fmt.Fprintf(stderr, "generator forms: %v\n", err)
		return ExitContent
	}
	defer store.Close()
	srv, err := forms.New(opts, store)
	if err != nil {
		fmt.Fprintf(stderr, "generator forms: %v\n", err)
		return ExitUsage
	}
	hs := srv.HTTPServer(*addr)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "generator forms: %v\n", err)
		return ExitUsage
	}
	fmt.Fprintf(stdout, "Serving %s and its %d forms on http://%s/ (answers in %s)\n", *public, len(srv.Manifest().Forms), ln.Addr(), store)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "generator forms: %v\n", err)
		return ExitContent
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "generator forms: %v\n", err)
		return ExitContent
	}
	return ExitOK
}

func runFormsExport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("forms export", "forms export --data DIR|URL --form NAME [--since DATE] [--format csv|json]\n\n"+dataHelp, stderr)
	data := dataFlag(fs)
	form := fs.String("form", "", "the form's `name` (request-support, book-training, ...)")
	since := fs.String("since", "", "only submissions on or after this `date` (2026-09-01, UTC)")
	format := fs.String("format", "csv", "csv (safe to open in a spreadsheet) or json")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	if *form == "" {
		fmt.Fprintln(stderr, "generator forms export: --form is required")
		fs.Usage()
		return ExitUsage
	}
	var from time.Time
	if *since != "" {
		t, err := time.Parse(time.DateOnly, *since)
		if err != nil {
			fmt.Fprintf(stderr, "generator forms export: --since %q is not a date (expected such as 2026-09-01)\n", *since)
			return ExitUsage
		}
		from = t
	}
	if *format != "csv" && *format != "json" {
		fmt.Fprintf(stderr, "generator forms export: unknown --format %q (expected csv or json)\n", *format)
		return ExitUsage
	}
	store, code := openExisting(ctx, data(), "forms export", stderr)
	if store == nil {
		return code
	}
	defer store.Close()
	records, err := store.Records(ctx, *form, from)
	if err != nil {
		fmt.Fprintf(stderr, "generator forms export: %v\n", err)
		return ExitContent
	}
	if len(records) == 0 {
		noneToExport(ctx, store, *form, *since, stderr)
	}
	if *format == "json" {
		err = forms.WriteJSON(stdout, records)
	} else {
		err = forms.WriteCSV(stdout, records)
	}
	if err != nil {
		fmt.Fprintf(stderr, "generator forms export: %v\n", err)
		return ExitContent
	}
	return ExitOK
}

// noneToExport says on stderr why an export is empty: nothing sent since
// --since, or nothing ever sent to that form, which is what a mistyped
// --form looks like, so it names the forms that have submissions.
func noneToExport(ctx context.Context, store *forms.Store, form, since string, stderr io.Writer) {
	names, err := store.Forms(ctx)
	switch {
	case err != nil:
		return
	case slices.Contains(names, form) && since != "":
		fmt.Fprintf(stderr, "generator forms export: no submissions to %s since %s\n", form, since)
	case len(names) == 0:
		fmt.Fprintf(stderr, "generator forms export: no submissions to any form yet\n")
	case !slices.Contains(names, form):
		fmt.Fprintf(stderr, "generator forms export: no submissions to a form called %q; forms with submissions: %s\n", form, strings.Join(names, ", "))
	}
}

func runFormsPurge(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("forms purge", "forms purge --data DIR|URL --older-than 12mo\n\n"+dataHelp, stderr)
	data := dataFlag(fs)
	older := fs.String("older-than", "", "delete submissions older than this `duration` (12mo, 1y, 90d)")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	if *older == "" {
		fmt.Fprintln(stderr, "generator forms purge: --older-than is required")
		fs.Usage()
		return ExitUsage
	}
	d, err := config.ParseDuration(*older)
	if err != nil {
		fmt.Fprintf(stderr, "generator forms purge: --older-than: %v\n", err)
		return ExitUsage
	}
	store, code := openExisting(ctx, data(), "forms purge", stderr)
	if store == nil {
		return code
	}
	defer store.Close()
	cutoff := time.Now().UTC().AddDate(-d.Years, -d.Months, -d.Days)
	n, err := store.Purge(ctx, cutoff)
	if err != nil {
		fmt.Fprintf(stderr, "generator forms purge: %v\n", err)
		return ExitContent
	}
	fmt.Fprintf(stdout, "Deleted %d %s sent before %s\n", n, plural(int(n), "submission", "submissions"), cutoff.Format(time.RFC3339))
	return ExitOK
}

func runFormsPlaces(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("forms places", "forms places --data DIR|URL [--public DIR] [--format text|csv|json] [--now DATE]\n\n"+placesHelp+"\n\n"+dataHelp, stderr)
	data := dataFlag(fs)
	public := fs.String("public", "public", "the built site (`directory`) whose forms manifest lists the sessions open for booking")
	format := fs.String("format", "text", "text (a table to read), csv (safe to open in a spreadsheet) or json")
	var now nowFlag
	fs.Var(&now, "now", "count as at this `date` (2026-11-22 or RFC 3339): a session that has started, or whose bookings have closed, by then is closed; default now")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	at := time.Now()
	if now.set {
		at = now.t
	}
	if *format != "text" && *format != "csv" && *format != "json" {
		fmt.Fprintf(stderr, "generator forms places: unknown --format %q (expected text, csv or json)\n", *format)
		return ExitUsage
	}
	raw, err := forms.ReadManifest(os.DirFS(*public), *public)
	if err != nil {
		fmt.Fprintf(stderr, "generator forms places: %v\n", err)
		return ExitUsage
	}
	m, err := formspec.Parse(raw)
	if err != nil {
		fmt.Fprintf(stderr, "generator forms places: %s: %v (build the site again)\n", filepath.Join(*public, filepath.FromSlash(formspec.ManifestPath)), err)
		return ExitContent
	}
	store, code := openExisting(ctx, data(), "forms places", stderr)
	if store == nil {
		return code
	}
	defer store.Close()
	booked, err := store.Bookings(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "generator forms places: %v\n", err)
		return ExitContent
	}
	places := forms.Places(m, booked, at)
	switch *format {
	case "json":
		err = forms.WriteJSON(stdout, places)
	case "csv":
		err = forms.WritePlacesCSV(stdout, places)
	default:
		err = forms.WritePlacesText(stdout, places)
	}
	if err != nil {
		fmt.Fprintf(stderr, "generator forms places: %v\n", err)
		return ExitContent
	}
	return ExitOK
}

// dataOutsidePublic refuses a SQLite data directory inside the built site
// the server serves: every file there is served to anyone who asks, so the
// answers (confidential feedback among them) could be downloaded as
// /forms-data/forms.db, and the next build, which swaps in a new public/,
// would take the database away from under the server. Running from inside
// public/ with the default --data is the easy way to get there.
func dataOutsidePublic(data, public string) error {
	if forms.IsPostgresURL(data) {
		return nil
	}
	d, p := realPath(data), realPath(public)
	if rel, err := filepath.Rel(p, d); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Errorf("the answers (--data %s) would be inside the built site it serves (--public %s), where anyone could download them: keep them in a directory of their own, such as --data /var/lib/peerpress", data, public)
	}
	return nil
}

// realPath is path made absolute with its symbolic links resolved, as far
// as it exists.
func realPath(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	var rest []string
	for dir := abs; ; dir = filepath.Dir(dir) {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(append([]string{real}, rest...)...)
		}
		if filepath.Dir(dir) == dir {
			return abs
		}
		rest = append([]string{filepath.Base(dir)}, rest...)
	}
}

// placesHelp says what forms places shows.
const placesHelp = `Shows how full each training session is: for every session the built
site lists as open for booking (by date), its places, the bookings
confirmed and on the waiting list, and the places left (none for a
session that takes only waiting-list bookings); one that has started, or
whose bookings have closed, since the site was built is "closed", with
none left, as the server takes no more bookings for it. Sessions that have
bookings but are no longer open for booking (past, or taken out of the
content) follow, so that their bookings are not lost from view; in CSV
and JSON their state is "closed".`

// openExisting opens the store at where, refusing to create one: an
// export from a mistyped directory or database must say so rather than
// export nothing.
func openExisting(ctx context.Context, where, cmd string, stderr io.Writer) (*forms.Store, int) {
	s, err := forms.OpenAt(ctx, where, false)
	if errors.Is(err, forms.ErrNoStore) {
		fmt.Fprintf(stderr, "generator %s: %v\n", cmd, err)
		return nil, ExitUsage
	}
	if err != nil {
		fmt.Fprintf(stderr, "generator %s: %v\n", cmd, err)
		return nil, ExitContent
	}
	return s, ExitOK
}

// DatabaseEnv names the environment variable that says where the answers
// are kept when --data is not given, so that a PostgreSQL URL with its
// password need not be on a command line (where ps shows it).
const DatabaseEnv = "PEERPRESS_DATABASE_URL"

// dataHelp explains --data, below each forms command's usage line.
const dataHelp = `The answers are kept in SQLite in a directory (DIR/forms.db), or, for
several servers behind a load balancer, in PostgreSQL (a URL such as
postgres://peerpress@db.example.org/peerpress?sslmode=verify-full).
Without --data, $` + DatabaseEnv + ` is used if set, else forms-data.
What a URL leaves out (the password, the host) comes from the PG*
environment variables (PGPASSWORD, PGHOST, ...) and ~/.pgpass; the
password is never printed or logged. Servers sharing one PostgreSQL
database never book a session past its places, and a form sent again
reaching two of them at once is stored once.`

// dataFlag defines --data and returns what it resolves to: the flag, else
// $PEERPRESS_DATABASE_URL, else forms-data. (The flag's own default stays
// empty so that -h never prints a URL from the environment.)
func dataFlag(fs *flag.FlagSet) func() string {
	data := fs.String("data", "", "where the answers are kept: a `directory` (SQLite) or a PostgreSQL URL (default $"+DatabaseEnv+", else forms-data)")
	return func() string {
		if *data != "" {
			return *data
		}
		if v := os.Getenv(DatabaseEnv); v != "" {
			return v
		}
		return "forms-data"
	}
}
