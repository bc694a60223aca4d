package decode

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

var corpusDir = flag.String("corpus", "", "also compare parseFast with yaml.v3 on the front matter of this site's content (such as /tmp/pp/c10k)")

// sameAsYAML fails if parseFast reads data and yaml.v3 reads it otherwise.
func sameAsYAML(t *testing.T, data []byte) bool {
	t.Helper()
	got, ok := parseFast(data)
	if !ok {
		return false
	}
	var want yaml.Node
	if err := unmarshal(data, &want); err != nil {
		t.Fatalf("parseFast read %q, which yaml.v3 refuses: %v", data, err)
	}
	if !reflect.DeepEqual(got, &want) {
		g, w := strings.Split(dumpNode(got), "\n"), strings.Split(dumpNode(&want), "\n")
		for i := range min(len(g), len(w)) {
			if g[i] != w[i] {
				t.Fatalf("parseFast(%q) differs from yaml.v3 at node line %d:\n%s\nyaml.v3:\n%s", data, i, g[i], w[i])
			}
		}
		t.Fatalf("parseFast(%q) =\n%s\nyaml.v3 gives\n%s", data, dumpNode(got), dumpNode(&want))
	}
	return true
}

func dumpNode(n *yaml.Node) string {
	var b strings.Builder
	var walk func(n *yaml.Node, indent string)
	walk = func(n *yaml.Node, indent string) {
		fmt.Fprintf(&b, "%skind %d style %d tag %q value %q at %d:%d anchor %q comments %q %q %q\n", indent, n.Kind, n.Style, n.Tag, n.Value, n.Line, n.Column, n.Anchor, n.HeadComment, n.LineComment, n.FootComment)
		if n.Content == nil {
			fmt.Fprintf(&b, "%s  (nil content)\n", indent)
		}
		for _, c := range n.Content {
			walk(c, indent+"  ")
		}
	}
	walk(n, "")
	return b.String()
}

var fastSeeds = []string{
	"name: Zoe Walker\nrole: Executive Headteacher\nschool:\n  name: W\n  pupils: 573\n  rural: false\n  inspection:\n    grade: good\n    date: 2022-07-25\nskills: [finance, safeguarding]\ncaseload: 2\n",
	"title: C\nprogramme:\n  - Rationale\n  - Protocols:\n      - Safeguarding\n  - Focus area\nsessions:\n  - start: \"2025-09-18 09:30\"\n    end: \"2025-09-18 12:30\"\n    location: {name: Elmstead Centre, address: 82 High Street}\n    capacity: 12\n",
	"group_size: {min: 15, max: 20}\nregions: []\nx: { }\ny: [ a , 'b c' , \"d\" ]\n",
	"a: ~\nb: null\nc: True\nd: yes\ne: 0\nf: 007\ng: 1.5\nh: -1\ni: 12 pupils\nj: 2022-02-30\nk: 'it''s'\nl: \"a\\\"b\"\n",
	"\n\n  \na: 1\n\n",
	"a:\n  - x\n  - - y\n",
	"a: b\n  c\n",
	"a:\nb: 1\n",
	"a: b: c\n",
	"é: ü\nb: ça va\n",
	"a: [b, c,]\n",
	"a: \"x\" y\n",
	"- a\n- b\n",
	"a: b\na: c\n",
	"a:\n- b\n",
	"a:b\n",
	"a : b\n",
	"? a\n: b\n",
	"a: &x 1\nb: *x\n",
	"a: |\n  text\n",
	"a: \u0085\n",
	"key with spaces: value, with: colons:x\n",
	"a:\n  b:\n    c: [1, 2]\n  d: e\nf: g\n",
	"a:\n  - b: c\n    d: e\n  - f: g\n",
	"a:\n  - b: c\n   d: e\n",
	"s: 2025-09-18 09:30\nt: 0b1 x\nu: 1_000\n",
}

// FuzzParseFast checks that whenever parseFast reads a text, yaml.v3 reads
// it too, into the same node tree.
func FuzzParseFast(f *testing.F) {
	for _, s := range fastSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sameAsYAML(t, data)
	})
}

// TestParseFast runs the seeds, and checks that parseFast reads the
// front matter it is for.
func TestParseFast(t *testing.T) {
	for _, s := range fastSeeds {
		sameAsYAML(t, []byte(s))
	}
	for _, s := range fastSeeds[:3] {
		if _, ok := parseFast([]byte(s)); !ok {
			t.Errorf("parseFast declined %q", s)
		}
	}
}

// TestParseFastCorpus compares parseFast with yaml.v3 on the front matter
// of every content file of -corpus.
func TestParseFastCorpus(t *testing.T) {
	if *corpusDir == "" {
		t.Skip("no -corpus")
	}
	read, total := 0, 0
	err := filepath.WalkDir(filepath.Join(*corpusDir, "content"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".md" {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		parts := bytes.SplitN(data, []byte("---\n"), 3)
		if len(parts) < 3 {
			return nil
		}
		total++
		if sameAsYAML(t, parts[1]) {
			read++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("parseFast read %d of %d front matters", read, total)
}

// TestParseFastRandom compares parseFast with yaml.v3 on documents made of
// front matter's usual pieces put together at random, valid or not.
func TestParseFastRandom(t *testing.T) {
	pieces := []string{"a", "b c", "key", ": ", ":", "- ", "-", "  ", " ", "\n", "\n  ", "\n    ", "[", "]", "{", "}", ", ", ",",
		"\"", "'", "x y", "1", "0", "12", "007", "2024-01-02", "2024-13-01", "true", "no", "~", "null", "é", "1 a", "2024-01-02 09:30",
		"\\", "?", "&a", "*a", "!t", "|", ">", "@", "`", "%", ".5", "+1", "<<", "\"q r\"", "'s t'", "''", "\"\""}
	r := rand.New(rand.NewPCG(1, 2))
	read := 0
	n := 100000
	if testing.Short() {
		n = 20000
	}
	for range n {
		var b strings.Builder
		for range 1 + r.IntN(30) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		if sameAsYAML(t, []byte(b.String())) {
			read++
		}
	}
	t.Logf("parseFast read %d of %d random documents", read, n)
}

// TestParseFastRandomLines is TestParseFastRandom with documents made
// line by line, as front matter is, so that most are ones parseFast reads.
func TestParseFastRandomLines(t *testing.T) {
	keys := []string{"a", "b", "name", "key two", "1", "true", "é", "a:b", "x-y", "a b"}
	values := []string{"v", "two words", "12", "0", "007", "2024-01-02", "2024-02-30", "true", "No", "~", "null", "82 High St", "1 a",
		"\"quoted: x\"", "'single'", "\"\"", "[]", "[a, b]", "[ a ,b ]", "[1, \"q\"]", "{a: 1, b: two words}", "{ }", "{a: [b]}",
		"[a, b,]", "x: y", "é ü", "a, b", "v ", "http://e.org/x", "-1", "- a", "[a] b", "'it''s'", "\"a\\tb\""}
	r := rand.New(rand.NewPCG(3, 4))
	read := 0
	n := 100000
	if testing.Short() {
		n = 20000
	}
	for range n {
		var b strings.Builder
		for range 1 + r.IntN(8) {
			b.WriteString(strings.Repeat(" ", []int{0, 0, 0, 2, 2, 4, 6, 1}[r.IntN(8)]))
			if r.IntN(3) == 0 {
				b.WriteString("- ")
			}
			switch r.IntN(5) {
			case 0:
				b.WriteString(keys[r.IntN(len(keys))] + ":")
			case 1:
				b.WriteString(values[r.IntN(len(values))])
			default:
				b.WriteString(keys[r.IntN(len(keys))] + ": " + values[r.IntN(len(values))])
			}
			b.WriteString([]string{"\n", "\n", "\n\n", " \n"}[r.IntN(4)])
		}
		if sameAsYAML(t, []byte(b.String())) {
			read++
		}
	}
	t.Logf("parseFast read %d of %d random documents", read, n)
}

// TestParseFastRandomTrees compares the two on random well-formed
// documents of nested mappings and lists, the shape of front matter.
func TestParseFastRandomTrees(t *testing.T) {
	keys := []string{"a", "name", "key two", "1", "true", "é", "x-y", "sessions", "start"}
	values := []string{"v", "two words", "12", "0", "2024-01-02", "true", "No", "~", "82 High St", "\"quoted: x\"", "'single'",
		"[]", "[a, b]", "[ a ,b ]", "[1, \"q\"]", "{a: 1, b: two words}", "{ }", "é ü", "a, b", "http://e.org/x", "Ask: no"}
	r := rand.New(rand.NewPCG(5, 6))
	var mapping func(b *strings.Builder, indent string, depth int, first string)
	var list func(b *strings.Builder, indent string, depth int)
	value := func(b *strings.Builder, indent string, depth int) {
		switch k := r.IntN(6); {
		case depth < 3 && k == 0:
			b.WriteString(":\n")
			mapping(b, indent+strings.Repeat(" ", 1+r.IntN(3)), depth+1, "")
		case depth < 3 && k == 1:
			b.WriteString(":\n")
			list(b, indent+strings.Repeat(" ", 1+r.IntN(3)), depth+1)
		default:
			b.WriteString(":" + strings.Repeat(" ", 1+r.IntN(2)) + values[r.IntN(len(values))] + "\n")
		}
	}
	mapping = func(b *strings.Builder, indent string, depth int, first string) {
		for i := range 1 + r.IntN(4) {
			if i == 0 && first != "" {
				b.WriteString(first)
			} else {
				b.WriteString(indent)
			}
			b.WriteString(keys[r.IntN(len(keys))])
			value(b, indent, depth)
		}
	}
	list = func(b *strings.Builder, indent string, depth int) {
		for range 1 + r.IntN(3) {
			if depth < 3 && r.IntN(2) == 0 {
				mapping(b, indent+"  ", depth+1, indent+"- ")
			} else {
				b.WriteString(indent + "- " + values[r.IntN(len(values))] + "\n")
			}
		}
	}
	read := 0
	n := 30000
	if testing.Short() {
		n = 10000
	}
	for range n {
		var b strings.Builder
		mapping(&b, "", 0, "")
		if sameAsYAML(t, []byte(b.String())) {
			read++
		}
	}
	t.Logf("parseFast read %d of %d random documents", read, n)
	if read < n/4 {
		t.Errorf("parseFast read only %d of %d well-formed documents", read, n)
	}
}
