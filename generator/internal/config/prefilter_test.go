package config

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// The example site's policy patterns, which run over every profile.
const (
	phonePattern = `(?:\+44\s?(?:\(0\)\s?)?\d|\(?\b0\d)(?:[\s.)-]{0,2}\d){8,9}`
	emailPattern = `[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`
)

func TestNeeds(t *testing.T) {
	digits := classKey([]rune{'0', '9'})
	tests := []struct {
		expr string
		want map[string]int
	}{
		{phonePattern, map[string]int{digits: 9}},
		{emailPattern, map[string]int{classKey([]rune{'@', '@'}): 1, classKey([]rune{'-', '-', '0', '9', 'A', 'Z', 'a', 'z'}): 2, classKey([]rune{'.', '.'}): 1, classKey([]rune{'%', '%', '+', '+', '-', '.', '0', '9', 'A', 'Z', '_', '_', 'a', 'z'}): 1}},
		{`ab`, map[string]int{classKey([]rune{'a', 'a'}): 1, classKey([]rune{'b', 'b'}): 1}},
		{`(?i)ab`, map[string]int{}},
		{`a|b`, map[string]int{classKey([]rune{'a', 'b'}): 1}}, // the parser makes it [ab]
		{`x\d|y\d\d`, map[string]int{digits: 1}},
		{`\d*`, map[string]int{}},
		{`(\d{3})+`, map[string]int{digits: 3}},
	}
	for _, tt := range tests {
		got := map[string]int{}
		for _, n := range needs(tt.expr) {
			got[classKey(n.ranges)] = n.min
		}
		if len(got) != len(tt.want) {
			t.Errorf("needs(%q) = %v, want %v", tt.expr, got, tt.want)
			continue
		}
		for k, v := range tt.want {
			if got[k] != v {
				t.Errorf("needs(%q)[%s] = %d, want %d (all: %v)", tt.expr, k, got[k], v, got)
			}
		}
	}
}

// TestMayMatchNeverHidesAMatch checks the one thing the prefilter must
// never do: say a text cannot match when the pattern matches it.
func TestMayMatchNeverHidesAMatch(t *testing.T) {
	patterns := []string{phonePattern, emailPattern, `ab+c`, `x\d|y\d\d`, `(?i)hello`, `[0-9]{3}-[0-9]{4}`, `é+ç`, `\bcall\b`}
	texts := []string{"", "call 07700 900123 now", "+44 7700 900123", "(01632) 960 000", "jo.evans@gmail.com", "abbbc", "x1", "y12", "HELLO", "555-1234", "éééç", "no digits here at all"}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("0123456789 +()-.@abcxyéçHELOhelo\n")
	for range 3000 {
		b := make([]rune, r.IntN(40))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		texts = append(texts, string(b))
	}
	for _, expr := range patterns {
		re := regexp.MustCompile(expr)
		ns, window := prefilter(expr)
		for _, text := range texts {
			if re.MatchString(text) && !mayMatch(ns, window, []byte(text)) {
				t.Errorf("mayMatch says %q cannot match %q, but it does", expr, text)
			}
		}
	}
}

func TestMaxLen(t *testing.T) {
	tests := []struct {
		expr string
		want int
	}{
		{phonePattern, 9 + 3*9}, // "+44 (0) 7", then nine times a separator pair and a digit
		{emailPattern, -1},
		{`abc`, 3},
		{`a{2,5}`, 5},
		{`a?b`, 2},
		{`\bx\b`, 1},
		{`a*`, -1},
	}
	for _, tt := range tests {
		if _, got := prefilter(tt.expr); got != tt.want {
			t.Errorf("maxLen(%q) = %d, want %d", tt.expr, got, tt.want)
		}
	}
}

func TestMayMatchSkips(t *testing.T) {
	phone, window := prefilter(phonePattern)
	for text, want := range map[string]bool{
		"Headteacher since 2012; trained in 2019.":                        false, // 8 digits: too few for a phone number
		"Call 07700 900123.":                                              true,
		"Ten years as a head of a rural school.":                          false,
		"In 2012 the school had 120 pupils; by 2019 it had grown to 210.": false, // 14 digits, never nine within a phone number's length
	} {
		if got := mayMatch(phone, window, []byte(text)); got != want {
			t.Errorf("mayMatch(phone, %q) = %v, want %v", text, got, want)
		}
	}
}

func BenchmarkPolicyPatterns(b *testing.B) {
	body := []byte("I have been headteacher at Hollowford since 2012. It is my first headship, and I still teach in Year 5 and 6 two mornings a week. ")
	for len(body) < 5000 {
		body = append(body, body...)
	}
	for _, expr := range []string{phonePattern, emailPattern} {
		re := regexp.MustCompile(expr)
		ns, window := prefilter(expr)
		b.Run("regexp", func(b *testing.B) {
			for b.Loop() {
				re.Match(body)
			}
		})
		b.Run("prefilter", func(b *testing.B) {
			for b.Loop() {
				if mayMatch(ns, window, body) {
					re.Match(body)
				}
			}
		})
	}
}

// FuzzMayMatch checks TestMayMatchNeverHidesAMatch's property on any
// pattern and text.
func FuzzMayMatch(f *testing.F) {
	f.Add(phonePattern, "call 07700 900123 now")
	f.Add(emailPattern, "jo.evans@gmail.com")
	f.Add(`[é-ê]{2}\d`, "éê1")
	f.Add(`[^a]{3}`, "bbb")
	f.Fuzz(func(t *testing.T, expr, text string) {
		re, err := regexp.Compile(expr)
		if err != nil || len(expr) > 100 {
			return
		}
		ns, window := prefilter(expr)
		if re.MatchString(text) && !mayMatch(ns, window, []byte(text)) {
			t.Errorf("mayMatch says %q cannot match %q, but it does", expr, text)
		}
	})
}
