package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"peerpress/generator/internal/build"
	"peerpress/generator/internal/content"
	"peerpress/generator/internal/schema"
)

// reportDays is how far ahead the report looks for rules about to fail.
const reportDays = 90

// coordReport is what a coordinator needs from `check --report`: who can be
// offered where, and whose profile is about to stop meeting the rules.
// It covers published supporters only (not hidden, not drafts unless
// --drafts).
type coordReport struct {
	Date string `json:"date"`
	// SizeBands are the columns of the region table, from site.yaml; a
	// last "unknown" band counts profiles without school.pupils.
	SizeBands []reportBand   `json:"size_bands"`
	Regions   []reportRegion `json:"regions"`
	// Unavailable lists the ids of regions with no available supporter.
	Unavailable []string `json:"regions_without_available_supporter"`
	// Days is how far ahead Upcoming looks.
	Days     int              `json:"days"`
	Upcoming []reportUpcoming `json:"upcoming_failures"`

	// names are supporters' names by slug, for the text report.
	names map[string]string
}

type reportBand struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

type reportRegion struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	// Supporters counts published profiles; BySizeBand splits them by the
	// size of their school.
	Supporters int            `json:"supporters"`
	BySizeBand map[string]int `json:"by_size_band"`
	// Available and Limited list supporters by slug, by availability.
	Available []string `json:"available"`
	Limited   []string `json:"limited"`
}

type reportUpcoming struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Title  string `json:"title"`
	Rule   string `json:"rule"`
	Field  string `json:"field"`
	// FailsOn is the first day the rule fails.
	FailsOn string `json:"fails_on"`
	// Severity is what the failure will do: error, warning or hidden.
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

const unknownBand = "unknown"

func newReport(p *build.Project, drafts bool) *coordReport {
	voc := &p.Config.Vocabularies
	r := &coordReport{Date: p.Today.String(), Days: reportDays, Unavailable: []string{}, Upcoming: []reportUpcoming{}, names: map[string]string{}}
	for _, b := range voc.SizeBands {
		r.SizeBands = append(r.SizeBands, reportBand{ID: b.ID, Label: b.Label})
	}
	regions := map[string]*reportRegion{}
	for _, t := range voc.Regions {
		r.Regions = append(r.Regions, reportRegion{ID: t.ID, Label: t.Label, BySizeBand: map[string]int{}, Available: []string{}, Limited: []string{}})
	}
	for i := range r.Regions {
		regions[r.Regions[i].ID] = &r.Regions[i]
		for _, b := range r.SizeBands {
			r.Regions[i].BySizeBand[b.ID] = 0
		}
	}
	rules, _ := schema.CompileRules(p.Config)
	unknown := false
	for _, pg := range p.Pages {
		if p.Hidden[pg.File] || (pg.Meta.Draft && !drafts) {
			continue
		}
		for _, u := range rules.Upcoming(pg, p.Today, reportDays) {
			pos := u.Problem.Pos
			r.Upcoming = append(r.Upcoming, reportUpcoming{
				File: pg.File, Line: pos.Line, Column: pos.Col, Title: pg.Meta.Title, Rule: u.Rule, Field: u.Field,
				FailsOn: u.Date.String(), Severity: u.Problem.Severity.String(), Message: u.Problem.Field + ": " + u.Problem.Msg,
			})
		}
		s, ok := pg.Data.(*content.Supporter)
		if !ok {
			continue
		}
		reg := regions[s.Region]
		if reg == nil {
			continue // an unknown region is already an error
		}
		band := unknownBand
		if s.School.Pupils != nil {
			if b := voc.SizeBand(*s.School.Pupils); b != nil {
				band = b.ID
			}
		}
		unknown = unknown || band == unknownBand
		r.names[pg.Slug] = s.Name
		reg.Supporters++
		reg.BySizeBand[band]++
		switch s.Availability {
		case "available":
			reg.Available = append(reg.Available, pg.Slug)
		case "limited":
			reg.Limited = append(reg.Limited, pg.Slug)
		}
	}
	if unknown {
		r.SizeBands = append(r.SizeBands, reportBand{ID: unknownBand, Label: "Unknown (no school.pupils)"})
		for _, reg := range r.Regions {
			reg.BySizeBand[unknownBand] += 0
		}
	}
	for _, reg := range r.Regions {
		if len(reg.Available) == 0 {
			r.Unavailable = append(r.Unavailable, reg.ID)
		}
	}
	slices.SortStableFunc(r.Upcoming, func(a, b reportUpcoming) int { return strings.Compare(a.FailsOn, b.FailsOn) })
	return r
}

// writeText prints the report as tables and lists.
func (r *coordReport) writeText(w io.Writer) {
	fmt.Fprintf(w, "\nReport at %s (published supporters)\n\n", r.Date)

	header := []string{"Region"}
	for _, b := range r.SizeBands {
		header = append(header, b.ID)
	}
	header = append(header, "total", "available", "limited")
	rows := [][]string{header}
	totals := make([]int, len(header))
	for _, reg := range r.Regions {
		row := []string{reg.Label}
		counts := []int{}
		for _, b := range r.SizeBands {
			counts = append(counts, reg.BySizeBand[b.ID])
		}
		counts = append(counts, reg.Supporters, len(reg.Available), len(reg.Limited))
		for i, n := range counts {
			row = append(row, fmt.Sprint(n))
			totals[i+1] += n
		}
		rows = append(rows, row)
	}
	total := []string{"All regions"}
	for _, n := range totals[1:] {
		total = append(total, fmt.Sprint(n))
	}
	rows = append(rows, total)
	writeTable(w, rows)

	fmt.Fprintf(w, "\nAvailable supporters by region:\n")
	for _, reg := range r.Regions {
		line := "none"
		if len(reg.Available) > 0 {
			line = r.nameList(reg.Available)
		}
		if len(reg.Limited) > 0 {
			line += " (limited availability: " + r.nameList(reg.Limited) + ")"
		}
		fmt.Fprintf(w, "  %s: %s\n", reg.Label, line)
	}

	fmt.Fprintf(w, "\nRegions with no available supporter: ")
	if len(r.Unavailable) == 0 {
		fmt.Fprintln(w, "none")
	} else {
		var labels []string
		for _, reg := range r.Regions {
			if slices.Contains(r.Unavailable, reg.ID) {
				labels = append(labels, reg.Label)
			}
		}
		fmt.Fprintln(w, strings.Join(labels, ", "))
	}

	fmt.Fprintf(w, "\nProfiles that will fail a rule within %d days:", r.Days)
	if len(r.Upcoming) == 0 {
		fmt.Fprintln(w, " none")
	} else {
		fmt.Fprintln(w)
	}
	for _, u := range r.Upcoming {
		what := "fail the check"
		switch u.Severity {
		case "hidden":
			what = "be hidden"
		case "warning":
			what = "get a warning"
		}
		fmt.Fprintf(w, "  %s (%s:%d:%d): rule %q fails from %s; the profile will %s.\n    %s\n", u.Title, u.File, u.Line, u.Column, u.Rule, u.FailsOn, what, u.Message)
	}
	fmt.Fprintln(w)
}

// writeTable prints rows with the first column left-aligned and the others
// right-aligned.
func writeTable(w io.Writer, rows [][]string) {
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, c := range row {
			pad := strings.Repeat(" ", widths[i]-len([]rune(c)))
			if i == 0 {
				b.WriteString("  " + c + pad)
			} else {
				b.WriteString("  " + pad + c)
			}
		}
		fmt.Fprintln(w, b.String())
	}
}

// nameList joins supporters' names.
func (r *coordReport) nameList(slugs []string) string {
	names := make([]string, len(slugs))
	for i, s := range slugs {
		names[i] = r.names[s]
	}
	return strings.Join(names, ", ")
}
