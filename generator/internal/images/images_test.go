package images

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
)

// picture draws a w×h image: a red top third over blue, so a crop shows
// where it was taken from.
func picture(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{0, 0, 200, 255}
			if y < h/3 {
				c = color.RGBA{200, 0, 0, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

func encode(t *testing.T, format string, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&b, img)
	case "jpeg":
		err = jpeg.Encode(&b, img, nil)
	case "gif":
		err = gif.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestMake(t *testing.T) {
	tests := []struct {
		name   string
		src    []byte
		sizes  []int
		ext    string
		errHas string
	}{
		{name: "large jpeg", src: encode(t, "jpeg", picture(800, 1000)), sizes: []int{96, 192, 240, 480}, ext: ".jpg"},
		{name: "landscape png", src: encode(t, "png", picture(300, 200)), sizes: []int{96, 192}, ext: ".png"},
		{name: "smaller than every size", src: encode(t, "png", picture(50, 80)), sizes: []int{50}, ext: ".png"},
		{name: "gif", src: encode(t, "gif", picture(100, 100)), errHas: "expected a JPEG or PNG"},
		{name: "not an image", src: []byte("hello"), errHas: "not a JPEG or PNG"},
		{name: "too many pixels", src: hugePNG(t, 100_000, 100_000), errHas: "megapixels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Make(tt.src, "images/supporters", "jo-evans", "/peer/")
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("Make = %v, want an error with %q", err, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var sizes []int
			for _, v := range p.Variants {
				sizes = append(sizes, v.Size)
				if !strings.HasPrefix(v.Path, "images/supporters/jo-evans.") || !strings.HasSuffix(v.Path, tt.ext) || v.URL != "/peer/"+v.Path {
					t.Errorf("variant path %q url %q", v.Path, v.URL)
				}
				img, _, err := image.Decode(bytes.NewReader(v.Body))
				if err != nil {
					t.Fatalf("variant %d does not decode: %v", v.Size, err)
				}
				if b := img.Bounds(); b.Dx() != v.Size || b.Dy() != v.Size {
					t.Errorf("variant %d is %v", v.Size, b)
				}
			}
			if !equal(sizes, tt.sizes) {
				t.Errorf("sizes = %v, want %v", sizes, tt.sizes)
			}
			if got := p.Src(100).Size; got != p.Variants[min(1, len(p.Variants)-1)].Size {
				t.Errorf("Src(100) = %d", got)
			}
			again, _ := Make(tt.src, "images/supporters", "jo-evans", "/peer/")
			for i := range again.Variants {
				if !bytes.Equal(again.Variants[i].Body, p.Variants[i].Body) {
					t.Errorf("variant %d differs between two runs", again.Variants[i].Size)
				}
			}
		})
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestCropPortrait checks that a portrait photo is cropped from its upper
// part: in a 100×300 picture, red fills the top third, and the square crop
// starts a third of the spare height down, so its top is red.
func TestCropPortrait(t *testing.T) {
	if got, want := squareCrop(image.Rect(0, 0, 100, 300)), image.Rect(0, 66, 100, 166); got != want {
		t.Errorf("squareCrop(100×300) = %v, want %v", got, want)
	}
	if got, want := squareCrop(image.Rect(0, 0, 300, 100)), image.Rect(100, 0, 200, 100); got != want {
		t.Errorf("squareCrop(300×100) = %v, want %v", got, want)
	}
}

func TestSrcset(t *testing.T) {
	p := &Photo{Variants: []Variant{{URL: "/a-96.jpg", Size: 96}, {URL: "/a-192.jpg", Size: 192}}}
	if got, want := p.Srcset(), "/a-96.jpg 96w, /a-192.jpg 192w"; got != want {
		t.Errorf("Srcset() = %q, want %q", got, want)
	}
	if got := p.Src(500).Size; got != 192 {
		t.Errorf("Src(500) = %d, want the largest, 192", got)
	}
}

// hugePNG is a PNG whose header claims w×h pixels, with a valid checksum,
// so only the size stops it.
func hugePNG(t *testing.T, w, h uint32) []byte {
	b := encode(t, "png", picture(1, 1))
	// The IHDR chunk: length (4), "IHDR" (4), width, height, ..., CRC.
	ihdr := b[8:]
	binary.BigEndian.PutUint32(ihdr[8:], w)
	binary.BigEndian.PutUint32(ihdr[12:], h)
	n := binary.BigEndian.Uint32(ihdr[0:])
	binary.BigEndian.PutUint32(ihdr[8+n:], crc32.ChecksumIEEE(ihdr[4:8+n]))
	return b
}

// FuzzMake feeds Make arbitrary bytes: it must return variants or an error,
// never panic or allocate without bound.
func FuzzMake(f *testing.F) {
	var b bytes.Buffer
	_ = png.Encode(&b, picture(4, 6))
	f.Add(b.Bytes())
	b.Reset()
	_ = jpeg.Encode(&b, picture(6, 4), nil)
	f.Add(b.Bytes())
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := Make(src, "images", "x", "/")
		if err == nil && len(p.Variants) == 0 {
			t.Errorf("no variants and no error")
		}
	})
}
