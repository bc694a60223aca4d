// Package build runs a site build as named phases (load, validate,
// assemble, render, write) and writes public/ atomically: everything goes to
// a sibling directory that replaces the old one only once it is complete, so
// a failed or interrupted build leaves the last good site in place.
package build

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/tdewolff/minify/v2"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/content"
	"peerpress/generator/internal/decode"
	"peerpress/generator/internal/diag"
	"peerpress/generator/internal/layout"
	"peerpress/generator/internal/linkcheck"
	"peerpress/generator/internal/markdown"
	"peerpress/generator/internal/schema"
	"peerpress/generator/internal/site"
)

// Options say what to build.
type Options struct {
	// Source is the site's root directory.
	Source string
	// Destination is where public/ goes; empty means <Source>/public.
	Destination string
	// Drafts includes draft pages.
	Drafts bool
	// BaseURL, when set, replaces site.yaml's base_url.
	BaseURL string
	// Now is the build date.
	Now time.Time
	// Stats, when not nil, is filled with the time of each phase and of
	// each layout.
	Stats *Stats
	// NowIsDate says Now was given as a date alone: it then means midnight
	// at the start of that date in the site's time zone.
	NowIsDate bool

	// noSearch leaves the search index out, for BenchmarkSearchShare,
	// which measures what building it adds to a build.
	noSearch bool
}

// ContentError is returned when the site's content, settings or layouts have
// errors; Diags lists all of them, warnings included.
type ContentError struct {
	Diags diag.List
}

func (e *ContentError) Error() string {
	return fmt.Sprintf("%d errors in the site", e.Diags.Count(diag.Error))
}

// Project is a loaded and validated site, ready to assemble.
type Project struct {
	Config  *config.Config
	Pages   []*content.Page
	Layouts *layout.Set
	// Diags are every problem found: errors, warnings and hidden pages.
	Diags diag.List
	// Hidden holds the files of pages left out of the site.
	Hidden map[string]bool
	// Today is the build date in the site's time zone, at which site.yaml's
	// rules were evaluated.
	Today decode.Date
	// checked holds each page's own checks (schema.Checker.Page), kept
	// by a Session for the pages that did not change.
	checked map[*content.Page]diag.List
	// refs keeps the checks between pages, by a Session, for as long as
	// the same files are loaded; nil in a build.
	refs *schema.RefCache
	// dropBodies lets the build forget each page's Markdown once it is
	// converted: nothing later reads it, and on a large site the files'
	// text is a good share of the memory the build holds while rendering.
	dropBodies bool
}

// Load runs the load and validate phases. It returns a *ContentError when
// the site has errors; other errors are I/O failures.
func Load(ctx context.Context, opts Options) (*Project, error) {
	clock := time.Now()
	opts.Stats.begin()
	fsys := content.DirFS(opts.Source)
	cfg, diags := config.Load(fsys)
	if diags.Err() != nil {
		return nil, &ContentError{Diags: diags}
	}
	if opts.BaseURL != "" {
		u, err := parseBaseURL(opts.BaseURL)
		if err != nil {
			return nil, err
		}
		cfg.SetBase(u)
	}
	if cfg.Favicon == "" {
		cfg.Favicon = config.FoundFavicon(fsys)
	}
	// The layouts (parsed, minified, their assets fingerprinted) and the
	// content are read side by side: neither needs the other.
	var layouts *layout.Set
	var ldiags diag.List
	loaded := make(chan struct{})
	go func() {
		defer close(loaded)
		layouts, ldiags = layout.Load(fsys, cfg, site.Funcs(cfg))
	}()
	pages, tree, err := content.Load(ctx, fsys, cfg)
	<-loaded
	diags = append(diags, ldiags...)
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	diags = append(diags, tree...)
	opts.Stats.phase("load", &clock)
	p := &Project{Config: cfg, Pages: pages, Layouts: layouts}
	p.validate(fsys, opts, diags)
	opts.Stats.phase("validate", &clock)
	if p.Diags.Err() != nil {
		return p, &ContentError{Diags: p.Diags}
	}
	return p, nil
}

// validate runs the cross-file checks and site.yaml's rules over the loaded
// pages and sets Diags and Hidden; loaded are the problems found while
// loading. A draft's errors are warnings: it is not published, so they do
// not stop the build, but the editor sees them early.
func (p *Project) validate(fsys fs.FS, opts Options, loaded diag.List) {
	p.Today = opts.today(p.Config.Location)
	var layoutNames []string // the site's own layouts; nil if none loaded
	if p.Layouts != nil {
		layoutNames = slices.DeleteFunc(p.Layouts.Names(), func(n string) bool { return slices.Contains(site.Layouts, n) })
	}
	checker := schema.NewChecker(p.Config, schema.Options{
		Exists: func(name string) bool {
			_, err := fs.Stat(fsys, name)
			return err == nil
		},
		Layouts: layoutNames,
		Today:   p.Today,
	})
	// A page's own checks (site.yaml's rules are the costly part) depend on
	// its file alone, so a rebuild keeps those of pages that did not
	// change; the checks between pages are map lookups, redone each time.
	fresh := make(map[*content.Page]diag.List, len(p.Pages))
	var unchecked []*content.Page
	for _, pg := range p.Pages {
		if l, ok := p.checked[pg]; ok {
			fresh[pg] = l
		} else {
			unchecked = append(unchecked, pg)
		}
	}
	results := checker.Pages(unchecked)
	for i, pg := range unchecked {
		fresh[pg] = results[i]
	}
	p.checked = fresh
	checks := slices.Clone(checker.Config())
	for _, pg := range p.Pages {
		checks = append(checks, fresh[pg]...)
	}
	checks = append(checks, checker.RefsCached(p.Pages, p.refs)...)
	p.Hidden = map[string]bool{}
	drafts := map[string]bool{}
	diags := slices.Clone(loaded)
	for _, pg := range p.Pages {
		if pg.Meta.Draft && !opts.Drafts {
			drafts[pg.File] = true
		}
		diags = append(diags, pg.Diags...)
	}
	diags = append(diags, checks...)
	for i, d := range diags {
		switch {
		case d.Severity == diag.Hidden:
			p.Hidden[d.Pos.File] = true
		case drafts[d.Pos.File] && d.Severity == diag.Error:
			diags[i].Severity = diag.Warning
		}
	}
	p.Diags = diags.Sort()
}

// buildTime is the build's moment: Now, or midnight in the site's time zone
// when Now was given as a date.
func (o Options) buildTime(cfg *config.Config) time.Time {
	if o.NowIsDate {
		return time.Date(o.Now.Year(), o.Now.Month(), o.Now.Day(), 0, 0, 0, 0, cfg.Location)
	}
	return o.Now
}

// today returns the calendar date of the build in loc.
func (o Options) today(loc *time.Location) decode.Date {
	now := o.Now
	switch {
	case now.IsZero():
		now = time.Now()
	case o.NowIsDate:
		return decode.DateOf(now)
	}
	return decode.DateOf(now.In(loc))
}

func parseBaseURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--base-url %q is not an absolute http(s) URL", s)
	}
	return u, nil
}

// Result describes a finished build.
type Result struct {
	// Pages counts HTML pages written; Files counts every file.
	Pages, Files int
	Elapsed      time.Duration
	// Diags are the warnings and hidden pages of a successful build.
	Diags diag.List
	// Destination is the directory written.
	Destination string
}

// Build validates, renders and writes the site. Files go to disk as they
// are made, into a directory beside the destination that replaces it only
// once the build has succeeded: the site the last build replaced, kept for
// this (see staging), or a new one.
func Build(ctx context.Context, opts Options) (*Result, error) {
	start := time.Now()
	dest := opts.Destination
	if dest == "" {
		dest = filepath.Join(opts.Source, "public")
	}
	p, err := Load(ctx, opts)
	if err != nil {
		return nil, err
	}
	p.dropBodies = true
	st, err := staging(dest)
	if err != nil {
		return nil, fmt.Errorf("write: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			// The half-written directory is kept like an old site: the
			// next build writes over it.
			_ = st.keep(dest)
		}
	}()
	out := newOutput(st.sink())
	err = produce(ctx, p, opts, out)
	var ce *ContentError
	if errors.As(err, &ce) {
		// Show the warnings found while loading beside what stopped it.
		return nil, &ContentError{Diags: append(slices.Clone(p.Diags), ce.Diags...).Sort()}
	} else if err != nil {
		return nil, err
	}
	clock := time.Now()
	if err := st.prune(out.paths); err != nil {
		return nil, fmt.Errorf("write: %w", err)
	}
	opts.Stats.phase("remove stale files", &clock)
	if err := swap(st.dir, dest); err != nil {
		return nil, fmt.Errorf("write: %w", err)
	}
	ok = true
	opts.Stats.phase("swap into place", &clock)
	return &Result{Pages: out.pages, Files: len(out.paths), Elapsed: time.Since(start), Diags: p.Diags, Destination: dest}, nil
}

// Assemble makes the site of a loaded project as Build does, with the
// build date, drafts and hidden pages of opts, before anything is
// rendered.
func (p *Project) Assemble(ctx context.Context, opts Options) (*site.Site, error) {
	s, err := site.New(ctx, p.Pages, p.Config, markdown.New(markdown.Options{BasePath: p.Config.BasePath(), UnsafeHTML: p.Config.Markdown.UnsafeHTML}),
		site.Options{Now: opts.buildTime(p.Config), Drafts: opts.Drafts, Hidden: func(pg *content.Page) bool { return p.Hidden[pg.File] }})
	if err != nil {
		return nil, fmt.Errorf("assemble: %w", err)
	}
	return s, nil
}

// produce runs the phases between validation and writing: it assembles the
// site, makes the photos' sizes, renders every page, adds the static files
// and checks every internal link against the result. Files go to out as
// they are made.
func produce(ctx context.Context, p *Project, opts Options, out *output) error {
	clock := time.Now()
	s, err := p.Assemble(ctx, opts)
	if err != nil {
		return err
	}
	if p.dropBodies {
		for _, pg := range p.Pages {
			pg.Body = nil
		}
	}
	opts.Stats.phase("assemble", &clock)
	photoFiles, err := photos(ctx, opts.Source, s, nil)
	if err != nil {
		return err
	}
	if err := out.addAll(photoFiles); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	opts.Stats.phase("photos", &clock)
	links := linkcheck.Links(s)
	fragmentTargets(s, links, out)
	m := newMinifier()
	if err := render(ctx, s, p.Layouts, m, opts, out); err != nil {
		return err
	}
	clock = time.Now() // render records its own phases
	if err := staticFiles(opts.Source, out, m); err != nil {
		return err
	}
	opts.Stats.phase("static files", &clock)
	if diags := checkLinks(s, links, out.taken(), out.anchors.IDs); len(diags) > 0 {
		return &ContentError{Diags: diags}
	}
	opts.Stats.phase("link check", &clock)
	return nil
}

// siteWideFiles are the sitemap, robots.txt, feeds, calendars and forms
// manifest.
func siteWideFiles(s *site.Site, m *minify.M) ([]file, error) {
	files, err := siteFiles(s, m)
	if err != nil {
		return nil, err
	}
	forms, err := formFiles(s)
	if err != nil {
		return nil, err
	}
	return append(files, forms...), nil
}

// render builds the search index, then executes every output's layout in
// parallel, writing each page as it is made; the feeds, calendars, sitemap
// and forms manifest are made alongside both. Then it adds the site-wide
// files.
func render(ctx context.Context, s *site.Site, layouts *layout.Set, m *minify.M, opts Options, out *output) error {
	clock, stats := time.Now(), opts.Stats
	// The site-wide files need only the assembled site: made alongside,
	// they keep a core busy while the index's single-threaded steps run.
	var extra []file
	var extraErr error
	made := make(chan struct{})
	go func() {
		defer close(made)
		start := time.Now()
		extra, extraErr = siteWideFiles(s, m)
		stats.background("feeds, calendars, forms", time.Since(start))
	}()
	// The index is built on all cores before the pages and written at
	// once, so that its memory is free again before they render. Built
	// alongside them, as it was, it added a third to the heap the
	// collector works near its limit with, which at 10,000 documents
	// cost 0.5 CPU-s more than the index itself (6.5 against 7.0 CPU-s
	// for the whole build).
	if !opts.noSearch {
		index, err := searchFiles(s)
		if err == nil {
			err = out.addAll(index)
		}
		if err != nil {
			<-made
			return fmt.Errorf("search index: %w", err)
		}
		stats.phase("search index", &clock)
	}
	outputs := s.Outputs()
	times := make([]time.Duration, len(outputs))
	err := renderOutputs(ctx, layouts, outputs, out, times)
	<-made
	if err != nil {
		return err
	}
	out.pages = len(outputs)
	if stats != nil {
		names, paths := make([]string, len(outputs)), make([]string, len(outputs))
		for i, o := range outputs {
			names[i], paths[i] = o.Layout, o.Path
		}
		stats.layouts(names, paths, times)
	}
	stats.phase("render pages", &clock)
	var files []file
	for _, a := range layouts.Assets() {
		files = append(files, file{Path: a.Path, Body: a.Body})
	}
	if err := out.addAll(files); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	if extraErr != nil {
		return fmt.Errorf("render: %w", extraErr)
	}
	if err := out.addAll(extra); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	aliases, err := aliasFiles(s, out.taken())
	var ce *ContentError
	if errors.As(err, &ce) {
		return err
	} else if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	if err := out.addAll(aliases); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	stats.phase("site files, redirects", &clock)
	return nil
}

// minifiable are the static files minified on the way through, by
// extension; everything else is copied byte for byte.
var minifiable = map[string]string{
	".css":  "text/css",
	".js":   "application/javascript",
	".json": "application/json",
	".svg":  "image/svg+xml",
	".xml":  "application/xml",
}

// staticFiles adds the site's static/ directory: CSS, JS, JSON, SVG and XML
// minified, anything else copied as it is. A static file may not take the
// place of a generated one.
func staticFiles(source string, out *output, m *minify.M) error {
	root := filepath.Join(source, "static")
	taken := out.taken()
	var files []file
	var diags diag.List
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == root {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if taken[rel] {
			diags.Add(diag.Pos{File: "static/" + rel}, "", "static file would replace the generated %s (rename or move it)", rel)
			return nil
		}
		mime, ok := minifiable[strings.ToLower(filepath.Ext(rel))]
		if !ok {
			files = append(files, file{Path: rel, Src: p})
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		min, err := m.Bytes(mime, b)
		if err != nil {
			diags.Add(diag.Pos{File: "static/" + rel}, "", "cannot minify: %v", err)
			return nil
		}
		files = append(files, file{Path: rel, Body: min})
		return nil
	})
	if err != nil {
		return fmt.Errorf("static: %w", err)
	}
	if len(diags) > 0 {
		return &ContentError{Diags: diags}
	}
	if err := out.addAll(files); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}
