package build

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tdewolff/minify/v2"
	"golang.org/x/sync/errgroup"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/content"
	"peerpress/generator/internal/diag"
	"peerpress/generator/internal/images"
	"peerpress/generator/internal/layout"
	"peerpress/generator/internal/linkcheck"
	"peerpress/generator/internal/markdown"
	"peerpress/generator/internal/par"
	"peerpress/generator/internal/schema"
	"peerpress/generator/internal/search"
	"peerpress/generator/internal/site"
)

// Session is a site kept in memory between builds, for `generator serve`.
// Update rebuilds after a change and renders again only the pages the
// change can affect: an edited page, the listings and facet pages it is
// shown on, and the pages that refer to it or that it refers to. Unchanged
// pages keep their parsed front matter, converted Markdown, photos and
// rendered HTML; templates stay parsed until a layout changes; site.yaml
// changing rebuilds everything. An edit that leaves the same pages
// published at the same addresses is patched into the assembled site,
// and only the outputs that can show the edited pages are keyed again
// (patch); any other change assembles the site anew.
//
// A Session is used by one goroutine at a time; the Snapshots it returns
// may be read from any number.
type Session struct {
	opts Options
	fsys fs.FS

	proj  *Project // config, layouts and the loaded pages
	tree  diag.List
	files map[string]*content.Page // loaded pages by file
	deps  layout.Deps
	md    *markdown.Renderer
	min   *minify.M

	// Kept for as long as the page they were made from is loaded.
	html    map[*content.Page]markdown.Result
	photo   map[*content.Page]*images.Photo
	version map[*content.Page]uint64
	next    uint64

	cur *Snapshot // the last good build, nil before the first
	// reread says the site must be read whole at the next update: the
	// last attempt to (site.yaml, the tree or the layouts changed) failed.
	reread bool
	// changed are the pages read again since the last good build: only
	// their links need checking, unless a file has gone.
	changed map[*content.Page]bool
	// at is where each file's page is in proj.Pages.
	at map[string]int
	// extraPaths are the site files (feeds, calendars, sitemap, search
	// index) of the last snapshot that made them, for the link check of
	// snapshots that have not made theirs yet.
	extraPaths map[string]bool
	// mu guards html, filled by site.New's workers, and extraPaths,
	// written by Complete in the background.
	mu sync.Mutex

	// site is the site assembled from proj, which an edit patches in
	// place (site.Patch); nil when the next update must assemble it anew.
	// siteMu is held for writing while it is patched, and for reading by
	// Complete, which reads it in the background.
	site   *site.Site
	siteMu sync.RWMutex
	// keyer and keys are the output keys of the current snapshot's
	// outputs, and what they were computed from.
	keyer *keyer
	keys  map[string]uint64
	// taken and paths are the files of the last assembly of every output
	// (pages, photos and assets; and with the alias, static and site
	// files too): a patch leaves the same files.
	taken, paths map[string]bool
	pages        int
	// hidden is proj.Hidden at the last assembly.
	hidden map[string]bool
	// wide says the next patch must key every output: the last update
	// failed after the site was patched, so that the current snapshot
	// may miss more than what the next edit touches.
	wide bool
	// patches counts the snapshots made by patching, for tests.
	patches int
}

// Snapshot is one good build, held in memory. The pages, assets, photos,
// redirects and static files are made by Update; the files about the whole
// site (search index, feeds, calendars, sitemap, forms manifest) are made
// by Complete, on first need, so that an edit is served without waiting
// for them.
type Snapshot struct {
	// Pages counts the HTML pages rendered from layouts.
	Pages int
	// Rendered lists the outputs rendered anew by the Update that made
	// this snapshot, sorted; the others were carried over.
	Rendered []string
	// Diags are the warnings and hidden pages of the build.
	Diags diag.List

	files map[string][]byte
	site  *site.Site
	min   *minify.M
	sess  *Session

	once  sync.Once
	extra map[string][]byte
	err   error
}

// NewSession prepares a session; the first Update builds the whole site.
func NewSession(opts Options) *Session {
	return &Session{opts: opts, fsys: content.DirFS(opts.Source), min: newMinifier()}
}

// Current returns the last good build, nil if there has been none.
func (s *Session) Current() *Snapshot { return s.cur }

// Update rebuilds after changes to the named files (paths relative to the
// site's root; nil means everything may have changed). It returns the new
// snapshot, or a *ContentError when the site has errors, in which case the
// last good snapshot stays current.
func (s *Session) Update(ctx context.Context, changed []string) (*Snapshot, error) {
	full := s.cur == nil || changed == nil || s.reread
	var pages, layouts, static bool
	for _, c := range changed {
		c = path.Clean(strings.TrimPrefix(c, "./"))
		switch top, _, _ := strings.Cut(c, "/"); {
		case c == config.File:
			full = true
		case top == content.Dir && strings.HasSuffix(c, ".md"):
			pages = true
		case top == content.Dir:
			switch info, err := fs.Stat(s.fsys, c); {
			case err == nil && !info.IsDir() && !strings.HasSuffix(c, ".md"):
				// A photo kept beside the content, or another file that
				// is not a page.
				static = true
			case err != nil && !s.loadedUnder(c):
				// Gone, and no page was read from it: an editor's or
				// tool's temporary file (sed -i, vim's 4913).
			default:
				// A directory, a page with a name that needs reporting,
				// or a folder of pages gone: the tree is read again.
				full = true
			}
		case top == layout.Dir:
			layouts = true
		case top == "static" && s.foundFavicon(c):
			// Every page links the icon site.yaml leaves to static/:
			// one added or gone changes them all.
			full = true
		case top == "static":
			static = true
		}
	}
	if full {
		return s.rebuild(ctx)
	}
	if layouts {
		set, diags := layout.Load(s.fsys, s.proj.Config, site.Funcs(s.proj.Config))
		if diags.Err() != nil {
			// Until the layouts load, a save elsewhere must not build
			// with the old ones as if all were well.
			s.reread = true
			return nil, &ContentError{Diags: diags}
		}
		s.proj.Layouts = set
		s.deps = set.Deps()
		s.site = nil
	}
	reordered, tree := false, false
	if pages {
		var err error
		if reordered, tree, err = s.reload(changed); err != nil {
			return nil, err
		}
	}
	if tree {
		// A file the tree rules reject (in no section, a name that is
		// not a slug): reading the whole tree reports it as a build does.
		return s.rebuild(ctx)
	}
	if static {
		s.forgetPhotos(changed)
		s.site = nil
	}
	if reordered {
		s.site = nil
		s.proj.refs = &schema.RefCache{}
		s.proj.Pages = slices.SortedFunc(maps.Values(s.files), func(a, b *content.Page) int {
			// content.Load's order: by section, then slug.
			return cmp.Or(strings.Compare(string(a.Section), string(b.Section)), strings.Compare(a.Slug, b.Slug))
		})
		s.indexPages()
	} else {
		// The same files, some read again: each keeps its place.
		for pg := range s.changed {
			s.proj.Pages[s.at[pg.File]] = pg
		}
	}
	s.proj.validate(s.fsys, s.opts, s.tree)
	if s.proj.Diags.Err() != nil {
		return nil, &ContentError{Diags: s.proj.Diags}
	}
	switch snap, err := s.patch(ctx); {
	case errors.Is(err, errAssemble):
		return s.publish(ctx)
	case err != nil:
		return nil, err
	default:
		s.cur = snap
		return snap, nil
	}
}

// rebuild reads the whole site again and builds it. Until a rebuild has
// read the site, every update is one: what was loaded before may no longer
// match site.yaml or the tree.
func (s *Session) rebuild(ctx context.Context) (*Snapshot, error) {
	s.reread = true
	if err := s.load(ctx); err != nil {
		return nil, err
	}
	s.reread = false
	return s.publish(ctx)
}

// publish assembles the loaded site and makes it the current snapshot.
func (s *Session) publish(ctx context.Context) (*Snapshot, error) {
	snap, err := s.assemble(ctx)
	if err != nil {
		return nil, err
	}
	s.cur = snap
	return snap, nil
}

// loadedUnder reports whether a page was read from c or from below it.
func (s *Session) loadedUnder(c string) bool {
	if s.files[c] != nil {
		return true
	}
	for f := range s.files {
		if strings.HasPrefix(f, c+"/") {
			return true
		}
	}
	return false
}

// load reads the whole site afresh.
func (s *Session) load(ctx context.Context) error {
	p, err := Load(ctx, s.opts)
	if err != nil {
		return err
	}
	s.proj, s.cur, s.site = p, nil, nil
	p.refs = &schema.RefCache{}
	s.files = map[string]*content.Page{}
	s.changed = map[*content.Page]bool{}
	for _, pg := range p.Pages {
		s.files[pg.File] = pg
	}
	s.indexPages()
	s.tree = nil
	for _, d := range p.Diags {
		// The problems of the tree itself (a file in no section) and of
		// site.yaml have no page to be found again from: they are kept
		// until the next full load.
		if s.files[d.Pos.File] == nil && d.Severity != diag.Hidden {
			s.tree = append(s.tree, d)
		}
	}
	s.html = map[*content.Page]markdown.Result{}
	s.photo = map[*content.Page]*images.Photo{}
	s.version = map[*content.Page]uint64{}
	for _, pg := range p.Pages {
		s.bump(pg)
	}
	s.md = markdown.New(markdown.Options{BasePath: p.Config.BasePath(), UnsafeHTML: p.Config.Markdown.UnsafeHTML})
	s.deps = p.Layouts.Deps()
	return nil
}

// bump gives a loaded page a new version: every output showing it renders
// again.
func (s *Session) bump(pg *content.Page) {
	s.next++
	s.version[pg] = s.next
}

// forget drops what is kept of a page that is no longer loaded.
func (s *Session) forget(pg *content.Page) {
	delete(s.html, pg)
	delete(s.photo, pg)
	delete(s.version, pg)
}

// reload reads the changed content files again; one that is gone is
// removed. It reports whether the set of files changed, which changes the
// pages' order, and whether a file breaks the tree's rules, which only
// reading the whole tree reports.
func (s *Session) reload(changed []string) (reordered, tree bool, err error) {
	for _, c := range changed {
		c = path.Clean(c)
		if !strings.HasPrefix(c, content.Dir+"/") || !strings.HasSuffix(c, ".md") {
			continue
		}
		old := s.files[c]
		var photo *images.Photo
		if old != nil {
			photo = s.photo[old]
			s.forget(old)
			delete(s.files, c)
			delete(s.changed, old)
		}
		pg, problems, err := content.LoadFile(s.fsys, c, s.proj.Config)
		if errors.Is(err, fs.ErrNotExist) {
			reordered = reordered || old != nil
			continue
		} else if err != nil {
			return false, false, fmt.Errorf("read %s: %w", c, err)
		}
		if len(problems) > 0 {
			return false, true, nil
		}
		if pg != nil {
			s.files[c] = pg
			s.bump(pg)
			s.changed[pg] = true
			if photo != nil && photoField(pg) == photoField(old) {
				// The same picture: its sizes need not be made again.
				s.photo[pg] = photo
			}
		}
		reordered = reordered || (old == nil) != (pg == nil)
	}
	return reordered, false, nil
}

// photoField is a supporter's photo as its page names it, "" for other
// pages.
func photoField(pg *content.Page) string {
	if sp, ok := pg.Data.(*content.Supporter); ok {
		return sp.Photo
	}
	return ""
}

// indexPages notes where each page is in the loaded pages' order.
func (s *Session) indexPages() {
	s.at = make(map[string]int, len(s.proj.Pages))
	for i, pg := range s.proj.Pages {
		s.at[pg.File] = i
	}
}

// forgetPhotos drops the photos made from changed files, so that they are
// made again, and marks their pages changed.
func (s *Session) forgetPhotos(changed []string) {
	for pg, ph := range s.photo {
		name := strings.TrimPrefix(pg.Data.(*content.Supporter).Photo, "/")
		if ph != nil && (slices.Contains(changed, "static/"+name) || slices.Contains(changed, content.Dir+"/"+name)) {
			delete(s.photo, pg)
			s.bump(pg)
		}
	}
}

// markdownOf converts a page's body, or returns the conversion kept from
// an earlier build.
func (s *Session) markdownOf(pg *content.Page) (markdown.Result, error) {
	s.mu.Lock()
	r, ok := s.html[pg]
	s.mu.Unlock()
	if ok {
		return r, nil
	}
	r, err := s.md.Render(pg.Body)
	if err != nil {
		return r, err
	}
	s.mu.Lock()
	s.html[pg] = r
	s.mu.Unlock()
	return r, nil
}

// assemble makes a snapshot of the loaded site, assembled anew, rendering
// only the outputs whose inputs changed since the current one.
func (s *Session) assemble(ctx context.Context) (*Snapshot, error) {
	p := s.proj
	st, err := site.New(ctx, p.Pages, p.Config, s.md, site.Options{
		Now: s.opts.buildTime(p.Config), Drafts: s.opts.Drafts,
		Hidden:   func(pg *content.Page) bool { return p.Hidden[pg.File] },
		Markdown: s.markdownOf,
	})
	if err != nil {
		return nil, fmt.Errorf("assemble: %w", err)
	}
	s.site = st
	s.keyer = newKeyer(st, s.deps, func(pg *content.Page) uint64 { return s.version[pg] })
	return s.assembled(ctx, st, st.Outputs())
}

// assembled makes a snapshot of an assembled site with every output, the
// outputs listed, keying each and rendering those whose key changed.
func (s *Session) assembled(ctx context.Context, st *site.Site, outputs []site.Output) (*Snapshot, error) {
	p := s.proj
	// Until this snapshot is made, the next may not be patched from it:
	// what failed is not known to be the last edit alone.
	s.wide = true
	snap := &Snapshot{Diags: p.Diags, site: st, min: s.min, sess: s}
	mem := &memSink{files: make(map[string][]byte, len(outputs)+64)}
	out := newOutput(mem)
	photoFiles, err := photos(ctx, s.opts.Source, st, s.photo)
	if err != nil {
		return nil, err
	}
	if err := out.addAll(photoFiles); err != nil {
		return nil, err
	}
	for _, a := range p.Layouts.Assets() {
		if err := out.add(file{Path: a.Path, Body: a.Body}); err != nil {
			return nil, err
		}
	}

	// Render the outputs whose key changed; carry the others over.
	keys := s.keyAll(outputs)
	keyMap := make(map[string]uint64, len(outputs))
	var dirty []site.Output
	for i, o := range outputs {
		key := keys[i]
		keyMap[o.Path] = key
		if old := s.cur; old != nil && s.keys[o.Path] == key {
			if body, ok := old.files[o.Path]; ok {
				if err := out.add(file{Path: o.Path, Body: body}); err != nil {
					return nil, err
				}
				continue
			}
		}
		dirty = append(dirty, o)
		snap.Rendered = append(snap.Rendered, o.Path)
	}
	slices.Sort(snap.Rendered)
	p.Layouts.ForgetCached()
	if err := renderOutputs(ctx, p.Layouts, dirty, out, nil); err != nil {
		return nil, err
	}
	snap.Pages = len(outputs)
	taken := out.taken()
	aliases, err := aliasFiles(st, taken)
	if err != nil {
		return nil, err
	}
	if err := out.addAll(aliases); err != nil {
		return nil, err
	}
	if err := staticFiles(s.opts.Source, out, s.min); err != nil {
		return nil, err
	}
	paths := out.taken()
	s.mu.Lock()
	for p := range s.extraPaths {
		paths[p] = true
	}
	s.mu.Unlock()
	snap.files = mem.files
	if s.cur == nil {
		// The first build has no earlier site files to go by: it makes
		// its own now, so that links to them are checked.
		if err := snap.Complete(); err != nil {
			return nil, err
		}
		for p := range snap.extra {
			paths[p] = true
		}
	}
	if links := s.checkLinks(st, paths, snap, keyMap); len(links) > 0 {
		return nil, &ContentError{Diags: links}
	}
	clear(s.changed)
	s.keys, s.taken, s.paths, s.pages, s.wide = keyMap, taken, paths, len(outputs), false
	s.hidden = maps.Clone(p.Hidden)
	return snap, nil
}

// keyAll computes the outputs' keys, in parallel.
func (s *Session) keyAll(outputs []site.Output) []uint64 {
	keys := make([]uint64, len(outputs))
	var kg errgroup.Group
	workers := min(runtime.GOMAXPROCS(0), max(1, len(outputs)/64))
	for w := range workers {
		kg.Go(func() error {
			for i := w; i < len(outputs); i += workers {
				keys[i] = s.keyer.key(outputs[i])
			}
			return nil
		})
	}
	_ = kg.Wait()
	return keys
}

// forgetTouched drops the layouts' cached partials that an edit may have
// changed, and keeps the others for the next update. The theme's cards,
// testimonials and crumbs are cached by the address of the page they show
// and show nothing but what the output keys take a listed page to show
// (keyer.listed): only those of touched pages go. A filter sidebar (keyed
// section|total|value) shows its section's facet counts: those of sections
// whose counts changed go. The header, footer and head show site.yaml
// alone, which a patch leaves as it was. Any other partial, a site's own,
// goes every time.
func forgetTouched(set *layout.Set, touched map[*site.Page]bool, counted map[content.Section]bool) {
	urls := make(map[string]bool, len(touched))
	for p := range touched {
		urls[p.CacheKey()] = true
	}
	set.ForgetCachedWhere(func(name, key string) bool {
		switch name {
		case "card", "testimonial", "crumb":
			return urls[key]
		case "facet-sidebar":
			sec, _, _ := strings.Cut(key, "|")
			return counted[content.Section(sec)]
		case "header", "footer", "site-head":
			return false
		}
		return true
	})
}

// errAssemble is patch's answer when the edit cannot be patched into the
// assembled site: it must be assembled anew.
var errAssemble = errors.New("assemble the site anew")

// patch makes a snapshot after content files were edited, when the same
// pages are published at the same addresses: it patches the edited pages
// into the assembled site (site.Patch) and keys only the outputs that can
// show them, where assembling and keying everything again would cost each
// edit of a 10,000-page site more than rendering what it changed. It
// returns errAssemble when the edit is of another kind.
func (s *Session) patch(ctx context.Context) (*Snapshot, error) {
	st, p := s.site, s.proj
	if st == nil || s.cur == nil || !maps.Equal(s.hidden, p.Hidden) {
		return nil, errAssemble
	}
	var edited []*content.Page
	for pg := range s.changed {
		published := !(pg.Meta.Draft && !s.opts.Drafts) && !p.Hidden[pg.File]
		switch old := st.PageOf(pg.File); {
		case old == nil && !published:
			continue
		case old == nil || !published:
			return nil, errAssemble
		case old.Source == pg:
			continue
		case !slices.Equal(old.Aliases, pg.Meta.Aliases) || photoField(old.Source) != photoField(pg):
			// Other files: assembling anew adds and drops them.
			return nil, errAssemble
		}
		edited = append(edited, pg)
	}
	slices.SortFunc(edited, func(a, b *content.Page) int { return strings.Compare(a.File, b.File) })
	// The site files of the last snapshot may be being read from the site:
	// that takes at most about 0.1 s at 10,000 documents, less than
	// assembling anew, so the patch waits for it.
	s.siteMu.Lock()
	e, err := st.Patch(ctx, edited, s.markdownOf)
	var photoFiles []file
	if err == nil {
		var supporters []*site.Page
		for _, pg := range edited {
			if sp := st.PageOf(pg.File); sp.Supporter != nil {
				supporters = append(supporters, sp)
			}
		}
		photoFiles, err = photosOf(ctx, s.opts.Source, st, supporters, s.photo)
	}
	s.siteMu.Unlock()
	if errors.Is(err, site.ErrNotPatchable) {
		return nil, errAssemble
	} else if err != nil {
		s.site = nil
		return nil, err
	}
	return s.patched(ctx, st, e, edited, photoFiles)
}

// patched makes the snapshot of a patched site: the current snapshot's
// files, with the outputs that can show the edit keyed again and those
// whose key changed rendered again.
func (s *Session) patched(ctx context.Context, st *site.Site, e *site.Edit, edited []*content.Page, photoFiles []file) (*Snapshot, error) {
	var secs []content.Section
	for _, pg := range edited {
		if !slices.Contains(secs, pg.Section) {
			secs = append(secs, pg.Section)
		}
	}
	layouts, counted := s.keyer.refresh(st, e, secs)
	if e.Reshaped || s.wide {
		// Outputs come or go, or the current snapshot may miss more than
		// this edit: every output is keyed.
		return s.assembled(ctx, st, st.Outputs())
	}
	sel := &site.Selection{Pages: e.Touched, Items: e.Touched, Listings: map[content.Section]bool{}, Layouts: layouts}
	for sec := range e.Moved {
		sel.Listings[sec] = true
	}
	for sec := range counted {
		sel.Listings[sec] = true
	}
	outputs := st.OutputsOf(sel)
	keys := s.keyAll(outputs)
	fresh := map[string]uint64{}
	var dirty []site.Output
	for i, o := range outputs {
		if _, ok := s.cur.files[o.Path]; !ok {
			return s.assembled(ctx, st, st.Outputs())
		}
		if s.keys[o.Path] != keys[i] {
			fresh[o.Path] = keys[i]
			dirty = append(dirty, o)
		}
	}
	// Until this snapshot is made, the next update keys every output.
	s.wide = true
	snap := &Snapshot{Diags: s.proj.Diags, site: st, min: s.min, sess: s, Pages: s.pages}
	mem := newMemSink()
	out := newOutput(mem)
	forgetTouched(s.proj.Layouts, e.Touched, counted)
	if err := renderOutputs(ctx, s.proj.Layouts, dirty, out, nil); err != nil {
		return nil, err
	}
	if err := out.addAll(photoFiles); err != nil {
		return nil, err
	}
	aliases, err := aliasFiles(st, s.taken)
	if err != nil {
		return nil, err
	}
	if err := out.addAll(aliases); err != nil {
		return nil, err
	}
	for _, o := range dirty {
		snap.Rendered = append(snap.Rendered, o.Path)
	}
	slices.Sort(snap.Rendered)
	snap.files = maps.Clone(s.cur.files)
	maps.Copy(snap.files, mem.files)
	s.mu.Lock()
	for p := range s.extraPaths {
		s.paths[p] = true
	}
	s.mu.Unlock()
	// The same files as the current snapshot: only the links of the
	// pages read again, and those into the pages rendered again, can have
	// broken. s.keys holds every output's path.
	if diags := checkSnapshotLinks(st, s.changedLinks(st, snap.Rendered), s.paths, snap.files, s.keys); len(diags) > 0 {
		return nil, &ContentError{Diags: diags}
	}
	clear(s.changed)
	maps.Copy(s.keys, fresh)
	s.wide = false
	s.patches++
	return snap, nil
}

// foundFavicon reports whether the changed file (a path from the site's
// root) is one of the icons a site may keep in static/ without naming it,
// and the site's site.yaml names none.
func (s *Session) foundFavicon(file string) bool {
	if s.proj == nil {
		return false // not built yet: the build reads everything
	}
	_, named := s.proj.Config.Pos["favicon"]
	return !named && slices.Contains(config.Favicons, strings.TrimPrefix(file, "static/"))
}

// checkLinks checks the links of snap's site st against paths, and
// their fragments against the ids of its pages (outputs holds their
// paths). When no file of the last good build has gone, only the links of
// the pages read again, and those whose fragment points into a page
// rendered anew, can have broken, so only those are checked.
func (s *Session) checkLinks(st *site.Site, paths map[string]bool, snap *Snapshot, outputs map[string]uint64) diag.List {
	links := func() []linkcheck.Link {
		if s.cur == nil {
			return linkcheck.Links(st)
		}
		for p := range s.cur.files {
			if !paths[p] {
				return linkcheck.Links(st)
			}
		}
		return s.changedLinks(st, snap.Rendered)
	}()
	return checkSnapshotLinks(st, links, paths, snap.files, outputs)
}

// checkSnapshotLinks checks links against paths, and their fragments
// against the ids of the pages in files, read there: a session keeps every
// page in memory, so nothing is gathered while rendering. Each page a
// fragment points into is read once, as far as the last id its links
// look for. outputs holds the paths of the pages rendered from layouts.
func checkSnapshotLinks(st *site.Site, links []linkcheck.Link, paths map[string]bool, files map[string][]byte, outputs map[string]uint64) diag.List {
	anchors := linkcheck.NewAnchors(linkcheck.Targets(links, st.Config.BasePath()))
	ids := func(p string) ([]string, bool) {
		if ids, ok := anchors.IDs(p); ok {
			return ids, true
		}
		if _, ok := outputs[p]; !ok || !anchors.Wants(p) {
			return nil, false
		}
		body, ok := files[p]
		if !ok {
			return nil, false
		}
		anchors.Scan(p, body)
		return anchors.IDs(p)
	}
	return linkcheck.Internal(links, st.Config.BasePath(), paths, ids)
}

// changedLinks are the links an update checks when no file has gone: those
// of site.yaml and of the pages read again, and those of the other pages
// whose fragment points into a page rendered anew (rendered, sorted),
// which may have lost the id they go to.
func (s *Session) changedLinks(st *site.Site, rendered []string) []linkcheck.Link {
	var read []*site.Page
	var fragments []linkcheck.Link // of the other pages
	all := st.AllPages()
	for i, p := range all {
		switch {
		case s.changed[p.Source]:
			read = append(read, p)
		case len(rendered) > 0:
			// One page at a time: most have no fragment link, and
			// gathering the others first would copy a slice of
			// every page, a tenth of an edit's time at 10,000.
			fragments = append(fragments, linkcheck.FragmentLinksOf(all[i:i+1])...)
		}
	}
	// site.yaml's few links are checked every time: a fragment of the
	// menu's may point into any page rendered anew.
	links := append(linkcheck.ConfigLinks(st.Config), linkcheck.LinksOf(read)...)
	if len(fragments) == 0 {
		return links
	}
	into := make(map[string]bool, len(rendered))
	for _, p := range rendered {
		into[p] = true
	}
	return append(links, linkcheck.LinksInto(fragments, st.Config.BasePath(), into)...)
}

// renderOutputs renders outputs in parallel into out, each page written as
// soon as it is made. times, if not nil, receives each output's time to
// render, for --stats. A layout failing is a *ContentError naming it.
func renderOutputs(ctx context.Context, layouts *layout.Set, outputs []site.Output, out *output, times []time.Duration) error {
	errs := make([]error, len(outputs))
	// One more worker than the cores, for the one waiting on the disk.
	err := par.Each(ctx, len(outputs), runtime.GOMAXPROCS(0)+1, func(i int) error {
		o := outputs[i]
		start := time.Now()
		// The page is written from the buffer it was rendered into.
		err := layouts.RenderFunc(o.Layout, o.View, func(page []byte) error {
			if times != nil {
				times[i] = time.Since(start)
			}
			if out.anchors.Wants(o.Path) {
				out.anchors.Scan(o.Path, page)
			}
			if err := out.add(file{Path: o.Path, Body: page}); err != nil {
				return fmt.Errorf("write: %w", err)
			}
			return nil
		})
		if re, ok := err.(*layout.RenderError); ok {
			errs[i] = re.Err
			return nil
		}
		return err
	})
	if err != nil {
		return err
	}
	var diags diag.List
	for i, err := range errs {
		if err != nil {
			d := layouts.Diagnostic(err)
			d.Msg = fmt.Sprintf("rendering %s: %s", outputs[i].Path, d.Msg)
			diags.Append(d)
		}
	}
	if len(diags) > 0 {
		return &ContentError{Diags: diags.Sort()}
	}
	return nil
}

// Complete makes the files about the whole site: the search index, feeds,
// calendars, sitemap and forms manifest. It runs once, however many
// goroutines call it; File calls it when asked for one of these files.
func (sn *Snapshot) Complete() error {
	sn.once.Do(func() {
		// An update does not patch the site while it is read (at 10,000
		// documents about 0.1 s), but may while the search index is built
		// from what was read (0.5 s): an edit then is patched in, not
		// assembled anew.
		sn.sess.siteMu.RLock()
		files, err := siteWideFiles(sn.site, sn.min)
		docs, facets := search.FromSite(sn.site)
		sn.sess.siteMu.RUnlock()
		if err != nil {
			sn.err = err
			return
		}
		index, err := indexFiles(docs, facets)
		if err != nil {
			sn.err = fmt.Errorf("search index: %w", err)
			return
		}
		extra := map[string][]byte{}
		for _, f := range slices.Concat(files, index) {
			if _, ok := sn.files[f.Path]; !ok { // a page or alias wins, as on disk
				extra[f.Path] = f.Body
			}
		}
		sn.extra = extra
		paths := make(map[string]bool, len(extra))
		for p := range extra {
			paths[p] = true
		}
		sn.sess.mu.Lock()
		sn.sess.extraPaths = paths
		sn.sess.mu.Unlock()
	})
	return sn.err
}

// File returns the file at path (relative to public/), making the site
// files first if it is not a page.
func (sn *Snapshot) File(p string) ([]byte, bool) {
	if b, ok := sn.files[p]; ok {
		return b, true
	}
	if sn.Complete() != nil {
		return nil, false
	}
	b, ok := sn.extra[p]
	return b, ok
}

// IsDir reports whether p names a directory of the snapshot's files, such
// as supporters/jo-evans, which is served as its index.html.
func (sn *Snapshot) IsDir(p string) bool {
	_, ok := sn.File(strings.TrimSuffix(p, "/") + "/index.html")
	return ok
}

// FS is the snapshot as a file system, for the form server, which reads
// the forms manifest and the form pages from the site it serves.
func (sn *Snapshot) FS() fs.FS { return snapshotFS{sn} }

type snapshotFS struct{ sn *Snapshot }

func (f snapshotFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	b, ok := f.sn.File(name)
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &memFile{Reader: bytes.NewReader(b), name: path.Base(name), size: int64(len(b))}, nil
}

// memFile is an open file of a snapshot.
type memFile struct {
	*bytes.Reader
	name string
	size int64
}

func (m *memFile) Stat() (fs.FileInfo, error) { return m, nil }
func (m *memFile) Close() error               { return nil }
func (m *memFile) Name() string               { return m.name }
func (m *memFile) Size() int64                { return m.size }
func (m *memFile) Mode() fs.FileMode          { return 0o444 }
func (m *memFile) ModTime() time.Time         { return time.Time{} }
func (m *memFile) IsDir() bool                { return false }
func (m *memFile) Sys() any                   { return nil }
