package search

import (
	"math"
	"math/bits"
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
	nc := 0
	for t := range nt {
		inv.common[t] = inv.posStart[t+1]-inv.posStart[t] > inv.pairMin
		if inv.common[t] {
			nc++
		}
	}
	inv.anyCommon = nc > 0
	if _, _, ok := hitBits(nc, docs); !ok {
		inv.common, inv.anyCommon = make([]bool, nt), false
	}
}

// hits are the pairs found, each a number: which of the pair the term
// whose section lists it is (0 for the first, 1 for the second) times
// the number of common terms, plus the other term's rank among the common
// terms <<subShift | the stop run between them <<atBits | the document
// <<4 | the number of the first's occurrence among its kept positions <<2
// | the second's. Sorted, a section's pairs are by which of the pair its
// term is, the other term, the stop run, then document.
type hits struct {
	// The pairs of the section of term t are h[sections[t]:sections[t+1]].
	h        []uint64
	sections []int
	// rank is each common term's rank among the common terms, and common
	// the common terms in order, nc of them.
	rank             []int32
	common           []uint32
	nc               int
	atBits, subShift uint
}

// Limits of hits' numbers: beyond them an index has no pair lists, and
// phrases are checked against positions.
const (
	maxPairTerms = 1 << 24
	maxPairDocs  = 1 << 28
)

// runBits is the bits of a stop run.
const runBits = 15

// hitBits is where a hit's stop run and its section's sub-key start, of nc
// common terms and docs documents, and whether a hit fits in 64 bits.
func hitBits(nc, docs int) (atBits, subShift uint, ok bool) {
	atBits = uint(bits.Len(uint(max(1, docs)-1))) + 4
	subShift = atBits + runBits
	return atBits, subShift, subShift+uint(bits.Len(uint(2*nc))) <= 64
}

// newHits makes the hits' layout of the terms, common as common says, of
// docs documents.
func newHits(common []bool, docs int) hits {
	h := hits{rank: make([]int32, len(common))}
	for t, c := range common {
		if c {
			h.rank[t] = int32(len(h.common))
			h.common = append(h.common, uint32(t))
		}
	}
	h.nc = len(h.common)
	h.atBits, h.subShift, _ = hitBits(h.nc, docs)
	return h
}

// section is the section that lists the pair of a link's terms a and b,
// as a worker's ids with commonBit map them, of which one is common, and
// the pair's sub-key: a pair is listed in the section of its first term,
// unless only the first is common, when it is listed in the second's, so
// that a common term's section lists only common terms and stays short.
// The term a section lists is common either way.
func (h *hits) section(a, b uint32) (s uint32, sub uint64) {
	if a&commonBit != 0 && b&commonBit == 0 {
		return b, uint64(h.nc + int(h.rank[a&^commonBit]))
	}
	return a &^ commonBit, uint64(h.rank[b&^commonBit])
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
		s := a &^ commonBit
		if a&commonBit != 0 && b&commonBit == 0 {
			s = b
		}
		n[s]++
	}
}

// place puts into h the pairs of links, those of the documents from first
// on, which end at ends, one of whose terms is common, each section's at
// cur[section], which it moves on; ids maps the links' term ids to terms,
// with commonBit.
func (h *hits) place(cur []int, links []link, ends []int, first int, ids []uint32) {
	i := 0
	for j, end := range ends {
		d := uint64(first+j) << 4
		for ; i < end; i++ {
			l := links[i]
			a, b := ids[l.a()], ids[l.b()]
			if (a|b)&commonBit == 0 {
				continue
			}
			s, sub := h.section(a, b)
			x := uint64(l.x())
			c := &cur[s]
			h.h[*c] = sub<<h.subShift | x>>4<<h.atBits | d | x&15
			*c++
		}
	}
}

// pairs writes the pair sections of the terms from the pairs invert
// found.
func (inv *inverted) pairs() *pairs {
	ps := &pairs{min: inv.pairMin}
	if inv.anyCommon {
		ps.data, ps.ends = encodePairs(&inv.found)
	}
	inv.found = hits{} // for the collector, as in invert
	if ps.data == nil {
		// No pair files: no term is common.
		ps.min = math.MaxInt
	}
	return ps
}

// encodePairs writes the table and the sections from h: data and ends as
// in pairs, or none if the table cannot say where the sections are. The
// sections are split into a run of terms for each core, with about as
// many pairs each; each run is sorted and written on its own core, and
// its sections follow the previous run's.
func encodePairs(h *hits) (data []byte, ends []int) {
	nt := len(h.sections) - 1
	n := h.sections[nt]
	workers := max(1, min(runtime.GOMAXPROCS(0), nt))
	bounds := make([]int, workers+1) // the runs' first terms
	for w, t := 0, 0; w < workers; w++ {
		for t < nt && (w == workers-1 || h.sections[t] < n*(w+1)/workers) {
			t++
		}
		bounds[w+1] = t
	}
	parts := make([]runSections, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { parts[w] = h.writeSections(bounds[w], bounds[w+1]) })
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

// sectionSorter sorts the pairs of a section, found in document order,
// reusing its room from one section to the next.
type sectionSorter struct {
	count []int32
	tmp   []uint64
}

// sort returns s sorted, the pairs of a section of h, in s or in the
// sorter's room. Sorting them stably by sub-key, by counting, leaves each
// pair's hits in document order: only those with stop runs, or found
// twice in a document, need sorting after.
func (ss *sectionSorter) sort(h *hits, s []uint64) []uint64 {
	n := len(s)
	if n <= 16 {
		insertionSort(s)
		return s
	}
	if 2*h.nc > 8*n {
		// Counting would cost more than comparing.
		slices.Sort(s)
		return s
	}
	count := ss.count
	clear(count)
	shift := h.subShift
	for _, x := range s {
		count[x>>shift+1]++
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	if cap(ss.tmp) < n {
		ss.tmp = make([]uint64, 2*n)
	}
	tmp := ss.tmp[:n]
	for _, x := range s {
		tmp[count[x>>shift]] = x
		count[x>>shift]++
	}
	for i := 0; i < n; {
		j := i + 1
		sorted := true
		for ; j < n && tmp[j]>>shift == tmp[i]>>shift; j++ {
			sorted = sorted && tmp[j-1] <= tmp[j]
		}
		if !sorted {
			slices.Sort(tmp[i:j])
		}
		i = j
	}
	return tmp
}

// insertionSort sorts a few hits.
func insertionSort(s []uint64) {
	for i := 1; i < len(s); i++ {
		x := s[i]
		j := i
		for ; j > 0 && s[j-1] > x; j-- {
			s[j] = s[j-1]
		}
		s[j] = x
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

// writeSections sorts and writes the sections of the terms [lo, hi).
func (h *hits) writeSections(lo, hi int) runSections {
	// Room for the lists at about four digits a hit, and their
	// directories, so that data seldom grows.
	s := runSections{data: make([]byte, 0, 5*(h.sections[hi]-h.sections[lo])), ends: make([]int, 0, hi-lo), dirLen: make([]int, 0, hi-lo)}
	sorter := sectionSorter{count: make([]int32, 2*h.nc+1)}
	var lists []byte
	for a := lo; a < hi; a++ {
		sorted := sorter.sort(h, h.h[h.sections[a]:h.sections[a+1]])
		start := len(s.data)
		s.data, lists = h.appendSection(s.data, lists[:0], sorted)
		s.dirLen = append(s.dirLen, len(s.data)-start)
		s.data = append(s.data, lists...)
		s.ends = append(s.ends, len(s.data))
	}
	return s
}

// appendSection appends to dir the directory of a section from its
// sorted pairs s, and to lists its lists. A section's directory has, for
// each pair it lists and each stop run between its terms, the gap from
// the previous entry's other term times two, plus one if a stop run
// follows; the stop run; and the length of the list. It lists first the
// pairs the term is first of, then, after a 0, those it is second of,
// each gap from -1 again. A list has, for each page and each time the
// pair is in it at kept positions, the gap from the previous page (0 for
// the same page) times 16, plus the number of the first term's occurrence
// among its kept positions times 4, plus the second's.
func (h *hits) appendSection(dir, lists []byte, s []uint64) ([]byte, []byte) {
	prevB, second := -1, false
	atMask := uint64(1)<<h.atBits - 1
	for i := 0; i < len(s); {
		key := s[i] >> h.atBits
		sub, run := int(key>>runBits), int(key&(1<<runBits-1))
		if sub >= h.nc && !second {
			dir = appendVarint(dir, 0)
			prevB, second = -1, true
		}
		if second {
			sub -= h.nc
		}
		b := int(h.common[sub])
		n := len(lists)
		prev := -1
		for ; i < len(s) && s[i]>>h.atBits == key; i++ {
			d := int(s[i] & atMask >> 4)
			lists = appendVarint(lists, (d-prev)*16+int(s[i]&15))
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
