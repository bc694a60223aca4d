package decode

import (
	"fmt"
	"reflect"
	"time"

	"go.yaml.in/yaml/v3"
)

// Date is a calendar date with no time of day, as editors write it:
// 2024-09-01. The zero Date means "not given".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	d, ok := parseDateOnly(s)
	if !ok {
		return Date{}, fmt.Errorf("%q is not a date (expected YYYY-MM-DD, such as 2024-09-01)", s)
	}
	return d, nil
}

// parseDateOnly parses YYYY-MM-DD exactly as time.Parse(time.DateOnly, s)
// accepts it, at a tenth of the cost: every page has dates, and time.Parse
// was a twelfth of loading's CPU time (TestParseDateOnly compares them).
func parseDateOnly(s string) (Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, false
	}
	num := func(s string) (int, bool) {
		n := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
			n = n*10 + int(s[i]-'0')
		}
		return n, true
	}
	y, ok1 := num(s[:4])
	m, ok2 := num(s[5:7])
	d, ok3 := num(s[8:])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > daysIn(time.Month(m), y) {
		return Date{}, false
	}
	return Date{y, time.Month(m), d}, true
}

// daysIn returns the number of days in month m of year y.
func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// IsZero reports whether the date was not given.
func (d Date) IsZero() bool { return d == Date{} }

// In returns midnight at the start of the date in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// String formats the date as YYYY-MM-DD.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.In(time.UTC).Before(e.In(time.UTC)) }

// YearsUntil returns the whole years from d to e (e.g. 5 for 2019-09-01 and
// 2024-09-01, 4 for 2019-09-01 and 2024-08-31).
func (d Date) YearsUntil(e Date) int {
	y := e.Year - d.Year
	if e.Month < d.Month || (e.Month == d.Month && e.Day < d.Day) {
		y--
	}
	return y
}

func (d *Decoder) date(n *yaml.Node, path string, v reflect.Value) {
	s, ok := d.scalar(n, path, "a date")
	if !ok {
		return
	}
	dt, err := ParseDate(s)
	if err != nil {
		d.Errorf(n, path, "%v", err)
		return
	}
	v.Set(reflect.ValueOf(dt))
}

// dateTimeLayouts are the forms a local date-time may take; the first four
// are read in the site's time zone.
var dateTimeLayouts = []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05"}

// ParseDateTime parses a local date-time ("2026-03-04 09:30") in loc, or one
// with its own offset (RFC 3339).
func ParseDateTime(s string, loc *time.Location) (time.Time, error) {
	for _, layout := range dateTimeLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date and time (expected YYYY-MM-DD HH:MM, such as 2026-03-04 09:30)", s)
}

func (d *Decoder) dateTime(n *yaml.Node, path string, v reflect.Value) {
	s, ok := d.scalar(n, path, "a date and time")
	if !ok {
		return
	}
	t, err := ParseDateTime(s, d.Location)
	if err != nil {
		d.Errorf(n, path, "%v", err)
		return
	}
	v.Set(reflect.ValueOf(t))
}
