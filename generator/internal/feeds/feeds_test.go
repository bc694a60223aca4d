package feeds

import (
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/content"
	"peerpress/generator/internal/decode"
	"peerpress/generator/internal/site"
)

func TestAbsLinks(t *testing.T) {
	tests := []struct{ base, in, want string }{
		{"https://example.org/", `<a href="/about/">a</a>`, `<a href="https://example.org/about/">a</a>`},
		{"https://example.org/", `<img src="/i.png" alt="">`, `<img src="https://example.org/i.png" alt="">`},
		{"https://example.org/", `<a href="//cdn.example.com/x">x</a>`, `<a href="//cdn.example.com/x">x</a>`},
		{"https://example.org/", `<a href="https://other.example/">o</a>`, `<a href="https://other.example/">o</a>`},
		{"https://example.org/", `<p title="/not-a-link">t</p>`, `<p title="/not-a-link">t</p>`},
		{"https://example.org/peer/", `<a href="/peer/about/">a</a> <a href="/peer/">h</a>`, `<a href="https://example.org/peer/about/">a</a> <a href="https://example.org/peer/">h</a>`},
		{"https://example.org/peer/", `<a href="/elsewhere/">e</a>`, `<a href="/elsewhere/">e</a>`},
	}
	for _, tt := range tests {
		u, _ := url.Parse(tt.base)
		s := &site.Site{Config: &config.Config{Base: u}}
		if got := absLinks(s, tt.in); got != tt.want {
			t.Errorf("absLinks(%s, %q) = %q, want %q", tt.base, tt.in, got, tt.want)
		}
	}
}

// TestNewsFeedNewest checks that the news feed holds the newest posts, as
// many as NewsFeedPosts, newest first.
func TestNewsFeedNewest(t *testing.T) {
	u, _ := url.Parse("https://example.org/")
	s := &site.Site{Config: &config.Config{Base: u, Title: "Peer support", Language: "en-GB", Location: time.UTC},
		Now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)}
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range NewsFeedPosts + 10 {
		// s.News is newest first, as the site orders it.
		day := start.AddDate(0, 0, NewsFeedPosts+10-i)
		s.News = append(s.News, &site.Page{Title: fmt.Sprintf("Post %d", i), URL: fmt.Sprintf("/news/post-%d/", i),
			Date: decode.DateOf(day), Article: &content.Article{}})
	}
	files, err := Atom(s)
	if err != nil {
		t.Fatal(err)
	}
	var feed []byte
	for _, f := range files {
		if f.Path == strings.TrimPrefix(NewsFeed, "/") {
			feed = f.Body
		}
	}
	if feed == nil {
		t.Fatalf("no %s among %d files", NewsFeed, len(files))
	}
	var got struct {
		Entries []struct {
			Title string `xml:"title"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(feed, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Entries) != NewsFeedPosts {
		t.Fatalf("%d entries, want %d", len(got.Entries), NewsFeedPosts)
	}
	if got.Entries[0].Title != "Post 0" || got.Entries[NewsFeedPosts-1].Title != fmt.Sprintf("Post %d", NewsFeedPosts-1) {
		t.Errorf("entries run from %q to %q, want the newest first", got.Entries[0].Title, got.Entries[NewsFeedPosts-1].Title)
	}
}
