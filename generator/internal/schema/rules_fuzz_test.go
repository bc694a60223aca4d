package schema

import (
	"testing"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/content"
)

// FuzzRules checks site.yaml rules against the content types and evaluates
// them on a profile, for any rules text: nothing may panic, a rule that
// compiles evaluates, and each problem has a position in its file.
func FuzzRules(f *testing.F) {
	f.Add("  supporters:\n    - {id: a, field: headship_since, present: true, at_least_before: 5y, message: m}\n", supporter)
	f.Add("  supporters:\n    - {id: a, field: '*', not_matches: '0\\d{4} ?\\d{6}', message: m}\n", supporter+"Ring 07700 900123\n")
	f.Add("  training:\n    - {id: a, field: sessions.capacity, max: 12, message: m}\n", "---\ntitle: C\nsessions: [{start: 2027-01-01 09:00, capacity: 20}]\n---\n")
	f.Add("  supporters:\n    - {id: a, field: skills, min: 3, one_of: [coaching], message: m}\n", supporter)
	f.Fuzz(func(t *testing.T, rules, page string) {
		cfg, diags := config.Parse([]byte(ruleSite + rules))
		if cfg == nil || diags.Err() != nil {
			return
		}
		rs, rdiags := CompileRules(cfg)
		for _, d := range rdiags {
			if d.Pos.File != config.File || d.Pos.Line < 1 {
				t.Errorf("rule problem without a position: %v", d)
			}
		}
		today := mustDate(t, ruleDate)
		for _, file := range []string{"content/supporters/jo.md", "content/training/c.md", "content/testimonials/q.md"} {
			p := content.Parse(file, []byte(page), cfg)
			for _, d := range rs.Check(p, today) {
				if d.Pos.File != file || d.Rule == "" || d.Msg == "" {
					t.Errorf("rule failure %v", d)
				}
			}
			rs.Upcoming(p, today, 3)
		}
	})
}
