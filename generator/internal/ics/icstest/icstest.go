// Package icstest reads iCalendar files with ical.js, an independent RFC 5545
// parser from npm, so tests check generated calendars against someone else's
// reading of the standard rather than only our own.
package icstest

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// Calendar is what ical.js understood of one file.
type Calendar struct {
	File    string  `json:"file"`
	Version string  `json:"version"`
	ProdID  string  `json:"prodid"`
	Name    string  `json:"name"`
	Events  []Event `json:"events"`
}

// Event is one VEVENT as ical.js read it; times are UTC, in ISO 8601 with
// milliseconds ("2027-03-18T09:30:00.000Z"), and End is empty without DTEND.
type Event struct {
	UID         string `json:"uid"`
	DTStamp     string `json:"dtstamp"`
	Start       string `json:"start"`
	End         string `json:"end"`
	Summary     string `json:"summary"`
	Description string `json:"description"`
	Location    string `json:"location"`
	URL         string `json:"url"`
}

// dir is the npm project holding ical.js, beside this file.
func dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", "icaljs")
}

// Parse parses files with ical.js. It skips the test when node or the npm
// packages are missing (run "npm ci" in generator/internal/ics/testdata/icaljs),
// except under CI=true, where it fails.
func Parse(t testing.TB, files ...string) []Calendar {
	t.Helper()
	d := dir()
	missing := ""
	if _, err := exec.LookPath("node"); err != nil {
		missing = "node is not installed"
	} else if _, err := os.Stat(filepath.Join(d, "node_modules", "ical.js")); err != nil {
		missing = "ical.js is not installed (run npm ci in " + d + ")"
	}
	if missing != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("icstest: %s", missing)
		}
		t.Skipf("icstest: %s", missing)
	}
	abs := make([]string, len(files))
	for i, f := range files {
		a, err := filepath.Abs(f)
		if err != nil {
			t.Fatal(err)
		}
		abs[i] = a
	}
	cmd := exec.Command("node", append([]string{filepath.Join(d, "parse.mjs")}, abs...)...)
	cmd.Dir = d
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("ical.js could not parse %v: %v\n%s", files, err, ee.Stderr)
		}
		t.Fatalf("running ical.js: %v", err)
	}
	var cals []Calendar
	if err := json.Unmarshal(out, &cals); err != nil {
		t.Fatalf("reading ical.js output: %v\n%s", err, out)
	}
	return cals
}
