package search

import (
	"cmp"
	"math"
	"slices"
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
// than least bytes.
func (inv *inverted) chooseCommon(least int) {
	nt := len(inv.terms)
	inv.pairMin = max(0, least)
	inv.common = make([]bool, nt)
	for t := range nt {
		inv.common[t] = inv.posStart[t+1]-inv.posStart[t] > inv.pairMin
		inv.anyCommon = inv.anyCommon || inv.common[t]
	}
}

// pairFinder finds, one document at a time, the terms that follow one
// another, with only stop words between, at their kept positions, one of
// them common, as invert fills in the positions.
type pairFinder struct {
	// at is the document's kept occurrences of terms; by is, for each
	// position that is one of them, the document plus one <<34 | the
	// occurrence's number among its term's kept ones <<32 | the term.
	at []occurrence
	by []uint64
	// found is the pairs found, in document order, in slices of
	// pairBlock: growing one slice would allocate several times what it
	// holds.
	found [][]pairHit
}

// occurrence is a kept position of a term in a document.
type occurrence struct {
	pos    uint32
	t      uint32
	run    uint16 // the stop run before it
	k      uint8  // its number among the term's kept positions
	common bool
}

// pairHit is a pair found: ab is the term whose section lists it <<33 |
// 1<<32 if it is the second of the pair | the other term; x is the stop
// run between them <<40 | the document <<4 | the number of the first's
// occurrence <<2 | the second's. Sorted by ab then x, the hits of a pair
// are by stop run, then document.
type pairHit struct {
	ab uint64
	x  uint64
}

// pairKey is the ab of a pair of the terms a and b, of which a is common
// or not: a pair is listed in the section of its first term, unless only
// the first is common, when it is listed in the second's, so that a
// common term's section lists only common terms and stays short.
func pairKey(a uint32, aCommon bool, b uint32, bCommon bool) uint64 {
	if aCommon && !bCommon {
		return uint64(b)<<33 | 1<<32 | uint64(a)
	}
	return uint64(a)<<33 | uint64(b)
}

// pairBlock is how many pairs a pairFinder lists in one slice.
const pairBlock = 1 << 14

// add notes the positions pos, as invert writes them, of term t in
// document d.
func (f *pairFinder) add(t int, common bool, d int, pos []byte) {
	n, p := readVarint(pos, 0)
	last := 0
	for k := range n {
		var x, run int
		x, p = readVarint(pos, p)
		last += x >> 1
		if x&1 != 0 {
			run, p = readVarint(pos, p)
		}
		f.at = append(f.at, occurrence{pos: uint32(last), t: uint32(t), run: uint16(run), k: uint8(k), common: common})
		if last >= len(f.by) {
			f.by = append(f.by, make([]uint64, last+1-len(f.by))...)
		}
		f.by[last] = uint64(d+1)<<34 | uint64(k)<<32 | uint64(t)
	}
}

// end lists the pairs of document d, whose positions are all added: each
// occurrence is the second of a pair if the word before its stop run is
// an occurrence too, and one of the two is common.
func (f *pairFinder) end(d int, common []bool) {
	for _, o := range f.at {
		n := runLen(uint32(o.run))
		if n < 0 || int(o.pos) < n+1 {
			continue
		}
		before := int(o.pos) - n - 1
		if before >= len(f.by) || f.by[before]>>34 != uint64(d+1) {
			continue
		}
		a := f.by[before]
		aCommon := common[uint32(a)]
		if !o.common && !aCommon {
			continue
		}
		if len(f.found) == 0 || len(f.found[len(f.found)-1]) == pairBlock {
			f.found = append(f.found, make([]pairHit, 0, pairBlock))
		}
		last := &f.found[len(f.found)-1]
		*last = append(*last, pairHit{
			ab: pairKey(uint32(a), aCommon, o.t, o.common),
			x:  uint64(o.run)<<40 | uint64(d)<<4 | (a>>32&3)<<2 | uint64(o.k),
		})
	}
	f.at = f.at[:0]
}

// pairs writes the pair sections of the terms from the pairs invert
// found.
func (inv *inverted) pairs() *pairs {
	ps := &pairs{min: inv.pairMin}
	if inv.anyCommon {
		ps.encode(len(inv.terms), sortPairs(inv.found, len(inv.terms)))
	}
	if ps.data == nil {
		// No pair files: no term is common.
		ps.min = math.MaxInt
	}
	return ps
}

// sortPairs sorts pairs found in document order, of nt terms, by pair,
// stop run, document and occurrences.
func sortPairs(blocks [][]pairHit, nt int) []pairHit {
	n := 0
	for _, bl := range blocks {
		n += len(bl)
	}
	// Sorting them stably by the other term, then by the section's term
	// and which of the pair it is, by counting, leaves each pair's hits
	// in document order: only those with stop runs, or found twice in a
	// document, need sorting after.
	byB := make([]pairHit, n)
	at := make([]int32, 2*nt+1)
	for _, bl := range blocks {
		for _, h := range bl {
			at[uint32(h.ab)+1]++
		}
	}
	for i := range nt {
		at[i+1] += at[i]
	}
	for _, bl := range blocks {
		for _, h := range bl {
			k := uint32(h.ab)
			byB[at[k]] = h
			at[k]++
		}
	}
	clear(at)
	for _, h := range byB {
		at[h.ab>>32+1]++
	}
	for i := range 2 * nt {
		at[i+1] += at[i]
	}
	all := make([]pairHit, n)
	for _, h := range byB {
		k := h.ab >> 32
		all[at[k]] = h
		at[k]++
	}
	less := func(p, q pairHit) int { return cmp.Compare(p.x, q.x) }
	for i := 0; i < n; {
		j := i + 1
		for j < n && all[j].ab == all[i].ab {
			j++
		}
		if run := all[i:j]; !slices.IsSortedFunc(run, less) {
			slices.SortFunc(run, less)
		}
		i = j
	}
	return all
}

// encode writes the table and the sections of nt terms from their sorted
// pairs, or nothing if the table cannot say where they are. A section's
// directory has, for each pair it lists and each stop run between its
// terms, the gap from the previous entry's other term times two, plus one
// if a stop run follows; the stop run; and the length of the list. It
// lists first the pairs the term is first of, then, after a 0, those it
// is second of, each gap from -1 again. A list has, for each page and each time the pair is in it at
// kept positions, the gap from the previous page (0 for the same page)
// times 16, plus the number of the first term's occurrence among its kept
// positions times 4, plus the second's.
func (ps *pairs) encode(nt int, hits []pairHit) {
	data := make([]byte, nt*tableEntry, nt*tableEntry+3*len(hits))
	ends := make([]int, 0, nt+1)
	ends = append(ends, len(data))
	var lists []byte
	i := 0
	for a := range nt {
		start := len(data)
		lists = lists[:0]
		prevB, second := -1, false
		for i < len(hits) && int(hits[i].ab>>33) == a {
			ab, run := hits[i].ab, hits[i].x>>40
			b := int(uint32(ab))
			if ab&(1<<32) != 0 && !second {
				data = appendVarint(data, 0)
				prevB, second = -1, true
			}
			n := len(lists)
			prev := -1
			for ; i < len(hits) && hits[i].ab == ab && hits[i].x>>40 == run; i++ {
				d := int(hits[i].x >> 4 & (1<<36 - 1))
				lists = appendVarint(lists, (d-prev)*16+int(hits[i].x&15))
				prev = d
			}
			if run == 0 {
				data = appendVarint(data, (b-prevB)<<1)
			} else {
				data = appendVarint(data, (b-prevB)<<1|1)
				data = appendVarint(data, int(run))
			}
			data = appendVarint(data, len(lists)-n)
			prevB = b
		}
		dirLen := len(data) - start
		if start >= 1<<(6*sectionDigits) || dirLen >= 1<<(6*dirDigits) {
			return
		}
		putFixed(data[a*tableEntry:a*tableEntry+sectionDigits], start)
		putFixed(data[a*tableEntry+sectionDigits:(a+1)*tableEntry], dirLen)
		data = append(data, lists...)
		ends = append(ends, len(data))
	}
	ps.data, ps.ends = data, ends
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
