package search

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// fixture is a small site's documents, made so that each ranking rule
// decides one query below.
func fixture() ([]Doc, []Facet) {
	sup := func(url, name, keys, summary, body, region string, skills ...string) Doc {
		return Doc{URL: url, Title: name, Section: "supporters", Summary: summary,
			Text:   [numFields][]string{{name}, {keys}, nil, {summary, body}},
			Facets: map[string][]string{"section": {"supporters"}, "region": {region}, "skill": skills}}
	}
	doc := func(section, url, title, summary, body string, facets map[string][]string) Doc {
		if facets == nil {
			facets = map[string][]string{}
		}
		facets["section"] = []string{section}
		return Doc{URL: url, Title: title, Section: section, Summary: summary, Text: [numFields][]string{{title}, nil, {summary}, {body}}, Facets: facets}
	}
	docs := []Doc{
		sup("/supporters/tom-ellery/", "Tom Ellery", "Executive Headteacher, Brackenridge Federation. rural. Finance",
			"Leads a federation of two rural primary schools.", "Shared staffing and school budgets across two sites.", "west", "finance"),
		sup("/supporters/priya-raman/", "Priya Raman", "Headteacher, Kingsbridge Academy. Wellbeing",
			"Supports heads with staff wellbeing and workload.", "A coach for new heads in the city.", "kingsbridge", "wellbeing"),
		sup("/supporters/jose-nunez/", "José Núñez", "Headteacher, Ashcombe Primary. Curriculum",
			"Curriculum design in small schools.", "Once worked in finance before teaching, long ago.", "north", "curriculum"),
		sup("/supporters/helen-marsh/", "Helen Marsh", "Headteacher, Marsh Lane School. rural. Curriculum. Wellbeing",
			"A rural head who reviews curriculum with peers.", "Peer visits, and a review of reading each year.", "north", "curriculum", "wellbeing"),
		doc("networks", "/networks/school-finance/", "School finance network", "Heads compare budgets and plan spending together.",
			"Termly meetings on funding, procurement and financial planning.", map[string][]string{"region": {"west", "north"}, "theme": {"finance"}}),
		doc("networks", "/networks/peer-review-triads/", "Peer review triads", "Three schools review one area in each other's schools.",
			"Each triad agrees a focus; the peer review is written up.", map[string][]string{"region": {"north"}, "theme": {"improvement"}}),
		doc("training", "/training/finance-for-heads/", "Finance for new heads", "Two days on budgets and financing decisions.",
			"Setting a budget, forecasting, and working with governors.", map[string][]string{"when": {"upcoming", "past"}}),
		doc("news", "/news/review-season/", "Review season", "The peer network meets in March; review visits follow.",
			"Peers plan the review of each school's curriculum.", nil),
	}
	docs[6].Dates = []int{20500, 20800} // 2026-02-16 and 2026-12-13
	facets := []Facet{
		{Key: "section", Name: "Type", Values: sections},
		{Key: "region", Name: "Region", Values: []Value{{"north", "North"}, {"west", "West"}, {"kingsbridge", "Kingsbridge"}}},
		{Key: "skill", Name: "Skills", Values: []Value{{"finance", "Finance"}, {"wellbeing", "Wellbeing"}, {"curriculum", "Curriculum"}}},
		{Key: "theme", Name: "Theme", Values: []Value{{"finance", "Finance"}, {"improvement", "School improvement"}}},
		when,
	}
	return docs, facets
}

// query is one search as the client runs it.
type query struct {
	Q    string              `json:"q"`
	Sel  map[string][]string `json:"sel,omitempty"`
	From *int                `json:"from,omitempty"`
	To   *int                `json:"to,omitempty"`
}

// answer is what search.js found: result URLs best first, and each facet
// value's count; and what its first tier found, whether it said that was
// complete and the bytes it fetched.
type answer struct {
	URLs    []string                  `json:"urls"`
	Counts  map[string]map[string]int `json:"counts"`
	Partial bool                      `json:"partial"`
	Quick   []string                  `json:"quick"`
	Exact   bool                      `json:"exact"`
}

// runClient builds the index of docs into a directory and answers queries
// with search.js under node, loading files as the browser would.
func runClient(t *testing.T, docs []Doc, facets []Facet, queries []query) []answer {
	t.Helper()
	return runClientWith(t, docs, facets, DefaultOptions(), queries)
}

// runClientWith is runClient with the index sized by opts.
func runClientWith(t *testing.T, docs []Doc, facets []Facet, opts Options, queries []query) []answer {
	t.Helper()
	files, err := Build(docs, facets, opts)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	body, _ := json.Marshal(queries)
	out := runNode(t, clientDriver, body, "INDEX_DIR="+filepath.Join(dir, Dir))
	var got []answer
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return got
}

// clientDriver runs queries from stdin through search.js's Engine: each
// through a fresh engine's first tier, then its full tier.
const clientDriver = `
const s = require(process.env.SEARCH_JS), fs = require('fs'), path = require('path');
const dir = process.env.INDEX_DIR;
const io = {
  json: f => Promise.resolve(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))),
  bytes: (f, from, to) => Promise.resolve(fs.readFileSync(path.join(dir, f)).subarray(from, to)),
};
(async () => {
  const m = await io.json('index.json');
  const out = [];
  for (const q of JSON.parse(fs.readFileSync(0, 'utf8'))) {
    const e = new s.Engine(m, io);
    const args = [q.q, q.sel || {}, q.from ?? null, q.to ?? null];
    const first = await e.quick(...args);
    const quick = (await e.docs(first.results.slice(0, 10).map(x => x.doc))).map(d => d[1]);
    const r = await e.run(...args);
    const urls = (await e.docs(r.results.map(x => x.doc))).map(d => d[1]);
    const counts = {};
    e.facets.forEach((f, fi) => { counts[f.key] = {}; f.values.forEach((v, vi) => { counts[f.key][v.id] = r.counts[fi][vi]; }); });
    out.push({urls, counts, partial: r.partial, quick, exact: first.exact});
  }
  process.stdout.write(JSON.stringify(out));
})().catch(e => { console.error(e); process.exit(1); });
`

func TestRanking(t *testing.T) {
	docs, facets := fixture()
	tests := []struct {
		q    string
		want []string // the first results, in order
		set  bool     // want is the first results in any order
		none []string // results that must not appear
	}{
		// A title match outranks the same word in short facts, which
		// outranks it in the body.
		{q: "finance", want: []string{"/networks/school-finance/", "/training/finance-for-heads/", "/supporters/tom-ellery/", "/supporters/jose-nunez/"}},
		// Stems: "financing" and "budgets" find "finance" and "budget".
		{q: "financing ", want: []string{"/networks/school-finance/", "/training/finance-for-heads/"}, set: true},
		{q: "budget", want: []string{"/training/finance-for-heads/", "/networks/school-finance/", "/supporters/tom-ellery/"}},
		// The last word typed is a prefix.
		{q: "fina", want: []string{"/networks/school-finance/", "/training/finance-for-heads/"}, set: true},
		{q: "pri", want: []string{"/supporters/priya-raman/"}},
		// One typo in a word of five letters or more.
		{q: "finnace", want: []string{"/networks/school-finance/", "/training/finance-for-heads/"}, set: true},
		{q: "wellbieng ", want: []string{"/supporters/priya-raman/"}},
		{q: "rual ", want: nil, none: []string{"/supporters/tom-ellery/"}},
		// A name, with or without its accents.
		{q: "jose nunez", want: []string{"/supporters/jose-nunez/"}},
		{q: "Núñez", want: []string{"/supporters/jose-nunez/"}},
		// Every word must match.
		{q: "finance rural", want: []string{"/supporters/tom-ellery/"}, none: []string{"/networks/school-finance/", "/supporters/helen-marsh/"}},
		{q: "wellbeing rural", want: []string{"/supporters/helen-marsh/"}, none: []string{"/supporters/priya-raman/"}},
		// A phrase matches only words side by side.
		{q: `"peer review"`, want: []string{"/networks/peer-review-triads/"}, none: []string{"/supporters/helen-marsh/", "/news/review-season/"}},
		{q: `"review of reading"`, want: []string{"/supporters/helen-marsh/"}, none: []string{"/news/review-season/"}},
	}
	var queries []query
	for _, tt := range tests {
		queries = append(queries, query{Q: tt.q})
	}
	got := runClient(t, docs, facets, queries)
	for i, tt := range tests {
		urls := got[i].URLs
		first := urls[:min(len(tt.want), len(urls))]
		if tt.set {
			first, tt.want = slices.Sorted(slices.Values(first)), slices.Sorted(slices.Values(tt.want))
		}
		if !slices.Equal(first, tt.want) {
			t.Errorf("search %q = %q, want first %q", tt.q, urls, tt.want)
		}
		for _, u := range tt.none {
			if slices.Contains(urls, u) {
				t.Errorf("search %q = %q, want no %s", tt.q, urls, u)
			}
		}
	}
}

func TestFacetCounts(t *testing.T) {
	docs, facets := fixture()
	day := func(n int) *int { return &n }
	queries := []query{
		{Q: ""},
		{Q: "", Sel: map[string][]string{"region": {"north"}}},
		{Q: "", Sel: map[string][]string{"region": {"north", "west"}, "section": {"supporters"}}},
		{Q: "curriculum", Sel: map[string][]string{"skill": {"wellbeing"}}},
		{Q: "", Sel: map[string][]string{"when": {"upcoming"}}},
		{Q: "", From: day(20700), To: day(20900)},
		{Q: "", From: day(20900)},
	}
	got := runClient(t, docs, facets, queries)
	check := func(i int, urls int, key string, want map[string]int) {
		t.Helper()
		if len(got[i].URLs) != urls {
			t.Errorf("query %+v: %d results %q, want %d", queries[i], len(got[i].URLs), got[i].URLs, urls)
		}
		for id, n := range want {
			if c := got[i].Counts[key][id]; c != n {
				t.Errorf("query %+v: %s=%s counts %d, want %d", queries[i], key, id, c, n)
			}
		}
	}
	// Browsing with no query: every document, every count.
	check(0, len(docs), "section", map[string]int{"supporters": 4, "networks": 2, "training": 1, "news": 1, "pages": 0})
	check(0, len(docs), "region", map[string]int{"north": 4, "west": 2, "kingsbridge": 1})
	// A facet's own choice does not narrow its counts (OR within it); it
	// narrows the others' (AND across).
	check(1, 4, "region", map[string]int{"north": 4, "west": 2, "kingsbridge": 1})
	check(1, 4, "section", map[string]int{"supporters": 2, "networks": 2})
	check(2, 3, "skill", map[string]int{"finance": 1, "curriculum": 2, "wellbeing": 1})
	check(2, 3, "section", map[string]int{"supporters": 3, "networks": 2})
	check(3, 1, "skill", map[string]int{"curriculum": 2, "wellbeing": 1})
	check(4, 1, "when", map[string]int{"upcoming": 1, "past": 1})
	check(5, 1, "section", map[string]int{"training": 1})
	check(6, 0, "section", map[string]int{"training": 0})
}

// TestEmptyIndex searches a site with nothing to search.
func TestEmptyIndex(t *testing.T) {
	got := runClient(t, nil, []Facet{when}, []query{{Q: "finance"}, {Q: ""}})
	for i, a := range got {
		if len(a.URLs) != 0 {
			t.Errorf("query %d on an empty index = %q, want nothing", i, a.URLs)
		}
	}
}

// TestTiers checks the first tier against the full index on the fixture,
// with heads of only the best two documents of each term, so that most
// terms' postings are cut short. Where the first tier holds enough, a word
// alone, its top results are the full index's; where it says it is
// exact, all of them are.
func TestTiers(t *testing.T) {
	docs, facets := fixture()
	const k = 2
	opts := DefaultOptions()
	opts.TopK = k
	tests := []struct {
		q     query
		alone bool // one word: the first k results are exact
	}{
		{q: query{Q: "finance"}, alone: true},
		{q: query{Q: "fina"}, alone: true},
		{q: query{Q: "review"}, alone: true},
		{q: query{Q: "peer"}, alone: true},
		{q: query{Q: "budgets "}, alone: true},
		{q: query{Q: "finnace "}, alone: true},
		{q: query{Q: "curriculum"}, alone: true},
		{q: query{Q: "finance rural "}},
		{q: query{Q: "peer review "}},
		{q: query{Q: `"peer review"`}},
		{q: query{Q: "rural", Sel: map[string][]string{"region": {"north"}}}},
		{q: query{Q: "", Sel: map[string][]string{"section": {"supporters"}}}},
	}
	var queries []query
	for _, tt := range tests {
		queries = append(queries, tt.q)
	}
	got := runClientWith(t, docs, facets, opts, queries)
	for i, tt := range tests {
		a := got[i]
		if len(a.Quick) == 0 && len(a.URLs) > 0 && (tt.alone || a.Exact) {
			t.Errorf("%+v: the first tier found nothing; the full index %q", tt.q, a.URLs)
		}
		n := len(a.Quick)
		if tt.alone {
			n = min(n, k)
		}
		if !tt.alone && !a.Exact {
			continue
		}
		if !slices.Equal(a.Quick[:n], a.URLs[:min(n, len(a.URLs))]) {
			t.Errorf("%+v: the first tier's top results are %q, the full index's %q", tt.q, a.Quick, a.URLs)
		}
	}
	// Several whole words, filters, phrases and browsing are answered in
	// full by the first tier: it fetches those words' full postings.
	for i, tt := range tests[7:] {
		if !got[7+i].Exact {
			t.Errorf("%+v: the first tier is not exact", tt.q)
		}
	}
}

// TestPhrases checks phrase queries three ways: with no common terms, so
// that every phrase is checked against its words' positions; with every
// term common, so that every phrase is answered from pair lists; and with
// some common, so that pair lists and positions answer parts of one. Each way, and through the first
// tier as through the full index, the results must be the same and right.
func TestPhrases(t *testing.T) {
	docs, facets := fixture()
	tests := []struct {
		q    string
		want []string // every result, in any order
	}{
		// Common words side by side, and the same words apart.
		{`"peer review"`, []string{"/networks/peer-review-triads/"}},
		{`"review peer"`, nil},
		{`"new heads"`, []string{"/training/finance-for-heads/", "/supporters/priya-raman/"}},
		// A phrase in a title, and one across a stop word.
		{`"school finance"`, []string{"/networks/school-finance/"}},
		{`"finance for new heads"`, []string{"/training/finance-for-heads/"}},
		{`"review of reading"`, []string{"/supporters/helen-marsh/"}},
		// The stop words inside a phrase must be the page's: not other
		// stop words, nor none, nor other words.
		{`"review in reading"`, nil},
		{`"review reading"`, nil},
		{`"review of of reading"`, nil},
		{`"peer of triads"`, nil},
		{`"visits and a review of reading"`, []string{"/supporters/helen-marsh/"}},
		{`"visits a review"`, nil},
		// Longer phrases, with and without stop words; stop words before
		// the first word and after the last are left out.
		{`"peer review triads"`, []string{"/networks/peer-review-triads/"}},
		{`"the peer review is written up"`, []string{"/networks/peer-review-triads/"}},
		{`"the peer review was written"`, nil},
		{`"review of reading each year"`, []string{"/supporters/helen-marsh/"}},
		{`"review of reading each month"`, nil},
		{`"of reading each year."`, []string{"/supporters/helen-marsh/"}},
		// Rare words.
		{`"brackenridge federation"`, []string{"/supporters/tom-ellery/"}},
		{`"reading each year"`, []string{"/supporters/helen-marsh/"}},
		// Words at the end of one field and the start of the next are not
		// side by side.
		{`"triads three"`, nil},
		{`"network heads"`, nil},
		// Words in one page but apart, and a word not in the index.
		{`"heads budgets"`, nil},
		{`"peer zebra"`, nil},
		// A phrase and a word.
		{`rural "primary schools"`, []string{"/supporters/tom-ellery/"}},
		{`"peer review" written`, []string{"/networks/peer-review-triads/"}},
	}
	var queries []query
	for _, tt := range tests {
		queries = append(queries, query{Q: tt.q})
	}
	for _, pairMin := range []int{1 << 30, 6, 0} {
		opts := DefaultOptions()
		opts.TopK = 2
		opts.PairMin = pairMin
		got := runClientWith(t, docs, facets, opts, queries)
		for i, tt := range tests {
			a := got[i]
			if !slices.Equal(slices.Sorted(slices.Values(a.URLs)), slices.Sorted(slices.Values(tt.want))) {
				t.Errorf("common above %d bytes: %s = %q, want %q", pairMin, tt.q, a.URLs, tt.want)
			}
			if !a.Exact || !slices.Equal(a.Quick, a.URLs[:min(10, len(a.URLs))]) {
				t.Errorf("common above %d bytes: %s: the first tier found %q (exact %v), the full index %q", pairMin, tt.q, a.Quick, a.Exact, a.URLs)
			}
		}
	}
}

// TestPairs checks the pair lists against the positions they stand for:
// with every term common, each pair of words one after the other; with
// some, those of them with a common word.
func TestPairs(t *testing.T) {
	docs, _ := fixture()
	all, allCommon := pairLists(t, docs, 0)
	of := strconv.Itoa(int(stopWords["of"]))
	// A page is listed once for each time the pair is in it.
	for pair, want := range map[string][]int{
		"peer review": {5, 5}, "new head": {1, 6}, "school financ": {4}, "review peer": nil, "triad three": nil,
		"review <" + of + "> read": {3}, "review <" + of + "> each": {7}, "review read": nil,
	} {
		if got := all[pair]; !slices.Equal(got, want) {
			t.Errorf("pair %q: pages %v, want %v", pair, got, want)
		}
	}
	some, common := pairLists(t, docs, 6)
	kept := 0
	for pair, want := range all {
		ws := strings.Fields(pair)
		a, b := ws[0], ws[len(ws)-1]
		if !allCommon[a] || !allCommon[b] {
			t.Fatalf("pair %q: not common with every term common", pair)
		}
		if !common[a] && !common[b] {
			want = nil
		} else {
			kept++
		}
		if got := some[pair]; !slices.Equal(got, want) {
			t.Errorf("common above 6 bytes: pair %q: pages %v, want %v", pair, got, want)
		}
	}
	if kept == 0 || kept == len(all) {
		t.Errorf("common above 6 bytes: %d of %d pairs kept, want some", kept, len(all))
	}
}

// pairLists reads the pair lists of the index of docs with terms common
// above pairMin, each as "a b" or "a <stop run> b" and its pages, and
// which terms are common.
func pairLists(t *testing.T, docs []Doc, pairMin int) (map[string][]int, map[string]bool) {
	inv := invert(docs, pairMin)
	ps := inv.pairs()
	common := map[string]bool{}
	for tt, term := range inv.terms {
		common[term] = inv.common[tt]
	}
	fixed := func(b []byte) int {
		x := 0
		for _, c := range b {
			x = x*64 + strings.IndexByte(digits, c)
		}
		return x
	}
	lists := map[string][]int{}
	for a, term := range inv.terms {
		entry := ps.data[a*tableEntry : (a+1)*tableEntry]
		start, dirLen := fixed(entry[:sectionDigits]), fixed(entry[sectionDigits:])
		at := start + dirLen
		second := false
		for p, b := start, -1; p < start+dirLen; {
			var g, run, n int
			g, p = readVarint(ps.data, p)
			if g == 0 {
				if second {
					t.Fatalf("%s: two 0s in its directory", term)
				}
				second, b = true, -1
				continue
			}
			if g&1 != 0 {
				run, p = readVarint(ps.data, p)
			}
			n, p = readVarint(ps.data, p)
			b += g >> 1
			first, then := term, inv.terms[b]
			if second {
				first, then = then, first
				if !common[first] || common[then] {
					t.Errorf("pair %s %s in the section of %s", first, then, term)
				}
			}
			key := first + " " + then
			if run != 0 {
				key = first + " <" + strconv.Itoa(run) + "> " + then
			}
			for q, d := at, -1; q < at+n; {
				var x int
				x, q = readVarint(ps.data, q)
				d += x / 16
				lists[key] = append(lists[key], d)
			}
			at += n
		}
		if at != ps.ends[a+1] {
			t.Errorf("%s: the lists end at %d, the section at %d", term, at, ps.ends[a+1])
		}
	}
	return lists, common
}
