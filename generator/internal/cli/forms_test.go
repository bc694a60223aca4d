package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"peerpress/generator/internal/forms"
	"peerpress/generator/internal/forms/pgtest"
	"peerpress/generator/internal/formspec"
)

// TestFormsBadOriginMakesNothing checks that a mistyped --allow-origin is
// refused before the answers' directory is made: nothing is left to
// clear up, or to mistake for the real one.
func TestFormsBadOriginMakesNothing(t *testing.T) {
	root := t.TempDir()
	public, data := filepath.Join(root, "public"), filepath.Join(root, "answers")
	if err := os.MkdirAll(filepath.Join(public, "forms"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(public, "forms", "manifest.json"), []byte(`{"forms": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "forms", "--public", public, "--data", data, "--allow-origin", "peer-support.example.org")
	if code != ExitUsage || !strings.Contains(stderr, `--allow-origin "peer-support.example.org" is not an origin`) {
		t.Errorf("got %d, %q; want %d and the origin named", code, stderr, ExitUsage)
	}
	if _, err := os.Stat(data); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s was made (%v)", data, err)
	}
}

func TestRunFormsUsage(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"forms -h", []string{"forms", "-h"}, ExitOK, "-allow-origin"},
		{"export -h", []string{"forms", "export", "-h"}, ExitOK, "-since"},
		{"purge -h", []string{"forms", "purge", "-h"}, ExitOK, "-older-than"},
		{"export without form", []string{"forms", "export", "--data", "x"}, ExitUsage, "--form is required"},
		{"export bad since", []string{"forms", "export", "--form", "a", "--since", "May"}, ExitUsage, `--since "May" is not a date`},
		{"export bad format", []string{"forms", "export", "--form", "a", "--format", "xls"}, ExitUsage, `unknown --format "xls"`},
		{"export no database", []string{"forms", "export", "--form", "a", "--data", "/nonexistent/pp"}, ExitUsage, "no submissions database"},
		{"export bad URL", []string{"forms", "export", "--form", "a", "--data", "postgres://peer:s3cret@db:port/x"}, ExitContent, "cannot parse"},
		{"forms -h names the database variable", []string{"forms", "-h"}, ExitOK, "PEERPRESS_DATABASE_URL"},
		{"purge without duration", []string{"forms", "purge"}, ExitUsage, "--older-than is required"},
		{"purge bad duration", []string{"forms", "purge", "--older-than", "12m"}, ExitUsage, "ambiguous"},
		{"bad proxy", []string{"forms", "--trusted-proxy", "proxy.local"}, ExitUsage, "is not an address or CIDR"},
		{"no built site", []string{"forms", "--public", "/nonexistent/pp", "--data", "DATA"}, ExitUsage, "there is no built site in /nonexistent/pp (build it with generator build, or give --public"},
		{"no manifest", []string{"forms", "--public", "DATA", "--data", "DATA"}, ExitUsage, "has no forms manifest, "},
		{"broken manifest", []string{"forms", "--public", "BROKEN", "--data", "DATA"}, ExitUsage, "manifest.json: forms manifest: unexpected end of JSON input (build the site again)"},
		{"places broken manifest", []string{"forms", "places", "--public", "BROKEN", "--data", "DATA"}, ExitContent, "unexpected end of JSON input (build the site again)"},
		{"places -h", []string{"forms", "places", "-h"}, ExitOK, "places left"},
		{"forms -h names places", []string{"forms", "-h"}, ExitOK, "generator forms places"},
		{"places bad format", []string{"forms", "places", "--format", "xls"}, ExitUsage, `unknown --format "xls"`},
		{"places no built site", []string{"forms", "places", "--public", "/nonexistent/pp", "--data", "DATA"}, ExitUsage, "there is no built site in /nonexistent/pp"},
		{"places no manifest", []string{"forms", "places", "--public", "DATA", "--data", "DATA"}, ExitUsage, "has no forms manifest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i, a := range tt.args {
				switch a {
				case "DATA":
					tt.args[i] = t.TempDir()
				case "BROKEN":
					// A built site whose manifest was cut short.
					tt.args[i] = t.TempDir()
					if err := os.MkdirAll(filepath.Join(tt.args[i], "forms"), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(filepath.Join(tt.args[i], "forms", "manifest.json"), []byte(`{"forms": [`), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			code, _, stderr := runCLI(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("Run(%q) = %d, %q; want %d and %q", tt.args, code, stderr, tt.code, tt.stderr)
			}
		})
	}
}

// TestFormsDataOutsidePublic refuses to keep the answers where the server
// would serve them, and accepts them anywhere else.
func TestFormsDataOutsidePublic(t *testing.T) {
	root := t.TempDir()
	public := filepath.Join(root, "public")
	if err := os.MkdirAll(public, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(public, filepath.Join(root, "site")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		data, public string
		refused      bool
	}{
		{filepath.Join(public, "forms-data"), public, true},
		{public, public, true},
		{filepath.Join(root, "site", "data", "new"), public, true},
		{filepath.Join(public, "forms-data"), filepath.Join(root, "site"), true},
		{filepath.Join(root, "forms-data"), public, false},
		{filepath.Join(root, "public-data"), public, false},
		{"postgres://db/peerpress", public, false},
	}
	for _, tt := range tests {
		if err := dataOutsidePublic(tt.data, tt.public); (err != nil) != tt.refused {
			t.Errorf("dataOutsidePublic(%s, %s) = %v, want refused %v", tt.data, tt.public, err, tt.refused)
		}
	}
	code, _, stderr := runCLI(t, "forms", "--public", public, "--data", filepath.Join(public, "forms-data"))
	if code != ExitUsage || !strings.Contains(stderr, "where anyone could download them") {
		t.Errorf("forms with --data inside --public: %d %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(public, "forms-data")); err == nil {
		t.Errorf("the refused data directory was made")
	}
}

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// TestRunFormsServe builds the example site, serves it with generator
// forms, sends a request, stops the server, and exports and purges what it
// stored: with SQLite in a directory, and with PostgreSQL named by
// $PEERPRESS_DATABASE_URL (for the server) and --data (for export and
// purge).
func TestRunFormsServe(t *testing.T) {
	public := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := runCLI(t, "build", "--source", "../../..", "--destination", public, "--now", "2026-11-22"); code != ExitOK {
		t.Fatalf("build: %d %s", code, stderr)
	}
	t.Run("sqlite", func(t *testing.T) {
		data := t.TempDir()
		testRunFormsServe(t, public, data, []string{"--data", data}, "\x00none")
	})
	t.Run("postgres", func(t *testing.T) {
		u, pw := pgtest.WithPassword(t, pgtest.URL(t))
		t.Setenv(DatabaseEnv, u)
		testRunFormsServe(t, public, u, nil, pw)
	})
}

// testRunFormsServe runs the test with the answers kept at data, which
// the server is given by dataArgs (or the environment); secret must never
// be shown.
func testRunFormsServe(t *testing.T, public, data string, dataArgs []string, secret string) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	var logs strings.Builder
	go func() {
		done <- Run(ctx, append([]string{"forms", "--addr", "127.0.0.1:0", "--public", public, "--min-fill", "0"}, dataArgs...), pw, &logs)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("no start line: %v", err)
	}
	go io.Copy(io.Discard, pr)
	addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`).FindString(line)
	if addr == "" || !strings.Contains(line, "4 forms") || strings.Contains(line, secret) {
		t.Fatalf("start line %q", line)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(addr+"forms/request-support", url.Values{
		"supporter": {"helen-marsh"}, "name": {"=Jo Bloggs"}, "email": {"jo@example.org"}, "school": {"Oak Primary"}, "consent": {"yes"},
	})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	receipt := regexp.MustCompile(`PP(-[A-Z0-9]{4}){3}`).FindString(loc)
	if resp.StatusCode != http.StatusSeeOther || receipt == "" {
		t.Fatalf("answer %d %q", resp.StatusCode, loc)
	}
	resp, err = client.Get(addr + "healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	cancel()
	if code := <-done; code != ExitOK {
		t.Fatalf("forms exited %d: %s", code, logs.String())
	}
	if strings.Contains(logs.String(), "Jo Bloggs") || strings.Contains(logs.String(), "jo@example.org") || strings.Contains(logs.String(), secret) {
		t.Errorf("the log holds personal data:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), `"outcome":"stored"`) {
		t.Errorf("the log does not record the submission:\n%s", logs.String())
	}

	code, out, stderr := runCLI(t, "forms", "export", "--data", data, "--form", "request-support")
	if code != ExitOK || !strings.Contains(out, receipt) || !strings.Contains(out, ",'=Jo Bloggs,") || !strings.Contains(out, "helen-marsh") {
		t.Errorf("export: %d %s\n%s", code, stderr, out)
	}
	code, out, stderr = runCLI(t, "forms", "export", "--data", data, "--form", "request-support", "--format", "json", "--since", "2999-01-01")
	if code != ExitOK || strings.TrimSpace(out) != "[]" || !strings.Contains(stderr, "no submissions to request-support since 2999-01-01") {
		t.Errorf("export --since the future: %d %q %q", code, out, stderr)
	}
	// A mistyped form exports nothing, and says which forms have answers.
	code, out, stderr = runCLI(t, "forms", "export", "--data", data, "--form", "request-suport")
	if code != ExitOK || out != forms.BOM+"receipt,created,session,status,criteria_not_met\r\n" ||
		!strings.Contains(stderr, `no submissions to a form called "request-suport"; forms with submissions: request-support`) {
		t.Errorf("export of a mistyped form: %d %q %q", code, out, stderr)
	}
	code, out, _ = runCLI(t, "forms", "purge", "--data", data, "--older-than", "12mo")
	if code != ExitOK || !strings.HasPrefix(out, "Deleted 0 submissions") {
		t.Errorf("purge 12mo: %d %q", code, out)
	}
	code, out, _ = runCLI(t, "forms", "purge", "--data", data, "--older-than", "0d")
	if code != ExitOK || !strings.HasPrefix(out, "Deleted 1 submission ") {
		t.Errorf("purge 0d: %d %q", code, out)
	}
}

// TestRunFormsPlaces builds the example site, books two sessions (one of
// them past capacity) and one that is no longer open, and asks forms places
// for the table in each format: with SQLite and with PostgreSQL.
func TestRunFormsPlaces(t *testing.T) {
	public := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := runCLI(t, "build", "--source", "../../..", "--destination", public, "--now", "2026-11-22"); code != ExitOK {
		t.Fatalf("build: %d %s", code, stderr)
	}
	t.Run("sqlite", func(t *testing.T) { testRunFormsPlaces(t, public, t.TempDir()) })
	t.Run("postgres", func(t *testing.T) { testRunFormsPlaces(t, public, pgtest.URL(t)) })
}

func testRunFormsPlaces(t *testing.T, public, data string) {
	ctx := context.Background()
	if code, _, stderr := runCLI(t, "forms", "places", "--now", "2026-11-22", "--public", public, "--data", data); code != ExitUsage || !strings.Contains(stderr, "no submissions database") {
		t.Errorf("places before any store: %d %s", code, stderr)
	}
	store, err := forms.OpenAt(ctx, data, true)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	for i, session := range []string{"peer-support-training-day/2027-01-20", "peer-support-training-day/2027-01-20", "peer-support-training-day/2027-01-20",
		"governors-briefing/2027-01-13", "peer-support-training-day/2026-10-07"} {
		capacity := 12
		if i == 2 {
			capacity = 2 // as if the content had fewer places then
		}
		if _, err := store.Save(ctx, forms.Submission{Form: "book-training", Session: session, Capacity: capacity,
			Answers: []formspec.Answer{{Name: "name", Value: fmt.Sprintf("Head %d", i)}}}, now); err != nil {
			t.Fatal(err)
		}
	}
	store.Close()

	code, out, stderr := runCLI(t, "forms", "places", "--now", "2026-11-22", "--public", public, "--data", data)
	lines := strings.Split(out, "\n")
	if code != ExitOK || len(lines) < 14 ||
		!regexp.MustCompile(`^Course +Date +Booking +Places +Confirmed +Waiting list +Left$`).MatchString(lines[0]) ||
		!regexp.MustCompile(`^Peer support for governors and trustees +2027-01-13 18:30 +open +40 +1 +0 +39$`).MatchString(lines[1]) ||
		!regexp.MustCompile(`^Peer support training day +2027-01-20 09:30 +open +12 +2 +1 +10$`).MatchString(lines[2]) ||
		!strings.Contains(out, "no longer open for booking") ||
		!regexp.MustCompile(`(?m)^peer-support-training-day/2026-10-07 +1 +0$`).MatchString(out) {
		t.Errorf("places: %d %s\n%s", code, stderr, out)
	}
	code, out, stderr = runCLI(t, "forms", "places", "--now", "2026-11-22", "--public", public, "--data", data, "--format", "csv")
	if code != ExitOK || !strings.HasPrefix(out, forms.BOM+"session,course,start,state,capacity,confirmed,waitlisted,left\r\n") ||
		!strings.Contains(out, "\r\npeer-support-training-day/2027-01-20,Peer support training day,2027-01-20T09:30:00Z,open,12,2,1,10\r\n") ||
		!strings.HasSuffix(out, "\r\npeer-support-training-day/2026-10-07,,,closed,,1,0,\r\n") {
		t.Errorf("places --format csv: %d %s\n%s", code, stderr, out)
	}
	code, out, stderr = runCLI(t, "forms", "places", "--now", "2026-11-22", "--public", public, "--data", data, "--format", "json")
	var places []forms.Place
	if err := json.Unmarshal([]byte(out), &places); code != ExitOK || err != nil || len(places) < 2 {
		t.Fatalf("places --format json: %d %v %s\n%s", code, err, stderr, out)
	}
	if p := places[1]; p.Session != "peer-support-training-day/2027-01-20" || p.Confirmed != 2 || p.Waitlisted != 1 || p.Left == nil || *p.Left != 10 || !p.Listed {
		t.Errorf("json: %+v", p)
	}
	if p := places[len(places)-1]; p.Session != "peer-support-training-day/2026-10-07" || p.Listed || p.Confirmed != 1 {
		t.Errorf("json, last: %+v", p)
	}
	// Counted after the governors' briefing's bookings closed (11 January)
	// with the site not rebuilt: it is closed, with none left.
	code, out, stderr = runCLI(t, "forms", "places", "--now", "2027-01-12", "--public", public, "--data", data)
	if code != ExitOK || !regexp.MustCompile(`(?m)^Peer support for governors and trustees +2027-01-13 18:30 +closed +40 +1 +0 +0$`).MatchString(out) ||
		!regexp.MustCompile(`(?m)^Peer support training day +2027-01-20 09:30 +open +12 +2 +1 +10$`).MatchString(out) {
		t.Errorf("places --now 2027-01-12: %d %s\n%s", code, stderr, out)
	}
}
