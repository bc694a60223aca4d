package search_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"peerpress/generator/internal/build"
)

// TestIndexShowsOnlyPublishedText builds the build package's basic fixture
// site (which has a draft and fields no page shows) and reads the index as
// a browser would.
func TestIndexShowsOnlyPublishedText(t *testing.T) {
	a, err := txtar.ParseFile(filepath.Join("..", "build", "testdata", "sites", "basic.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	for _, f := range a.Files {
		p := filepath.Join(src, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := build.Build(context.Background(), build.Options{Source: src, Destination: dest, Now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), NowIsDate: true}); err != nil {
		t.Fatal(err)
	}
	var m struct {
		Heads [][2]string `json:"heads"`
		Docs  [][2]any    `json:"docs"`
	}
	read := func(name string, v any) string {
		b, err := os.ReadFile(filepath.Join(dest, "search", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return string(b)
	}
	all := read("index.json", &m)
	terms := map[string]bool{}
	for _, h := range m.Heads {
		var head []any
		all += read(h[1], &head)
		// Three offsets, then the terms and their entries.
		te := strings.Split(head[3].(string), " ")
		for i := 0; i < len(te); i += 2 {
			terms[te[i]] = true
		}
	}
	var urls []string
	for _, c := range m.Docs {
		b, err := os.ReadFile(filepath.Join(dest, "search", c[1].(string)))
		if err != nil {
			t.Fatal(err)
		}
		all += string(b)
		for line := range strings.Lines(string(b)) {
			var d [5]string
			if err := json.Unmarshal([]byte(line), &d); err != nil {
				t.Fatalf("%s: %v", c[1], err)
			}
			urls = append(urls, d[1])
			if _, err := os.Stat(filepath.Join(dest, filepath.FromSlash(d[1]), "index.html")); err != nil {
				t.Errorf("index has %s, which the site does not publish", d[1])
			}
		}
	}
	if len(urls) == 0 {
		t.Fatal("the index has no documents")
	}
	for _, s := range []string{"Draft news", "later"} {
		if strings.Contains(all, s) {
			t.Errorf("the index has %q, from a draft page", s)
		}
	}
	// The school's pupil count shows only as a size band; the draft's word
	// "built" and its date are nowhere.
	for _, term := range []string{"120", "built", "draft"} {
		if terms[term] {
			t.Errorf("the index has the term %q, which no published page shows", term)
		}
	}
	for _, term := range []string{"abl", "rural", "small"} {
		if !terms[term] {
			t.Errorf("the index lacks the term %q", term)
		}
	}
}
