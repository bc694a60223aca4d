package schema

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/content"
	"peerpress/generator/internal/decode"
)

// fixture is a loaded site to check.
type fixture struct {
	name  string
	pages []*content.Page
	cfg   *config.Config
}

// fixtures loads the build's golden sites (whose site.yaml loads) and the
// sites of this package's tests.
func fixtures(t *testing.T) []fixture {
	t.Helper()
	files, _ := filepath.Glob("../build/testdata/sites/*.txtar")
	if len(files) == 0 {
		t.Fatal("no golden sites in ../build/testdata/sites")
	}
	var out []fixture
	for _, f := range files {
		a, err := txtar.ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fsys := fstest.MapFS{}
		for _, file := range a.Files {
			fsys[file.Name] = &fstest.MapFile{Data: file.Data}
		}
		cfg, diags := config.Load(fsys)
		if diags.Err() != nil {
			continue // the site stops before its content is checked
		}
		pages, _, err := content.Load(context.Background(), fsys, cfg)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fixture{filepath.Base(f), pages, cfg})
	}
	cfg, diags := config.Parse([]byte(splitSite))
	if diags.Err() != nil {
		t.Fatal(diags)
	}
	var pages []*content.Page
	for _, f := range []string{"content/supporters/ann.md", "content/supporters/bob.md", "content/testimonials/t.md", "content/_index.md", "content/pages/about.md", "content/pages/help.md"} {
		pages = append(pages, content.Parse(f, []byte(splitFiles[f]), cfg))
	}
	return append(out, fixture{"rules", pages, cfg})
}

// splitSite and splitFiles make a site whose pages fail site.yaml rules,
// references and aliases at once.
const splitSite = `title: T
base_url: https://e.org/
vocabularies: {regions: {north: North}, streams: {s: S}}
rules:
  supporters:
    - {id: coach, field: coaching, present: true}
    - {id: phone, field: '*', not_matches: '\d{5}'}
  testimonials:
    - {id: consent, field: consent, one_of: [true], on_fail: hide}
`

var splitFiles = map[string]string{
	"content/supporters/ann.md": "---\nname: Ann\nrole: Head\nregion: north\nschool: {name: S}\nnetworks: [nope, net]\naliases: [/about/, /x/, bad]\n---\nCall 01234 567890.\n",
	"content/supporters/bob.md": "---\nname: Bob\nrole: Head\nregion: north\nschool: {name: S}\ncoaching: yes\naliases: [/x/, /y/]\n---\n",
	"content/testimonials/t.md": "---\nquote: Q\nattribution: A\nsupporter: carl\n---\n",
	"content/_index.md":         "---\nfeatured_networks: [net]\nfeatured_testimonial: t\n---\n",
	"content/pages/about.md":    "---\ntitle: About\naliases: [/y]\n---\n",
	"content/pages/help.md":     "---\ntitle: Help\nlayout: nope\n---\n",
}

// TestCheckIsPagesPlusRefs proves the contract incremental rebuilds rely
// on: Check is site.yaml's rule problems, CheckPage over every page and
// CheckRefs, in the same order once sorted.
func TestCheckIsPagesPlusRefs(t *testing.T) {
	for _, f := range fixtures(t) {
		for _, opts := range []Options{
			{Exists: func(string) bool { return false }, Layouts: []string{"page"}, Today: decode.Date{Year: 2026, Month: 11, Day: 22}},
			{Today: decode.Date{Year: 2030, Month: 1, Day: 1}},
		} {
			want := Check(f.pages, f.cfg, opts)
			_, got := CompileRules(f.cfg)
			for _, p := range f.pages {
				got = append(got, CheckPage(p, f.cfg, opts)...)
			}
			got = append(got, CheckRefs(f.pages, f.cfg, opts)...)
			got = got.Sort()
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: CheckPage + CheckRefs =\n%s\nCheck =\n%s", f.name, got.Error(), want.Error())
			}
			if f.name == "rules" && len(want) < 8 {
				t.Errorf("%s: only %d problems; the fixture should fail many checks:\n%s", f.name, len(want), want.Error())
			}
		}
	}
}

// TestCheckRefsCrossFileOnly makes sure every check that depends on another
// page is in CheckRefs: a page's CheckPage result is the same alone as
// among all the pages.
func TestCheckRefsCrossFileOnly(t *testing.T) {
	f := fixtures(t)
	last := f[len(f)-1]
	opts := Options{Today: decode.Date{Year: 2026, Month: 11, Day: 22}}
	refs := CheckRefs(last.pages, last.cfg, opts)
	var fields []string
	for _, d := range refs {
		fields = append(fields, d.Pos.File+" "+d.Field)
	}
	got := strings.Join(fields, "\n")
	for _, want := range []string{
		"content/supporters/ann.md networks[0]",
		"content/supporters/ann.md aliases[0]",
		"content/supporters/bob.md aliases[0]",
		"content/pages/about.md aliases[0]",
		"content/testimonials/t.md supporter",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("CheckRefs has no problem with %s; it has:\n%s", want, got)
		}
	}
	for _, p := range last.pages {
		for _, d := range CheckPage(p, last.cfg, opts) {
			if d.Pos.File != p.File && d.Pos.File != "" {
				t.Errorf("CheckPage(%s) reports on another file: %v", p.File, d)
			}
		}
	}
}
