package search

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"sync"
)

// Phrases with common words ("peer review", "review of reading") are
// answered from pair lists, not from the common words' positions. A common
// word's positions are the biggest part of the index a phrase needs, tens
// of kilobytes each at ten thousand pages, and checking them in rank order
// does not help: the pages where two common words stand side by side are
// a few in a hundred of the pages that have both, scattered, so the first
// page of results needs positions from all over both words' lists. A pair
// list holds the answer itself: the pages where one common word is
// followed by another, with a given stop run between them (nothing, or
// stop words such as "of"), at the places the positions keep (the first
// maxPositions of each word), so that it matches exactly as checking the
// positions would. Each entry also says which of the kept occurrences of
// either word it is, so that a phrase of three or more common words is
// the chain of its pairs that share an occurrence: "school of reading
// review" is "school of reading" and "reading review" through the same
// "reading".
//
// A term is common when its positions take more than pairs.min bytes, and
// every pair of terms of which one is common has a list: so a phrase needs
// the positions of rare words only, which are short. The pair files hold
// a table, for each term in term order, of where its section starts and
// the length of its directory, each in a fixed number of digits, most
// significant first, so that the client reads one term's entry by byte
// range; then the sections. A section is a directory of the terms that
// follow the term somewhere, and the lists of pages (see encode). All in
// digits.

// pairs is the pair sections of the terms.
type pairs struct {
	// min is the least length of positions, in bytes, above which a term
	// is common: the Options' PairMin.
	min int
	// data is the table and the sections; ends where the table and each
	// section end.
	data []byte
	ends []int
}

// Digits of a table entry: where a section starts and the length of its
// directory.
const (
	sectionDigits = 5
	dirDigits     = 4
	tableEntry    = sectionDigits + dirDigits
)

// chooseCommon marks the common terms, those whose positions are longer
// than least bytes, of an index of docs documents; none if the index is
// too large for pair lists.
func (inv *inverted) chooseCommon(least, docs int) {
	nt := len(inv.terms)
	inv.pairMin = max(0, least)
	inv.common = make([]bool, nt)
	if nt > maxPairTerms || docs > maxPairDocs {
		return
	}
	for t := range nt {
		inv.common[t] = inv.posStart[t+1]-inv.posStart[t] > inv.pairMin
		inv.anyCommon = inv.anyCommon || inv.common[t]
	}
}

// hits are the pairs found, in two arrays side by side: key is the term
// whose section lists the pair <<40 | 1<<39 if it is the second of the
// pair | the other term <<15 | the stop run between them; at is the
// document <<4 | the number of the first's occurrence among its kept
// positions <<2 | the second's. Sorted by key then at, the hits of a pair
// are by stop run, then document.
type hits struct {
	key []uint64
	at  []uint32
}

// Limits of hits' numbers: beyond them an index has no pair lists, and
// phrases are checked against positions.
const (
	maxPairTerms = 1 << 24
	maxPairDocs  = 1 << 28
)

// pairKey is the key, less the stop run, of a link's terms a and b, as a
// worker's ids with commonBit map them, of which one is common: a pair is
// listed in the section of its first term, unless only the first is
// common, when it is listed in the second's, so that a common term's
// section lists only common terms and stays short. The term a section
// lists is common either way.
func pairKey(a, b uint32) uint64 {
	if a&commonBit != 0 && b&commonBit == 0 {
		return uint64(b)<<40 | 1<<39 | uint64(a&^commonBit)<<15
	}
	return uint64(a&^commonBit)<<40 | uint64(b&^commonBit)<<15
}

// countSections adds to n, for each section, the pairs of links it lists,
// those one of whose terms is common; ids maps the links' term ids to
// terms, with commonBit.
func countSections(n []int, links []link, ids []uint32) {
	for _, l := range links {
		a, b := ids[l.a()], ids[l.b()]
		if (a|b)&commonBit == 0 {
			continue
		}
		n[pairKey(a, b)>>40]++
	}
}

// place puts into h the pairs of links, those of the documents from first
// on, which end at ends, one of whose terms is common, each section's at
// cur[section], which it moves on; ids maps the links' term ids to terms,
// with commonBit.
func (h *hits) place(cur []int, links []link, ends []int, first int, ids []uint32) {
	i := 0
	for j, end := range ends {
		d := uint32(first+j) << 4
		for ; i < end; i++ {
			l := links[i]
			a, b := ids[l.a()], ids[l.b()]
			if (a|b)&commonBit == 0 {
				continue
			}
			key := pairKey(a, b)
			c := &cur[key>>40]
			h.key[*c] = key | uint64(l.x()>>4)
			h.at[*c] = d | l.x()&15
			*c++
		}
	}
}

// pairs writes the pair sections of the terms from the pairs invert
// found.
func (inv *inverted) pairs() *pairs {
	ps := &pairs{min: inv.pairMin}
	if inv.anyCommon {
		ps.data, ps.ends = encodePairs(inv.found, inv.sections, inv.common)
	}
	inv.found = hits{} // for the collector, as in invert
	if ps.data == nil {
		// No pair files: no term is common.
		ps.min = math.MaxInt
	}
	return ps
}

// encodePairs writes the table and the sections from h, the pairs found,
// each section's in document order at [sections[t], sections[t+1]), of
// the terms, which are common as common says: data and ends as in pairs,
// or none if the table cannot say where the sections are. The sections
// are split into a run of terms for each core, with about as many pairs
// each; each run is sorted and written on its own core, and its sections
// follow the previous run's.
func encodePairs(h hits, sections []int, common []bool) (data []byte, ends []int) {
	nt := len(sections) - 1
	n := sections[nt]
	// The other term of a pair, not the section's, is always common: its
	// rank among the common terms orders a section's pairs.
	rank := make([]int32, nt)
	nc := 0
	for t, c := range common {
		if c {
			rank[t] = int32(nc)
			nc++
		}
	}
	workers := max(1, min(runtime.GOMAXPROCS(0), nt))
	bounds := make([]int, workers+1) // the runs' first terms
	for w, t := 0, 0; w < workers; w++ {
		for t < nt && (w == workers-1 || sections[t] < n*(w+1)/workers) {
			t++
		}
		bounds[w+1] = t
	}
	parts := make([]runSections, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { parts[w] = writeSections(bounds[w], bounds[w+1], h, sections, rank, nc) })
	}
	wg.Wait()

	size := nt * tableEntry
	for _, p := range parts {
		size += len(p.data)
	}
	data = make([]byte, nt*tableEntry, size)
	ends = make([]int, 0, nt+1)
	ends = append(ends, len(data))
	a := 0
	for _, p := range parts {
		base := len(data)
		data = append(data, p.data...)
		for j, end := range p.ends {
			start, dirLen := base+p.start(j), p.dirLen[j]
			if start >= 1<<(6*sectionDigits) || dirLen >= 1<<(6*dirDigits) {
				return nil, nil
			}
			putFixed(data[a*tableEntry:a*tableEntry+sectionDigits], start)
			putFixed(data[a*tableEntry+sectionDigits:(a+1)*tableEntry], dirLen)
			ends = append(ends, base+end)
			a++
		}
	}
	return data, ends
}

// sectionSorter sorts the pairs of a section, found in document order, by
// key and document, reusing its room from one section to the next.
type sectionSorter struct {
	rank  []int32 // each common term's rank among them
	nc    int     // the number of common terms
	count []int32
	tmp   hits
}

// sort returns h sorted, in h or in the sorter's room. Sorting them
// stably by which of the pair the section's term is and the other term,
// by counting, leaves each pair's hits in document order: only those
// with stop runs, or found twice in a document, need sorting after.
func (s *sectionSorter) sort(h hits) hits {
	n := len(h.key)
	if n <= 16 {
		insertionSort(h.key, h.at)
		return h
	}
	if 2*s.nc > 8*n {
		// Counting would cost more than comparing.
		sortRun(h.key, h.at)
		return h
	}
	count := s.count
	clear(count)
	sub := func(k uint64) int {
		return int(k>>39&1)*s.nc + int(s.rank[k>>15&(maxPairTerms-1)])
	}
	for _, k := range h.key {
		count[sub(k)+1]++
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	if cap(s.tmp.key) < n {
		s.tmp = hits{key: make([]uint64, n, 2*n), at: make([]uint32, n, 2*n)}
	}
	tmp := hits{key: s.tmp.key[:n], at: s.tmp.at[:n]}
	for i, k := range h.key {
		x := sub(k)
		tmp.key[count[x]], tmp.at[count[x]] = k, h.at[i]
		count[x]++
	}
	for i := 0; i < n; {
		j := i + 1
		for j < n && tmp.key[j]>>15 == tmp.key[i]>>15 {
			j++
		}
		sortRun(tmp.key[i:j], tmp.at[i:j])
		i = j
	}
	return tmp
}

// insertionSort sorts a few hits by key and document.
func insertionSort(key []uint64, at []uint32) {
	for i := 1; i < len(key); i++ {
		k, a := key[i], at[i]
		j := i
		for ; j > 0 && (key[j-1] > k || key[j-1] == k && at[j-1] > a); j-- {
			key[j], at[j] = key[j-1], at[j-1]
		}
		key[j], at[j] = k, a
	}
}

// sortRun sorts the hits of one pair by stop run and document, if they
// are not.
func sortRun(key []uint64, at []uint32) {
	sorted := true
	for i := 1; i < len(key) && sorted; i++ {
		sorted = key[i-1] < key[i] || key[i-1] == key[i] && at[i-1] <= at[i]
	}
	if sorted {
		return
	}
	if len(key) <= 16 {
		insertionSort(key, at)
		return
	}
	type hit struct {
		key uint64
		at  uint32
	}
	hs := make([]hit, len(key))
	for i := range hs {
		hs[i] = hit{key[i], at[i]}
	}
	slices.SortFunc(hs, func(p, q hit) int {
		if c := cmp.Compare(p.key, q.key); c != 0 {
			return c
		}
		return cmp.Compare(p.at, q.at)
	})
	for i, x := range hs {
		key[i], at[i] = x.key, x.at
	}
}

// runSections are the sections of a run of terms, written on their own:
// where each ends in data, and the length of its directory.
type runSections struct {
	data   []byte
	ends   []int
	dirLen []int
}

// start is where the j-th section starts in data.
func (s *runSections) start(j int) int {
	if j == 0 {
		return 0
	}
	return s.ends[j-1]
}

// writeSections sorts and writes the sections of the terms [lo, hi) from
// the pairs h, each section's at [sections[t], sections[t+1]); rank and
// nc are as in sectionSorter.
func writeSections(lo, hi int, h hits, sections []int, rank []int32, nc int) runSections {
	// Room for the lists at about four digits a hit, and their
	// directories, so that data seldom grows.
	s := runSections{data: make([]byte, 0, 5*(sections[hi]-sections[lo])), ends: make([]int, 0, hi-lo), dirLen: make([]int, 0, hi-lo)}
	sorter := sectionSorter{rank: rank, nc: nc, count: make([]int32, 2*nc+1)}
	var lists []byte
	for a := lo; a < hi; a++ {
		from, to := sections[a], sections[a+1]
		sorted := sorter.sort(hits{key: h.key[from:to], at: h.at[from:to]})
		start := len(s.data)
		s.data, lists = appendSection(s.data, lists[:0], sorted)
		s.dirLen = append(s.dirLen, len(s.data)-start)
		s.data = append(s.data, lists...)
		s.ends = append(s.ends, len(s.data))
	}
	return s
}

// appendSection appends to dir the directory of a section from its
// sorted pairs h, and to lists its lists. A section's directory has, for
// each pair it lists and each stop run between its terms, the gap from
// the previous entry's other term times two, plus one if a stop run
// follows; the stop run; and the length of the list. It lists first the
// pairs the term is first of, then, after a 0, those it is second of,
// each gap from -1 again. A list has, for each page and each time the
// pair is in it at kept positions, the gap from the previous page (0 for
// the same page) times 16, plus the number of the first term's occurrence
// among its kept positions times 4, plus the second's.
func appendSection(dir, lists []byte, h hits) ([]byte, []byte) {
	prevB, second := -1, false
	for i := 0; i < len(h.key); {
		key := h.key[i]
		b, run := int(key>>15&(maxPairTerms-1)), int(key&(1<<15-1))
		if key&(1<<39) != 0 && !second {
			dir = appendVarint(dir, 0)
			prevB, second = -1, true
		}
		n := len(lists)
		prev := -1
		for ; i < len(h.key) && h.key[i] == key; i++ {
			d := int(h.at[i] >> 4)
			lists = appendVarint(lists, (d-prev)*16+int(h.at[i]&15))
			prev = d
		}
		if run == 0 {
			dir = appendVarint(dir, (b-prevB)<<1)
		} else {
			dir = appendVarint(dir, (b-prevB)<<1|1)
			dir = appendVarint(dir, run)
		}
		dir = appendVarint(dir, len(lists)-n)
		prevB = b
	}
	return dir, lists
}

// putFixed writes x into b in len(b) digits, most significant first.
func putFixed(b []byte, x int) {
	for k := len(b) - 1; k >= 0; k-- {
		b[k] = digits[x&63]
		x >>= 6
	}
}

// readVarint reads a number written by appendVarint from b at i, and
// returns it and where the next starts.
func readVarint(b []byte, i int) (int, int) {
	x, shift := 0, 0
	for {
		d := digitValue[b[i]]
		i++
		if d < 32 {
			return x | int(d)<<shift, i
		}
		x |= int(d-32) << shift
		shift += 5
	}
}

// digitValue is the value of each character of digits.
var digitValue = func() (v [256]uint8) {
	for i := range len(digits) {
		v[digits[i]] = uint8(i)
	}
	return v
}()
