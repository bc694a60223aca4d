package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"

	"peerpress/generator/internal/build"
	"peerpress/generator/internal/diag"
)

// runCheck is `generator check`: it loads and validates the site exactly as
// build does, writes nothing, and prints every problem.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", "check [--source DIR] [--drafts] [--now DATE] [--format text|json|github] [--report] [--external]", stderr)
	var sf siteFlags
	sf.register(fs)
	format := fs.String("format", "text", "output `format`: text, json, or github (GitHub Actions annotations)")
	withReport := fs.Bool("report", false, "add the coordinator's report: supporters by region and size band, regions with no available supporter, profiles that will fail a rule within 90 days")
	var ext externalFlags
	ext.register(fs)
	if code := parse(fs, args); code >= 0 {
		return code
	}
	switch *format {
	case "text", "json", "github":
	default:
		fmt.Fprintf(stderr, "generator check: unknown --format %q (expected text, json or github)\n", *format)
		return ExitUsage
	}
	opts := sf.options()
	p, err := build.Load(ctx, opts)
	var ce *build.ContentError
	var diags diag.List
	switch {
	case err == nil:
		diags = p.Diags
		// What only shows once pages are rendered: links that point
		// nowhere, photos that are not images, layouts that fail.
		more, err := build.Verify(ctx, p, opts)
		if err != nil {
			fmt.Fprintf(stderr, "generator check: %v\n", err)
			return ExitContent
		}
		diags = append(diags, more...).Sort()
		if ext.on {
			found, err := ext.check(ctx, p, opts, sf.source)
			if err != nil {
				fmt.Fprintf(stderr, "generator check: %v\n", err)
			}
			diags = append(diags, found...).Sort()
		}
	case errors.As(err, &ce):
		diags = ce.Diags
	default:
		fmt.Fprintf(stderr, "generator check: %v\n", err)
		return ExitContent
	}
	sum := summarize(p, diags)
	var rep *coordReport
	if *withReport && p != nil {
		rep = newReport(p, opts.Drafts)
	}
	var werr error
	switch *format {
	case "json":
		werr = writeJSON(stdout, diags, sum, rep)
	case "github":
		writeGitHub(stdout, diags, sf.source)
		if rep != nil {
			rep.writeText(stdout)
		}
		_, werr = fmt.Fprintln(stdout, sum)
	default:
		printDiags(stdout, diags)
		switch {
		case rep != nil:
			rep.writeText(stdout)
		case *withReport:
			fmt.Fprintln(stdout, "\nNo report: site.yaml has errors.")
		}
		_, werr = fmt.Fprintln(stdout, sum)
	}
	if werr != nil {
		fmt.Fprintf(stderr, "generator check: %v\n", werr)
		return ExitContent
	}
	if sum.Errors > 0 {
		return ExitContent
	}
	return ExitOK
}

// summary counts what a check found.
type summary struct {
	// Date is the build date the rules were evaluated at; empty when
	// site.yaml could not be read.
	Date string `json:"date,omitempty"`
	// Files counts the files checked: site.yaml and the content files.
	Files        int `json:"files"`
	ContentFiles int `json:"content_files"`
	Errors       int `json:"errors"`
	Warnings     int `json:"warnings"`
	// Hidden counts the pages left out of the site by a rule.
	Hidden int `json:"hidden_pages"`
	// OK is true when nothing stops a build.
	OK bool `json:"ok"`
	// configOnly says the content was not checked because site.yaml has
	// errors.
	configOnly bool
}

func summarize(p *build.Project, diags diag.List) summary {
	s := summary{Files: 1, Errors: diags.Count(diag.Error), Warnings: diags.Count(diag.Warning)}
	hidden := map[string]bool{}
	for _, d := range diags {
		if d.Severity == diag.Hidden {
			hidden[d.Pos.File] = true
		}
	}
	s.Hidden = len(hidden)
	s.OK = s.Errors == 0
	if p == nil {
		s.configOnly = true
		return s
	}
	s.Date = p.Today.String()
	s.ContentFiles = len(p.Pages)
	s.Files += s.ContentFiles
	return s
}

// String is the summary line: "Checked site.yaml and 45 content files at
// 2026-11-22: 0 errors, 1 warning, 1 hidden page."
func (s summary) String() string {
	counts := fmt.Sprintf("%d %s, %d %s, %d %s", s.Errors, plural(s.Errors, "error", "errors"),
		s.Warnings, plural(s.Warnings, "warning", "warnings"), s.Hidden, plural(s.Hidden, "hidden page", "hidden pages"))
	if s.configOnly {
		return fmt.Sprintf("Checked site.yaml: %s (content is checked once site.yaml has no errors).", counts)
	}
	return fmt.Sprintf("Checked site.yaml and %d content %s at %s: %s.", s.ContentFiles, plural(s.ContentFiles, "file", "files"), s.Date, counts)
}

// problem is a diagnostic as --format json shows it.
type problem struct {
	File string `json:"file"`
	// Line and Column count from 1; 0 means the problem is with the file
	// as a whole.
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Field    string `json:"field,omitempty"`
	Message  string `json:"message"`
	Severity string `json:"severity"`
	Rule     string `json:"rule,omitempty"`
}

func writeJSON(w io.Writer, diags diag.List, sum summary, rep *coordReport) error {
	out := struct {
		Problems []problem    `json:"problems"`
		Summary  summary      `json:"summary"`
		Report   *coordReport `json:"report,omitempty"`
	}{Problems: []problem{}, Summary: sum, Report: rep}
	for _, d := range diags {
		out.Problems = append(out.Problems, problem{
			File: d.Pos.File, Line: d.Pos.Line, Column: d.Pos.Col,
			Field: d.Field, Message: d.Msg, Severity: d.Severity.String(), Rule: d.Rule,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// writeGitHub prints each problem as a GitHub Actions workflow command, so
// that it shows on the line of the pull request that caused it. Paths are
// made relative to the repository root by prefixing the site's directory.
func writeGitHub(w io.Writer, diags diag.List, source string) {
	for _, d := range diags {
		cmd := "error"
		msg := d.Msg
		if d.Severity != diag.Error {
			cmd = "warning"
		}
		if d.Severity == diag.Hidden {
			msg = "hidden: " + msg
		}
		title := d.Field
		if title == "" {
			title = "Peerpress"
		}
		if d.Rule != "" {
			title += " (rule " + d.Rule + ")"
		}
		props := []string{"file=" + escapeProperty(repoPath(source, d.Pos.File))}
		if d.Pos.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", d.Pos.Line))
		}
		if d.Pos.Col > 0 {
			props = append(props, fmt.Sprintf("col=%d", d.Pos.Col))
		}
		props = append(props, "title="+escapeProperty(title))
		fmt.Fprintf(w, "::%s %s::%s\n", cmd, strings.Join(props, ","), escapeData(msg))
	}
}

// repoPath is file (relative to the site) relative to the working
// directory, where a workflow runs: the repository root.
func repoPath(source, file string) string {
	if source == "" || source == "." || filepath.IsAbs(source) {
		return file
	}
	return path.Join(filepath.ToSlash(source), file)
}

// escapeData escapes the message of a workflow command, as the Actions
// toolkit does.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a property value of a workflow command, in which
// ":" and "," are separators too.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
