// Package decode turns YAML node trees (front matter, site.yaml) into typed Go
// values while keeping the line and column of every field, so that each
// problem is reported where the editor wrote it. Struct tags are the schema:
//
//	Region string `yaml:"region" pp:"required,vocab=regions"`
//
// names the key, says the field must be present and that its value must be one
// of the ids of the site's "regions" vocabulary. Other options: enum=a|b|c for a
// fixed set, min=N for the smallest integer allowed.
package decode

import (
	"fmt"
	"iter"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"peerpress/generator/internal/diag"
)

// Unmarshaler is implemented by types that decode themselves from a node,
// such as vocabularies whose order matters.
type Unmarshaler interface {
	DecodeYAML(d *Decoder, path string, n *yaml.Node)
}

// Decoder decodes one document. Its zero value is not usable: set File.
type Decoder struct {
	// File is the path reported in diagnostics.
	File string
	// LineOffset is added to every line the YAML parser reports: the number of
	// lines in the file before the YAML text (the opening --- of front matter).
	LineOffset int
	// Location is where dates and times without an offset are.
	Location *time.Location
	// Vocab returns the ids of the named vocabulary; nil means "no
	// vocabularies", and vocab= options are then not checked.
	Vocab func(name string) ([]string, bool)
	// VocabID returns the id whose label in the named vocabulary is label
	// (ignoring case), or ""; nil means labels are not looked up. An editor
	// copies "North Wealdshire" from a page and should be told "north".
	VocabID func(name, label string) string

	// Diags collects every problem found.
	Diags diag.List
	// Pos records the position of the value of every field present, keyed by
	// its path: "region", "school.inspection.grade", "sessions[1].start".
	Pos map[string]diag.Pos
	// Compact records positions in Positions instead of Pos, for values
	// kept long (a loaded page's).
	Compact   bool
	Positions Positions
	// Typos records, by the path of a known field, where an unknown key that
	// looks like a misspelling of it was written. A field missing only
	// because it is misspelt is not reported missing as well: the unknown
	// field's "did you mean" already says it, at the right line.
	Typos map[string]diag.Pos
}

// PosOf returns the position of node n in the file.
func (d *Decoder) PosOf(n *yaml.Node) diag.Pos {
	return diag.Pos{File: d.File, Line: n.Line + d.LineOffset, Col: n.Column}
}

// record records that the value at path is at node n.
func (d *Decoder) record(path string, n *yaml.Node) {
	if d.Compact {
		d.Positions.list = append(d.Positions.list, fieldPos{path, int32(n.Line + d.LineOffset), int32(n.Column)})
		return
	}
	d.Pos[path] = d.PosOf(n)
}

// Positions are where the fields of one file were written, by path, as
// Decoder.Pos, in a sorted list: a loaded page keeps its positions for the
// whole build, and a map of diag.Pos took three times the memory (at 10,000
// pages, 15 MB). Its zero value is empty.
type Positions struct {
	// File is the file reported in positions.
	File string
	list []fieldPos
}

// fieldPos is where the value at path was written.
type fieldPos struct {
	path      string
	line, col int32
}

// sort sorts the list by path, keeping the last of any path recorded
// twice, as a map would.
func (ps *Positions) sort() {
	slices.SortStableFunc(ps.list, func(a, b fieldPos) int { return strings.Compare(a.path, b.path) })
	out := ps.list[:0]
	for i, f := range ps.list {
		if i+1 < len(ps.list) && ps.list[i+1].path == f.path {
			continue
		}
		out = append(out, f)
	}
	ps.list = slices.Clip(out)
}

// Lookup returns where the value at path was written, if it was.
func (ps *Positions) Lookup(path string) (diag.Pos, bool) {
	i, ok := slices.BinarySearchFunc(ps.list, path, func(f fieldPos, path string) int { return strings.Compare(f.path, path) })
	if !ok {
		return diag.Pos{}, false
	}
	return diag.Pos{File: ps.File, Line: int(ps.list[i].line), Col: int(ps.list[i].col)}, true
}

// Len returns the number of positions.
func (ps *Positions) Len() int { return len(ps.list) }

// All yields every path and its position, in the order of the paths.
func (ps *Positions) All() iter.Seq2[string, diag.Pos] {
	return func(yield func(string, diag.Pos) bool) {
		for _, f := range ps.list {
			if !yield(f.path, diag.Pos{File: ps.File, Line: int(f.line), Col: int(f.col)}) {
				return
			}
		}
	}
}

// Errorf records a problem with the field at path, found at node n.
func (d *Decoder) Errorf(n *yaml.Node, path, format string, args ...any) {
	d.Diags.Add(d.PosOf(n), path, format, args...)
}

// Decode decodes n (a document or a mapping) into v, which must be a pointer
// to a struct.
func (d *Decoder) Decode(n *yaml.Node, v any) {
	if d.Pos == nil && !d.Compact {
		d.Pos = map[string]diag.Pos{}
	}
	if d.Compact {
		d.Positions.File = d.File
		defer d.Positions.sort()
	}
	if d.Location == nil {
		d.Location = time.UTC
	}
	switch {
	case n.Kind == 0, n.Kind == yaml.DocumentNode && len(n.Content) == 0:
		// Empty YAML (front matter with no fields, or only comments) is an
		// empty set of fields, so required ones are reported missing.
		n = &yaml.Node{Kind: yaml.MappingNode, Line: 1, Column: 1}
	case n.Kind == yaml.DocumentNode:
		n = n.Content[0]
	}
	d.value(n, "", reflect.ValueOf(v).Elem(), options{})
}

// DecodeValue decodes n into v, which must be a pointer, as the field at
// path. An Unmarshaler uses it to decode its parts with the usual checks and
// positions.
func (d *Decoder) DecodeValue(n *yaml.Node, path string, v any) {
	if d.Pos == nil && !d.Compact {
		d.Pos = map[string]diag.Pos{}
	}
	if d.Location == nil {
		d.Location = time.UTC
	}
	d.value(n, path, reflect.ValueOf(v).Elem(), options{})
}

// options are the parsed pp:"..." tag of a field.
type options struct {
	required bool
	vocab    string
	enum     []string
	min      *int64
}

func parseOptions(tag string) options {
	var o options
	for part := range strings.SplitSeq(tag, ",") {
		key, val, _ := strings.Cut(part, "=")
		switch key {
		case "required":
			o.required = true
		case "vocab":
			o.vocab = val
		case "enum":
			o.enum = strings.Split(val, "|")
		case "min":
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil {
				panic(fmt.Sprintf("decode: bad min option %q", tag))
			}
			o.min = &n
		}
	}
	return o
}

// Field describes one key of a struct as the decoder sees it; FieldsOf lists
// them for documentation and JSON Schema.
type Field struct {
	Key      string
	Index    []int
	Type     reflect.Type
	Required bool
	Vocab    string
	Enum     []string
	Min      *int64
}

// FieldsOf lists the keys a struct type accepts, inlined structs flattened, in
// declaration order. The list is worked out once per type and shared by
// every caller: it must not be modified.
func FieldsOf(t reflect.Type) []Field { return infoOf(t).fields }

// typeInfo is what the decoder needs to know about a type, worked out once:
// decoding looks it up for every value of every file, and working it out
// each time was a tenth of loading's time and a fifth of its allocations.
type typeInfo struct {
	// fields and keys are a struct's fields and their keys, in order.
	fields []Field
	keys   []string
	// unmarshaler is set when a pointer to the type is an Unmarshaler.
	unmarshaler bool
}

// typeInfos caches typeInfo by reflect.Type, as encoding/json caches its
// encoders: an entry is reused for as long as the process runs, which is
// safe because a type's fields and methods never change.
var typeInfos sync.Map

func infoOf(t reflect.Type) *typeInfo {
	if ti, ok := typeInfos.Load(t); ok {
		return ti.(*typeInfo)
	}
	ti := &typeInfo{unmarshaler: reflect.PointerTo(t).Implements(unmarshalerType)}
	if t.Kind() == reflect.Struct {
		ti.fields = fieldsOf(t)
		ti.keys = make([]string, len(ti.fields))
		for i, f := range ti.fields {
			ti.keys[i] = f.Key
		}
	}
	actual, _ := typeInfos.LoadOrStore(t, ti)
	return actual.(*typeInfo)
}

// fieldsOf works out FieldsOf.
func fieldsOf(t reflect.Type) []Field {
	var out []Field
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, rest, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if rest == "inline" {
			for _, f := range fieldsOf(sf.Type) {
				f.Index = append([]int{i}, f.Index...)
				out = append(out, f)
			}
			continue
		}
		if name == "" {
			continue
		}
		o := parseOptions(sf.Tag.Get("pp"))
		out = append(out, Field{Key: name, Index: []int{i}, Type: sf.Type, Required: o.required, Vocab: o.vocab, Enum: o.enum, Min: o.min})
	}
	return out
}

var (
	timeType        = reflect.TypeFor[time.Time]()
	dateType        = reflect.TypeFor[Date]()
	unmarshalerType = reflect.TypeFor[Unmarshaler]()
)

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// isNull reports whether a node holds no value (`key:` or `key: null`).
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func (d *Decoder) value(n *yaml.Node, path string, v reflect.Value, o options) {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		d.Errorf(n, path, "YAML anchors and aliases are not supported here; write the value out")
		return
	}
	if path != "" {
		d.record(path, n)
	}
	t := v.Type()
	if v.CanAddr() && infoOf(t).unmarshaler {
		v.Addr().Interface().(Unmarshaler).DecodeYAML(d, path, n)
		return
	}
	switch {
	case t == timeType:
		d.dateTime(n, path, v)
		return
	case t == dateType:
		d.date(n, path, v)
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		nv := reflect.New(t.Elem())
		d.value(n, path, nv.Elem(), o)
		v.Set(nv)
	case reflect.Struct:
		d.structure(n, path, v)
	case reflect.Slice:
		d.list(n, path, v, o)
	case reflect.String:
		if s, ok := d.scalar(n, path, "text"); ok {
			d.checkEnum(n, path, s, o)
			v.SetString(s)
		}
	case reflect.Int, reflect.Int64:
		s, ok := d.scalar(n, path, "a whole number")
		if !ok {
			return
		}
		i, err := strconv.ParseInt(s, 10, 64)
		if n.Tag != "!!int" || err != nil {
			d.Errorf(n, path, "%q is not a whole number (expected a number such as 12)", s)
			return
		}
		if o.min != nil && i < *o.min {
			d.Errorf(n, path, "%d is too small (expected at least %d)", i, *o.min)
		}
		v.SetInt(i)
	case reflect.Bool:
		s, ok := d.scalar(n, path, "true or false")
		if !ok {
			return
		}
		b, err := strconv.ParseBool(s)
		if n.Tag != "!!bool" || err != nil {
			d.Errorf(n, path, "%q is not true or false (expected true or false)", s)
			return
		}
		v.SetBool(b)
	default:
		panic(fmt.Sprintf("decode: unsupported field type %s at %s", t, path))
	}
}

// Describe names a node's kind for messages.
func Describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a set of fields"
	case yaml.SequenceNode:
		return "a list"
	}
	return fmt.Sprintf("%q", n.Value)
}

func (d *Decoder) scalar(n *yaml.Node, path, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.Errorf(n, path, "expected %s, found %s", want, Describe(n))
		return "", false
	}
	return n.Value, true
}

func (d *Decoder) checkEnum(n *yaml.Node, path, s string, o options) {
	switch {
	case len(o.enum) > 0:
		if !slices.Contains(o.enum, s) {
			d.Errorf(n, path, "%q is not allowed%s (expected one of: %s)", s, suggest(s, o.enum), strings.Join(o.enum, ", "))
		}
	case o.vocab != "" && d.Vocab != nil:
		ids, ok := d.Vocab(o.vocab)
		if !ok {
			d.Errorf(n, path, "site.yaml has no vocabulary %q to check %q against", o.vocab, s)
			return
		}
		if !slices.Contains(ids, s) {
			hint := suggest(s, ids)
			if hint == "" && d.VocabID != nil {
				if id := d.VocabID(o.vocab, s); id != "" {
					hint = fmt.Sprintf(" (that is the label of %q: write the id)", id)
				}
			}
			d.Errorf(n, path, "%q is not in site.yaml vocabularies.%s%s (expected one of: %s)", s, o.vocab, hint, strings.Join(ids, ", "))
		}
	}
}

// fieldList is " (its fields: a, b)" for a set of fields with a few, so
// that group_size: 3-5 is told what to write; "" for the front matter as a
// whole and for sets with many fields.
func fieldList(path string, t reflect.Type) string {
	if path == "" || t.Kind() != reflect.Struct {
		return ""
	}
	keys := infoOf(t).keys
	if len(keys) == 0 || len(keys) > 8 {
		return ""
	}
	return " (its fields: " + strings.Join(keys, ", ") + ")"
}

func (d *Decoder) structure(n *yaml.Node, path string, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		d.Errorf(n, path, "expected a set of fields (key: value lines), found %s%s", Describe(n), fieldList(path, v.Type()))
		return
	}
	ti := infoOf(v.Type())
	fields := ti.fields
	// seen holds, for each field, the index in n.Content of the key that
	// set it, or 0; unknown keys are few, and looked for among the earlier
	// keys only when one repeats.
	var seenBuf [32]int
	seen := seenBuf[:0]
	if len(fields) <= len(seenBuf) {
		seen = seenBuf[:len(fields)]
	} else {
		seen = make([]int, len(fields))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		key := k.Value
		fp := join(path, key)
		fi := slices.Index(ti.keys, key)
		if first := d.firstKey(n, i, fi, seen); first != nil {
			d.Errorf(k, fp, "field appears twice (first on line %d)", first.Line+d.LineOffset)
			continue
		}
		if fi < 0 {
			best := Closest(key, ti.keys)
			if best != "" {
				if d.Typos == nil {
					d.Typos = map[string]diag.Pos{}
				}
				d.Typos[join(path, best)] = d.PosOf(k)
				d.Errorf(k, fp, "unknown field (did you mean %q?)", best)
			} else {
				d.Errorf(k, fp, "unknown field")
			}
			continue
		}
		seen[fi] = i + 1
		if isNull(val) {
			continue
		}
		f := fields[fi]
		d.value(val, fp, v.FieldByIndex(f.Index), options{required: f.Required, vocab: f.Vocab, enum: f.Enum, min: f.Min})
	}
	for fi, f := range fields {
		if f.Required {
			if seen[fi] == 0 {
				if _, typo := d.Typos[join(path, f.Key)]; !typo {
					d.Errorf(n, join(path, f.Key), "required field is missing")
				}
			} else if val := n.Content[seen[fi]]; isNull(val) || (val.Kind == yaml.ScalarNode && strings.TrimSpace(val.Value) == "") {
				d.Errorf(val, join(path, f.Key), "required field is empty")
			}
		}
	}
}

// firstKey returns the earlier key of mapping n that has the same text as
// the key at index i, or nil. fi is the key's field (-1 for an unknown key)
// and seen the index after each known field's key, so a known key is
// looked up at once.
func (d *Decoder) firstKey(n *yaml.Node, i, fi int, seen []int) *yaml.Node {
	if fi >= 0 {
		if seen[fi] == 0 {
			return nil
		}
		return n.Content[seen[fi]-1]
	}
	key := n.Content[i].Value
	for j := 0; j < i; j += 2 {
		if n.Content[j].Value == key {
			return n.Content[j]
		}
	}
	return nil
}

func (d *Decoder) list(n *yaml.Node, path string, v reflect.Value, o options) {
	if n.Kind != yaml.SequenceNode {
		d.Errorf(n, path, "expected a list, found %s (write [a, b] or one \"- item\" a line)", Describe(n))
		return
	}
	s := reflect.MakeSlice(v.Type(), 0, len(n.Content))
	// A value of a vocabulary or a fixed list is there or not: written
	// twice, it would show twice on the page and count twice in a facet.
	once := o.vocab != "" || len(o.enum) > 0
	var seen map[string]int // for long lists; short ones are searched
	if once && len(n.Content) > 16 {
		seen = make(map[string]int, len(n.Content))
	}
	for i, item := range n.Content {
		ip := path + "[" + strconv.Itoa(i) + "]"
		if isNull(item) {
			d.Errorf(item, ip, "list item is empty")
			continue
		}
		if once && item.Kind == yaml.ScalarNode {
			if first := firstScalar(n.Content[:i], item.Value, seen); first >= 0 {
				d.Errorf(item, ip, "%q is already in the list, as %s[%d] (write each value once)", item.Value, path, first)
				continue
			}
			if seen != nil {
				seen[item.Value] = i
			}
		}
		ev := reflect.New(v.Type().Elem()).Elem()
		d.value(item, ip, ev, options{vocab: o.vocab, enum: o.enum, min: o.min})
		s = reflect.Append(s, ev)
	}
	v.Set(s)
}

// firstScalar returns the index of the first scalar among items whose value
// is s, or -1; seen, when not nil, holds the items' values instead.
func firstScalar(items []*yaml.Node, s string, seen map[string]int) int {
	if seen != nil {
		if i, ok := seen[s]; ok {
			return i
		}
		return -1
	}
	for i, it := range items {
		if it.Kind == yaml.ScalarNode && it.Value == s {
			return i
		}
	}
	return -1
}

// Suggest returns ` (did you mean "x"?)` for the closest of candidates, or
// "" when none is close enough to be a likely typo.
func Suggest(s string, candidates []string) string { return suggest(s, candidates) }

// maxSuggest is the longest text that gets a suggestion: no key or id is
// that long, and Distance costs the product of the two lengths in time and
// memory, which a 10 MB value would make gigabytes.
const maxSuggest = 200

// suggest returns ` (did you mean "x"?)` for the closest of candidates, or ""
// when none is close enough to be a likely typo.
func suggest(s string, candidates []string) string {
	if best := Closest(s, candidates); best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

// Closest returns the candidate s is most likely a typo of, or "".
func Closest(s string, candidates []string) string {
	if len(s) > maxSuggest {
		return ""
	}
	best, bestDist := "", max(1, len([]rune(s))/3)+1
	for _, c := range candidates {
		if dist := Distance(strings.ToLower(s), strings.ToLower(c)); dist < bestDist && dist < len([]rune(s)) {
			best, bestDist = c, dist
		}
	}
	return best
}

// Distance is the optimal string alignment distance between a and b: the
// edits (insert, delete, substitute, swap two neighbours) from one to the
// other, so the usual typos ("nmae", "skils") count as one.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
