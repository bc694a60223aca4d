package ics_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"peerpress/generator/internal/ics"
	"peerpress/generator/internal/ics/icstest"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"a, b; c", `a\, b\; c`},
		{`back\slash`, `back\\slash`},
		{"two\nlines", `two\nlines`},
		{"crlf\r\nline", `crlf\nline`},
		{"tab\there", "tab here"},
		{"bell\x07", "bell"},
		{"café – ünïcode", "café – ünïcode"},
	}
	for _, tt := range tests {
		if got := ics.Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFolding(t *testing.T) {
	tests := []struct {
		name, summary string
	}{
		{"short", "Training"},
		{"exactly fits", strings.Repeat("x", 75-len("SUMMARY:"))},
		{"one over", strings.Repeat("x", 75-len("SUMMARY:")+1)},
		{"long ascii", strings.Repeat("abcdefghij", 30)},
		{"multibyte across the fold", strings.Repeat("é", 100)},
		{"four-byte runes", strings.Repeat("😀", 60)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ics.Calendar{ProdID: "-//Test//Test//EN", Stamp: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC),
				Events: []ics.Event{{UID: "u", Start: time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC), Summary: tt.summary}}}
			out := c.Encode()
			if !bytes.HasSuffix(out, []byte("\r\n")) {
				t.Fatalf("output does not end in CRLF")
			}
			lines := strings.Split(strings.TrimSuffix(string(out), "\r\n"), "\r\n")
			var unfolded []string
			for _, l := range lines {
				if len(l) > 75 {
					t.Errorf("line of %d octets: %q", len(l), l)
				}
				if !utf8.ValidString(l) {
					t.Errorf("line splits a UTF-8 sequence: %q", l)
				}
				if strings.Contains(l, "\n") || strings.Contains(l, "\r") {
					t.Errorf("bare CR or LF in %q", l)
				}
				if strings.HasPrefix(l, " ") {
					unfolded[len(unfolded)-1] += l[1:]
				} else {
					unfolded = append(unfolded, l)
				}
			}
			if !containsLine(unfolded, "SUMMARY:"+tt.summary) {
				t.Errorf("unfolded lines %q lack SUMMARY:%s", unfolded, tt.summary)
			}
		})
	}
}

func containsLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

// TestIcalJS has ical.js read a calendar across the change to British Summer
// Time: 09:30 in London is 09:30Z in March before the change and 08:30Z in
// April after it.
func TestIcalJS(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("A long description, with commas; semicolons and a backslash \\. ", 4) + "\nSecond line é."
	c := ics.Calendar{
		ProdID: "-//Peerpress//Peerpress//EN",
		Name:   "Training, all dates",
		Stamp:  time.Date(2026, 11, 22, 0, 0, 0, 0, london),
		Events: []ics.Event{
			{UID: "course/2027-03-18@example.org", Start: time.Date(2027, 3, 18, 9, 30, 0, 0, london), End: time.Date(2027, 3, 18, 12, 30, 0, 0, london),
				Summary: "Peer review; training, part 1", Description: long, Location: "Hall, 1 High Street, Town", URL: "https://example.org/training/course/#session-course-2027-03-18"},
			{UID: "course/2027-04-15@example.org", Start: time.Date(2027, 4, 15, 9, 30, 0, 0, london),
				Summary: "Peer review training, part 2", Location: "Online"},
		},
	}
	path := filepath.Join(t.TempDir(), "cal.ics")
	if err := os.WriteFile(path, c.Encode(), 0o644); err != nil {
		t.Fatal(err)
	}
	cals := icstest.Parse(t, path)
	if len(cals) != 1 {
		t.Fatalf("got %d calendars, want 1", len(cals))
	}
	got := cals[0]
	// ical.js gives X- properties their raw value, though their default
	// type is TEXT (RFC 5545 section 3.8.8.2), so the name comes back escaped.
	if got.Version != "2.0" || got.ProdID != c.ProdID || got.Name != ics.Escape(c.Name) {
		t.Errorf("calendar = %q %q %q, want 2.0 %q %q", got.Version, got.ProdID, got.Name, c.ProdID, ics.Escape(c.Name))
	}
	want := []icstest.Event{
		{UID: "course/2027-03-18@example.org", DTStamp: "2026-11-22T00:00:00.000Z", Start: "2027-03-18T09:30:00.000Z", End: "2027-03-18T12:30:00.000Z",
			Summary: "Peer review; training, part 1", Description: long, Location: "Hall, 1 High Street, Town", URL: "https://example.org/training/course/#session-course-2027-03-18"},
		{UID: "course/2027-04-15@example.org", DTStamp: "2026-11-22T00:00:00.000Z", Start: "2027-04-15T08:30:00.000Z",
			Summary: "Peer review training, part 2", Location: "Online"},
	}
	if len(got.Events) != len(want) {
		t.Fatalf("got %d events, want %d", len(got.Events), len(want))
	}
	for i := range want {
		if got.Events[i] != want[i] {
			t.Errorf("event %d = %+v, want %+v", i, got.Events[i], want[i])
		}
	}
}
