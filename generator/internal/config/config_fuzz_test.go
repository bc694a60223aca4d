package config

import (
	"strings"
	"testing"
)

// FuzzParseDuration checks that ParseDuration never panics, that what it
// accepts is within its bounds, and that a duration's spelling parses back
// to the same duration.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"5y", "3y", "6mo", "90d", "2w", "1y6mo", "1 year, 6 months", "18 months", "", "6m", "-5y", "9999999d", "1y2y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			if d != (Duration{}) {
				t.Errorf("ParseDuration(%q) = %+v with error %v", s, d, err)
			}
			return
		}
		if d.Years < 0 || d.Months < 0 || d.Days < 0 || d.Years > 200 || d.Months > 2400 || d.Days > 170000 {
			t.Errorf("ParseDuration(%q) = %+v, out of bounds", s, d)
		}
		back, err := ParseDuration(d.String())
		if err != nil || back != d {
			t.Errorf("ParseDuration(%q) = %+v, spelt %q, which parses as %+v, %v", s, d, d.String(), back, err)
		}
	})
}

// FuzzParse checks that no site.yaml (rules included) makes Parse panic,
// and that every problem, the rules' included, has a position in the file.
func FuzzParse(f *testing.F) {
	f.Add(rulesSite + "  supporters:\n    - id: a\n      field: headship_since\n      present: true\n      at_least_before: 5y\n      message: m\n")
	f.Add(rulesSite + "  supporters:\n    - {id: p, field: '*', not_matches: '0\\d{10}', message: m, on_fail: hide}\n")
	f.Add(minimal)
	f.Fuzz(func(t *testing.T, src string) {
		c, diags := Parse([]byte(src))
		// YAML also ends a line at a lone carriage return.
		lines := strings.Count(src, "\n") + strings.Count(src, "\r") - strings.Count(src, "\r\n") + 2
		for _, d := range diags {
			if d.Pos.File != File || d.Pos.Line < 0 || d.Pos.Line > lines || d.Msg == "" {
				t.Errorf("problem %v", d)
			}
		}
		if c == nil {
			return
		}
		for _, d := range c.Rules.Diags {
			if d.Pos.File != File || d.Pos.Line < 1 || d.Pos.Line > lines || d.Msg == "" {
				t.Errorf("rule problem %v", d)
			}
		}
		for _, s := range RuleSections {
			for _, r := range c.Rules.For(s) {
				if r.Broken {
					continue
				}
				if r.ID == "" || r.Field == "" || r.Message == "" || len(r.Tests()) == 0 {
					t.Errorf("rule without problems is incomplete: %+v", r)
				}
				if (r.Matches != nil && r.Matches.Regexp == nil) || (r.NotMatches != nil && r.NotMatches.Regexp == nil) {
					t.Errorf("rule without problems has an uncompiled pattern: %+v", r)
				}
			}
		}
	})
}
