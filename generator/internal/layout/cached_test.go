package layout

import (
	"strings"
	"testing"

	"peerpress/generator/internal/site"
)

// TestCached checks that `cached` renders a partial once per key: a second
// call with the same key gets the first output even when its data differ
// (the caller's key is the promise), and another key renders afresh.
func TestCached(t *testing.T) {
	cfg := testConfig(t, "https://example.org/")
	s := load(t, cfg, map[string]string{
		"layouts/partials/stamp.html": `{{define "stamp"}}<p>{{.Title}}</p>{{end}}`,
		"layouts/probe.html":          `{{define "main"}}{{cached "stamp" .Description .}}{{end}}`,
	})
	page := func(title, key string) string {
		return execute(t, s, "probe", &site.View{Site: &site.Site{Config: cfg}, Kind: "page", Title: title, Description: key, URL: "/x/"})
	}
	if got := page("first", "k1"); !strings.Contains(got, "<p>first</p>") {
		t.Fatalf("first rendering: %s", got)
	}
	if got := page("second", "k1"); !strings.Contains(got, "<p>first</p>") || strings.Contains(got, "second</p>") {
		t.Errorf("same key rendered again: %s", got)
	}
	if got := page("third", "k2"); !strings.Contains(got, "<p>third</p>") {
		t.Errorf("a new key did not render afresh: %s", got)
	}
}
