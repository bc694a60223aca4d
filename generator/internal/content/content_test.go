package content

import (
	"context"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"peerpress/generator/internal/diag"
)

// TestLoadFileIsLoad checks that loading files one at a time gives what
// Load gives for the whole tree: the same pages, and the same problems
// with the tree.
func TestLoadFileIsLoad(t *testing.T) {
	cfg := fuzzConfig(t)
	fsys := fstest.MapFS{
		"content/_index.md":               {Data: []byte("---\ntitle: Home\n---\nWelcome.\n")},
		"content/networks/rural.md":       {Data: []byte("---\ntitle: Rural\nstream: rural\n---\nBody.\n")},
		"content/networks/bad.md":         {Data: []byte("---\ntitle: Bad\nstream: urban\nstreem: x\n---\n")},
		"content/networks/notes.txt":      {Data: []byte("not content")},
		"content/networks/.hidden.md":     {Data: []byte("---\n---\n")},
		"content/networks/_draft.md":      {Data: []byte("---\n---\n")},
		"content/networks/Bad Name.md":    {Data: []byte("---\ntitle: X\n---\n")},
		"content/supporters/jo.md":        {Data: []byte("---\nname: Jo\nrole: Head\nregion: north\nschool: {name: S}\n---\n")},
		"content/supporters/open.md":      {Data: []byte("---\nname: Jo\n")},
		"content/supporters/none.md":      {Data: []byte("Just text.\n")},
		"content/news/deep/x.md":          {Data: []byte("---\ntitle: X\n---\n")},
		"content/news/item.md":            {Data: []byte("\ufeff\n---\ntitle: Item\ndate: 2026-01-02\n---\n# Hi\n")},
		"content/news/_index.md":          {Data: []byte("---\ntitle: News\n---\n")},
		"content/stray.md":                {Data: []byte("---\ntitle: X\n---\n")},
		"content/events/x.md":             {Data: []byte("---\ntitle: X\n---\n")},
		"content/_partials/x.md":          {Data: []byte("---\ntitle: X\n---\n")},
		"content/.git/x.md":               {Data: []byte("---\ntitle: X\n---\n")},
		"content/_index.md.d/x.md":        {Data: []byte("---\ntitle: X\n---\n")},
		"content/testimonials/t.md":       {Data: []byte("---\nquote: Q\nattribution: A\n---\n")},
		"content/pages/about.md":          {Data: []byte("---\ntitle: About\naliases: [/a/]\n---\n")},
		"content/training/c.md":           {Data: []byte("---\ntitle: C\nsessions: [{start: 2027-01-01 09:00}]\nprogramme: [A, {B: [c, d]}]\n---\n")},
		"static/x.md":                     {Data: []byte("---\ntitle: X\n---\n")},
		"content/supporters/binary.md":    {Data: []byte("---\x00")},
		"content/supporters/tabbed.md":    {Data: []byte("---\nname: Jo\nschool:\n\tname: S\n---\n")},
		"content/networks/only-fields.md": {Data: []byte("---\n---")},
		"content/news/later.markdown":     {Data: []byte("---\ntitle: Later\n---\n")},
		"content/news/SHOUT.MD":           {Data: []byte("---\ntitle: Shout\n---\n")},
	}
	pages, tree, err := Load(context.Background(), fsys, cfg)
	if err != nil {
		t.Fatal(err)
	}
	byFile := map[string]*Page{}
	for _, p := range pages {
		byFile[p.File] = p
	}
	var files []string
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	var treeOneByOne diag.List
	for _, f := range files {
		p, problems, err := LoadFile(fsys, f, cfg)
		if err != nil {
			t.Fatalf("LoadFile(%s): %v", f, err)
		}
		treeOneByOne = append(treeOneByOne, problems...)
		if want := byFile[f]; !reflect.DeepEqual(p, want) {
			t.Errorf("LoadFile(%s) = %+v, Load gives %+v", f, p, want)
		}
		delete(byFile, f)
	}
	if len(byFile) > 0 {
		t.Errorf("Load has pages LoadFile did not give: %v", byFile)
	}
	if got := treeOneByOne.Sort(); !slices.Equal(got, tree) {
		t.Errorf("LoadFile's tree problems:\n%s\nLoad's:\n%s", got.Error(), tree.Error())
	}
	if len(tree) != 6 || len(pages) != 13 {
		t.Errorf("Load gave %d pages and %d tree problems; the fixture has 13 and 6:\n%s", len(pages), len(tree), tree.Error())
	}
	for _, want := range []string{
		`content/news/SHOUT.MD: warning: file "SHOUT.MD" is not read: only files ending in .md are pages (rename it "shout.md")`,
		`content/news/later.markdown: warning: file "later.markdown" is not read: only files ending in .md are pages (rename it "later.md")`,
	} {
		if !strings.Contains(tree.Error(), want) {
			t.Errorf("tree problems lack\n%s\ngot:\n%s", want, tree.Error())
		}
	}
	if _, _, err := LoadFile(fsys, "content/networks/gone.md", cfg); err == nil {
		t.Error("LoadFile of a missing file gave no error")
	}
	if _, _, err := LoadFile(fsys, "content/../x.md", cfg); err == nil {
		t.Error("LoadFile of an invalid path gave no error")
	}
}

// TestSlugify covers the titles editors give `generator new` and the file
// names a slug is suggested for.
func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Jo Evans", "jo-evans"},
		{"Bad_Name", "bad-name"},
		{"  Training -- 2027  ", "training-2027"},
		{"Café été", "cafe-ete"},
		{"Zoë O’Neil", "zoe-oneil"},
		{"Headteachers' wellbeing", "headteachers-wellbeing"},
		{"Straße", "strasse"},
		{"Ærø", "aero"},
		{"!!!", ""},
		{"日本", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Slugify(tt.in); got != tt.want {
				t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
