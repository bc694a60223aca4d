package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"sync"
)

// Fields of a document, from most to least weighty.
const (
	Title   = iota // the page's title or the supporter's name
	Keys           // short facts: role, school, skills, regions, themes
	Summary        // the summary shown under the title in listings
	Body           // the rest of the text the page shows
	numFields
)

// boosts weight a word by the field it is in: a word in the title counts
// as much as eight in the body.
var boosts = [numFields]float64{8, 3, 2, 1}

// BM25 parameters: k1 saturates repeated words, b discounts long fields.
const (
	k1 = 1.2
	b  = 0.75
)

// maxPositions bounds the positions kept per word and document, which only
// phrase queries use; a phrase is checked against its first occurrences.
const maxPositions = 4

// levels is how many weights a posting can have: BM25's term weight, from
// 0 to k1+1, is rounded to one of them, so that it takes four bits.
const levels = 16

// recordUnit is what each document's record in the document files is
// padded to a multiple of, so that its length takes one digit in the
// lengths file and the client can find any record's bytes. search.js has
// it as UNIT.
const recordUnit = 16

// Doc is one page as search sees it: only what the rendered page shows.
type Doc struct {
	URL     string
	Title   string
	Section string
	// Sub is a short line shown under the title in results, such as a
	// supporter's role and school or a course's next date.
	Sub string
	// Summary is shown as the snippet, with the matched words marked.
	Summary string
	// Text holds the text of each field, in parts that are indexed as if
	// joined with spaces.
	Text [numFields][]string
	// HTML is rendered HTML whose text comes first in the body: the index
	// build reads it on all cores.
	HTML string
	// Facets holds the facet values of the document, by facet key.
	Facets map[string][]string
	// Dates are the days (since 1970-01-01) the document is about, such as
	// a course's session dates, for the date range filter.
	Dates []int
}

// Facet describes one facet: its key (the URL parameter), the name readers
// see and its values in display order.
type Facet struct {
	Key    string
	Name   string
	Values []Value
}

// Value is one value of a facet.
type Value struct {
	ID, Label string
}

// File is one file of the index, its path relative to public/.
type File struct {
	Path string
	Body []byte
}

// Dir is where the index is written, relative to public/; the manifest is
// Dir/index.json, the one file that is not fingerprinted, so pages can name
// it before the build knows the others' hashes.
const Dir = "search"

// Options size the index's files.
type Options struct {
	// Heads is the most first-tier files: each term's document frequency
	// and best documents, split by the terms' first two letters.
	Heads int
	// Postings, Positions and Docs are the most files the full postings,
	// the positions and the documents' records are split into. The client
	// reads them by byte range, so their number matters only to a server
	// that ignores ranges and sends a whole file.
	Postings, Positions, Docs int
	// TopK is how many best documents of each term the first tier holds.
	TopK int
	// PairMin is the length of positions, in bytes, above which a term is
	// common: the words of a phrase one after the other of which one is
	// common are answered from pair lists, written to at most Pairs files.
	PairMin, Pairs int
}

// DefaultOptions keep an index of any size to at most 48 files: the
// manifest, 24 head files, 8 postings files, 4 positions files, a pair
// file, 8 document files, the record lengths and the facets.
//
// A word is common above 16 KB of positions: a phrase of three words none
// of which is common then reads at most 48 KB of positions, which with
// the first tier and the records stays under the 100 KB a first page of
// results may fetch; and the pair lists, about a fifth of the index's
// build, are kept to the words that need them (at 10,000 documents the
// 122 commonest, against 944 above 2 KB, with phrases fetching no more).
func DefaultOptions() Options {
	return Options{Heads: 24, Postings: 8, Positions: 4, Docs: 8, TopK: 16, PairMin: 16 << 10, Pairs: 1}
}

// Least sizes, in bytes, worth a file of their own: a small site's index
// is a handful of files.
const (
	minHead  = 8 << 10
	minChunk = 64 << 10
)

// manifest is search/index.json: what a client fetches first.
type manifest struct {
	Version int `json:"v"`
	// N is the number of documents and K the length of the heads' lists
	// of best documents.
	N int `json:"n"`
	K int `json:"k"`
	// Heads are the first-tier files in term order, each with the first
	// two letters of its first term ("" for the first file).
	Heads [][2]string `json:"heads"`
	// Posts, Pos and Docs are the chunk files of the full postings, the
	// positions and the documents' records: each with the offset, in the
	// concatenation of its kind's files, at which it starts.
	Posts [][2]any `json:"posts"`
	Pos   [][2]any `json:"pos"`
	Pairs [][2]any `json:"pairs,omitempty"`
	Docs  [][2]any `json:"docs"`
	// PairMin is the length of positions above which a term is common
	// and has pair lists; none is, and there are no pair files, without.
	PairMin *int `json:"pm,omitempty"`
	// Lens names the file of the documents' record lengths, in units of
	// recordUnit, and Facets the file of the facets' documents and the
	// documents' dates.
	Lens   string `json:"lens"`
	Facets string `json:"facets"`
	// Defs are the facets and the values that have documents.
	Defs []facetDef `json:"defs"`
}

type facetDef struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	// Values are [id, label], or [id] where the label is the id with its
	// first letter a capital and hyphens spaces ("primary", "Primary"),
	// which search.js then makes.
	Values [][]string `json:"values"`
}

// defaultLabel is the label search.js gives a facet value of id when the
// manifest has none: id with its first letter a capital and hyphens
// spaces.
func defaultLabel(id string) string {
	if id == "" || id[0] >= 0x80 {
		return ""
	}
	return strings.ToUpper(id[:1]) + strings.ReplaceAll(id[1:], "-", " ")
}

// facetFile is the facets file: for each facet of the manifest and each of
// its values, the value's documents as ascending ids gap-encoded; and for
// each document with dates, gap-encoded: the gap from the previous such
// document, the number of dates and each date.
type facetFile struct {
	Values [][]string `json:"values"`
	Dates  string     `json:"dates"`
}

// maxDocs is the most documents an index holds: a posting is its
// document <<4 | its weight less one, in 32 bits.
const maxDocs = 1<<28 - 1

var errTooManyDocs = errors.New("search: more than 2^28 documents to index")

// Build makes the index files for docs. Document ids are positions in docs.
func Build(docs []Doc, facets []Facet, opts Options) ([]File, error) {
	if len(docs) > maxDocs {
		return nil, errTooManyDocs
	}
	opts.TopK = max(1, opts.TopK)
	// The documents' records and the facets, and then the pairs, take one
	// core each: they are made while other steps keep the rest busy.
	var (
		records, lens []byte
		ends          []int
		recordsErr    error
		defs          []facetDef
		ff            facetFile
		ps            *pairs
		wg            sync.WaitGroup
	)
	wg.Go(func() {
		records, ends, lens, recordsErr = docRecords(docs)
		defs, ff = facetData(docs, facets)
	})
	inv := invert(docs, opts.PairMin)
	wg.Go(func() { ps = inv.pairs() })
	enc := inv.encode(opts.TopK)
	// Encoded, the postings are the collector's while the files are
	// made, as the pairs are once written (see pairs).
	inv.post = nil
	wg.Wait()
	if recordsErr != nil {
		return nil, recordsErr
	}

	var files []File
	add := func(prefix, ext string, body []byte) string {
		sum := sha256.Sum256(body)
		name := prefix + "." + hex.EncodeToString(sum[:4]) + "." + ext
		files = append(files, File{Path: Dir + "/" + name, Body: body})
		return name
	}
	m := manifest{Version: 4, N: len(docs), K: opts.TopK, Heads: [][2]string{}}

	// Heads break only between two-letter prefixes, so that every term
	// starting with the same two letters is in one file: a word being
	// typed needs one head file, and a typo, which keeps the first letter,
	// the few covering its letter.
	target := max(len(enc.heads)/max(1, opts.Heads)+1, minHead)
	for i := 0; i < len(inv.terms); {
		lo := i
		size := 0
		for i < len(inv.terms) && (size < target || i > lo && prefix2(inv.terms[i]) == prefix2(inv.terms[i-1])) {
			size += enc.headEnd[i] - enc.headStart(i)
			i++
		}
		// A head file is [where its first term's full postings start,
		// where its positions start, the number of its first term,
		// "term entry term entry ..."].
		body := make([]byte, 0, size+32)
		body = append(body, '[')
		body = strconv.AppendInt(body, int64(enc.postStart(lo)), 10)
		body = append(body, ',')
		body = strconv.AppendInt(body, int64(inv.posStart[lo]), 10)
		body = append(body, ',')
		body = strconv.AppendInt(body, int64(lo), 10)
		// One string of terms and entries, which is smaller, gzipped,
		// than a JSON string each.
		body = append(body, `,"`...)
		body = append(body, enc.heads[enc.headStart(lo):enc.headEnd[i-1]-1]...)
		body = append(body, `"]`...)
		first := ""
		if lo > 0 {
			first = prefix2(inv.terms[lo])
		}
		m.Heads = append(m.Heads, [2]string{first, add("h", "json", body)})
	}
	m.Posts = chunks(enc.posts, enc.postEnd, opts.Postings, func(b []byte) string { return add("t", "txt", b) })
	m.Pos = chunks(inv.pos, inv.posStart[1:], opts.Positions, func(b []byte) string { return add("p", "txt", b) })
	m.Pairs = chunks(ps.data, ps.ends, opts.Pairs, func(b []byte) string { return add("q", "txt", b) })
	if m.Pairs != nil {
		m.PairMin = &ps.min
	}

	m.Docs = chunks(records, ends, opts.Docs, func(b []byte) string { return add("d", "txt", b) })
	// A JSON string, so that the client reads all whole files alike.
	m.Lens = add("o", "json", append(append([]byte{'"'}, lens...), '"'))

	m.Defs = defs
	body, err := marshal(ff)
	if err != nil {
		return nil, err
	}
	m.Facets = add("f", "json", body)

	if m.Posts == nil {
		m.Posts = [][2]any{}
	}
	if m.Pos == nil {
		m.Pos = [][2]any{}
	}
	if m.Docs == nil {
		m.Docs = [][2]any{}
	}
	body, err = marshal(m)
	if err != nil {
		return nil, err
	}
	files = append(files, File{Path: Dir + "/index.json", Body: body})
	return files, nil
}

// chunks splits data, a run of records ending at ends, into at most n
// files of about equal size, cut between records, and lists each file's
// start offset and name as write names it.
func chunks(data []byte, ends []int, n int, write func([]byte) string) [][2]any {
	var out [][2]any
	target := max(len(data)/max(1, n)+1, minChunk)
	start := 0
	for i := 0; start < len(data); {
		for i < len(ends) && ends[i]-start < target {
			i++
		}
		end := len(data)
		if i < len(ends) {
			end = ends[i]
			i++
		}
		out = append(out, [2]any{start, write(data[start:end])})
		start = end
	}
	return out
}

// docRecords writes each document's record, the JSON array [title, url,
// section, sub, summary] on a line padded with spaces to a multiple of
// recordUnit bytes, and the records' lengths in units as digits.
func docRecords(docs []Doc) (records []byte, ends []int, lens []byte, err error) {
	// Room for the records, which are their text, a few quotes and
	// commas, and padding, so that buf seldom grows.
	size := 0
	for _, d := range docs {
		size += len(d.Title) + len(d.URL) + len(d.Section) + len(d.Sub) + len(d.Summary) + 16 + recordUnit
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+size/8))
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	ends = make([]int, len(docs))
	lens = make([]byte, 0, len(docs))
	for i, d := range docs {
		start := buf.Len()
		if err := enc.Encode([5]string{d.Title, d.URL, d.Section, d.Sub, d.Summary}); err != nil {
			return nil, nil, nil, err
		}
		// Encode ends the line; pad before the newline.
		buf.Truncate(buf.Len() - 1)
		for (buf.Len()-start+1)%recordUnit != 0 {
			buf.WriteByte(' ')
		}
		buf.WriteByte('\n')
		ends[i] = buf.Len()
		lens = appendVarint(lens, (buf.Len()-start)/recordUnit)
	}
	return buf.Bytes(), ends, lens, nil
}

// facetData lists the facets' values that have documents, and the
// documents of each and the documents' dates.
func facetData(docs []Doc, facets []Facet) ([]facetDef, facetFile) {
	defs := []facetDef{}
	ff := facetFile{Values: [][]string{}}
	// Each value's documents, found in one pass over the documents and
	// their facets, not one for each facet.
	type found struct {
		index map[string]int // value id -> its number
		gaps  [][]byte
		prev  []int
	}
	fs := make([]found, len(facets))
	byKey := map[string][]int{}
	for i, f := range facets {
		x := &fs[i]
		x.index = make(map[string]int, len(f.Values))
		for i, v := range f.Values {
			x.index[v.ID] = i
		}
		x.gaps = make([][]byte, len(f.Values))
		x.prev = make([]int, len(f.Values))
		for i := range x.prev {
			x.prev[i] = -1
		}
		byKey[f.Key] = append(byKey[f.Key], i)
	}
	for d := range docs {
		for key, ids := range docs[d].Facets {
			for _, i := range byKey[key] {
				x := &fs[i]
				for _, id := range ids {
					v, ok := x.index[id]
					if !ok || x.prev[v] == d {
						continue
					}
					x.gaps[v] = appendVarint(x.gaps[v], d-x.prev[v]-1)
					x.prev[v] = d
				}
			}
		}
	}
	for i, f := range facets {
		gaps, prev := fs[i].gaps, fs[i].prev
		def := facetDef{Key: f.Key, Name: f.Name, Values: [][]string{}}
		var values []string
		for i, v := range f.Values {
			if prev[i] >= 0 {
				if v.Label != "" && v.Label == defaultLabel(v.ID) {
					def.Values = append(def.Values, []string{v.ID})
				} else {
					def.Values = append(def.Values, []string{v.ID, v.Label})
				}
				values = append(values, string(gaps[i]))
			}
		}
		if len(values) > 0 {
			defs = append(defs, def)
			ff.Values = append(ff.Values, values)
		}
	}
	var dates []byte
	prev := -1
	for i, d := range docs {
		if len(d.Dates) > 0 {
			dates = appendVarint(dates, i-prev-1)
			dates = appendVarint(dates, len(d.Dates))
			for _, day := range d.Dates {
				dates = appendVarint(dates, max(0, day))
			}
			prev = i
		}
	}
	ff.Dates = string(dates)
	return defs, ff
}

// fieldScale is what one occurrence of a word in each field of a document
// with field lengths lens counts: its boost, less in a field longer than
// the average avg.
func fieldScale(lens *[numFields]uint32, avg *[numFields]float64) [numFields]float64 {
	var s [numFields]float64
	for f := range numFields {
		s[f] = boosts[f] / (1 - b + b*float64(lens[f])/avg[f])
	}
	return s
}

// weight is BM25's term weight, w*(k1+1)/(w+k1) for the boosted and
// length-normalised frequency w, scaled to 1..levels.
func weight(tf [numFields]uint8, scale *[numFields]float64) uint8 {
	w := 0.0
	for f := range numFields {
		w += float64(tf[f]) * scale[f]
	}
	q := int(math.Round(w / (w + k1) * levels))
	return uint8(min(levels, max(1, q)))
}

// digits are the 64 characters of the index's numbers, none of which JSON
// escapes. A number is written five bits at a time, lowest first, in
// digits[0:32] for its last five bits and digits[32:64] for the others, so
// that small numbers, the most common, take one character.
const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// appendVarint appends the non-negative x to b in digits.
func appendVarint(b []byte, x int) []byte {
	for x >= 32 {
		b = append(b, digits[32+x&31])
		x >>= 5
	}
	return append(b, digits[x])
}

// prefix2 is the first two letters of a term, by which head files are cut.
func prefix2(t string) string {
	n := 0
	for i := range t {
		if n == 2 {
			return t[:i]
		}
		n++
	}
	return t
}

// marshal is json.Marshal without escaping <, > and &, which the index
// never puts into HTML unescaped and which would only make it larger.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSpace(buf.Bytes()), nil
}
