package markdown

import (
	"reflect"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// sameAsGFM renders src with fastLinkify and with goldmark's own
// autolinks and fails on the first difference.
func sameAsGFM(t *testing.T, fast, gfm *Renderer, src []byte) {
	t.Helper()
	want, err1 := gfm.Render(src)
	got, err2 := fast.Render(src)
	if (err1 == nil) != (err2 == nil) || !reflect.DeepEqual(got, want) {
		t.Fatalf("%q renders differently with fastLinkify:\n%+v\nwith goldmark's:\n%+v", src, got, want)
	}
}

// gfmRenderers returns pairs of renderers, the package's and one built the
// same way with extension.GFM.
func gfmRenderers() [][2]*Renderer {
	var out [][2]*Renderer
	for _, o := range []Options{{}, {BasePath: "/p/", UnsafeHTML: true}} {
		out = append(out, [2]*Renderer{New(o), newWith(o, extension.GFM)})
	}
	return out
}

// FuzzFastLinkifySame checks that fastLinkify changes nothing in any
// body's result.
func FuzzFastLinkifySame(f *testing.F) {
	for _, s := range []string{
		"Hello *world*, a_b_c ~x~ (y) \"q\" -- ...",
		"# Title\n\n- a\n- [ ] b\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
		"http: no, ftp:x, mailto:jo, https://e.org/x?y (www.e.org) jo@e.org\n\n```\ncode\n```\n",
		"a\\ b \\* &amp; &#x22; <b>x</b>\n\n    indented\n",
		" *emphasis* __strong__ ~~gone~~ [link](/x/) ![i](/i.png)",
		"* 0\n0 \n0\n0 0 \"00 -    \n0",
		"*www.e.org* _http://x.y_ ~ftp://a.b~",
	} {
		f.Add([]byte(s))
	}
	pairs := gfmRenderers()
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, p := range pairs {
			sameAsGFM(t, p[0], p[1], src)
		}
	})
}

// TestFastLinkifySameOnCorpus checks the same on every body of -corpus.
func TestFastLinkifySameOnCorpus(t *testing.T) {
	if *corpusDir == "" {
		t.Skip("no -corpus")
	}
	o := Options{BasePath: "/peer-support/"}
	fast, gfm := New(o), newWith(o, extension.GFM)
	for _, body := range benchBodies(t) {
		sameAsGFM(t, fast, gfm, body)
	}
}

var _ goldmark.Extender = fastLinkify{}
