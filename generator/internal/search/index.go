package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
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

// minShard is the least size, in bytes of JSON roughly, worth a shard of
// its own.
const minShard = 24 << 10

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
	// Text holds the text of each field.
	Text [numFields]string
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
	// Shards is the most files the terms are split into.
	Shards int
	// DocFiles is the most files the documents' titles and summaries are
	// split into.
	DocFiles int
}

// DefaultOptions keep an index of any size to at most 49 files: the
// manifest, 14 term shards, 14 position shards and 20 document files.
func DefaultOptions() Options { return Options{Shards: 14, DocFiles: 20} }

// levels is how many weights a posting can have: BM25's term weight, from
// 0 to k1+1, is rounded to one of them, so that it takes four bits.
const levels = 16

// manifest is search/index.json.
type manifest struct {
	Version int `json:"v"`
	// N is the number of documents.
	N int `json:"n"`
	// Terms are the shards, in term order: the first two letters of each
	// one's first term, its postings file and its positions file.
	Terms [][3]string `json:"terms"`
	// Docs are the document files; document i is in Docs[i/Chunk].
	Docs  []string `json:"docs"`
	Chunk int      `json:"chunk"`
	// Facets carry, for each value, its documents as ascending ids
	// gap-encoded.
	Facets []manifestFacet `json:"facets"`
	// Dates are, for each document with dates, gap-encoded: the gap from
	// the previous such document, the number of dates and each date.
	Dates string `json:"dates"`
}

type manifestFacet struct {
	Key    string  `json:"key"`
	Name   string  `json:"name"`
	Values [][]any `json:"values"` // [id, label, gaps]
}

// posting is one document's entry for a term.
type posting struct {
	doc    int
	weight int
	pos    []int
}

// docTokens are one document's terms by field.
type docTokens struct {
	fields [numFields][]Token
}

// Build makes the index files for docs. Document ids are positions in docs.
func Build(docs []Doc, facets []Facet, opts Options) ([]File, error) {
	tokens := make([]docTokens, len(docs))
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each worker keeps its own cache of stems: a word's stem never
			// changes, so an entry is good for the whole build.
			stems := map[string]string{}
			for i := w; i < len(docs); i += workers {
				pos := 0
				for f := range numFields {
					ts, n := tokenize(docs[i].Text[f], pos, stems)
					tokens[i].fields[f] = ts
					pos += n + 2 // a gap, so no phrase spans two fields
				}
			}
		}()
	}
	wg.Wait()
	var totalLen [numFields]float64
	for i := range tokens {
		for f := range numFields {
			totalLen[f] += float64(len(tokens[i].fields[f]))
		}
	}
	var avg [numFields]float64
	for f := range numFields {
		avg[f] = max(1, totalLen[f]/float64(max(1, len(docs))))
	}
	postings := map[string][]posting{}
	type count struct {
		tf  [numFields]int
		pos []int
	}
	for i := range docs {
		counts := map[string]*count{}
		var order []string
		for f := range numFields {
			for _, t := range tokens[i].fields[f] {
				c, ok := counts[t.Term]
				if !ok {
					c = &count{}
					counts[t.Term] = c
					order = append(order, t.Term)
				}
				c.tf[f]++
				if len(c.pos) < maxPositions {
					c.pos = append(c.pos, t.Pos)
				}
			}
		}
		for _, term := range order {
			c := counts[term]
			w := 0.0
			for f := range numFields {
				if c.tf[f] == 0 {
					continue
				}
				norm := 1 - b + b*float64(len(tokens[i].fields[f]))/avg[f]
				w += boosts[f] * float64(c.tf[f]) / norm
			}
			q := int(math.Round(w / (w + k1) * levels)) // w*(k1+1)/(w+k1) scaled to levels
			postings[term] = append(postings[term], posting{doc: i, weight: min(levels, max(1, q)), pos: c.pos})
		}
	}

	var files []File
	add := func(prefix string, v any) (string, error) {
		body, err := marshal(v)
		if err != nil {
			return "", err
		}
		sum := sha256.Sum256(body)
		p := fmt.Sprintf("%s/%s.%s.json", Dir, prefix, hex.EncodeToString(sum[:4]))
		files = append(files, File{Path: p, Body: body})
		return p[len(Dir)+1:], nil
	}
	m := manifest{Version: 1, N: len(docs), Terms: [][3]string{}, Docs: []string{}, Facets: []manifestFacet{}}

	terms := slices.Sorted(maps.Keys(postings))
	encoded := make([]string, len(terms))
	positions := make([]string, len(terms))
	total := 0
	for i, t := range terms {
		var e, p []byte
		prev := -1
		for _, x := range postings[t] {
			e = appendVarint(e, (x.doc-prev-1)*levels+x.weight-1)
			p = appendVarint(p, len(x.pos))
			last := 0
			for _, y := range x.pos {
				p = appendVarint(p, y-last)
				last = y
			}
			prev = x.doc
		}
		encoded[i], positions[i] = string(e), string(p)
		total += len(t) + len(e) + 6
	}
	// Shards break only between two-letter prefixes, so every term that
	// starts with the same two letters is in one shard; the client, which
	// needs all terms starting with a word's first letter, loads the shards
	// covering that letter. Positions, which only phrases need, are in
	// files of their own with the same bounds.
	target := max(total/max(1, opts.Shards)+1, minShard)
	for i := 0; i < len(terms); {
		shard, pshard := map[string]string{}, map[string]string{}
		first := terms[i]
		size := 0
		for i < len(terms) {
			j := i
			for j < len(terms) && prefix2(terms[j]) == prefix2(terms[i]) {
				shard[terms[j]], pshard[terms[j]] = encoded[j], positions[j]
				size += len(terms[j]) + len(encoded[j]) + 6
				j++
			}
			i = j
			if size >= target {
				break
			}
		}
		name, err := add("t", shard)
		if err != nil {
			return nil, err
		}
		pname, err := add("p", pshard)
		if err != nil {
			return nil, err
		}
		m.Terms = append(m.Terms, [3]string{prefix2(first), name, pname})
	}
	if len(m.Terms) > 0 {
		m.Terms[0][0] = ""
	}

	m.Chunk = max(64, (len(docs)+max(1, opts.DocFiles)-1)/max(1, opts.DocFiles))
	for lo := 0; lo < len(docs); lo += m.Chunk {
		var chunk [][5]string
		for _, d := range docs[lo:min(lo+m.Chunk, len(docs))] {
			chunk = append(chunk, [5]string{d.Title, d.URL, d.Section, d.Sub, d.Summary})
		}
		name, err := add("d", chunk)
		if err != nil {
			return nil, err
		}
		m.Docs = append(m.Docs, name)
	}

	for _, f := range facets {
		mf := manifestFacet{Key: f.Key, Name: f.Name}
		for _, v := range f.Values {
			var gaps []byte
			prev := -1
			for i, d := range docs {
				if slices.Contains(d.Facets[f.Key], v.ID) {
					gaps = appendVarint(gaps, i-prev-1)
					prev = i
				}
			}
			if prev >= 0 {
				mf.Values = append(mf.Values, []any{v.ID, v.Label, string(gaps)})
			}
		}
		if len(mf.Values) > 0 {
			m.Facets = append(m.Facets, mf)
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
	m.Dates = string(dates)
	body, err := marshal(m)
	if err != nil {
		return nil, err
	}
	files = append(files, File{Path: Dir + "/index.json", Body: body})
	return files, nil
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

// prefix2 is the first two letters of a term, by which shards are cut.
func prefix2(t string) string {
	r := []rune(t)
	return string(r[:min(2, len(r))])
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
