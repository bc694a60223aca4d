package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/content"
	"peerpress/generator/internal/decode"
	"peerpress/generator/internal/schema"
)

// newTypes maps the names `generator new` accepts to sections.
var newTypes = map[string]content.Section{
	"network": content.Networks, "networks": content.Networks,
	"supporter": content.Supporters, "supporters": content.Supporters,
	"course": content.Training, "training": content.Training,
	"testimonial": content.Testimonials, "testimonials": content.Testimonials,
	"news": content.News,
	"page": content.Pages, "pages": content.Pages,
}

// runNew is `generator new <type> <title>`: it writes
// content/<section>/<slug>.md with every field of the type, the ones that
// are not required commented out, and refuses to replace a file.
func runNew(args []string, stdout, stderr io.Writer) int {
	flags := newFlags("new", "new [--source DIR] [--now DATE] <network|supporter|course|testimonial|news|page> <title>", stderr)
	source := flags.String("source", ".", "the site's root `directory` (with site.yaml and content/)")
	var now nowFlag
	flags.Var(&now, "now", "the `date` written where a date is needed (2026-11-22); default today")
	// Flags may come before or after the two arguments.
	var pos []string
	rest := args
	for {
		if err := flags.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return ExitOK
			}
			return ExitUsage
		}
		if flags.NArg() == 0 {
			break
		}
		pos = append(pos, flags.Arg(0))
		rest = flags.Args()[1:]
	}
	if len(pos) != 2 {
		fmt.Fprintf(stderr, "generator new: expected a type and a title, such as: generator new supporter \"Jo Evans\"\n")
		flags.Usage()
		return ExitUsage
	}
	section, ok := newTypes[pos[0]]
	if !ok {
		fmt.Fprintf(stderr, "generator new: unknown type %q (expected network, supporter, course, testimonial, news or page)\n", pos[0])
		return ExitUsage
	}
	title := strings.TrimSpace(pos[1])
	slug := content.Slugify(title)
	if slug == "" {
		fmt.Fprintf(stderr, "generator new: the title %q has no letters or digits to make a file name from\n", pos[1])
		return ExitUsage
	}
	cfg, diags := config.Load(os.DirFS(*source))
	if diags.Err() != nil {
		printDiags(stderr, diags)
		fmt.Fprintf(stderr, "%d %s in site.yaml: nothing was written\n", diags.Count(0), plural(diags.Count(0), "error", "errors"))
		return ExitContent
	}
	today := time.Now().In(cfg.Location)
	if now.set {
		today = now.t
		if !now.dateOnly {
			today = today.In(cfg.Location)
		}
	}
	if section == content.Pages && schema.ReservedPage(slug) {
		fmt.Fprintf(stderr, "generator new: a free page may not be called %q: /%s/ is the site's own address (choose another title)\n", slug, slug)
		return ExitContent
	}
	rel := content.Dir + "/" + string(section) + "/" + slug + ".md"
	target := filepath.Join(*source, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		fmt.Fprintf(stderr, "generator new: %v\n", err)
		return ExitContent
	}
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		fmt.Fprintf(stderr, "generator new: %s already exists; edit it, or choose another title\n", rel)
		return ExitContent
	} else if err != nil {
		fmt.Fprintf(stderr, "generator new: %v\n", err)
		return ExitContent
	}
	_, werr := f.Write(Scaffold(section, title, decode.DateOf(today), cfg))
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(target)
		fmt.Fprintf(stderr, "generator new: %v\n", werr)
		return ExitContent
	}
	fmt.Fprintf(stdout, "Wrote %s\n", rel)
	return ExitOK
}

// Scaffold returns a new content file for section: front matter with every
// field of the section's type (from its Go type, so it never falls behind),
// the title filled in, required fields present but empty, and every other
// field commented out with what it accepts; then a line of body text.
func Scaffold(section content.Section, title string, today decode.Date, cfg *config.Config) []byte {
	var b strings.Builder
	noun := map[content.Section]string{content.Networks: "network", content.Supporters: "supporter profile", content.Training: "course",
		content.Testimonials: "testimonial", content.News: "news post", content.Pages: "page"}[section]
	fmt.Fprintf(&b, "---\n# A new %s, written by `generator new` on %s. Fill in the fields\n", noun, today)
	b.WriteString("# without a # first, then remove the # from any other field you want to use.\n")
	b.WriteString("# docs/content-model.md describes every field.\n")
	label := "title"
	switch section {
	case content.Supporters:
		label = "name"
	case content.Testimonials:
		label = "quote"
	}
	w := scaffolder{b: &b, cfg: cfg, today: today, section: section}
	for _, f := range decode.FieldsOf(schema.SectionType(section)) {
		switch {
		case f.Key == label:
			fmt.Fprintf(&b, "%s: %s\n", f.Key, strconv.Quote(title))
		case f.Key == "date" && section == content.News:
			fmt.Fprintf(&b, "date: %s\n", today)
		case f.Key == "draft":
			b.WriteString("# Remove this line, or set it to false, when the page is ready to publish.\ndraft: true\n")
		default:
			w.field(f, "", f.Required)
		}
	}
	b.WriteString("---\n")
	switch section {
	case content.Supporters:
		b.WriteString("Your background and skills, in a few short paragraphs.\n")
	case content.Testimonials:
	default:
		b.WriteString("Write the page here, in Markdown.\n")
	}
	return []byte(b.String())
}

type scaffolder struct {
	b       *strings.Builder
	cfg     *config.Config
	today   decode.Date
	section content.Section
}

var (
	dateT      = reflect.TypeFor[decode.Date]()
	timeT      = reflect.TypeFor[time.Time]()
	programmeT = reflect.TypeFor[content.Programme]()
	locationT  = reflect.TypeFor[content.Location]()
)

// hasRequired reports whether a struct type has a required field at any
// depth, so it must be written uncommented.
func hasRequired(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == dateT || t == timeT {
		return false
	}
	for _, f := range decode.FieldsOf(t) {
		if f.Required || hasRequired(f.Type) {
			return true
		}
	}
	return false
}

// field writes one field at indent; on says whether it is written as YAML
// rather than commented out.
func (w *scaffolder) field(f decode.Field, indent string, on bool) {
	t := f.Type
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	on = on || hasRequired(t)
	c := "# "
	if on {
		c = ""
	}
	if hint := requiredNote(f) + w.hint(f, t); hint != "" {
		fmt.Fprintf(w.b, "%s# %s\n", indent, strings.TrimSpace(hint))
	}
	switch {
	case t.Kind() == reflect.Struct && t != dateT && t != timeT && t != programmeT:
		fmt.Fprintf(w.b, "%s%s%s:\n", indent, c, f.Key)
		for _, sub := range decode.FieldsOf(t) {
			w.field(sub, indent+"  ", on && (sub.Required || hasRequired(sub.Type)))
		}
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct && t.Elem() != programmeT:
		fmt.Fprintf(w.b, "%s%s%s:\n", indent, c, f.Key)
		for i, sub := range decode.FieldsOf(t.Elem()) {
			prefix := indent + "    "
			if i == 0 {
				prefix = indent + "  - "
			}
			// The first sub-field carries the item's hyphen, so it is
			// written whenever the list is.
			w.subField(sub, prefix, indent+"    ", on && (i == 0 || sub.Required || hasRequired(sub.Type) || sub.Type == locationT))
		}
	default:
		if on {
			fmt.Fprintf(w.b, "%s%s:%s\n", indent, f.Key, w.sample(f, t, true))
		} else {
			fmt.Fprintf(w.b, "%s# %s:%s\n", indent, f.Key, w.sample(f, t, false))
		}
	}
}

// subField writes a field of a list item: prefix starts its first line
// ("  - " for the item's first field), indent the lines after.
func (w *scaffolder) subField(f decode.Field, prefix, indent string, on bool) {
	t := f.Type
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if hint := requiredNote(f) + w.hint(f, t); hint != "" {
		fmt.Fprintf(w.b, "%s# %s\n", indent, strings.TrimSpace(hint))
	}
	if t == locationT && on {
		// A session needs a place; written out, the editor sees it must
		// be filled in, rather than meeting the error on the first check.
		fmt.Fprintf(w.b, "%s# Required: a name, an address or online: true.\n", indent)
		fmt.Fprintf(w.b, "%slocation:\n%s  name: \"\"\n%s  address: \"\"\n%s  # online: false\n", indent, indent, indent, indent)
		return
	}
	if t.Kind() == reflect.Struct && t != dateT && t != timeT {
		// A struct inside a list item is written commented: uncommenting
		// its lines gives YAML at the right indentation.
		fmt.Fprintf(w.b, "%s# %s:\n", indent, f.Key)
		for _, sub := range decode.FieldsOf(t) {
			fmt.Fprintf(w.b, "%s#   %s:%s\n", indent, sub.Key, w.sample(sub, sub.Type, false))
		}
		return
	}
	line := fmt.Sprintf("%s:%s", f.Key, w.sample(f, t, on))
	if on {
		fmt.Fprintf(w.b, "%s%s\n", prefix, line)
	} else if strings.HasSuffix(prefix, "- ") {
		fmt.Fprintf(w.b, "%s# - %s\n", strings.TrimSuffix(prefix, "- "), line)
	} else {
		fmt.Fprintf(w.b, "%s# %s\n", prefix, line)
	}
}

func requiredNote(f decode.Field) string {
	if f.Required {
		return "Required. "
	}
	return ""
}

// hint says what a field accepts, "" when its sample says enough.
func (w *scaffolder) hint(f decode.Field, t reflect.Type) string {
	elem := t
	if t.Kind() == reflect.Slice {
		elem = t.Elem()
	}
	switch {
	case f.Vocab != "":
		var ids []string
		for _, term := range w.cfg.Vocabularies.Vocabulary(f.Vocab) {
			ids = append(ids, term.ID)
		}
		kind := "One of"
		if t.Kind() == reflect.Slice {
			kind = "A list of"
		}
		if len(ids) == 0 {
			return fmt.Sprintf("%s site.yaml vocabularies.%s (none are defined yet).", kind, f.Vocab)
		}
		return fmt.Sprintf("%s (site.yaml vocabularies.%s): %s", kind, f.Vocab, strings.Join(ids, ", "))
	case len(f.Enum) > 0:
		return "One of: " + strings.Join(f.Enum, ", ")
	case elem == dateT:
		return "A date, YYYY-MM-DD."
	case elem == timeT:
		return "A local date and time, YYYY-MM-DD HH:MM, in site.yaml's time zone."
	case elem == programmeT:
		return "The outline: a list of lines; a line ending in a colon may have a list of sub-items."
	case elem.Kind() == reflect.Int:
		if f.Min != nil {
			return fmt.Sprintf("A whole number, at least %d.", *f.Min)
		}
		return "A whole number."
	case elem.Kind() == reflect.Bool:
		return "true or false."
	}
	return keyHints[f.Key]
}

// keyHints explain fields whose type says too little.
var keyHints = map[string]string{
	"summary":   "One or two sentences for cards, search results and the page description.",
	"aliases":   "Old addresses that should redirect here, such as [/old-page/].",
	"layout":    "A layout of the site's own to use instead of the usual one.",
	"networks":  "Network slugs (file names without .md), such as [north-weald-rural-schools].",
	"supporter": "A supporter's slug (file name without .md).",
	"photo":     "A JPEG or PNG under static/ or content/, such as images/jo-evans.jpg.",
	"consent":   "Must be true before the testimonial is published.",
}

// sample is the value written after "key:", with its leading space; a
// required field written out is left empty for the editor to fill.
func (w *scaffolder) sample(f decode.Field, t reflect.Type, on bool) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == dateT:
		return " " + w.today.String()
	case t == timeT && f.Key == "end":
		return ` "` + w.today.String() + ` 12:30"` // after the sample start
	case t == timeT:
		return ` "` + w.today.String() + ` 09:30"`
	case on && f.Required:
		return ""
	case t.Kind() == reflect.Slice:
		if f.Vocab != "" {
			if v := w.cfg.Vocabularies.Vocabulary(f.Vocab); len(v) > 0 {
				return " [" + v[0].ID + "]"
			}
		}
		return " []"
	case len(f.Enum) > 0:
		return " " + f.Enum[0]
	case f.Vocab != "":
		if v := w.cfg.Vocabularies.Vocabulary(f.Vocab); len(v) > 0 {
			return " " + v[0].ID
		}
	case t.Kind() == reflect.Bool:
		return " false"
	case t.Kind() == reflect.Int:
		if f.Min != nil && *f.Min > 0 {
			return " " + strconv.FormatInt(*f.Min, 10)
		}
		return " 0"
	}
	return ` ""`
}
