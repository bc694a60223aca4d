package search

import (
	"math"
	"slices"
)

// Phrases of two common words ("peer review") are answered from pair
// lists, not from the words' positions. A common word's positions are the
// biggest part of the index a phrase needs, tens of kilobytes each at ten
// thousand pages, and checking them in rank order does not help: the
// pages where two common words stand side by side are a few in a hundred
// of the pages that have both, scattered, so the first page of results
// needs positions from all over both words' lists. A pair list holds the
// answer itself: the pages where one common word is followed by another,
// at the places the positions keep (the first maxPositions of each word),
// so that it matches exactly as checking the positions would.
//
// A term is common when its positions take more than pairs.min bytes. The
// pair files hold a table, for each common term in term order (its common
// index), of where its section starts and the length of its directory,
// each in a fixed number of digits, most significant first, so that the
// client reads one term's entry by byte range; then the sections. A
// section is a directory, for each common term that follows the term
// somewhere, the gap from the previous one's common index and the length
// of its list; then the lists, each the pages as gaps. All in digits.

// maxCommon bounds the common terms, so that a pair of them and a page
// pack into one number.
const maxCommon = 1 << 16

// pairs is the pair sections of the common terms.
type pairs struct {
	// min is the least length of positions, in bytes, above which a term
	// is common: the Options' PairMin, raised if there would be more than
	// maxCommon common terms.
	min int
	// data is the table and the sections; ends where the table and each
	// section end.
	data []byte
	ends []int
	// before is, for each term, how many common terms come before it.
	before []int
}

// Digits of a table entry: where a section starts and the length of its
// directory.
const (
	sectionDigits = 5
	dirDigits     = 4
	tableEntry    = sectionDigits + dirDigits
)

// chooseCommon finds the common terms, those whose positions are longer
// than least bytes, raising least if there would be maxCommon or more.
func (inv *inverted) chooseCommon(least int) {
	nt := len(inv.terms)
	least = max(0, least)
	var common []int
	for {
		common = common[:0]
		for t := range nt {
			if inv.posStart[t+1]-inv.posStart[t] > least {
				common = append(common, t)
			}
		}
		if len(common) < maxCommon {
			break
		}
		least = 2*least + 1
	}
	inv.common, inv.pairMin = common, least
	inv.commonIndex = make([]int32, nt)
	for t := range inv.commonIndex {
		inv.commonIndex[t] = -1
	}
	for c, t := range common {
		inv.commonIndex[t] = int32(c)
	}
}

// pairFinder finds, one document at a time, the common terms side by side
// at their kept positions, as invert fills in the positions.
type pairFinder struct {
	// at is the document's kept positions of common terms, each as
	// position<<16 | common index; by is, for each position that is one
	// of them, the document plus one <<16 | the common index.
	at, by []uint64
	// found is the pairs found, as a<<48 | b<<32 | doc, in document order,
	// in slices of pairBlock: growing one slice would allocate several
	// times what it holds.
	found [][]uint64
}

// pairBlock is how many pairs a pairFinder lists in one slice.
const pairBlock = 1 << 14

// add notes the positions pos, as invert writes them, of the term with
// common index c in document d.
func (f *pairFinder) add(c int32, d int, pos []byte) {
	n, p := readVarint(pos, 0)
	last := 0
	for range n {
		var gap int
		gap, p = readVarint(pos, p)
		last += gap
		f.at = append(f.at, uint64(last)<<16|uint64(c))
		if last >= len(f.by) {
			f.by = append(f.by, make([]uint64, last+1-len(f.by))...)
		}
		f.by[last] = uint64(d+1)<<16 | uint64(c)
	}
}

// end lists the pairs of document d, whose positions are all added.
func (f *pairFinder) end(d int) {
	for _, x := range f.at {
		next := x>>16 + 1
		if next >= uint64(len(f.by)) || f.by[next]>>16 != uint64(d+1) {
			continue
		}
		if len(f.found) == 0 || len(f.found[len(f.found)-1]) == pairBlock {
			f.found = append(f.found, make([]uint64, 0, pairBlock))
		}
		last := &f.found[len(f.found)-1]
		*last = append(*last, (x&0xffff)<<48|(f.by[next]&0xffff)<<32|uint64(d))
	}
	f.at = f.at[:0]
}

// pairs writes the pair sections of the common terms from the pairs
// invert found.
func (inv *inverted) pairs() *pairs {
	nt := len(inv.terms)
	ps := &pairs{min: inv.pairMin, before: make([]int, nt+1)}
	common := inv.common
	if len(common) > 0 {
		ps.encode(common, sortPairs(inv.found, len(common)))
	}
	if ps.data == nil {
		// No pair files: no term is common.
		ps.min = math.MaxInt
		common = nil
	}
	for _, t := range common {
		ps.before[t+1]++
	}
	for t := range nt {
		ps.before[t+1] += ps.before[t]
	}
	return ps
}

// sortPairs sorts pairs found in document order, of nc common terms, and
// drops repeats.
func sortPairs(blocks [][]uint64, nc int) []uint64 {
	n := 0
	for _, bl := range blocks {
		n += len(bl)
	}
	all := make([]uint64, 0, n)
	if nc > maxDense {
		for _, bl := range blocks {
			all = append(all, bl...)
		}
		slices.Sort(all)
		return slices.Compact(all)
	}
	// Sorting them stably by pair, by counting, sorts them, with any pair
	// found twice in a document next to itself.
	all = all[:n]
	at := make([]int32, nc*nc+1)
	for _, bl := range blocks {
		for _, x := range bl {
			at[int(x>>48)*nc+int(x>>32&0xffff)+1]++
		}
	}
	for i := range nc * nc {
		at[i+1] += at[i]
	}
	for _, bl := range blocks {
		for _, x := range bl {
			k := int(x>>48)*nc + int(x>>32&0xffff)
			all[at[k]] = x
			at[k]++
		}
	}
	return slices.Compact(all)
}

// maxDense is the most common terms for which sortPairs counts every pair
// of them, in 4 MB.
const maxDense = 1 << 10

// encode writes the table and the sections of the common terms from
// their sorted pairs, or nothing if the table cannot say where they are.
func (ps *pairs) encode(common []int, adj []uint64) {
	nc := len(common)
	data := make([]byte, nc*tableEntry, nc*tableEntry+2*len(adj))
	ends := make([]int, 0, nc+1)
	ends = append(ends, len(data))
	var lists []byte
	i := 0
	for a := range nc {
		start := len(data)
		lists = lists[:0]
		prevB := -1
		for i < len(adj) && int(adj[i]>>48) == a {
			b := adj[i] >> 32 & 0xffff
			n := len(lists)
			prev := -1
			for ; i < len(adj) && adj[i]>>32 == uint64(a)<<16|b; i++ {
				d := int(uint32(adj[i]))
				lists = appendVarint(lists, d-prev-1)
				prev = d
			}
			data = appendVarint(data, int(b)-prevB-1)
			data = appendVarint(data, len(lists)-n)
			prevB = int(b)
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
