package search

import (
	"encoding/binary"
	"html"
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// inverted is the index in memory: the terms in order, and each term's
// postings, in document order, in flat arrays (one entry per posting, not
// one object), so that ten thousand long pages cost tens of megabytes.
type inverted struct {
	terms []string
	// The postings of term t are post[start[t]:start[t+1]], each its
	// document <<4 | its weight less one.
	start []int
	post  []uint32
	// pos holds every posting's positions in the same order, each as
	// their number then each position as appendPosition writes it, in
	// digits; term t's are pos[posStart[t]:posStart[t+1]].
	pos      []byte
	posStart []int

	// Whether each term is common, its positions longer than pairMin
	// bytes, and whether any is; and the pairs of terms, one of them
	// common, found one after the other (see pairs.go).
	common    []bool
	anyCommon bool
	pairMin   int
	found     hits
}

// docBlock is how many documents a tokenizing worker takes at a time:
// enough to keep the hand-out cheap, few enough to keep both cores busy
// to the end.
const docBlock = 64

// stopBase marks a stop word in a tokenizer's ids: a stop word's id is
// stopBase plus its number (see stopWords).
const stopBase = ^uint32(0) - 63

// tokenizer is one worker's state: its own term ids, so that workers never
// wait on each other; the postings of all the documents it has read, in
// flat arrays; and its scratch for one document.
type tokenizer struct {
	// ids maps a folded word to its term's id, or a stop word's: a word's stem
	// never changes, so each distinct word is stemmed once per worker.
	ids   wordTable
	byID  map[string]uint32 // term -> id
	terms []string          // id -> term
	// slot is, for each term id, its index among the current document's
	// postings, or -1.
	slot []int32

	// The postings and links of the block being read, which it copies
	// when done.
	tokens

	// room holds a word that partIDs reads, and buf one that foldWord
	// does; idBuf holds the ids of a field's words.
	room  [wordRoom + 8]byte
	buf   []byte
	idBuf []uint32
	// The current document's postings.
	cur []posting
}

// link is two words one after the other, packed into a number: the
// first's term id <<41 | the second's <<19 | the stop run between them
// <<4 | the number of the first's occurrence among its kept positions <<2
// | the second's; 8 bytes, for there are as many links as postings.
type link uint64

// maxLinkID bounds the term ids a link holds; a tokenizer with more terms
// finds no pairs.
const maxLinkID = 1 << 22

// a and b are the link's terms, and x its stop run and occurrences.
func (l link) a() uint32 { return uint32(l >> 41) }
func (l link) b() uint32 { return uint32(l>>19) & (maxLinkID - 1) }
func (l link) x() uint32 { return uint32(l) & (1<<19 - 1) }

// posting is a term's occurrences in the document being read.
type posting struct {
	id    uint32
	tf    [numFields]uint8
	npos  uint8
	first [maxPositions + 1]uint32
	// runs are the stop runs just before each of first.
	runs [maxPositions + 1]uint16
	// first and runs have a place past maxPositions that add writes
	// when they are full, so as not to branch on it.
}

// tokens are the postings and links of some documents.
type tokens struct {
	// Postings: term id, frequency in each field, and the length of its
	// positions in pos.
	term []uint32
	tf   [][numFields]uint8
	plen []uint8
	pos  []byte

	// links are the pairs of words one after the other, with only stop
	// words between, at kept positions: the pairs of pairs.go, of which
	// invert keeps those with a common term once it knows them.
	links []link
}

// clone copies t into slices of their own, no longer than they need be.
func (t *tokens) clone() tokens {
	return tokens{term: slices.Clone(t.term), tf: slices.Clone(t.tf), plen: slices.Clone(t.plen),
		pos: slices.Clone(t.pos), links: slices.Clone(t.links)}
}

// block is docBlock consecutive documents, as one worker read them: their
// postings end, for each document, at term[end[i]], and their links at
// links[linkEnd[i]]. Each block has its own arrays, the size they need,
// however the documents fell to the workers.
type block struct {
	worker int
	tokens
	end, linkEnd []int
}

// lookup returns the id of the folded word w, whose first eight bytes
// packed are key, stemming it the first time.
func (tk *tokenizer) lookup(w []byte, key uint64) uint32 {
	if id, ok := tk.ids.find(w, key); ok {
		return id
	}
	word := string(w)
	if s := stopWords[word]; s != 0 {
		tk.ids.insert(word, key, stopBase+s)
		return stopBase + s
	}
	t := Stem(word)
	id, ok := tk.byID[t]
	if !ok {
		id = uint32(len(tk.terms))
		tk.byID[t] = id
		tk.terms = append(tk.terms, t)
		tk.slot = append(tk.slot, -1)
	}
	tk.ids.insert(word, key, id)
	return id
}

// wordTable maps words to ids. It is the tokenizer's busiest structure,
// looked up once for every word of every page, so it keeps a word's bytes
// packed into numbers (see pack), in tables by open addressing: the words
// of up to eight bytes, most, in 16-byte slots, so that the table of a
// site's few thousand stays in the processor's nearest caches, and those
// of up to sixteen in 24-byte ones; each compares in an instruction or
// two. Longer words, rare, are in a map.
type wordTable struct {
	short shortTable
	mid   midTable
	long  map[string]uint32
}

// shortTable holds the words of up to eight bytes; midTable those of nine
// to sixteen, by their first eight and next eight bytes packed. Each has
// a power of two of slots, at most half full, a slot's place the top
// bits of its hash (see wordHash), and shift 64 less their number.
type (
	shortTable struct {
		slots []shortSlot
		shift uint
		used  int
	}
	shortSlot struct {
		key uint64 // 0 for an empty slot
		id  uint32
	}
	midTable struct {
		slots []midSlot
		shift uint
		used  int
	}
	midSlot struct {
		key, key2 uint64 // key 0 for an empty slot
		id        uint32
	}
)

// pack packs the bytes of a word of at most eight bytes into a number,
// which is then the word's alone: no letter or digit has a zero byte.
// partIDs makes the same number of a word's first eight bytes.
func pack[S string | []byte](w S) uint64 {
	var x uint64
	for i := range len(w) {
		x |= uint64(w[i]) << (8 * i)
	}
	return x
}

// key2 packs the bytes of w from the ninth to the sixteenth, as pack.
func key2(w []byte) uint64 {
	if cap(w) >= 16 {
		return binary.LittleEndian.Uint64(w[8:16]) & (^uint64(0) >> (64 - 8*min(len(w)-8, 8)))
	}
	return pack(w[8:min(len(w), 16)])
}

// hash2 is the hash of a word of nine to sixteen bytes, packed into key
// and k2.
func hash2(key, k2 uint64) uint64 {
	return (bits.RotateLeft64(key*hashMul, 32) ^ k2) * hashMul
}

// find returns the id of w, whose first eight bytes packed are key.
func (t *wordTable) find(w []byte, key uint64) (uint32, bool) {
	switch {
	case len(w) <= 8:
		return t.short.find(key)
	case len(w) <= 16:
		return t.mid.find(key, key2(w))
	}
	id, ok := t.long[string(w)]
	return id, ok
}

// find returns the id of the word packed into key.
func (t *shortTable) find(key uint64) (uint32, bool) {
	if len(t.slots) == 0 {
		return 0, false
	}
	mask := uint64(len(t.slots) - 1)
	for i := key * hashMul >> t.shift; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.key == key {
			return s.id, true
		}
		if s.key == 0 {
			return 0, false
		}
	}
}

// find returns the id of the word packed into key and k2.
func (t *midTable) find(key, k2 uint64) (uint32, bool) {
	if len(t.slots) == 0 {
		return 0, false
	}
	mask := uint64(len(t.slots) - 1)
	for i := hash2(key, k2) >> t.shift; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.key == key && s.key2 == k2 {
			return s.id, true
		}
		if s.key == 0 {
			return 0, false
		}
	}
}

// insert adds word, which is not in t, whose first eight bytes packed are
// key, with its id.
func (t *wordTable) insert(word string, key uint64, id uint32) {
	switch {
	case len(word) <= 8:
		t.short.insert(shortSlot{key, id})
	case len(word) <= 16:
		t.mid.insert(midSlot{key, pack(word[8:]), id})
	default:
		if t.long == nil {
			t.long = map[string]uint32{}
		}
		t.long[word] = id
	}
}

// insert adds s, whose word is not in t.
func (t *shortTable) insert(s shortSlot) {
	if 2*(t.used+1) > len(t.slots) {
		old := t.slots
		n := max(1024, 2*len(old))
		t.slots, t.shift = make([]shortSlot, n), uint(64-bits.TrailingZeros(uint(n)))
		for _, s := range old {
			if s.key != 0 {
				t.put(s)
			}
		}
	}
	t.put(s)
	t.used++
}

// put puts s in the first empty slot from its hash's.
func (t *shortTable) put(s shortSlot) {
	mask := uint64(len(t.slots) - 1)
	i := s.key * hashMul >> t.shift
	for t.slots[i].key != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = s
}

// insert adds s, whose word is not in t.
func (t *midTable) insert(s midSlot) {
	if 2*(t.used+1) > len(t.slots) {
		old := t.slots
		n := max(1024, 2*len(old))
		t.slots, t.shift = make([]midSlot, n), uint(64-bits.TrailingZeros(uint(n)))
		for _, s := range old {
			if s.key != 0 {
				t.put(s)
			}
		}
	}
	t.put(s)
	t.used++
}

// put puts s in the first empty slot from its hash's.
func (t *midTable) put(s midSlot) {
	mask := uint64(len(t.slots) - 1)
	i := hash2(s.key, s.key2) >> t.shift
	for t.slots[i].key != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = s
}

// doc adds the postings and links of d and sets lens to its fields'
// lengths.
func (tk *tokenizer) doc(d *Doc, lens *[numFields]uint32) {
	tk.cur = tk.cur[:0]
	pos := uint32(0)
	for f := range numFields {
		ids := tk.fieldIDs(d, f)
		lens[f] = tk.add(ids, f, pos)
		pos += uint32(len(ids)) + 2 // a gap, so no phrase spans two fields
	}
	tk.flush()
}

// fieldIDs returns the ids of the words of d's field f, stop words'
// included, in tk's scratch: for the body, those of its HTML first (see
// htmlIDs).
func (tk *tokenizer) fieldIDs(d *Doc, f int) []uint32 {
	ids := tk.idBuf[:0]
	if f == Body && d.HTML != "" {
		ids = tk.htmlIDs(ids, d.HTML)
	}
	for _, part := range d.Text[f] {
		ids = tk.partIDs(ids, part)
	}
	tk.idBuf = ids
	return ids
}

// htmlIDs appends to ids those of the words of rendered HTML: of the runs
// of text between its tags, so that words in adjacent elements stay
// apart, each read in place unless it has a character reference.
func (tk *tokenizer) htmlIDs(ids []uint32, h string) []uint32 {
	// Whether h has a character reference at all, so as not to look
	// for one in each run of a page with none.
	refs := strings.IndexByte(h, '&') >= 0
	for h != "" {
		i := strings.IndexByte(h, '<')
		if i < 0 {
			i = len(h)
		}
		if text := h[:i]; text != "" {
			if refs && strings.IndexByte(text, '&') >= 0 {
				text = html.UnescapeString(text)
			}
			ids = tk.partIDs(ids, text)
		}
		h = h[i:]
		j := strings.IndexByte(h, '>')
		if j < 0 {
			break
		}
		h = h[j+1:]
	}
	return ids
}

// partIDs appends to ids those of the words of text, stop words'
// included: the words as foldWord finds them, lowercased and folded.
//
// Nearly every word in an index is a run of plain ASCII letters and
// digits between ASCII characters that are not, and the index build reads
// millions of them; so partIDs classes the text's bytes sixty-four at a
// time into bit masks, eight at a time with a few arithmetic operations
// (see classify), finds each word's start and end in the masks by
// counting bits, packs its first eight bytes with one load and looks a
// word of up to eight bytes up itself: no branch per byte, few that the
// processor fails to predict, and no call. Anything else (an apostrophe,
// a byte of a multi-byte character, a word longer than wordRoom) it
// sends back to where it started, to foldWord (see slowWord).
func (tk *tokenizer) partIDs(ids []uint32, text string) []uint32 {
	room := &tk.room
	// The block of text from base, classed; and, in a block that
	// begins after a space and has no byte of classOther, the starts
	// of the words not yet read, which need no more checks.
	var alnum, other, starts uint64
	base := -64
words:
	for i := 0; i < len(text); {
		var s, e int
		got := false
		if starts != 0 {
			off := bits.TrailingZeros64(starts)
			starts &= starts - 1
			s = base + off
			e = s + bits.TrailingZeros64(^(alnum >> off))
			switch {
			case e < base+64:
				i, got = e+1, true
			case e < len(text) && off > 0:
				// The word may go on past the block: class the
				// text again from its start.
				starts, base, i = 0, -64, s
				continue
			default:
				// The word fills the block, or ends the text:
				// the general way below reads it.
				starts, i = 0, s
			}
		}
		if !got {
			start := i
			if i >= base+64 {
				base = i
				alnum, other = classify(text, base)
				if other == 0 {
					starts = alnum &^ (alnum << 1)
					continue
				}
			}
			// The first byte from i that is not a space.
			m := (alnum | other) >> uint(i-base)
			for m == 0 {
				if base+64 >= len(text) {
					break words
				}
				base += 64
				i = base
				alnum, other = classify(text, base)
				if other == 0 {
					starts = alnum &^ (alnum << 1)
					continue words
				}
				m = alnum | other
			}
			off := uint(i-base) + uint(bits.TrailingZeros64(m))
			if other>>off&1 != 0 {
				ids, i = tk.slowWord(ids, text, start)
				continue
			}
			// The word's end: the first byte that is not a letter
			// or digit, maybe in a later block.
			s = base + int(off)
			e = s + bits.TrailingZeros64(^(alnum >> off))
			for e == base+64 && e < len(text) {
				base = e
				alnum, other = classify(text, base)
				e += bits.TrailingZeros64(^alnum)
			}
			if (e < len(text) && other>>uint(e-base)&1 != 0) || e-s > wordRoom {
				ids, i = tk.slowWord(ids, text, start)
				continue
			}
			i = e + 1
		}
		n := e - s
		// Lowercased, eight bytes at a time, reading past the
		// word's end into text and writing past it into room,
		// except near the text's end.
		var key uint64
		if e+7 > len(text) {
			for k := range n {
				room[k] = text[s+k] | 0x20
			}
			key = binary.LittleEndian.Uint64(room[:8])
		} else {
			key = load64(text, s) | lower8
			binary.LittleEndian.PutUint64(room[:8], key)
			for k := 8; k < n; k += 8 {
				binary.LittleEndian.PutUint64(room[k:], load64(text, s+k)|lower8)
			}
		}
		// Past a shorter word's end masked off, without a
		// branch: about half of all words are shorter.
		key &= ^uint64(0) >> (64 - 8*min(n, 8))
		if t := &tk.ids.short; n <= 8 && len(t.slots) > 0 {
			mask := uint64(len(t.slots) - 1)
			for j := key * hashMul >> t.shift; ; j = (j + 1) & mask {
				s := &t.slots[j]
				if s.key == key {
					ids = append(ids, s.id)
					continue words
				}
				if s.key == 0 {
					break
				}
			}
		} else if t := &tk.ids.mid; n <= 16 && len(t.slots) > 0 {
			k2 := binary.LittleEndian.Uint64(room[8:16]) & (^uint64(0) >> (128 - 8*n))
			mask := uint64(len(t.slots) - 1)
			for j := hash2(key, k2) >> t.shift; ; j = (j + 1) & mask {
				s := &t.slots[j]
				if s.key == key && s.key2 == k2 {
					ids = append(ids, s.id)
					continue words
				}
				if s.key == 0 {
					break
				}
			}
		}
		ids = append(ids, tk.lookup(room[:n], key))
	}
	return ids
}

// slowWord appends to ids the id of the word at or after start in text,
// if any, as foldWord finds it, and returns them and where the next word
// may start.
func (tk *tokenizer) slowWord(ids []uint32, text string, start int) ([]uint32, int) {
	w, next := foldWord(text, start, tk.buf)
	if w == nil {
		return ids, next
	}
	tk.buf = w
	return append(ids, tk.lookup(w, pack(w[:min(len(w), 8)]))), next
}

// add adds the words of field f, whose ids are ids, from position pos, to
// the current document's postings and tk's links, and returns how many
// are kept, not stop words.
//
// Whether a word's term is new to the document, whether its positions are
// full and whether it makes a link are as good as random, so it decides
// none of them by a branch: it writes a new posting, a position and a link
// in the room past each slice's end whatever, and moves the end by 0 or 1.
func (tk *tokenizer) add(ids []uint32, f int, pos uint32) (kept uint32) {
	// The stop run before the next word, and its length; the word
	// before it and its occurrence's number among the term's kept
	// positions, or -1. A field's first word has none.
	run, runN := uint32(0), 0
	prev, prevK := uint32(0), int32(-1)
	tk.cur = slices.Grow(tk.cur, len(ids)+1)
	tk.links = slices.Grow(tk.links, len(ids)+1)
	cur, slot, links := tk.cur[:cap(tk.cur)], tk.slot, tk.links[:cap(tk.links)]
	nc, nl := len(tk.cur), len(tk.links)
	for n, id := range ids {
		if id >= stopBase {
			run = addStop(run, runN, id-stopBase)
			runN++
			continue
		}
		kept++
		k := slot[id]
		cur[nc] = posting{id: id}
		// If the term is new, k is -1 and becomes nc, which moves on.
		fresh := k >> 31
		k = k&^fresh | int32(nc)&fresh
		nc -= int(fresh)
		slot[id] = k
		p := &cur[k]
		t := p.tf[f]
		if t < 255 {
			t++
		}
		p.tf[f] = t
		kp := int32(p.npos)
		p.first[kp] = pos + uint32(n)
		p.runs[kp] = uint16(run)
		room := kp < maxPositions
		p.npos += uint8(b2i(room))
		if !room {
			kp = -1
		}
		links[nl] = link(prev)<<41 | link(id)<<19 | link(run<<4|uint32(prevK)<<2|uint32(kp))
		nl += b2i(kp|prevK >= 0) & b2i(run != longRun)
		prev, prevK = id, kp
		run, runN = 0, 0
	}
	tk.cur, tk.links = cur[:nc], links[:nl]
	return kept
}

// b2i is 1 for true and 0 for false, without a branch.
func b2i(b bool) int {
	n := 0
	if b {
		n = 1
	}
	return n
}

// flush appends the current document's postings to tk's and clears them.
// It writes their positions as appendPosition does, into room it makes
// once for the document.
func (tk *tokenizer) flush() {
	cur, slot := tk.cur, tk.slot
	n := len(tk.term)
	term := slices.Grow(tk.term, len(cur))[:n+len(cur)]
	tf := slices.Grow(tk.tf, len(cur))[:n+len(cur)]
	plen := slices.Grow(tk.plen, len(cur))[:n+len(cur)]
	pos := slices.Grow(tk.pos, len(cur)*maxPostingBytes)
	at := len(pos)
	pos = pos[:cap(pos)]
	for i := range cur {
		c := &cur[i]
		slot[c.id] = -1
		term[n+i], tf[n+i] = c.id, c.tf
		start := at
		pos[at] = digits[c.npos]
		at++
		last := uint32(0)
		for j, p := range c.first[:c.npos] {
			gap := int(p-last) << 1
			if c.runs[j] == 0 {
				at = putVarint(pos, at, gap)
			} else {
				at = putVarint(pos, putVarint(pos, at, gap|1), int(c.runs[j]))
			}
			last = p
		}
		plen[n+i] = uint8(at - start)
	}
	tk.term, tk.tf, tk.plen, tk.pos = term, tf, plen, pos[:at]
}

// maxPostingBytes bounds a posting's positions in digits: their number,
// and for each a gap of up to 33 bits and a stop run of 15, seven digits
// and three.
const maxPostingBytes = 1 + maxPositions*(7+3)

// putVarint writes x at b[i:] as appendVarint appends it, and returns
// where it ends. A number below 2^15, nearly every position's gap, it
// writes as three digits without a branch and moves on by as many as it
// has: how many would be as good as random to a loop; b must have room
// for three.
func putVarint(b []byte, i, x int) int {
	if x < 1<<15 {
		n := max(1, (bits.Len(uint(x))+4)/5)
		b = b[i : i+3]
		b[0] = digits[x&31|b2i(n > 1)<<5]
		b[1] = digits[x>>5&31|b2i(n > 2)<<5]
		b[2] = digits[x>>10]
		return i + n
	}
	for x >= 32 {
		b[i] = digits[32+x&31]
		x >>= 5
		i++
	}
	b[i] = digits[x]
	return i + 1
}

// appendPosition appends a position, as the gap from the one before, and
// the stop run before it: the gap times two, plus one if the run follows.
func appendPosition(b []byte, gap int, run uint16) []byte {
	if run == 0 {
		return appendVarint(b, gap<<1)
	}
	return appendVarint(appendVarint(b, gap<<1|1), int(run))
}

// block reads block bi of docs into bl, setting the documents' lengths
// in lens.
func (tk *tokenizer) block(docs []Doc, bi int, lens [][numFields]uint32, bl *block) {
	tk.term, tk.tf, tk.plen, tk.pos, tk.links = tk.term[:0], tk.tf[:0], tk.plen[:0], tk.pos[:0], tk.links[:0]
	for d := bi * docBlock; d < min(len(docs), (bi+1)*docBlock); d++ {
		tk.doc(&docs[d], &lens[d])
		bl.end = append(bl.end, len(tk.term))
		bl.linkEnd = append(bl.linkEnd, len(tk.links))
	}
	bl.tokens = tk.tokens.clone()
}

// invert tokenizes docs on all cores and gathers their postings by term,
// and the pairs of terms one after the other, with only stop words
// between, of which one has more than pairMin bytes of positions.
func invert(docs []Doc, pairMin int) *inverted {
	nblocks := (len(docs) + docBlock - 1) / docBlock
	workers := max(1, min(runtime.GOMAXPROCS(0), nblocks))
	blocks := make([]block, nblocks)
	lens := make([][numFields]uint32, len(docs))
	tks := make([]*tokenizer, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		tk := &tokenizer{byID: map[string]uint32{}}
		tks[w] = tk
		wg.Go(func() {
			for {
				bi := int(next.Add(1) - 1)
				if bi >= nblocks {
					return
				}
				blocks[bi].worker = w
				tk.block(docs, bi, lens, &blocks[bi])
			}
		})
	}
	wg.Wait()

	// The terms of all workers, in order, and each worker's ids mapped to
	// their places.
	// Most terms are every worker's: the first's, and the others' it has
	// not, are all of them once, and the workers' maps from terms to ids
	// say where each goes.
	all := slices.Clone(tks[0].terms)
	for w := 1; w < workers; w++ {
		for _, t := range tks[w].terms {
			if !anyHas(tks[:w], t) {
				all = append(all, t)
			}
		}
	}
	slices.Sort(all)
	inv := &inverted{terms: all}
	remap := make([][]uint32, workers)
	for w, tk := range tks {
		remap[w] = make([]uint32, len(tk.terms))
	}
	for i, t := range all {
		for w, tk := range tks {
			if id, ok := tk.byID[t]; ok {
				remap[w][id] = uint32(i)
			}
		}
	}

	var avg [numFields]float64
	for _, l := range lens {
		for f := range numFields {
			avg[f] += float64(l[f])
		}
	}
	for f := range numFields {
		avg[f] = max(1, avg[f]/float64(max(1, len(docs))))
	}

	// Each worker takes a run of blocks: it counts their postings and
	// positions by term, so that every run knows where its postings of
	// each term go, and then puts them there. Runs in document order keep
	// each term's postings in document order.
	nt := len(inv.terms)
	runs := make([][2]int, workers)
	counts := make([][]termCount, workers)
	for r := range workers {
		runs[r] = [2]int{nblocks * r / workers, nblocks * (r + 1) / workers}
	}
	each := func(r int, f func(bi int, bl *block, ids []uint32)) {
		for bi := runs[r][0]; bi < runs[r][1]; bi++ {
			f(bi, &blocks[bi], remap[blocks[bi].worker])
		}
	}
	wg = sync.WaitGroup{}
	for r := range workers {
		wg.Go(func() {
			n := make([]termCount, nt)
			each(r, func(bi int, bl *block, ids []uint32) {
				for k, id := range bl.term {
					c := &n[ids[id]]
					c.n++
					c.pos += int(bl.plen[k])
				}
			})
			counts[r] = n
		})
	}
	wg.Wait()
	inv.start = make([]int, nt+1)
	inv.posStart = make([]int, nt+1)
	for t := range nt {
		n, pn := inv.start[t], inv.posStart[t]
		for r := range workers {
			// From here on counts[r][t] is where run r's postings of t go.
			c := &counts[r][t]
			c.n, n = n, n+c.n
			c.pos, pn = pn, pn+c.pos
			c.end = pn
		}
		inv.start[t+1], inv.posStart[t+1] = n, pn
	}
	inv.chooseCommon(pairMin, len(docs))
	for _, tk := range tks {
		if len(tk.terms) > maxLinkID {
			inv.common, inv.anyCommon = make([]bool, nt), false
		}
	}
	// With pairs to find, each worker's ids also say whether the term is
	// common, so that a link's terms take a look-up each; each run counts
	// its pairs by the group of sections that lists them, so that it can
	// put each pair in its group's place as it finds it (see hits).
	var hitCur [][]int
	var pairIDs [][]uint32
	if inv.anyCommon {
		h := newHits(inv.common, len(docs))
		pairIDs = make([][]uint32, workers)
		for w, ids := range remap {
			pairIDs[w] = h.ids(ids)
		}
		ng := len(h.groups) - 1
		hitCur = make([][]int, workers)
		wg = sync.WaitGroup{}
		for r := range workers {
			wg.Go(func() {
				n := make([]int, ng+1)
				each(r, func(bi int, bl *block, _ []uint32) {
					h.countGroups(n, bl, bi*docBlock, pairIDs[bl.worker])
				})
				hitCur[r] = n
			})
		}
		wg.Wait()
		for g := range ng {
			n := h.groups[g]
			for r := range workers {
				hitCur[r][g], n = n, n+hitCur[r][g]
			}
			h.groups[g+1] = n
		}
		inv.found = h
	}
	total := inv.start[nt]
	inv.post = make([]uint32, total)
	inv.pos = make([]byte, inv.posStart[nt])
	wg = sync.WaitGroup{}
	for r := range workers {
		wg.Go(func() {
			cur := counts[r]
			var wc weightCache
			each(r, func(bi int, bl *block, ids []uint32) {
				k, p := 0, 0
				for j, end := range bl.end {
					d := bi*docBlock + j
					scale := fieldScale(&lens[d], &avg)
					wc.reset()
					for ; k < end; k++ {
						c := &cur[ids[bl.term[k]]]
						// The weight, from the cache when it has it.
						tf := bl.tf[k]
						key := uint32(tf[0]) | uint32(tf[1])<<8 | uint32(tf[2])<<16 | uint32(tf[3])<<24
						i := key * 0x9e3779b1 >> 26
						w := wc.w[i]
						if w == 0 || wc.tf[i] != key {
							w = weight(tf, &scale)
							wc.tf[i], wc.w[i] = key, w
						}
						inv.post[c.n] = uint32(d)<<4 | uint32(w-1)
						c.n++
						// Positions are a few bytes, a number of them that
						// varies, on which a loop's end or a choice of
						// copies would be mispredicted: sixteen are copied
						// in two words where there is room, as there is
						// but for the run's last positions of the term
						// (what is past n is written over by the next).
						n := int(bl.plen[k])
						if n <= 16 && c.pos+16 <= c.end && p+16 <= len(bl.pos) {
							dst, src := inv.pos[c.pos:c.pos+16], bl.pos[p:p+16]
							binary.LittleEndian.PutUint64(dst, binary.LittleEndian.Uint64(src))
							binary.LittleEndian.PutUint64(dst[8:], binary.LittleEndian.Uint64(src[8:]))
						} else {
							copy(inv.pos[c.pos:c.pos+n], bl.pos[p:p+n])
						}
						c.pos += n
						p += n
					}
				}
				// The block's postings are in the index now: let the
				// collector have their arrays while the rest are filled
				// in, and the pairs, if any, are placed. The site build
				// runs near its memory limit, where every megabyte kept
				// makes the collector run more often.
				bl.tokens = tokens{links: bl.links}
				if !inv.anyCommon {
					bl.links = nil
				}
			})
		})
	}
	wg.Wait()
	if inv.anyCommon {
		// Placed last, so that their room is taken once the blocks'
		// postings are let go.
		h := &inv.found
		ng := len(h.groups) - 1
		// Past the pairs, a slot for each run where place writes what is
		// not a pair.
		h.h = make([]uint64, h.groups[ng]+workers)
		wg = sync.WaitGroup{}
		for r := range workers {
			hitCur[r][ng] = h.groups[ng] + r
			wg.Go(func() {
				each(r, func(bi int, bl *block, _ []uint32) {
					h.place(hitCur[r], bl, bi*docBlock, pairIDs[bl.worker])
					bl.links = nil
				})
			})
		}
		wg.Wait()
		h.h = h.h[:h.groups[ng]]
	}
	return inv
}

// anyHas is whether any of tks has the term t.
func anyHas(tks []*tokenizer, t string) bool {
	for _, tk := range tks {
		if _, ok := tk.byID[t]; ok {
			return true
		}
	}
	return false
}

// termCount is a run's postings of a term and their positions' bytes,
// counted, then where the run puts them, up to end.
type termCount struct{ n, pos, end int }

// weightCache remembers the weights of a document's postings by their
// frequencies, which repeat: most words are once or twice in the body.
// Slot i holds frequencies packed into a number k, with i = k*0x9e3779b1>>26.
type weightCache struct {
	tf [64]uint32
	w  [64]uint8 // 0 for none
}

// reset forgets the weights, for another document.
func (c *weightCache) reset() { clear(c.w[:]) }

// encoded is the inverted index written out: the full postings of the
// terms with more than K of them, and each term's head entry, the text
// `term entry ` in its head file's string of entries.
type encoded struct {
	posts, heads []byte
	// postEnd and headEnd are where each term's bytes end.
	postEnd, headEnd []int
}

// postStart and headStart are where term t's bytes start.
func (e *encoded) postStart(t int) int {
	if t == 0 {
		return 0
	}
	return e.postEnd[t-1]
}

func (e *encoded) headStart(t int) int {
	if t == 0 {
		return 0
	}
	return e.headEnd[t-1]
}

// encode writes out the index on all cores, each worker a run of terms
// with about as many postings as the others'.
func (inv *inverted) encode(k int) *encoded {
	n := len(inv.terms)
	workers := max(1, min(runtime.GOMAXPROCS(0), n))
	parts := make([]encoded, workers)
	bounds := make([]int, workers+1)
	total := len(inv.post)
	for w, t := 1, 0; w < workers; w++ {
		for t < n && inv.start[t] < total*w/workers {
			t++
		}
		bounds[w] = t
	}
	bounds[workers] = n
	// One buffer for the postings and one for the heads, with room for
	// each run's, which are then moved down after the one before (as
	// encodePairs does with its sections); a run that outgrows its room
	// writes elsewhere, and then all are copied to new buffers.
	postRoom, headRoom := make([]int, workers+1), make([]int, workers+1)
	for w := range workers {
		posts, heads := inv.room(bounds[w], bounds[w+1], k)
		postRoom[w+1], headRoom[w+1] = postRoom[w]+posts, headRoom[w]+heads
	}
	posts, heads := make([]byte, postRoom[workers]), make([]byte, headRoom[workers])
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			parts[w].posts = posts[postRoom[w]:postRoom[w]:postRoom[w+1]]
			parts[w].heads = heads[headRoom[w]:headRoom[w]:headRoom[w+1]]
			inv.encodeRange(bounds[w], bounds[w+1], k, &parts[w])
		})
	}
	wg.Wait()

	out := &encoded{postEnd: make([]int, 0, n), headEnd: make([]int, 0, n)}
	fits := true
	postSize, headSize := 0, 0
	for w, p := range parts {
		postSize += len(p.posts)
		headSize += len(p.heads)
		fits = fits && len(p.posts) <= postRoom[w+1]-postRoom[w] && len(p.heads) <= headRoom[w+1]-headRoom[w]
	}
	out.posts, out.heads = posts[:0], heads[:0]
	if !fits {
		out.posts, out.heads = make([]byte, 0, postSize), make([]byte, 0, headSize)
	}
	for _, p := range parts {
		for _, x := range p.postEnd {
			out.postEnd = append(out.postEnd, x+len(out.posts))
		}
		for _, x := range p.headEnd {
			out.headEnd = append(out.headEnd, x+len(out.heads))
		}
		out.posts = append(out.posts, p.posts...)
		out.heads = append(out.heads, p.heads...)
	}
	return out
}

// room is the bytes that the postings and the heads of terms [lo, hi)
// take at most, mostly: postings take one or two digits each; an entry a
// few for its numbers and three a posting.
func (inv *inverted) room(lo, hi, k int) (posts, heads int) {
	for t := lo; t < hi; t++ {
		df := inv.start[t+1] - inv.start[t]
		if df > k {
			posts += 2 * df
		}
		heads += len(inv.terms[t]) + 16 + 3*min(df, k)
	}
	return posts, heads
}

// encodeRange writes terms [lo, hi) into e, after what e's buffers hold,
// with offsets from their start. A term's entry is, in digits: its
// document frequency; the length of its full postings, if it has more
// than k; the length of its positions; and its best k postings (all of
// them if it has no more), in document order. A posting is the gap from
// the document before, times levels, plus its weight less one.
func (inv *inverted) encodeRange(lo, hi, k int, e *encoded) {
	e.postEnd = make([]int, 0, hi-lo)
	e.headEnd = make([]int, 0, hi-lo)
	for t := lo; t < hi; t++ {
		from, to := inv.start[t], inv.start[t+1]
		df := to - from
		// Terms are letters and digits, which JSON needs no escapes for,
		// and digits have no spaces.
		e.heads = append(e.heads, inv.terms[t]...)
		e.heads = append(e.heads, ' ')
		e.heads = appendVarint(e.heads, df)
		post := inv.post[from:to]
		if df <= k {
			e.heads = appendVarint(e.heads, inv.posStart[t+1]-inv.posStart[t])
			e.heads = appendPostings(e.heads, post)
		} else {
			n := len(e.posts)
			var count [levels]int
			e.posts = appendPostingsCounting(e.posts, post, &count)
			e.heads = appendVarint(e.heads, len(e.posts)-n)
			e.heads = appendVarint(e.heads, inv.posStart[t+1]-inv.posStart[t])
			e.heads = appendTop(e.heads, post, k, &count)
		}
		e.heads = append(e.heads, ' ')
		e.postEnd = append(e.postEnd, len(e.posts))
		e.headEnd = append(e.headEnd, len(e.heads))
	}
}

// appendPostings appends the postings post.
func appendPostings(b []byte, post []uint32) []byte {
	// A posting less the one before's document plus one, <<4, is the gap
	// times levels plus the weight less one.
	next := uint32(0)
	for _, p := range post {
		b = appendVarint(b, int(p-next))
		next = p&^(levels-1) + levels
	}
	return b
}

// appendPostingsCounting is appendPostings, and counts the postings of
// each weight less one in count.
func appendPostingsCounting(b []byte, post []uint32, count *[levels]int) []byte {
	next := uint32(0)
	for _, p := range post {
		b = appendVarint(b, int(p-next))
		next = p&^(levels-1) + levels
		count[p&(levels-1)]++
	}
	return b
}

// appendTop appends the k postings of greatest weight, of more than k,
// the earlier document first among equals, in document order: the first
// page of results for the term alone. count is how many postings there
// are of each weight less one.
func appendTop(b []byte, post []uint32, k int, count *[levels]int) []byte {
	// Weights are small numbers: find the least one taken and how many
	// of it.
	least, above := uint32(levels-1), 0
	for ; least > 0 && above+count[least] < k; least-- {
		above += count[least]
	}
	atLeast := k - above
	next := uint32(0)
	for i, left := 0, k; left > 0; i++ {
		p := post[i]
		w := p & (levels - 1)
		if w < least {
			continue
		}
		if w == least {
			if atLeast == 0 {
				continue
			}
			atLeast--
		}
		b = appendVarint(b, int(p-next))
		next = p&^(levels-1) + levels
		left--
	}
	return b
}
