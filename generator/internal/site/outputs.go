package site

import (
	"fmt"
	"strconv"
	"strings"

	"peerpress/generator/internal/content"
	"peerpress/generator/internal/formspec"
)

// Output is one file to write: either rendered from a layout with View, or
// Body as it is.
type Output struct {
	// Path is relative to public/, such as supporters/jo-evans/index.html.
	Path   string
	Layout string
	View   *View
	Body   []byte
}

// View is the data a layout is executed with.
type View struct {
	Site *Site
	// Kind names what is shown: home, network, networks, supporter,
	// supporters, course, training, testimonials, news, article, page,
	// facet, facet-index, search, 404.
	Kind    string
	Section content.Section
	// Page is the content page shown, nil on listings.
	Page        *Page
	Title       string
	Description string
	// URL is the site path of this output.
	URL         string
	Breadcrumbs []Crumb
	// Items is this page's share of a listing.
	Items []*Page
	// Total is the length of the whole listing.
	Total int
	Pager *Pager
	// Facets are the section's facets, for the filter sidebar.
	Facets []*Facet
	// Facet and Value are set on facet pages (Value nil on a facet's index).
	Facet *Facet
	Value *FacetValue
	// NoIndex asks search engines not to index the page.
	NoIndex bool
	// Form is the form of a form or form-thanks page (forms.go).
	Form *formspec.Form
}

// SidebarKey names what a listing's filter sidebar depends on: the section,
// the facet value shown (marked as current) and the listing's length. Pages
// with the same key share one rendering of the sidebar.
func (v *View) SidebarKey() string {
	key := string(v.Section) + "|" + fmt.Sprint(v.Total)
	if v.Value != nil {
		key += "|" + v.Value.URL
	}
	return key
}

// MenuKey names what the header depends on besides the site: how each link
// of the main menu relates to this page (NavState), and whether this is the
// search page, which leaves out the header's search box. Pages with the same
// key share one rendering of the header.
func (v *View) MenuKey() string {
	var b strings.Builder
	if v.Kind == "search" {
		b.WriteString("search")
	}
	for _, l := range v.Site.Config.Navigation {
		b.WriteByte('|')
		b.WriteString(NavState(v.URL, l.URL))
	}
	return b.String()
}

// NavState says how a menu link relates to the page at here: "page" when it
// is the page, "true" when the page is inside the link's section, else
// empty. It is the value of the link's aria-current.
func NavState(here, link string) string {
	switch {
	case here == link:
		return "page"
	case link != "/" && strings.HasPrefix(here, link):
		return "true"
	}
	return ""
}

// Crumb is one step of a breadcrumb trail.
type Crumb struct {
	Title string
	URL   string
}

// CacheKey is the crumb's address, by which layouts render it once a build
// (layout.Keyed).
func (c Crumb) CacheKey() string { return c.URL }

// Pager links the pages of a listing.
type Pager struct {
	Number, Total int
	Prev, Next    string
	Pages         []PageLink
}

// PageLink is one numbered page of a listing.
type PageLink struct {
	Number int
	URL    string
	// Current marks the page the links are on.
	Current bool
	// Gap marks the place of pages left out between two links (shown as
	// an ellipsis); Number and URL are then empty.
	Gap bool
}

// sectionTitles are the names of the sections' listings.
var sectionTitles = map[content.Section]string{
	content.Networks:     "Networks",
	content.Supporters:   "Peer supporters",
	content.Training:     "Training",
	content.Testimonials: "Testimonials",
	content.News:         "News",
}

// SectionTitle names a section's listing.
func SectionTitle(s content.Section) string { return sectionTitles[s] }

// Layouts lists the built-in kinds of layout. A page's `layout` may name its
// own section's or one a site adds, not another kind, which expects other
// data.
var Layouts = []string{"home", "network", "networks", "supporter", "supporters", "course", "training", "testimonials", "news", "article", "page", "facet", "facet-index", "404", "form", "form-thanks", "search"}

func pathOf(url string) string { return strings.TrimPrefix(url, "/") + "index.html" }

// Outputs lists every file of the site in a fixed order.
func (s *Site) Outputs() []Output { return s.outputs(nil) }

// Selection picks some of a site's outputs, for OutputsOf: those that a
// change to a few pages can have changed.
type Selection struct {
	// Pages are pages whose own outputs are picked.
	Pages map[*Page]bool
	// Items are pages whose listings are picked: the section listing's
	// page and the facet values' pages that show each.
	Items map[*Page]bool
	// Listings are sections all of whose listing pages, facet pages
	// included, are picked.
	Listings map[content.Section]bool
	// Layouts are layouts all of whose outputs are picked.
	Layouts map[string]bool
}

// OutputsOf lists the outputs sel picks, in Outputs' order, with the home
// page, the search page, the 404 page and the form pages, which are few.
func (s *Site) OutputsOf(sel *Selection) []Output { return s.outputs(sel) }

// outputs lists the outputs sel picks, every one when sel is nil.
func (s *Site) outputs(sel *Selection) []Output {
	var out []Output
	home := Crumb{"Home", "/"}
	add := func(layout string, v *View) {
		v.Site = s
		out = append(out, Output{Path: pathOf(v.URL), Layout: layout, View: v})
	}
	add(layoutOr(s.Home, "home"), &View{Kind: "home", Page: s.Home, Title: s.Home.Title, Description: s.describe(s.Home), URL: "/"})

	per := s.Config.Paginate
	for _, section := range []content.Section{content.Networks, content.Supporters, content.Training, content.Testimonials, content.News} {
		list := s.section(section)
		listURL := "/" + string(section) + "/"
		title := sectionTitles[section]
		crumbs := []Crumb{home, {title, listURL}}
		desc := s.sectionDescription(section, len(list))
		all := sel == nil || sel.Listings[section]
		for _, chunk := range sel.chunks(list, per, listURL, all || sel.Layouts[string(section)]) {
			add(string(section), &View{Kind: string(section), Section: section, Title: title, URL: chunk.url, Breadcrumbs: crumbs[:1],
				Items: chunk.items, Total: len(list), Pager: chunk.pager, Facets: s.Facets[section], Description: desc})
		}
		if layout := content.DefaultLayout(section); layout != "" {
			for _, p := range list {
				if l := layoutOr(p, layout); sel.picks(p, l) {
					add(l, &View{Kind: layout, Section: section, Page: p, Title: p.Title, Description: s.describe(p), URL: p.URL, Breadcrumbs: crumbs})
				}
			}
		}
		for _, f := range s.Facets[section] {
			fcrumbs := append(crumbs[:2:2], Crumb{f.Name, f.URL})
			if all || sel.Layouts["facet-index"] {
				add("facet-index", &View{Kind: "facet-index", Section: section, Title: title + " by " + strings.ToLower(f.Name), URL: f.URL,
					Breadcrumbs: crumbs, Facets: s.Facets[section], Facet: f, Description: fmt.Sprintf("%s by %s.", title, strings.ToLower(f.Name))})
			}
			for _, v := range f.Values {
				vtitle := title + ": " + v.Label
				vdesc := title + " with " + strings.ToLower(f.Name) + " " + v.Label + "."
				for _, chunk := range sel.chunks(v.Pages, per, v.URL, all || sel.Layouts["facet"]) {
					add("facet", &View{Kind: "facet", Section: section, Title: vtitle, URL: chunk.url,
						Breadcrumbs: fcrumbs, Items: chunk.items, Total: len(v.Pages), Pager: chunk.pager, Facets: s.Facets[section], Facet: f, Value: v,
						Description: vdesc})
				}
			}
		}
	}
	for _, p := range s.Pages {
		if l := layoutOr(p, "page"); sel.picks(p, l) {
			add(l, &View{Kind: "page", Section: content.Pages, Page: p, Title: p.Title, Description: s.describe(p), URL: p.URL, Breadcrumbs: []Crumb{home}})
		}
	}
	s.formOutputs(add)
	add("search", &View{Kind: "search", Title: "Search", URL: "/search/", Breadcrumbs: []Crumb{home},
		Description: fmt.Sprintf("Search the peer supporters, networks, training and news of %s.", s.Config.Title)})
	out = append(out, Output{Path: "404.html", Layout: "404", View: &View{Site: s, Kind: "404", Title: "Page not found", URL: "/404.html", NoIndex: true}})
	return out
}

// picks reports whether the selection picks page p's own output, made with
// layout l.
func (sel *Selection) picks(p *Page, l string) bool {
	return sel == nil || sel.Pages[p] || sel.Layouts[l]
}

// chunks are the pages of a listing of items the selection picks: all of
// them, or those showing one of its Items.
func (sel *Selection) chunks(items []*Page, per int, base string, all bool) []chunk {
	if sel == nil || all {
		return paginate(items, per, base)
	}
	var out []chunk
	seen := -1
	for i, p := range items {
		if !sel.Items[p] {
			continue
		}
		n := 0
		if per > 0 {
			n = i / per
		}
		if n != seen {
			out = append(out, chunkAt(items, per, base, n))
			seen = n
		}
	}
	return out
}

func layoutOr(p *Page, def string) string {
	if p.Layout != "" {
		return p.Layout
	}
	return def
}

func (s *Site) section(sec content.Section) []*Page {
	switch sec {
	case content.Networks:
		return s.Networks
	case content.Supporters:
		return s.Supporters
	case content.Training:
		return s.Courses
	case content.Testimonials:
		return s.Testimonials
	case content.News:
		return s.News
	}
	return s.Pages
}

func (s *Site) describe(p *Page) string {
	if p.Summary != "" {
		return p.Summary
	}
	return s.Config.Description
}

func (s *Site) sectionDescription(sec content.Section, n int) string {
	switch sec {
	case content.Networks:
		return fmt.Sprintf("%d peer-support networks, triads and clusters of %s.", n, s.Config.Title)
	case content.Supporters:
		return fmt.Sprintf("%d trained peer supporters: experienced headteachers who support other heads through %s.", n, s.Config.Title)
	case content.Training:
		return fmt.Sprintf("Training courses and dates of %s.", s.Config.Title)
	case content.Testimonials:
		return fmt.Sprintf("What headteachers say about %s.", s.Config.Title)
	}
	return fmt.Sprintf("News from %s.", s.Config.Title)
}

type chunk struct {
	url   string
	items []*Page
	pager *Pager
}

// pageLinks are the numbered links of page n of total, as GOV.UK's
// pagination shows them: the first and last pages, the current one and its
// neighbours, and a gap wherever pages are left out. A long list so costs
// each page a handful of links rather than one per page.
func pageLinks(n, total int, urlOf func(int) string) []PageLink {
	var out []PageLink
	for i := 1; i <= total; i++ {
		if i == 1 || i == total || (i >= n-1 && i <= n+1) {
			out = append(out, PageLink{Number: i, URL: urlOf(i), Current: i == n})
		} else if len(out) > 0 && !out[len(out)-1].Gap {
			out = append(out, PageLink{Gap: true})
		}
	}
	return out
}

// paginate splits items into pages of per: the first at base, the others at
// base/page/N/. An empty list still has one (empty) page.
func paginate(items []*Page, per int, base string) []chunk {
	out := make([]chunk, pageCount(len(items), per))
	for i := range out {
		out[i] = chunkAt(items, per, base, i)
	}
	return out
}

// pageCount is how many pages of per a listing of n items takes.
func pageCount(n, per int) int {
	if per <= 0 {
		per = n
	}
	return max(1, (n+per-1)/max(per, 1))
}

// chunkAt is page i+1 of paginate's.
func chunkAt(items []*Page, per int, base string, i int) chunk {
	total := pageCount(len(items), per)
	if per <= 0 {
		per = len(items)
	}
	urlOf := func(n int) string {
		if n == 1 {
			return base
		}
		return base + "page/" + strconv.Itoa(n) + "/"
	}
	n := i + 1
	lo, hi := min(i*per, len(items)), min(n*per, len(items))
	p := &Pager{Number: n, Total: total, Pages: pageLinks(n, total, urlOf)}
	if n > 1 {
		p.Prev = urlOf(n - 1)
	}
	if n < total {
		p.Next = urlOf(n + 1)
	}
	return chunk{urlOf(n), items[lo:hi], p}
}
