// Package cli is the generator's command line: it parses subcommands and
// flags into options and maps outcomes to exit codes (0 success, 1 errors in
// the site, 2 usage errors).
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"peerpress/generator/internal/build"
	"peerpress/generator/internal/diag"
)

// Exit codes.
const (
	ExitOK      = 0
	ExitContent = 1
	ExitUsage   = 2
)

const usage = `Peerpress builds a school peer-support programme's website from Markdown.

Usage:
  generator <command> [flags]

Commands:
  build     validate the content and write the site to public/
  check     validate the content and print every problem; write nothing
  serve     preview the site: rebuild and reload the browser on every save
  schema    write a JSON Schema per content type, for editors' completion
  forms     serve the site and receive its forms; export or purge answers
  new       write a new content file with every field of its type
  version   print the version

Run "generator <command> -h" for a command's flags.
`

// Run runs the command line args (without the program name).
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return ExitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "build":
		return runBuild(ctx, rest, stdout, stderr)
	case "check":
		return runCheck(ctx, rest, stdout, stderr)
	case "serve":
		return runServe(ctx, rest, stdout, stderr)
	case "schema":
		return runSchema(rest, stdout, stderr)
	case "forms":
		return runForms(ctx, rest, stdout, stderr)
	case "new":
		return runNew(rest, stdout, stderr)
	case "version":
		return runVersion(rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return ExitOK
	}
	fmt.Fprintf(stderr, "generator: unknown command %q\n\n%s", cmd, usage)
	return ExitUsage
}

// newFlags returns a flag set that prints its usage to stderr and reports
// errors instead of exiting.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: generator %s\n\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags, returning the exit code to stop with, or -1 to go on.
func parse(fs *flag.FlagSet, args []string) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "generator %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return ExitUsage
	}
	return -1
}

// nowFlag is --now: an RFC 3339 time or a date (midnight, site time).
type nowFlag struct {
	t        time.Time
	dateOnly bool
	set      bool
}

func (n *nowFlag) String() string {
	if !n.set {
		return ""
	}
	return n.t.Format(time.RFC3339)
}

func (n *nowFlag) Set(s string) error {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		n.t, n.dateOnly, n.set = t, true, true
		return nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return fmt.Errorf("expected a date (2026-11-22) or an RFC 3339 time (2026-11-22T09:00:00Z)")
	}
	n.t, n.dateOnly, n.set = t, false, true
	return nil
}

// siteFlags are the flags of every command that reads a site.
type siteFlags struct {
	source string
	drafts bool
	now    nowFlag
}

func (f *siteFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.source, "source", ".", "the site's root `directory` (with site.yaml, content/ and layouts/)")
	fs.BoolVar(&f.drafts, "drafts", false, "include pages marked draft: true")
	fs.Var(&f.now, "now", "the build `date` (2026-11-22 or RFC 3339) for upcoming/past training and years of headship; default today")
}

func (f *siteFlags) options() build.Options {
	o := build.Options{Source: f.source, Drafts: f.drafts, Now: time.Now()}
	if f.now.set {
		o.Now, o.NowIsDate = f.now.t, f.now.dateOnly
	}
	return o
}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("build", "build [--source DIR] [--destination DIR] [--drafts] [--base-url URL] [--now DATE] [--stats] [--cpuprofile FILE] [--memprofile FILE]", stderr)
	var sf siteFlags
	sf.register(fs)
	dest := fs.String("destination", "", "where to write the site (default <source>/public)")
	baseURL := fs.String("base-url", "", "the `URL` the site is published at, instead of site.yaml's base_url")
	stats := fs.Bool("stats", false, "print the time of each phase and of each layout, slowest first")
	cpuProfile := fs.String("cpuprofile", "", "write a pprof CPU profile of the build to `FILE`")
	memProfile := fs.String("memprofile", "", "write a pprof heap profile, taken at the end of the build, to `FILE`")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	stop, err := startProfiles(*cpuProfile, *memProfile)
	if err != nil {
		fmt.Fprintf(stderr, "generator build: %v\n", err)
		return ExitUsage
	}
	defer stop()
	opts := sf.options()
	limitMemory(opts.Source)
	opts.Destination = *dest
	opts.BaseURL = *baseURL
	if *stats {
		opts.Stats = &build.Stats{}
	}
	if u, err := url.Parse(*baseURL); *baseURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		fmt.Fprintf(stderr, "generator build: --base-url %q is not an absolute http(s) URL (expected e.g. https://example.org/peer-support/)\n", *baseURL)
		return ExitUsage
	}
	res, err := build.Build(ctx, opts)
	if err != nil {
		return report(err, stderr)
	}
	printDiags(stderr, res.Diags)
	fmt.Fprintf(stdout, "Built %d pages (%d files) in %s into %s\n", res.Pages, res.Files, res.Elapsed.Round(time.Millisecond), res.Destination)
	if opts.Stats != nil {
		fmt.Fprintln(stdout)
		opts.Stats.Print(stdout)
	}
	return ExitOK
}

// report prints a build error and returns its exit code.
func report(err error, stderr io.Writer) int {
	var ce *build.ContentError
	if errors.As(err, &ce) {
		printDiags(stderr, ce.Diags)
		fmt.Fprintf(stderr, "%d %s, %d %s: nothing was written, public/ is as it was\n",
			ce.Diags.Count(diag.Error), plural(ce.Diags.Count(diag.Error), "error", "errors"),
			ce.Diags.Count(diag.Warning), plural(ce.Diags.Count(diag.Warning), "warning", "warnings"))
		return ExitContent
	}
	fmt.Fprintf(stderr, "generator: %v\n", err)
	return ExitContent
}

func printDiags(w io.Writer, l diag.List) {
	for _, d := range l {
		fmt.Fprintln(w, d.Error())
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("version", "version", stderr)
	if code := parse(fs, args); code >= 0 {
		return code
	}
	v := "(devel)"
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		v = info.Main.Version
	}
	fmt.Fprintf(stdout, "peerpress %s\n", strings.TrimSpace(v))
	return ExitOK
}
