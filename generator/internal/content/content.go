// Package content loads a site's content/ directory: it walks the files,
// splits each into YAML front matter and a Markdown body, and decodes the
// front matter into the typed page of its section, keeping the position of
// every field for later checks.
package content

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/decode"
	"peerpress/generator/internal/diag"
	"peerpress/generator/internal/par"
	"peerpress/generator/internal/textfold"
)

// Dir is the content directory at the root of a site.
const Dir = "content"

// MaxFileSize is the largest content file read; anything larger is surely a
// mistake (a binary or a generated file committed by accident).
const MaxFileSize = 10 << 20

// Section is a kind of content, named after its directory.
type Section string

// The sections of a site. Home is content/_index.md.
const (
	Home         Section = ""
	Networks     Section = "networks"
	Supporters   Section = "supporters"
	Training     Section = "training"
	Testimonials Section = "testimonials"
	News         Section = "news"
	Pages        Section = "pages"
)

// Sections lists the content directories in the order they are shown.
var Sections = []Section{Networks, Supporters, Training, Testimonials, News, Pages}

// IsSection reports whether name is one of the content directories.
func IsSection(name string) bool { return slices.Contains(Sections, Section(name)) }

// Page is one content file.
type Page struct {
	Section Section
	// Slug is the file name without .md: the URL segment and the id other
	// files refer to.
	Slug string
	// File is the path from the site root, as diagnostics show it.
	File string
	// Meta points at the common fields inside Data.
	Meta *Common
	// Data is the typed front matter: *HomePage, *Network, *Supporter,
	// *Course, *Testimonial or *Article.
	Data any
	// Body is the Markdown after the front matter; BodyLine is the line of
	// the file it starts on.
	Body     []byte
	BodyLine int
	// Pos holds the position of each field present, by path.
	Pos decode.Positions
	// Typos holds where a field was misspelt, by the path of the field it
	// looks meant to be (see decode.Decoder.Typos).
	Typos map[string]diag.Pos
	// Diags are the problems found in this file alone.
	Diags diag.List
}

// FieldPos returns where field was written, or the start of the front
// matter if it was not.
func (p *Page) FieldPos(field string) diag.Pos {
	if pos, ok := p.Pos.Lookup(field); ok {
		return pos
	}
	return diag.Pos{File: p.File, Line: 1, Col: 1}
}

// Load reads every content file below content/ in fsys, in parallel. Pages
// come back sorted by section and slug; each carries its own diagnostics, and
// problems with the tree itself (a file in no section, a bad name) are
// returned apart.
func Load(ctx context.Context, fsys fs.FS, cfg *config.Config) ([]*Page, diag.List, error) {
	var files []string
	var diags diag.List
	err := fs.WalkDir(fsys, Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == Dir {
				return fs.SkipDir
			}
			return err
		}
		if d.IsDir() {
			if skippedDir(p) {
				return fs.SkipDir
			}
			return nil
		}
		switch ok, problem := classify(p); {
		case problem != nil:
			diags.Append(*problem)
		case ok:
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("walk %s: %w", Dir, err)
	}
	pages := make([]*Page, len(files))
	err = par.Each(ctx, len(files), 0, func(i int) error {
		data, err := readFile(fsys, files[i])
		if err != nil {
			return fmt.Errorf("read %s: %w", files[i], err)
		}
		pages[i] = Parse(files[i], data, cfg)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	slices.SortFunc(pages, func(a, b *Page) int {
		return strings.Compare(string(a.Section)+"/"+a.Slug, string(b.Section)+"/"+b.Slug)
	})
	return pages, diags.Sort(), nil
}

// skipped reports whether a file or directory of content/ is left out:
// hidden ones, and those starting with _ (content/_index.md aside), which
// hold drafts of the editors' own or partials.
func skipped(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

// skippedDir reports whether Load skips the directory at p (a path from the
// site root) and everything in it.
func skippedDir(p string) bool {
	return p != Dir && p != Dir+"/_index.md" && skipped(path.Base(p))
}

// classify says what Load makes of the file at p (a path from the site
// root, below content/): a page (ok), a problem with the tree (a file in no
// section, a bad name), or nothing (a file that is not content). It does
// not look at the directories above the file; Load skips the files of
// skipped directories before it asks.
func classify(p string) (ok bool, problem *diag.Diagnostic) {
	name := path.Base(p)
	if p != Dir+"/_index.md" && skipped(name) {
		return false, nil
	}
	if !strings.HasSuffix(name, ".md") {
		if stem, ok := markdownLike(name); ok {
			// Most likely meant as a page: say why it is not one, rather
			// than leave the editor looking for it on the site.
			return false, &diag.Diagnostic{Pos: diag.Pos{File: p}, Severity: diag.Warning,
				Msg: fmt.Sprintf("file %q is not read: only files ending in .md are pages (rename it %q)", name, cmp.Or(Slugify(stem), stem)+".md")}
		}
		return false, nil
	}
	rel := strings.TrimPrefix(p, Dir+"/")
	dir, base := path.Split(rel)
	dir = strings.TrimSuffix(dir, "/")
	slug := strings.TrimSuffix(base, ".md")
	var l diag.List
	switch {
	case rel == "_index.md":
		return true, nil
	case dir == "":
		l.Add(diag.Pos{File: p}, "", "content file is in no section (expected content/<section>/%s with a section among %s)", base, sectionList())
	case strings.Contains(dir, "/") || !IsSection(dir):
		l.Add(diag.Pos{File: p}, "", "%q is not a content section (expected one of %s)", dir, sectionList())
	case !config.IsSlug(slug):
		l.Add(diag.Pos{File: p}, "", "file name %q is not a slug (expected lower-case letters, digits and hyphens, such as %q)", base, Slugify(slug)+".md")
	default:
		return true, nil
	}
	return false, &l[0]
}

// markdownLike reports whether a file name ends in another spelling of
// .md (.MD, .markdown, .mdown, ...), and returns the name without it.
func markdownLike(name string) (string, bool) {
	ext := path.Ext(name)
	switch strings.ToLower(ext) {
	case ".md", ".markdown", ".mdown", ".mkd", ".mkdn":
		stem := strings.TrimSuffix(name, ext)
		return stem, stem != ""
	}
	return "", false
}

// LoadFile loads one content file, given its path from the site root
// (content/<section>/<slug>.md), exactly as Load does: the same page with
// the same diagnostics. For a file Load makes no page of, the page is nil,
// with the problem Load reports about the file in the tree, if any (a file
// in no section, a name that is not a slug); a file Load skips (hidden, in
// a directory starting with _ or ., not .md) gives neither. It is for
// rebuilding after one file changed; a file that no longer exists is an
// error (fs.ErrNotExist).
func LoadFile(fsys fs.FS, file string, cfg *config.Config) (*Page, diag.List, error) {
	if !fs.ValidPath(file) {
		return nil, nil, &fs.PathError{Op: "load", Path: file, Err: fs.ErrInvalid}
	}
	if !strings.HasPrefix(file, Dir+"/") {
		return nil, nil, nil
	}
	for dir := path.Dir(file); dir != Dir && dir != "."; dir = path.Dir(dir) {
		if skippedDir(dir) {
			return nil, nil, nil
		}
	}
	ok, problem := classify(file)
	if problem != nil {
		return nil, diag.List{*problem}, nil
	}
	if !ok {
		return nil, nil, nil
	}
	data, err := readFile(fsys, file)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", file, err)
	}
	return Parse(file, data, cfg), nil, nil
}

// readFile reads a content file, but no more than one byte past
// MaxFileSize: enough for Parse to refuse it without holding a huge file in
// memory. The buffer is sized from the file's size, so that the body, which
// a page keeps, holds no spare capacity (io.ReadAll's doubling left up to
// half of it unused) and is not copied as it grows.
func readFile(fsys fs.FS, name string) ([]byte, error) {
	if d, ok := fsys.(dirFS); ok {
		if full, ok := d.path(name); ok {
			if data, done, err := readOSFile(full, name); done {
				return data, err
			}
		}
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := -1 // unknown
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
		size = int(min(info.Size(), MaxFileSize+1))
	}
	buf := make([]byte, 0, max(size, 512))
	r := io.LimitReader(f, MaxFileSize+1)
	for len(buf) != size {
		// Once the file's size is read, it is not read again to find its
		// end: that read was a fifth of the system calls of loading.
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	return buf, nil
}

func sectionList() string {
	names := make([]string, len(Sections))
	for i, s := range Sections {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// Slugify turns a title or file name into a slug: "Jo Evans" -> "jo-evans".
// Accented letters lose their accents ("Zoë O’Neil" -> "zoe-oneil"), as
// search folds them, rather than splitting a word at each one.
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if f, ok := textfold.Rune(r); ok {
			if f == "" {
				continue // an apostrophe joins its word
			}
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteString(f)
			continue
		}
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return b.String()
}

// newData returns an empty typed value for a section.
func newData(s Section) (any, *Common) {
	switch s {
	case Networks:
		v := &Network{Format: "network", Status: "open"}
		return v, &v.Common
	case Supporters:
		v := &Supporter{Availability: "available"}
		return v, &v.Common
	case Training:
		v := &Course{}
		return v, &v.Common
	case Testimonials:
		v := &Testimonial{}
		return v, &v.Common
	case News, Pages:
		v := &Article{}
		return v, &v.Common
	}
	v := &HomePage{}
	return v, &v.Common
}

// Parse splits and decodes one content file. file is its path from the site
// root (content/<section>/<slug>.md). Problems are in the page's Diags;
// Parse never fails outright, so one bad file does not hide the others'
// problems.
func Parse(file string, data []byte, cfg *config.Config) *Page {
	rel := strings.TrimPrefix(file, Dir+"/")
	dir, base := path.Split(rel)
	p := &Page{
		Section: Section(strings.TrimSuffix(dir, "/")),
		Slug:    strings.TrimSuffix(base, ".md"),
		File:    file,
		Pos:     decode.Positions{File: file},
	}
	if p.Section == Home {
		p.Slug = ""
	}
	p.Data, p.Meta = newData(p.Section)
	start := diag.Pos{File: file, Line: 1, Col: 1}
	switch {
	case len(data) > MaxFileSize:
		p.Diags.Add(start, "", "file is larger than %d MiB, the most a content file may be (is it a generated or binary file?)", MaxFileSize>>20)
		return p
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		p.Diags.Add(start, "", "file is UTF-16 text, not UTF-8 (save it as UTF-8)")
		return p
	case bytes.IndexByte(data, 0) >= 0:
		p.Diags.Add(start, "", "file is not UTF-8 text (is it a binary file saved as .md?)")
		return p
	case !utf8.Valid(data):
		pos, b := firstInvalid(file, data)
		p.Diags.Add(pos, "", "byte 0x%02X is not UTF-8 (the file was saved in another encoding, such as Latin-1 or Windows-1252: save it as UTF-8)", b)
		return p
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	open := openingLine(data)
	if open == 0 {
		p.Diags.Add(start, "", "no front matter (a content file starts with a line of three hyphens, ---, then YAML fields, then another --- line)")
		return p
	}
	yamlText, body, ok := splitFrontMatter(data)
	if !ok {
		p.Diags.Add(diag.Pos{File: file, Line: open, Col: 1}, "", "front matter opened on line %d is not closed (expected a line of three hyphens, ---, after the fields)", open)
		return p
	}
	p.Body = body
	p.BodyLine = bytes.Count(data[:len(data)-len(body)], []byte("\n")) + 1
	node, diags := decode.Parse(yamlText, file, open)
	if node == nil {
		p.Diags = diags
		return p
	}
	d := &decode.Decoder{File: file, LineOffset: open, Location: cfg.Location, Vocab: cfg.Vocabularies.Lookup, VocabID: cfg.Vocabularies.IDOfLabel, Compact: true}
	d.Decode(node, p.Data)
	p.Pos = d.Positions
	p.Typos = d.Typos
	p.Diags = d.Diags
	p.hintWrongSection()
	p.fill()
	return p
}

// sectionNouns name a page of each section in messages.
var sectionNouns = map[Section]string{Networks: "a network", Supporters: "a supporter profile", Training: "a course",
	Testimonials: "a testimonial", News: "a news post", Pages: "a free page"}

// sectionKeys holds the top-level field names of each section's type.
var sectionKeys = func() map[Section][]string {
	m := map[Section][]string{}
	for _, s := range Sections {
		data, _ := newData(s)
		for _, f := range decode.FieldsOf(reflect.TypeOf(data).Elem()) {
			m[s] = append(m[s], f.Key)
		}
	}
	return m
}()

// hintWrongSection adds, to each unknown top-level field that is a field of
// another section with no likely typo, which pages have it: a news post
// saved in content/supporters/ otherwise reads as a list of unknown
// fields and missing ones, without the cause.
func (p *Page) hintWrongSection() {
	if p.Section == Home {
		return
	}
	for i := range p.Diags {
		d := &p.Diags[i]
		if d.Msg != "unknown field" || strings.ContainsAny(d.Field, ".[") {
			continue
		}
		var in []string
		for _, s := range Sections {
			if s != p.Section && !slices.Contains(sectionKeys[p.Section], d.Field) && slices.Contains(sectionKeys[s], d.Field) {
				in = append(in, sectionNouns[s])
			}
		}
		if len(in) > 0 {
			d.Msg = fmt.Sprintf("unknown field (it is a field of %s: is the file in the right folder?)", strings.Join(in, " or "))
		}
	}
}

// firstInvalid returns the position of the first byte of data that is not
// part of valid UTF-8, and that byte: an editor who saved "café" as Latin-1
// needs to find the é, not to be told the file looks binary.
func firstInvalid(file string, data []byte) (diag.Pos, byte) {
	line, lineStart := 1, 0
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			col := utf8.RuneCount(data[lineStart:i]) + 1
			return diag.Pos{File: file, Line: line, Col: col}, data[i]
		}
		if data[i] == '\n' {
			line, lineStart = line+1, i+1
		}
		i += n
	}
	return diag.Pos{File: file, Line: 1, Col: 1}, 0
}

// splitFrontMatter splits a file into the YAML text between its --- lines
// and the body after them, both slices of data: a page's body is kept for
// the whole build, and a copy of every file was an eighth of the memory
// loading allocated. It splits exactly as github.com/adrg/frontmatter
// (which the project used before) does with a "---" format: blank lines may
// come first, a delimiter line is "---" once trimmed of space, and the
// opening one must end in a newline. ok is false when there is no closing
// line.
func splitFrontMatter(data []byte) (yamlText, body []byte, ok bool) {
	rest := data
	for {
		line, next, nl := bytes.Cut(rest, []byte("\n"))
		if !nl {
			return nil, nil, false
		}
		rest = next
		switch string(bytes.TrimSpace(line)) {
		case "":
			continue
		case "---":
		default:
			return nil, nil, false
		}
		break
	}
	start := len(data) - len(rest)
	for {
		end := len(data) - len(rest)
		line, next, nl := bytes.Cut(rest, []byte("\n"))
		if string(bytes.TrimSpace(line)) == "---" {
			return data[start:end], next, true
		}
		if !nl {
			return nil, nil, false
		}
		rest = next
	}
}

// openingLine returns the 1-based line of the opening --- (after any blank
// lines), or 0 if the file does not start with front matter.
func openingLine(data []byte) int {
	line := 1
	for len(data) > 0 {
		l, rest, _ := bytes.Cut(data, []byte("\n"))
		switch strings.TrimSpace(string(l)) {
		case "":
			line++
			data = rest
			continue
		case "---":
			return line
		}
		return 0
	}
	return 0
}

// fill checks what depends on the section rather than on one field, and
// derives the title where a type's label is another field.
func (p *Page) fill() {
	m := p.Meta
	switch d := p.Data.(type) {
	case *Supporter:
		if m.Title == "" {
			m.Title = d.Name
		}
	case *Testimonial:
		if m.Title == "" {
			m.Title = "Testimonial: " + d.Attribution
		}
	case *HomePage:
	default:
		if strings.TrimSpace(m.Title) == "" {
			p.Diags.Add(p.FieldPos("title"), "title", "required field is missing")
		}
	}
	if p.Section == News && m.Date.IsZero() {
		p.Diags.Add(p.FieldPos("date"), "date", "required field is missing (news posts need a publication date)")
	}
}
