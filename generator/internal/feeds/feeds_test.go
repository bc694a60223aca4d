package feeds

import (
	"net/url"
	"testing"

	"peerpress/generator/internal/config"
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
