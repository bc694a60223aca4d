package decode

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
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
		return Date{}, fmt.Errorf("%q is not a date%s (expected YYYY-MM-DD, such as 2024-09-01)", s, dateHint(s))
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
	return time.Time{}, fmt.Errorf("%q is not a date and time%s (expected YYYY-MM-DD HH:MM, such as 2026-03-04 09:30)", s, dateTimeHint(s))
}

var (
	// isoLike is a date written year first, perhaps with one-digit parts.
	isoLike = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)
	// dayFirst is a date written the British way, 31/01/2026 or 31.1.26.
	dayFirst = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$`)
	// zoned is a date and time followed by a time zone's name.
	zoned = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2})(?::\d{2})? *([A-Za-z]{1,5})$`)
	// timeOnly is a time of day with no date.
	timeOnly = regexp.MustCompile(`^\d{1,2}[:.]\d{2}(?: ?[ap]m)?$`)
)

// dateHint says, after "is not a date", what is wrong with s when it is a
// usual mistake: a day the month does not have, one-digit parts, a date
// written day first; or "".
func dateHint(s string) string {
	if m := isoLike.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		day, _ := strconv.Atoi(m[3])
		if h := calendarHint(y, mo, day); h != "" {
			return h
		}
		return fmt.Sprintf(": write the month and day with two digits, %04d-%02d-%02d", y, mo, day)
	}
	if m := dayFirst.FindStringSubmatch(s); m != nil {
		day, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		y, _ := strconv.Atoi(m[3])
		if h := calendarHint(y, mo, day); h != "" {
			return h
		}
		return fmt.Sprintf(": dates are written year first; for %d %s %d write %04d-%02d-%02d", day, time.Month(mo), y, y, mo, day)
	}
	return ""
}

// calendarHint explains why year y, month mo, day day is no date, or is ""
// for a date the calendar has.
func calendarHint(y, mo, day int) string {
	switch {
	case mo < 1 || mo > 12:
		return fmt.Sprintf(": there is no month %d", mo)
	case day < 1 || day > daysIn(time.Month(mo), y):
		return fmt.Sprintf(": %s %d has %d days", time.Month(mo), y, daysIn(time.Month(mo), y))
	}
	return ""
}

// dateTimeHint is dateHint for a date and time: the date part's problem,
// or a time zone written after the time.
func dateTimeHint(s string) string {
	if m := zoned.FindStringSubmatch(s); m != nil {
		return fmt.Sprintf(": leave out %q; times are in site.yaml's time zone (or give an offset, such as %s:00+01:00)", m[2], strings.Replace(m[1], " ", "T", 1))
	}
	date, clock, _ := strings.Cut(strings.Replace(s, "T", " ", 1), " ")
	switch _, ok := parseDateOnly(date); {
	case timeOnly.MatchString(s):
		return ": the date is needed as well as the time"
	case !ok:
		return dateHint(date)
	case clock == "":
		return ": the time is needed as well as the date"
	}
	return ": write the time as HH:MM on the 24-hour clock, such as 09:30 or 14:00"
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
