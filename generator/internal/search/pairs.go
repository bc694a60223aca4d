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
	if _, _, _, ok := hitBits(nc, docs); !ok {
		inv.common, inv.anyCommon = make([]bool, nt), false
	}
}

// hits are the pairs found, each a number: the section's term's place
// in its group of sections <<secShift | which of the pair the section's
// term is (0 for the first, 1 for the second) times the number of common
// terms, plus the other term's rank among the common terms <<subShift |
// the stop run between them <<atBits | the document <<4 | the number of
// the first's occurrence among its kept positions <<2 | the second's.
// Sorted, a section's pairs are by which of the pair its term is, the
// other term, the stop run, then document.
//
// The sections of 1<<groupShift consecutive terms are a group, whose
// pairs invert puts together, in document order: a few hundred groups,
// whose places to write to stay in the cache where thousands of sections'
// would not; each group is then sorted on its own, in the cache too.
type hits struct {
	// The pairs of group g are h[groups[g]:groups[g+1]].
	h      []uint64
	groups []int
	nt     int
	// rank is each common term's rank among the common terms, and common
	// the common terms in order, nc of them.
	rank                               []int32
	common                             []uint32
	nc                                 int
	atBits, subShift, secShift, gshift uint
	// packed is whether a pair's section and hit fit in 64 bits, so that
	// counting can leave them for placing (see countGroups).
	packed bool
}

// Limits of hits' numbers: beyond them an index has no pair lists, and
// phrases are checked against positions.
const (
	maxPairTerms = 1 << 24
	maxPairDocs  = 1 << 28
)

// runBits is the bits of a stop run.
const runBits = 15

// groupBits is the bits of a section's place in its group, at most.
const groupBits = 6

// hitBits is where a hit's stop run, its sub-key and its section's place
// in its group start, of nc common terms and docs documents, and whether
// a hit fits in 64 bits.
func hitBits(nc, docs int) (atBits, subShift, secShift uint, ok bool) {
	atBits = uint(bits.Len(uint(max(1, docs)-1))) + 4
	subShift = atBits + runBits
	secShift = subShift + uint(bits.Len(uint(2*nc)))
	return atBits, subShift, secShift, secShift <= 64
}

// newHits makes the hits' layout of the terms, common as common says, of
// docs documents, and their groups, to be counted.
func newHits(common []bool, docs int) hits {
	h := hits{nt: len(common), rank: make([]int32, len(common))}
	for t, c := range common {
		if c {
			h.rank[t] = int32(len(h.common))
			h.common = append(h.common, uint32(t))
		}
	}
	h.nc = len(h.common)
	h.atBits, h.subShift, h.secShift, _ = hitBits(h.nc, docs)
	h.gshift = min(groupBits, 64-h.secShift)
	h.packed = h.secShift+uint(bits.Len(uint(h.nt))) <= 64
	h.groups = make([]int, (h.nt+1<<h.gshift-1)>>h.gshift+1)
	return h
}

// commonBit marks a common term in a worker's pair ids.
const commonBit = 1 << 31

// ids maps a worker's term ids, which remap maps to terms, to its pair
// ids: a common term's rank among the common terms | commonBit, or a
// term's own number.
func (h *hits) ids(remap []uint32) []uint32 {
	ids := make([]uint32, len(remap))
	for id, t := range remap {
		ids[id] = t
		if h.common[h.rank[t]] == t {
			ids[id] = uint32(h.rank[t]) | commonBit
		}
	}
	return ids
}

// section is the section that lists the pair of a link's terms a and b,
// as pair ids, and the pair's sub-key, of nc common terms, common; and 1
// if one of them is common and they are a pair, or 0. A pair is listed in
// the section of its first term, unless only the first is common, when
// it is listed in the second's, so that a common term's section lists
// only common terms and stays short. The other term is common either
// way. Which terms are common is random, and a branch on it is
// mispredicted often: section has none.
func section(a, b uint32, common []uint32, nc uint64) (s uint32, sub uint64, pair uint32) {
	ca, cb := a>>31, b>>31
	pair = ca | cb
	second := ca &^ cb
	m := -second
	// A common term's rank, or a term.
	a, b = a&^commonBit, b&^commonBit
	// a's term: common[a & 0] for a term is read and dropped.
	ta := common[a&-ca]&-ca | a&^-ca
	s = b&m | ta&^m
	return s, uint64(second)*nc + uint64(a&m|b&^m), pair
}

// countGroups adds to n, for each group, the pairs of the links of bl,
// whose first document is first, those one of whose terms is common; ids
// maps the links' term ids to terms, with commonBit. If h is packed, it
// keeps only the pairs in bl's links, each as its section <<secShift |
// the rest of its hit, for place.
func (h *hits) countGroups(n []int, bl *block, first int, ids []uint32) {
	common, nc, gshift := h.common, uint64(h.nc), h.gshift
	if !h.packed {
		for _, l := range bl.links {
			s, _, pair := section(ids[l.a()], ids[l.b()], common, nc)
			n[s>>gshift] += int(pair)
		}
		return
	}
	links := bl.links
	secShift, subShift, atBits := h.secShift, h.subShift, h.atBits
	i, m := 0, 0
	for j, end := range bl.linkEnd {
		d := uint64(first+j) << 4
		for ; i < end; i++ {
			l := links[i]
			s, sub, pair := section(ids[l.a()], ids[l.b()], common, nc)
			n[s>>gshift] += int(pair)
			x := uint64(l.x())
			// Written always, kept if a pair: no branch.
			links[m] = link(uint64(s)<<secShift | sub<<subShift | x>>4<<atBits | d | x&15)
			m += int(pair)
		}
	}
	bl.links = links[:m]
}

// place puts into h the pairs of the links of bl, whose first document is
// first, those one of whose terms is common, each group's at cur[group],
// which it moves on; ids maps the links' term ids to terms, with
// commonBit. What is not a pair it writes at cur[groups], which stays.
func (h *hits) place(cur []int, bl *block, first int, ids []uint32) {
	// The fields in variables: the compiler cannot tell that writing to
	// out leaves them as they are.
	out, common, nc := h.h, h.common, uint64(h.nc)
	gshift, secShift, subShift, atBits := h.gshift, h.secShift, h.subShift, h.atBits
	if h.packed {
		// countGroups left the pairs, each nearly its hit.
		shift, mask := secShift+gshift, uint64(1)<<(secShift+gshift)-1
		for _, l := range bl.links {
			c := &cur[uint64(l)>>shift]
			out[*c] = uint64(l) & mask
			*c++
		}
		return
	}
	ng := uint32(len(h.groups) - 1)
	gmask := uint32(1)<<gshift - 1
	i := 0
	for j, end := range bl.linkEnd {
		d := uint64(first+j) << 4
		for ; i < end; i++ {
			l := bl.links[i]
			s, sub, pair := section(ids[l.a()], ids[l.b()], common, nc)
			m := -pair
			g := s>>gshift&m | ng&^m
			x := uint64(l.x())
			c := &cur[g]
			out[*c] = uint64(s&gmask)<<secShift | sub<<subShift | x>>4<<atBits | d | x&15
			*c += int(pair)
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
// groups are split into a run for each core, with about as many pairs
// each; each run is sorted and written on its own core, and its sections
// follow the previous run's.
func encodePairs(h *hits) (data []byte, ends []int) {
	nt, ng := h.nt, len(h.groups)-1
	n := h.groups[ng]
	workers := max(1, min(runtime.GOMAXPROCS(0), ng))
	bounds := make([]int, workers+1) // the runs' first groups
	for w, g := 0, 0; w < workers; w++ {
		for g < ng && (w == workers-1 || h.groups[g] < n*(w+1)/workers) {
			g++
		}
		bounds[w+1] = g
	}
	// One buffer: the table, then room for each run's sections at about
	// five digits a pair, which is more than they take; the runs are then
	// moved down one after the other. A run that outgrows its room
	// writes elsewhere, and then they are copied to a new buffer.
	table := nt * tableEntry
	room := make([]int, workers+1)
	room[0] = table
	for w := range workers {
		room[w+1] = room[w] + 5*(h.groups[bounds[w+1]]-h.groups[bounds[w]]) + 16
	}
	buf := make([]byte, room[workers])
	parts := make([]runSections, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { parts[w] = h.writeSections(bounds[w], bounds[w+1], buf[room[w]:room[w]:room[w+1]]) })
	}
	wg.Wait()

	size := table
	fits := true
	for w, p := range parts {
		size += len(p.data)
		fits = fits && len(p.data) <= room[w+1]-room[w]
	}
	data = buf[:table]
	if !fits {
		data = make([]byte, table, size)
	}
	ends = make([]int, 0, nt+1)
	ends = append(ends, len(data))
	a := 0
	for _, p := range parts {
		base := len(data)
		// Into buf, a run's sections move down, to where the last ended.
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

// groupSorter sorts the pairs of a group, found in document order,
// reusing its room from one group to the next.
type groupSorter struct {
	count []int32
	tmp   []uint64
}

// sort returns s sorted, the pairs of a group of h, in s or in the
// sorter's room. Sorting them stably by section and sub-key, by counting,
// leaves each pair's hits in document order: only those with stop runs,
// or found twice in a document, need sorting after.
func (gs *groupSorter) sort(h *hits, s []uint64) []uint64 {
	n := len(s)
	keys := 1 << (h.secShift + h.gshift - h.subShift)
	if n <= 16 {
		insertionSort(s)
		return s
	}
	if keys > 8*n {
		// Counting would cost more than comparing.
		slices.Sort(s)
		return s
	}
	if len(gs.count) < keys+1 {
		gs.count = make([]int32, keys+1)
	}
	count := gs.count[:keys+1]
	clear(count)
	shift := h.subShift
	for _, x := range s {
		count[x>>shift+1]++
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	if cap(gs.tmp) < n {
		gs.tmp = make([]uint64, 2*n)
	}
	tmp := gs.tmp[:n]
	for _, x := range s {
		tmp[count[x>>shift]] = x
		count[x>>shift]++
	}
	// Sorted by key, the hits are out of order only within a key's.
	for i := 1; i < n; i++ {
		if tmp[i] >= tmp[i-1] {
			continue
		}
		key := tmp[i] >> shift
		lo, hi := i-1, i+1
		for lo > 0 && tmp[lo-1]>>shift == key {
			lo--
		}
		for hi < n && tmp[hi]>>shift == key {
			hi++
		}
		slices.Sort(tmp[lo:hi])
		i = hi
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

// writeSections sorts and writes the sections of the groups [lo, hi),
// into buf's room if they fit.
func (h *hits) writeSections(lo, hi int, buf []byte) runSections {
	first, last := min(h.nt, lo<<h.gshift), min(h.nt, hi<<h.gshift)
	s := runSections{data: buf, ends: make([]int, 0, last-first), dirLen: make([]int, 0, last-first)}
	var sorter groupSorter
	var lists []byte
	for g := lo; g < hi; g++ {
		sorted := sorter.sort(h, h.h[h.groups[g]:h.groups[g+1]])
		i := 0
		for a := g << h.gshift; a < min(h.nt, (g+1)<<h.gshift); a++ {
			j := i
			for j < len(sorted) && sorted[j]>>h.secShift == uint64(a&(1<<h.gshift-1)) {
				j++
			}
			start := len(s.data)
			s.data, lists = h.appendSection(s.data, lists[:0], sorted[i:j])
			s.dirLen = append(s.dirLen, len(s.data)-start)
			s.data = append(s.data, lists...)
			s.ends = append(s.ends, len(s.data))
			i = j
		}
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
	// The fields in variables: the compiler cannot tell that appending
	// leaves them as they are.
	atBits, nc, common := h.atBits, h.nc, h.common
	atMask := uint64(1)<<atBits - 1
	subMask := uint64(1)<<(h.secShift-h.subShift) - 1
	for i := 0; i < len(s); {
		key := s[i] >> atBits
		sub, run := int(key>>runBits&subMask), int(key&(1<<runBits-1))
		if sub >= nc && !second {
			dir = appendVarint(dir, 0)
			prevB, second = -1, true
		}
		if second {
			sub -= nc
		}
		b := int(common[sub])
		n := len(lists)
		prev := -1
		for ; i < len(s) && s[i]>>atBits == key; i++ {
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
