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

// pairKey is the key, less the stop run, of a pair of the terms a and b,
// of which a is common or not: a pair is listed in the section of its
// first term, unless only the first is common, when it is listed in the
// second's, so that a common term's section lists only common terms and
// stays short.
func pairKey(a uint32, aCommon bool, b uint32, bCommon bool) uint64 {
	if aCommon && !bCommon {
		return uint64(b)<<40 | 1<<39 | uint64(a)<<15
	}
	return uint64(a)<<40 | uint64(b)<<15
}

// countPairs counts the pairs of links, one of whose terms is common;
// ids maps the links' term ids to terms.
func (inv *inverted) countPairs(links []link, ids []uint32) int {
	n := 0
	for i := range links {
		if inv.common[ids[links[i].a()]] || inv.common[ids[links[i].b()]] {
			n++
		}
	}
	return n
}

// pairsOf puts into found, from its n-th on, the pairs of links, those of
// the documents from first on, which end at ends, one of whose terms is
// common, and returns how many it has then; ids maps the links' term ids
// to terms.
func (inv *inverted) pairsOf(found *hits, n int, links []link, ends []int, first int, ids []uint32) int {
	i := 0
	for j, end := range ends {
		d := uint32(first+j) << 4
		for ; i < end; i++ {
			l := links[i]
			a, b := ids[l.a()], ids[l.b()]
			ca, cb := inv.common[a], inv.common[b]
			if !ca && !cb {
				continue
			}
			found.key[n] = pairKey(a, ca, b, cb) | uint64(l.x()>>4)
			found.at[n] = d | l.x()&15
			n++
		}
	}
	return n
}

// pairs writes the pair sections of the terms from the pairs invert
// found.
func (inv *inverted) pairs() *pairs {
	ps := &pairs{min: inv.pairMin}
	if inv.anyCommon {
		ps.data, ps.ends = encodePairs(len(inv.terms), inv.found)
	}
	inv.found = hits{} // for the collector, as in invert
	if ps.data == nil {
		// No pair files: no term is common.
		ps.min = math.MaxInt
	}
	return ps
}

// encodePairs sorts h, the pairs found in document order, of nt terms, and
// writes the table and the sections: data and ends as in pairs, or none
// if the table cannot say where the sections are. The hits are split by
// their section's term into a run of terms for each core, with about as
// many hits each; each run is sorted and written on its own core, and
// its sections follow the previous run's.
func encodePairs(nt int, h hits) (data []byte, ends []int) {
	n := len(h.key)
	per := make([]int, nt)
	for _, k := range h.key {
		per[k>>40]++
	}
	workers := max(1, min(runtime.GOMAXPROCS(0), nt))
	bounds := make([]int, workers+1) // the runs' first terms
	from := make([]int, workers+1)   // and first hits
	run := make([]int32, nt)         // each term's run
	for w, t := 0, 0; w < workers; w++ {
		from[w+1] = from[w]
		for t < nt && (w == workers-1 || from[w+1] < n*(w+1)/workers) {
			from[w+1] += per[t]
			run[t] = int32(w)
			t++
		}
		bounds[w+1] = t
	}
	// Partition the hits by run, keeping their order, into sorted; h is
	// then the runs' room to sort in.
	sorted := hits{key: make([]uint64, n), at: make([]uint32, n)}
	next := slices.Clone(from[:workers])
	for i, k := range h.key {
		r := run[k>>40]
		sorted.key[next[r]], sorted.at[next[r]] = k, h.at[i]
		next[r]++
	}
	parts := make([]runSections, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			lo, hi := from[w], from[w+1]
			part := hits{key: sorted.key[lo:hi], at: sorted.at[lo:hi]}
			sortPairs(part, hits{key: h.key[lo:hi], at: h.at[lo:hi]}, nt)
			parts[w] = writeSections(bounds[w], bounds[w+1], part)
		})
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

// sortPairs sorts h, pairs found in document order, of nt terms, by key
// and document, in place, using tmp, as long as h, as room.
func sortPairs(h, tmp hits, nt int) {
	// Sorting them stably by the other term, then by the section's term
	// and which of the pair it is, by counting, leaves each pair's hits
	// in document order: only those with stop runs, or found twice in a
	// document, need sorting after.
	n := len(h.key)
	count := make([]int32, 2*nt+1)
	other := func(k uint64) uint64 { return k >> 15 & (maxPairTerms - 1) }
	for _, k := range h.key {
		count[other(k)+1]++
	}
	for i := range nt {
		count[i+1] += count[i]
	}
	for i, k := range h.key {
		o := other(k)
		tmp.key[count[o]], tmp.at[count[o]] = k, h.at[i]
		count[o]++
	}
	clear(count)
	for _, k := range tmp.key {
		count[k>>39+1]++
	}
	for i := range 2 * nt {
		count[i+1] += count[i]
	}
	for i, k := range tmp.key {
		s := k >> 39
		h.key[count[s]], h.at[count[s]] = k, tmp.at[i]
		count[s]++
	}
	for i := 0; i < n; {
		j := i + 1
		for j < n && h.key[j]>>15 == h.key[i]>>15 {
			j++
		}
		sortRun(h.key[i:j], h.at[i:j])
		i = j
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

// writeSections writes the sections of the terms [lo, hi) from their
// sorted pairs h. A section's directory has, for each pair it lists and
// each stop run between its terms, the gap from the previous entry's
// other term times two, plus one if a stop run follows; the stop run; and
// the length of the list. It lists first the pairs the term is first of,
// then, after a 0, those it is second of, each gap from -1 again. A list
// has, for each page and each time the pair is in it at kept positions,
// the gap from the previous page (0 for the same page) times 16, plus the
// number of the first term's occurrence among its kept positions times 4,
// plus the second's.
func writeSections(lo, hi int, h hits) runSections {
	// Room for the lists at about four digits a hit, and their
	// directories, so that data seldom grows.
	s := runSections{data: make([]byte, 0, 5*len(h.key)), ends: make([]int, 0, hi-lo), dirLen: make([]int, 0, hi-lo)}
	var lists []byte
	i := 0
	for a := lo; a < hi; a++ {
		start := len(s.data)
		lists = lists[:0]
		prevB, second := -1, false
		for i < len(h.key) && int(h.key[i]>>40) == a {
			key := h.key[i]
			b, run := int(key>>15&(maxPairTerms-1)), int(key&(1<<15-1))
			if key&(1<<39) != 0 && !second {
				s.data = appendVarint(s.data, 0)
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
				s.data = appendVarint(s.data, (b-prevB)<<1)
			} else {
				s.data = appendVarint(s.data, (b-prevB)<<1|1)
				s.data = appendVarint(s.data, run)
			}
			s.data = appendVarint(s.data, len(lists)-n)
			prevB = b
		}
		s.dirLen = append(s.dirLen, len(s.data)-start)
		s.data = append(s.data, lists...)
		s.ends = append(s.ends, len(s.data))
	}
	return s
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
