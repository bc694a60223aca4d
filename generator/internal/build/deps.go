package build

import (
	"encoding/binary"
	"hash/maphash"
	"slices"

	"peerpress/generator/internal/content"
	"peerpress/generator/internal/layout"
	"peerpress/generator/internal/site"
)

// keyer computes each output's key: a hash of everything its layout can
// show, so that an output whose key is unchanged since the last build
// would render the same and need not be rendered again. What a page shows
// is taken to be its own fields and layout; the pages it refers to or is
// referred to by (a network's members, a supporter's testimonials); the
// pages it lists, with what they refer to and how many refer to them (a
// card may say "12 members", not list them); the section's facet counts
// on listings; and, for a layout that reads site-wide lists such as
// .Site.UpcomingSessions, every page of the sections those lists come
// from.
type keyer struct {
	seed    maphash.Seed
	version func(*content.Page) uint64
	deps    layout.Deps
	// reads holds, by layout, the sections it reads site-wide data of;
	// all marks a layout that reads something unknown, so all of them.
	reads map[string][]content.Section
	// values holds, by layout, the values of site.MemberValues it reads.
	values map[string]string
	// sections holds a digest of each section's published pages; facets
	// one of each section's facet counts.
	sections map[content.Section]uint64
	facets   map[content.Section]uint64
	// digests holds each page's URL and version, hashed once: a page is
	// hashed into the key of every listing showing it.
	digests map[*site.Page]uint64
	// forms is a digest of the forms manifest (the supporters that can be
	// requested, the sessions open for booking), which form pages show.
	forms uint64
}

// seed is the process's hash seed: keys are compared only within one
// process.
var seed = maphash.MakeSeed()

// allSections are what a layout reading unknown site-wide data depends on.
var allSections = append([]content.Section{content.Home}, content.Sections...)

func newKeyer(s *site.Site, deps layout.Deps, version func(*content.Page) uint64) *keyer {
	k := &keyer{seed: seed, version: version, deps: deps, reads: map[string][]content.Section{},
		sections: map[content.Section]uint64{}, facets: map[content.Section]uint64{}, digests: map[*site.Page]uint64{}}
	for name, members := range deps.Site {
		var secs []content.Section
		for _, m := range members {
			if _, ok := site.MemberValues[m]; ok || slices.Contains(site.LocalMembers, m) {
				continue
			}
			from, ok := site.MemberSections[m]
			if !ok {
				from = allSections
			}
			for _, sec := range from {
				if !slices.Contains(secs, sec) {
					secs = append(secs, sec)
				}
			}
		}
		slices.Sort(secs)
		k.reads[name] = secs
	}
	k.values = k.valuesOf(s)
	for _, sec := range allSections {
		for _, p := range s.Section(sec) {
			k.digests[p] = k.digest(p)
		}
		k.sections[sec] = k.sectionDigest(s, sec)
	}
	k.forms = k.formsDigest(s)
	for sec, facets := range s.Facets {
		k.facets[sec] = k.facetDigest(facets)
	}
	return k
}

// valuesOf gives, by layout, the values of site.MemberValues it reads.
func (k *keyer) valuesOf(s *site.Site) map[string]string {
	out := map[string]string{}
	values := map[string]string{} // by member, worked out once
	for name, members := range k.deps.Site {
		for _, m := range members {
			if slices.Contains(site.LocalMembers, m) {
				continue
			}
			if f, ok := site.MemberValues[m]; ok {
				v, ok := values[m]
				if !ok {
					v = f(s)
					values[m] = v
				}
				out[name] += m + "=" + v + "\x00"
			}
		}
	}
	return out
}

// digest is a page's URL and version.
func (k *keyer) digest(p *site.Page) uint64 {
	var h maphash.Hash
	h.SetSeed(k.seed)
	h.WriteString(p.URL)
	if p.Source != nil {
		k.int(&h, int(k.version(p.Source)))
	}
	return h.Sum64()
}

// sectionDigest is a digest of a section's published pages, in order.
func (k *keyer) sectionDigest(s *site.Site, sec content.Section) uint64 {
	var h maphash.Hash
	h.SetSeed(k.seed)
	for _, p := range s.Section(sec) {
		k.page(&h, p)
	}
	return h.Sum64()
}

// formsDigest is a digest of the forms manifest, 0 without forms.
func (k *keyer) formsDigest(s *site.Site) uint64 {
	if !s.FormsOn() {
		return 0
	}
	var h maphash.Hash
	h.SetSeed(k.seed)
	if m, err := s.FormManifest(); err == nil {
		if b, err := m.Marshal(); err == nil {
			h.Write(b)
		}
	}
	return h.Sum64()
}

// facetDigest is a digest of a section's facet values and their counts.
func (k *keyer) facetDigest(facets []*site.Facet) uint64 {
	var h maphash.Hash
	h.SetSeed(k.seed)
	for _, f := range facets {
		h.WriteString(f.Key)
		for _, v := range f.Values {
			h.WriteString(v.ID)
			h.WriteString(v.Label)
			k.int(&h, len(v.Pages))
		}
	}
	return h.Sum64()
}

// refresh brings the keyer up to date after site.Patch changed the pages
// of sections secs (e). It returns the layouts all of whose outputs may
// have changed (they read one of those sections, or a value of
// site.MemberValues that changed) and the sections whose facet counts
// changed, all of whose listings may have.
func (k *keyer) refresh(s *site.Site, e *site.Edit, secs []content.Section) (layouts map[string]bool, counted map[content.Section]bool) {
	layouts, counted = map[string]bool{}, map[content.Section]bool{}
	old := k.values
	k.values = k.valuesOf(s)
	for name, v := range k.values {
		if old[name] != v {
			layouts[name] = true
		}
	}
	for p := range e.Touched {
		k.digests[p] = k.digest(p)
	}
	for _, sec := range secs {
		k.sections[sec] = k.sectionDigest(s, sec)
		for name, reads := range k.reads {
			if slices.Contains(reads, sec) {
				layouts[name] = true
			}
		}
	}
	if e.Forms {
		k.forms = k.formsDigest(s)
	}
	for sec, facets := range s.Facets {
		if d := k.facetDigest(facets); d != k.facets[sec] {
			k.facets[sec] = d
			counted[sec] = true
		}
	}
	return layouts, counted
}

func (k *keyer) int(h *maphash.Hash, n int) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(n))
	h.Write(b[:])
}

// page adds a page, by the version of the file it was loaded from (the
// home page may have none) and its place. k.digests has every published
// page; the keyer is read-only while keys are computed, in parallel.
func (k *keyer) page(h *maphash.Hash, p *site.Page) {
	if p == nil {
		h.WriteByte(1)
		return
	}
	d, ok := k.digests[p]
	if !ok {
		h.WriteString(p.URL)
		if p.Source != nil {
			k.int(h, int(k.version(p.Source)))
		}
		return
	}
	k.int(h, int(d))
}

// related adds a page and the pages it refers to or is referred to by.
func (k *keyer) related(h *maphash.Hash, p *site.Page) {
	k.page(h, p)
	if p == nil {
		return
	}
	for _, list := range [][]*site.Page{p.Networks, p.Supporters, p.Testimonials, p.Courses, {p.SupporterPage}} {
		for _, r := range list {
			k.page(h, r)
		}
		h.WriteByte(0)
	}
}

// listed adds a page shown in a listing: the page, the pages it refers to,
// and how many refer to it.
func (k *keyer) listed(h *maphash.Hash, p *site.Page) {
	k.page(h, p)
	for _, r := range p.Networks {
		k.page(h, r)
	}
	k.page(h, p.SupporterPage)
	for _, n := range []int{len(p.Supporters), len(p.Testimonials), len(p.Courses)} {
		k.int(h, n)
	}
}

// key is the output's key.
func (k *keyer) key(o site.Output) uint64 {
	var h maphash.Hash
	h.SetSeed(k.seed)
	h.WriteString(o.Path)
	h.WriteString(o.Layout)
	k.int(&h, int(k.deps.Digest[o.Layout]))
	v := o.View
	if v == nil {
		h.Write(o.Body)
		return h.Sum64()
	}
	for _, s := range []string{v.Kind, string(v.Section), v.Title, v.Description, v.URL} {
		h.WriteString(s)
		h.WriteByte(0)
	}
	for _, c := range v.Breadcrumbs {
		h.WriteString(c.Title)
		h.WriteString(c.URL)
	}
	k.int(&h, v.Total)
	if v.Pager != nil {
		k.int(&h, v.Pager.Number)
		k.int(&h, v.Pager.Total)
	}
	if v.NoIndex {
		h.WriteByte(1)
	}
	if v.Facet != nil {
		h.WriteString(v.Facet.Key)
	}
	if v.Value != nil {
		h.WriteString(v.Value.URL)
	}
	k.related(&h, v.Page)
	for _, p := range v.Items {
		k.listed(&h, p)
	}
	if v.Facets != nil {
		k.int(&h, int(k.facets[v.Section]))
	}
	if v.Form != nil && v.Kind == "form" {
		// A form's page lists the supporters or sessions to choose from,
		// as the forms manifest has them.
		k.int(&h, int(k.forms))
	}
	for _, sec := range k.reads[o.Layout] {
		k.int(&h, int(k.sections[sec]))
	}
	h.WriteString(k.values[o.Layout])
	return h.Sum64()
}
