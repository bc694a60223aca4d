// Package images makes the sizes of a photo that a layout shows: each one
// cropped square, resized with a Catmull-Rom filter, encoded in the photo's
// own format (JPEG or PNG) and named with a hash of the original, so it can
// be cached for a year and pages can give the browser a srcset.
package images

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"path"
	"strings"

	"golang.org/x/image/draw"
)

// Widths are the square sizes made of every photo, in pixels: the
// directory's card shows a photo 96 CSS pixels wide and the profile 240, each
// at once and twice the pixel density.
var Widths = []int{96, 192, 240, 480}

// MaxPixels bounds the photos accepted, so a huge or hostile file cannot
// exhaust memory when decoded.
const MaxPixels = 50_000_000

// Variant is one size of a photo.
type Variant struct {
	// Path is where it is written, relative to public/.
	Path string
	// URL is its site address, with the base path.
	URL  string
	Size int
	Body []byte
}

// Photo is every size made of one photo.
type Photo struct {
	Variants []Variant
}

// Src returns the smallest variant at least size pixels wide, or the
// largest there is.
func (p *Photo) Src(size int) Variant {
	for _, v := range p.Variants {
		if v.Size >= size {
			return v
		}
	}
	return p.Variants[len(p.Variants)-1]
}

// Srcset is the img srcset of every variant: "url 96w, url 192w".
func (p *Photo) Srcset() string {
	parts := make([]string, len(p.Variants))
	for i, v := range p.Variants {
		parts[i] = fmt.Sprintf("%s %dw", v.URL, v.Size)
	}
	return strings.Join(parts, ", ")
}

// Make decodes a JPEG or PNG and makes its variants, named
// <dir>/<name>.<hash>-<size>.<ext> below public/ and given URLs under base.
// Sizes larger than the photo are left out, except that a photo smaller
// than the smallest size still gets one variant of its own size.
func Make(src []byte, dir, name, base string) (*Photo, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(src))
	if err != nil {
		return nil, fmt.Errorf("not a JPEG or PNG image (%v)", err)
	}
	if format != "jpeg" && format != "png" {
		return nil, fmt.Errorf("a %s image; expected a JPEG or PNG", format)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > MaxPixels {
		return nil, fmt.Errorf("image is %d×%d pixels; expected at most %d megapixels", cfg.Width, cfg.Height, MaxPixels/1_000_000)
	}
	img, _, err := image.Decode(bytes.NewReader(src))
	if err != nil {
		return nil, fmt.Errorf("cannot decode the image: %v", err)
	}
	sq := squareCrop(img.Bounds())
	side := sq.Dx()
	sum := sha256.Sum256(src)
	hash := hex.EncodeToString(sum[:4])
	ext := ".jpg"
	if format == "png" {
		ext = ".png"
	}
	var sizes []int
	for _, w := range Widths {
		if w <= side {
			sizes = append(sizes, w)
		}
	}
	if len(sizes) == 0 {
		sizes = []int{side}
	}
	p := &Photo{}
	for _, size := range sizes {
		dst := image.NewRGBA(image.Rect(0, 0, size, size))
		draw.CatmullRom.Scale(dst, dst.Bounds(), img, sq, draw.Src, nil)
		var buf bytes.Buffer
		if format == "png" {
			err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, dst)
		} else {
			err = jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 82})
		}
		if err != nil {
			return nil, err
		}
		rel := path.Join(dir, fmt.Sprintf("%s.%s-%d%s", name, hash, size, ext))
		p.Variants = append(p.Variants, Variant{Path: rel, URL: base + rel, Size: size, Body: buf.Bytes()})
	}
	return p, nil
}

// squareCrop is the largest square in r: centred across, and a third of the
// way down a portrait photo, where a face usually is.
func squareCrop(r image.Rectangle) image.Rectangle {
	w, h := r.Dx(), r.Dy()
	if w > h {
		x := r.Min.X + (w-h)/2
		return image.Rect(x, r.Min.Y, x+h, r.Max.Y)
	}
	y := r.Min.Y + (h-w)/3
	return image.Rect(r.Min.X, y, r.Max.X, y+w)
}
