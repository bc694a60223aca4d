// Package corpus writes a synthetic peer-support programme of any size, in
// the content contract's format, for benchmarks: deterministic (the same
// size gives the same bytes), valid against the example site's site.yaml and
// rules at the build date 2026-11-22, and shaped like a large national
// programme: per 10,000 documents about 4,800 supporters, 2,000 news posts,
// 2,000 testimonials, 1,000 training courses and 200 networks, with bodies
// of a few kilobytes.
package corpus

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"peerpress/generator/internal/config"
)

// Options say what to write.
type Options struct {
	// Docs is the number of content documents.
	Docs int
	// SiteYAML is the site.yaml to write beside the content: the example
	// site's, whose vocabularies and rules the content is made to satisfy.
	SiteYAML []byte
}

// Counts are how many documents of each type a corpus of n documents has.
type Counts struct {
	Networks, Supporters, Courses, Testimonials, News int
}

// CountsFor splits n documents in the proportions of a national programme.
func CountsFor(n int) Counts {
	c := Counts{Networks: max(1, n*2/100), Courses: max(1, n*10/100), Testimonials: n * 20 / 100, News: n * 20 / 100}
	c.Supporters = max(1, n-c.Networks-c.Courses-c.Testimonials-c.News)
	return c
}

// The example site's vocabulary ids (site.yaml), which content must use.
var (
	streams    = []string{"rural-schools", "secondary-leadership", "mat-peer-support", "diocesan", "local-scheme"}
	regions    = []string{"north", "south", "east", "west", "city"}
	themes     = []string{"curriculum-development", "character-education", "teaching-and-learning", "wellbeing-resilience", "school-improvement", "leadership-development", "inclusion-send"}
	audiences  = []string{"headteachers", "senior-leaders", "middle-leaders", "governors"}
	types      = []string{"maintained", "academy", "federation", "special", "voluntary-aided", "voluntary-controlled"}
	phases     = []string{"nursery", "primary", "secondary", "all-through", "special"}
	goodGrades = []string{"outstanding", "good", "strong-standard", "expected-standard", "exceptional"}
	skills     = []string{"coaching", "mentoring", "finance", "hr-staffing", "curriculum", "send", "safeguarding", "inspection-preparation", "governance", "wellbeing", "small-schools", "federation-leadership", "new-headteachers", "community-engagement"}
	firstNames = []string{"Alex", "Amira", "Ben", "Carys", "Daniel", "Eleanor", "Farah", "George", "Hannah", "Imran", "Joanna", "Kieran", "Lucy", "Mohammed", "Niamh", "Oliver", "Priya", "Rhys", "Sarah", "Tomasz", "Uma", "Victoria", "William", "Yasmin", "Zoe"}
	surnames   = []string{"Ahmed", "Baker", "Clarke", "Davies", "Evans", "Fletcher", "Green", "Hughes", "Iqbal", "Jones", "Khan", "Lewis", "Morgan", "Nowak", "Owens", "Patel", "Quinn", "Roberts", "Singh", "Taylor", "Usman", "Vaughan", "Walker", "Young"}
	places     = []string{"Ashcombe", "Brackenridge", "Copperfield", "Dunmore", "Elmstead", "Fernley", "Greystone", "Hollowford", "Ivybridge", "Kingsbridge", "Larkhill", "Millbrook", "Northwick", "Oakhurst", "Pennington", "Redmarley", "Stonebury", "Thornbury", "Upton", "Wealdbury"}
	words      = strings.Fields(`school leaders headteacher support peer network curriculum pupils staff governors budget
		inspection wellbeing coaching mentoring improvement planning assessment reading writing mathematics science
		community parents attendance behaviour inclusion safeguarding training leadership federation rural small
		trust diocese review triad evidence questioning impact priorities development teachers teaching learning
		meeting termly visit shared practice confidential listening challenge reflection strategy workload
		recruitment retention phonics early years transition secondary primary special needs provision outcomes`)
)

// gen draws everything from one seeded source, so output is deterministic.
type gen struct {
	r *rand.Rand
	// vocab is the body text's vocabulary: the school words above, then
	// thousands of made-up words; zipf picks from it the way real prose
	// uses words, a few very often and most rarely, so that search index
	// sizes measured on a corpus are like those of real content.
	vocab []string
	zipf  *rand.Zipf
}

// syllables make the made-up words of the body text.
var syllables = strings.Fields("ab ac ad al an ar as at be bi bo ca ce ci co da de di do el em en er es et fa fe fi fo ga ge gi go ha he hi ho il im in is it la le li lo ma me mi mo na ne ni no ob od ol om on or os pa pe pi po ra re ri ro sa se si so ta te ti to ul um un ur us va ve vi vo")

func newGen(seed uint64) gen {
	r := rand.New(rand.NewPCG(1, seed))
	vocab := append([]string(nil), words...)
	seen := map[string]bool{}
	for _, w := range words {
		seen[w] = true
	}
	vr := rand.New(rand.NewPCG(2, 2)) // the same vocabulary at every size
	for len(vocab) < 8000 {
		var b strings.Builder
		for range 2 + vr.IntN(3) {
			b.WriteString(syllables[vr.IntN(len(syllables))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			vocab = append(vocab, w)
		}
	}
	return gen{r: r, vocab: vocab, zipf: rand.NewZipf(r, 1.1, 2, uint64(len(vocab)-1))}
}

func (g gen) pick(s []string) string { return s[g.r.IntN(len(s))] }

// some picks k distinct items, in the order of s.
func (g gen) some(s []string, k int) []string {
	idx := g.r.Perm(len(s))[:min(k, len(s))]
	seen := map[int]bool{}
	for _, i := range idx {
		seen[i] = true
	}
	var out []string
	for i, v := range s {
		if seen[i] {
			out = append(out, v)
		}
	}
	return out
}

func (g gen) sentence() string {
	n := 8 + g.r.IntN(14)
	w := make([]string, n)
	for i := range w {
		w[i] = g.vocab[g.zipf.Uint64()]
	}
	s := strings.Join(w, " ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// body writes about size bytes of Markdown paragraphs, with a heading and a
// list now and then.
func (g gen) body(size int) string {
	var b strings.Builder
	for b.Len() < size {
		switch g.r.IntN(8) {
		case 0:
			fmt.Fprintf(&b, "## %s\n\n", strings.TrimSuffix(g.sentence(), "."))
		case 1:
			for range 3 {
				fmt.Fprintf(&b, "- %s\n", g.sentence())
			}
			b.WriteString("\n")
		default:
			for range 3 + g.r.IntN(3) {
				b.WriteString(g.sentence())
				b.WriteString(" ")
			}
			b.WriteString("\n\n")
		}
	}
	return b.String()
}

func list(s []string) string { return "[" + strings.Join(s, ", ") + "]" }

func date(y, m, d int) string { return fmt.Sprintf("%04d-%02d-%02d", y, m, d) }

// Write writes site.yaml and content/ for opts.Docs documents into dir,
// and a short free page for each page the menus of site.yaml link that
// the corpus would not have (see menuPages).
func Write(dir string, opts Options) error {
	g := newGen(uint64(opts.Docs))
	c := CountsFor(opts.Docs)
	files := map[string]string{"site.yaml": string(opts.SiteYAML)}
	network := func(i int) string { return fmt.Sprintf("network-%04d", i) }
	supporter := func(i int) string { return fmt.Sprintf("supporter-%05d", i) }

	files["content/_index.md"] = "---\ntitle: Peer support\nsummary: A synthetic programme for benchmarks.\n---\n" + g.body(600)
	for i := range c.Networks {
		format := "network"
		size := "{min: 15, max: 20}"
		if i%5 == 4 {
			format, size = "triad", "{min: 3, max: 3}"
		}
		files["content/networks/"+network(i)+".md"] = fmt.Sprintf(`---
title: %s %s network %d
summary: %s
stream: %s
regions: %s
format: %s
group_size: %s
sessions_per_year: {min: 3, max: 5}
session_length: half-day
themes: %s
audience: %s
member_schools: %d
status: %s
join: Ask the coordinator.
---
%s`, g.pick(places), g.pick([]string{"Primary", "Secondary", "Rural", "Church", "Trust"}), i, g.sentence(), g.pick(streams), list(g.some(regions, 1+g.r.IntN(3))),
			format, size, list(g.some(themes, 2)), list(g.some(audiences, 2)), 3+g.r.IntN(40), g.pick([]string{"open", "open", "open", "full", "closed"}), g.body(2500))
	}
	for i := range c.Supporters {
		files["content/supporters/"+supporter(i)+".md"] = fmt.Sprintf(`---
name: %s %s
role: %s
summary: %s
school:
  name: %s %s School
  type: %s
  phase: %s
  pupils: %d
  rural: %t
  inspection:
    grade: %s
    date: %s
region: %s
headship_since: %s
training:
  provider: Wealdshire School Improvement Service
  completed: %s
coaching: Has coached %d headteachers through the county's induction programme.
local_knowledge: true
skills: %s
networks: %s
availability: %s
caseload: %d
---
%s`, g.pick(firstNames), g.pick(surnames), g.pick([]string{"Headteacher", "Executive Headteacher", "Head of School"}), g.sentence(),
			g.pick(places), g.pick([]string{"Primary", "Academy", "Community", "Church of England", "Federation"}), g.pick(types), g.pick(phases),
			40+g.r.IntN(1400), g.r.IntN(3) == 0, g.pick(goodGrades), date(2022+g.r.IntN(3), 1+g.r.IntN(12), 1+g.r.IntN(28)),
			g.pick(regions), date(1998+g.r.IntN(22), 1+g.r.IntN(12), 1+g.r.IntN(28)), date(2024+g.r.IntN(2), 1+g.r.IntN(12), 1+g.r.IntN(28)),
			2+g.r.IntN(10), list(g.some(skills, 3+g.r.IntN(3))), list([]string{network(g.r.IntN(c.Networks))}),
			g.pick([]string{"available", "available", "limited", "unavailable"}), 1+g.r.IntN(3), g.body(4000+g.r.IntN(3000)))
	}
	for i := range c.Courses {
		var sessions strings.Builder
		for k := range 1 + g.r.IntN(4) {
			y, m, d := 2025+g.r.IntN(3), 1+g.r.IntN(12), 1+g.r.IntN(28)
			fmt.Fprintf(&sessions, "  - start: \"%s %02d:30\"\n    end: \"%s %02d:30\"\n    location: {name: %s Education Centre, address: %d High Street}\n    capacity: 12\n    booking: %s\n",
				date(y, m, d), 9+k, date(y, m, d), 12+k, g.pick(places), 1+g.r.IntN(200), g.pick([]string{"open", "open", "waitlist", "closed"}))
		}
		files[fmt.Sprintf("content/training/course-%04d.md", i)] = fmt.Sprintf(`---
title: %s training %d
summary: %s
provider: Wealdshire School Improvement Service
audience: %s
cost: Free
networks: %s
programme:
  - Rationale
  - Protocols:
      - Safeguarding
      - Confidentiality
  - Focus area
sessions:
%s---
%s`, g.pick([]string{"Peer support", "Triad", "Refresher", "Governors"}), i, g.sentence(), list(g.some(audiences, 2)), list([]string{network(g.r.IntN(c.Networks))}), sessions.String(), g.body(2500))
	}
	for i := range c.Testimonials {
		files[fmt.Sprintf("content/testimonials/testimonial-%05d.md", i)] = fmt.Sprintf(`---
quote: %s %s
attribution: Headteacher, %s school
cohort: %d Cohort
networks: %s
supporter: %s
consent: true
---
`, g.sentence(), g.sentence(), g.pick(phases), 2015+g.r.IntN(11), list([]string{network(g.r.IntN(c.Networks))}), supporter(g.r.IntN(c.Supporters)))
	}
	for i := range c.News {
		files[fmt.Sprintf("content/news/news-%05d.md", i)] = fmt.Sprintf(`---
title: %s
date: %s
author: The Coordinator
summary: %s
tags: %s
---
%s`, strings.TrimSuffix(g.sentence(), "."), date(2018+g.r.IntN(8), 1+g.r.IntN(12), 1+g.r.IntN(28)), g.sentence(), list(g.some([]string{"training", "networks", "supporters", "inspection", "wellbeing"}, 2)), g.body(5000+g.r.IntN(5000)))
	}
	menuPages(files, opts.SiteYAML)
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// sections are the sections a corpus has documents in, with a listing at
// /<section>/.
var sections = []string{"networks", "supporters", "training", "testimonials", "news"}

// menuPages adds to files a free page (content/pages/<slug>.md) for each
// address /<slug>/ that siteYAML's menus (navigation, footer) link and no
// section of the corpus answers, such as /about/ and /accessibility/ of
// the example site: without them every page of a corpus would link four
// pages that are not there. Their text is fixed, not drawn from the
// corpus's random source, so the other documents are those they were.
func menuPages(files map[string]string, siteYAML []byte) {
	c, _ := config.Parse(siteYAML)
	if c == nil {
		return
	}
	for _, item := range c.MenuItems() {
		slug, ok := strings.CutPrefix(item.URL, "/")
		slug, ok2 := strings.CutSuffix(slug, "/")
		if !ok || !ok2 || !config.IsSlug(slug) || slices.Contains(sections, slug) {
			continue
		}
		files["content/pages/"+slug+".md"] = fmt.Sprintf("---\ntitle: %s\nsummary: The page the menu links as %s.\n---\nA page of the synthetic programme.\n", yamlString(item.Title), yamlString(item.Title))
	}
}

// yamlString quotes s for YAML.
func yamlString(s string) string { return strconv.Quote(s) }
