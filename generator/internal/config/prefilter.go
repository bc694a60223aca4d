package config

import (
	"bytes"
	"fmt"
	"regexp/syntax"
	"slices"
	"unicode/utf8"
	"unsafe"
)

// need is a character class that every match of a pattern contains at
// least min times: a phone-number pattern needs nine digits, an e-mail
// pattern an @.
type need struct {
	ranges []rune // lo, hi pairs, as syntax.Regexp.Rune
	min    int
	ascii  [2]uint64 // the class's ASCII members, for a one-step test
}

// has reports whether r is in the class.
func (n need) has(r rune) bool {
	if r < 128 {
		return n.ascii[r>>6]&(1<<(r&63)) != 0
	}
	return inClass(r, n.ranges)
}

// needs works out what every match of a pattern must contain, from its
// syntax tree: literals and classes count, a concatenation adds its parts,
// a repetition multiplies by its least count, and alternatives keep only
// what all of them need. It returns nil when nothing can be said (which is
// always safe: the pattern is then simply run).
func needs(expr string) []need {
	ns, _ := prefilter(expr)
	return ns
}

// prefilter returns what every match of expr needs and the longest a match
// can be in characters (-1 when unbounded).
func prefilter(expr string) ([]need, int) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, -1
	}
	m := requirements(re)
	out := make([]need, 0, len(m))
	for _, k := range sortedKeys(m) {
		n := m[k]
		for r := rune(0); r < 128; r++ {
			if inClass(r, n.ranges) {
				n.ascii[r>>6] |= 1 << (r & 63)
			}
		}
		out = append(out, n)
	}
	return out, maxLen(re)
}

func sortedKeys(m map[string]need) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// maxLen is the most characters a match of re can span, or -1.
func maxLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return 0
	case syntax.OpCapture:
		return maxLen(re.Sub[0])
	case syntax.OpConcat:
		total := 0
		for _, sub := range re.Sub {
			n := maxLen(sub)
			if n < 0 {
				return -1
			}
			total += n
		}
		return total
	case syntax.OpAlternate:
		most := 0
		for _, sub := range re.Sub {
			n := maxLen(sub)
			if n < 0 {
				return -1
			}
			most = max(most, n)
		}
		return most
	case syntax.OpQuest:
		return maxLen(re.Sub[0])
	case syntax.OpRepeat:
		n := maxLen(re.Sub[0])
		if re.Max < 0 || n < 0 {
			return -1
		}
		return n * re.Max
	}
	return -1 // star, plus and anything unforeseen: no bound
}

func classKey(r []rune) string { return fmt.Sprint(r) }

func add(into map[string]need, from map[string]need, times int) {
	for k, n := range from {
		cur := into[k]
		cur.ranges = n.ranges
		cur.min += n.min * times
		into[k] = cur
	}
}

func requirements(re *syntax.Regexp) map[string]need {
	out := map[string]need{}
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return out // either case matches: say nothing
		}
		for _, r := range re.Rune {
			add(out, map[string]need{classKey([]rune{r, r}): {ranges: []rune{r, r}, min: 1}}, 1)
		}
	case syntax.OpCharClass:
		add(out, map[string]need{classKey(re.Rune): {ranges: re.Rune, min: 1}}, 1)
	case syntax.OpCapture:
		return requirements(re.Sub[0])
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			add(out, requirements(sub), 1)
		}
	case syntax.OpPlus:
		return requirements(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min > 0 {
			add(out, requirements(re.Sub[0]), re.Min)
		}
	case syntax.OpAlternate:
		for i, sub := range re.Sub {
			r := requirements(sub)
			if i == 0 {
				out = r
				continue
			}
			for k, n := range out {
				if o, ok := r[k]; ok {
					n.min = min(n.min, o.min)
					out[k] = n
				} else {
					delete(out, k)
				}
			}
		}
	}
	return out
}

// inClass reports whether r falls in one of the lo, hi pairs.
func inClass(r rune, ranges []rune) bool {
	for i := 0; i+1 < len(ranges); i += 2 {
		if r >= ranges[i] && r <= ranges[i+1] {
			return true
		}
	}
	return false
}

// mayMatch reports whether text holds everything a match needs, within a
// span of at most window characters when window is not negative. False
// means the pattern cannot match; true means it might.
func mayMatch(ns []need, window int, text []byte) bool {
	if len(ns) == 0 {
		return true
	}
	// A text that does not hold what a match needs anywhere cannot hold it
	// within a window either, and counting over the whole text is far
	// faster than the windowed scan below: a required character, such as
	// an e-mail address's @, with bytes.Count, and an ASCII class, such as
	// a phone number's digits, byte by byte. Most bodies have no phone
	// number's nine digits at all, and the windowed scan of every rune of
	// every body was the largest part of validating.
	counted := true // whether every need was counted over the whole text
	for _, n := range ns {
		switch {
		case len(n.ranges) == 0:
			counted = false
		case len(n.ranges) == 2 && n.ranges[0] == n.ranges[1] && n.ranges[0] < utf8.RuneSelf:
			if bytes.Count(text, []byte{byte(n.ranges[0])}) < n.min {
				return false
			}
		case n.ranges[len(n.ranges)-1] < utf8.RuneSelf:
			if !hasASCII(n, text) {
				return false
			}
		default:
			counted = false
		}
	}
	if window < 0 && counted {
		return true
	}
	counts := make([]int, len(ns))
	unmet := len(ns)
	// masks holds, for the last window characters, which needs each met,
	// so that a character leaving the window is taken off the counts.
	var masks []uint64
	if window > 0 && len(ns) <= 64 {
		masks = make([]uint64, window)
	}
	for pos := 0; len(text) > 0; pos++ {
		r, size := rune(text[0]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(text)
		}
		text = text[size:]
		if masks != nil && pos >= window {
			// The character a window's width back leaves the window.
			if old := masks[pos%window]; old != 0 {
				for i, n := range ns {
					if old&(1<<i) != 0 {
						if counts[i]--; counts[i] == n.min-1 {
							unmet++
						}
					}
				}
			}
		}
		var mask uint64
		for i, n := range ns {
			if n.has(r) {
				if counts[i]++; counts[i] == n.min {
					unmet--
				}
				mask |= 1 << i
			}
		}
		if masks != nil {
			masks[pos%window] = mask
		}
		if unmet == 0 {
			return true
		}
	}
	return false
}

// hasASCII reports whether text holds at least n.min characters of n's
// class, which has only ASCII members.
func hasASCII(n need, text []byte) bool {
	count := 0
	for _, c := range text {
		if c < utf8.RuneSelf && n.ascii[c>>6]&(1<<(c&63)) != 0 {
			if count++; count >= n.min {
				return true
			}
		}
	}
	return n.min <= 0
}

// MayMatch reports whether the pattern can match b: false is certain, so
// the (much slower) regular expression need not run at all.
func (p Pattern) MayMatch(b []byte) bool { return mayMatch(p.needs, p.window, b) }

// MayMatchString is MayMatch for a string.
// The text is only read, so it is not copied.
func (p Pattern) MayMatchString(s string) bool {
	return mayMatch(p.needs, p.window, unsafe.Slice(unsafe.StringData(s), len(s)))
}
