package search

import (
	"math"
	"runtime"
	"slices"
	"sync"
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
// A term is common when its positions take more than pairs.min bytes. Its
// pair section, in the pair files, is a directory, each following common
// term and the length of its list, each followed by a space, then the
// lists, each the pages as gaps in digits.

// maxCommon bounds the common terms, so that a pair of them and a page
// pack into one number.
const maxCommon = 1 << 16

// pairs is the pair sections of the common terms.
type pairs struct {
	// min is the least length of positions, in bytes, above which a term
	// is common: the Options' PairMin, raised if there would be more than
	// maxCommon common terms.
	min int
	// data is every section in term order, start where each term's
	// starts, and dirLen the length of its directory.
	data   []byte
	start  []int
	dirLen []int
}

// pairs finds, on all cores, the pair lists of the terms whose positions
// are longer than least bytes.
func (inv *inverted) pairs(ndocs, least int) *pairs {
	nt := len(inv.terms)
	posLen := func(t int) int { return inv.posStart[t+1] - inv.posStart[t] }
	least = max(0, least)
	var common []int
	for {
		common = common[:0]
		for t := range nt {
			if posLen(t) > least {
				common = append(common, t)
			}
		}
		if len(common) < maxCommon {
			break
		}
		least = 2*least + 1
	}
	ps := &pairs{min: least, start: make([]int, nt+1), dirLen: make([]int, nt)}
	if len(common) > 0 && ndocs > 0 {
		ps.encode(inv, common, inv.adjacent(common, ndocs))
	}
	if len(ps.data) == 0 {
		// No pair files: no term is common, and no head entry has the
		// lengths of a pair section.
		ps.min = math.MaxInt
	}
	return ps
}

// adjacent lists, as numbers a<<48 | b<<32 | doc sorted and without
// repeats, every pair of common terms a and b (by their index in common)
// where a is at one of its kept positions in doc and b at one of its own
// just after. Each worker takes a run of documents and walks every common
// term's postings in it.
func (inv *inverted) adjacent(common []int, ndocs int) []uint64 {
	workers := max(1, min(runtime.GOMAXPROCS(0), ndocs/docBlock+1))
	outs := make([][][]uint64, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := int32(ndocs*w/workers), int32(ndocs*(w+1)/workers)
		wg.Go(func() { outs[w] = inv.adjacentIn(common, lo, hi) })
	}
	wg.Wait()
	// Every worker's blocks, in order.
	var blocks [][]uint64
	for _, o := range outs {
		blocks = append(blocks, o...)
	}
	n := 0
	for _, bl := range blocks {
		n += len(bl)
	}
	all := make([]uint64, 0, n)
	nc := len(common)
	if nc > maxDense {
		for _, bl := range blocks {
			all = append(all, bl...)
		}
		slices.Sort(all)
		return slices.Compact(all)
	}
	// The workers' pairs are in document order, each once: sorting them
	// stably by pair, by counting, sorts them.
	all = all[:n]
	at := make([]int, nc*nc+1)
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
	return all
}

// maxDense is the most common terms for which adjacent keeps a table of
// every pair of them, of 4 MB.
const maxDense = 1 << 10

// pairBlock is how many pairs adjacentIn lists in one slice: growing one
// slice of them would allocate several times what it holds.
const pairBlock = 1 << 14

// adjacentIn is adjacent for the documents [lo, hi), in document order, in
// blocks of pairBlock.
func (inv *inverted) adjacentIn(common []int, lo, hi int32) [][]uint64 {
	// Each common term's cursor: its next posting and where that
	// posting's positions start.
	type cursor struct{ i, end, p int }
	cur := make([]cursor, len(common))
	for c, t := range common {
		from, to := inv.start[t], inv.start[t+1]
		i := from
		if lo > 0 {
			k, _ := slices.BinarySearch(inv.doc[from:to], lo)
			i = from + k
		}
		p := inv.posStart[t]
		for j := from; j < i; j++ {
			p = skipPositions(inv.pos, p)
		}
		cur[c] = cursor{i: i, end: to, p: p}
	}
	var out [][]uint64
	// seen is, for each pair of common terms, the last document plus one
	// it was found in, so that each is listed once a document.
	var seen []int32
	nc := len(common)
	if nc <= maxDense {
		seen = make([]int32, nc*nc)
	}
	// The document's kept positions of common terms: each as
	// position<<16 | common index in at, and in by, for each position
	// that is one of them, the common index and the document plus one.
	var at []uint64
	var by []uint64
	for d := lo; d < hi; d++ {
		at = at[:0]
		for c := range cur {
			cu := &cur[c]
			if cu.i >= cu.end || inv.doc[cu.i] != d {
				continue
			}
			n, p := readVarint(inv.pos, cu.p)
			last := 0
			for range n {
				var gap int
				gap, p = readVarint(inv.pos, p)
				last += gap
				at = append(at, uint64(last)<<16|uint64(c))
				if last >= len(by) {
					by = append(by, make([]uint64, last+1-len(by))...)
				}
				by[last] = uint64(d+1)<<16 | uint64(c)
			}
			cu.i++
			cu.p = p
		}
		for _, x := range at {
			next := x>>16 + 1
			if next >= uint64(len(by)) || by[next]>>16 != uint64(d+1) {
				continue
			}
			a, b := int(x&0xffff), int(by[next]&0xffff)
			if seen != nil {
				if seen[a*nc+b] == d+1 {
					continue
				}
				seen[a*nc+b] = d + 1
			}
			if len(out) == 0 || len(out[len(out)-1]) == pairBlock {
				out = append(out, make([]uint64, 0, pairBlock))
			}
			last := &out[len(out)-1]
			*last = append(*last, uint64(a)<<48|uint64(b)<<32|uint64(d))
		}
	}
	return out
}

// encode writes the sections of the common terms, in term order, from
// their sorted pairs.
func (ps *pairs) encode(inv *inverted, common []int, adj []uint64) {
	ps.data = make([]byte, 0, 2*len(adj))
	var lists []byte
	next := 0 // the next term whose section starts
	for i := 0; i < len(adj); {
		a := adj[i] >> 48
		t := common[a]
		for ; next <= t; next++ {
			ps.start[next] = len(ps.data)
		}
		lists = lists[:0]
		for i < len(adj) && adj[i]>>48 == a {
			b := adj[i] >> 32 & 0xffff
			n := len(lists)
			prev := -1
			for ; i < len(adj) && adj[i]>>32 == a<<16|b; i++ {
				d := int(uint32(adj[i]))
				lists = appendVarint(lists, d-prev-1)
				prev = d
			}
			// Terms are letters and digits, never spaces.
			ps.data = append(ps.data, inv.terms[common[b]]...)
			ps.data = append(ps.data, ' ')
			ps.data = appendVarint(ps.data, len(lists)-n)
			ps.data = append(ps.data, ' ')
		}
		ps.dirLen[t] = len(ps.data) - ps.start[t]
		ps.data = append(ps.data, lists...)
	}
	for ; next <= len(inv.terms); next++ {
		ps.start[next] = len(ps.data)
	}
}

// common reports whether term t has a pair section, even an empty one.
func (ps *pairs) common(inv *inverted, t int) bool {
	return inv.posStart[t+1]-inv.posStart[t] > ps.min
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

// skipPositions returns where the positions of the posting at i end.
func skipPositions(b []byte, i int) int {
	n, i := readVarint(b, i)
	for range n {
		_, i = readVarint(b, i)
	}
	return i
}

// digitValue is the value of each character of digits.
var digitValue = func() (v [256]uint8) {
	for i := range len(digits) {
		v[digits[i]] = uint8(i)
	}
	return v
}()
