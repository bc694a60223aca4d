// Package ics writes iCalendar (RFC 5545) files: a calendar of events with
// stable UIDs, a DTSTAMP from the build date so output stays byte-identical,
// times in UTC (so daylight saving is the reader's calendar's business and
// cannot be got wrong), text escaped and lines folded at 75 octets.
package ics

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"
)

// Calendar is one .ics file.
type Calendar struct {
	// ProdID names the product that wrote the file, such as
	// "-//Peerpress//Peerpress//EN".
	ProdID string
	// Name is the calendar's name, shown by clients that subscribe to it.
	Name string
	// Stamp is when the file was written: the DTSTAMP of every event.
	Stamp  time.Time
	Events []Event
}

// Event is one VEVENT.
type Event struct {
	// UID identifies the event for good: a client that imports the same
	// event twice updates it rather than adding a copy.
	UID string
	// Start is required; End may be zero (the event then ends when it
	// starts, RFC 5545 section 3.6.1).
	Start, End  time.Time
	Summary     string
	Description string
	Location    string
	URL         string
}

// utcFormat is a DATE-TIME in UTC (RFC 5545 section 3.3.5, form #2).
const utcFormat = "20060102T150405Z"

// Encode returns the calendar as RFC 5545 text with CRLF line endings.
func (c *Calendar) Encode() []byte {
	var w writer
	w.line("BEGIN", "VCALENDAR")
	w.line("VERSION", "2.0")
	w.line("PRODID", c.ProdID)
	w.line("CALSCALE", "GREGORIAN")
	w.line("METHOD", "PUBLISH")
	if c.Name != "" {
		w.line("X-WR-CALNAME", Escape(c.Name))
	}
	for _, e := range c.Events {
		w.line("BEGIN", "VEVENT")
		w.line("UID", Escape(e.UID))
		w.line("DTSTAMP", c.Stamp.UTC().Format(utcFormat))
		w.line("DTSTART", e.Start.UTC().Format(utcFormat))
		if !e.End.IsZero() {
			w.line("DTEND", e.End.UTC().Format(utcFormat))
		}
		w.line("SUMMARY", Escape(e.Summary))
		if e.Description != "" {
			w.line("DESCRIPTION", Escape(e.Description))
		}
		if e.Location != "" {
			w.line("LOCATION", Escape(e.Location))
		}
		if e.URL != "" {
			// URL is of type URI, which is not escaped like TEXT.
			w.line("URL", e.URL)
		}
		w.line("END", "VEVENT")
	}
	w.line("END", "VCALENDAR")
	return w.buf.Bytes()
}

// Escape escapes a TEXT value (RFC 5545 section 3.3.11): backslash,
// semicolon and comma take a backslash, a newline becomes \n, and other
// control characters, which TEXT may not hold, are dropped.
func Escape(s string) string {
	var b strings.Builder
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for _, r := range s {
		switch {
		case r == '\\' || r == ';' || r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n' || r == '\r':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// writer writes content lines, folded.
type writer struct{ buf bytes.Buffer }

// maxLine is the longest line in octets, not counting CRLF (section 3.1).
const maxLine = 75

// line writes "name:value" folded so that no line is longer than 75 octets,
// never splitting a UTF-8 sequence; a continuation line starts with a space,
// which counts towards its 75.
func (w *writer) line(name, value string) {
	s := name + ":" + value
	n := 0 // octets on the current line
	for len(s) > 0 {
		_, size := utf8.DecodeRuneInString(s)
		if n+size > maxLine {
			w.buf.WriteString("\r\n ")
			n = 1
		}
		w.buf.WriteString(s[:size])
		n += size
		s = s[size:]
	}
	w.buf.WriteString("\r\n")
}
