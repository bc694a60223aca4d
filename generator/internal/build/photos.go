package build

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/sync/errgroup"

	"peerpress/generator/internal/content"
	"peerpress/generator/internal/diag"
	"peerpress/generator/internal/images"
	"peerpress/generator/internal/site"
)

// photoDir is where supporters' photos go, below public/.
const photoDir = "images/supporters"

// photos makes the sizes of every supporter's photo, in parallel, sets each
// page's Photo and returns the files to write. A photo that cannot be read
// as a JPEG or PNG is an error at its field. made, when not nil, holds
// photos made before, by the loaded page they are of: they are used again,
// and the new ones added.
func photos(ctx context.Context, source string, s *site.Site, made map[*content.Page]*images.Photo) ([]file, error) {
	return photosOf(ctx, source, s, s.Supporters, made)
}

// photosOf is photos for some of the site's supporters.
func photosOf(ctx context.Context, source string, s *site.Site, supporters []*site.Page, made map[*content.Page]*images.Photo) ([]file, error) {
	var pages []*site.Page
	var out []file
	for _, p := range supporters {
		if p.Supporter.Photo == "" {
			continue
		}
		if ph := made[p.Source]; ph != nil {
			p.Photo = ph
			for _, v := range ph.Variants {
				out = append(out, file{Path: v.Path, Body: v.Body})
			}
			continue
		}
		pages = append(pages, p)
	}
	fresh := make([]*images.Photo, len(pages))
	errs := make([]error, len(pages))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, p := range pages {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			src, err := readPhoto(source, p.Supporter.Photo)
			if err != nil {
				errs[i] = err
				return nil
			}
			fresh[i], errs[i] = images.Make(src, photoDir, p.Slug, s.Config.BasePath())
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var diags diag.List
	for i, p := range pages {
		if errs[i] != nil {
			diags.Add(p.Source.FieldPos("photo"), "photo", "%s: %v", p.Supporter.Photo, errs[i])
			continue
		}
		p.Photo = fresh[i]
		if made != nil {
			made[p.Source] = fresh[i]
		}
		for _, v := range fresh[i].Variants {
			out = append(out, file{Path: v.Path, Body: v.Body})
		}
	}
	if len(diags) > 0 {
		return nil, &ContentError{Diags: diags.Sort()}
	}
	return out, nil
}

// readPhoto reads a photo named as the photo field allows: a path under
// static/ or, failing that, under content/.
func readPhoto(source, name string) ([]byte, error) {
	rel := filepath.FromSlash(strings.TrimPrefix(name, "/"))
	b, err := os.ReadFile(filepath.Join(source, "static", rel))
	if errors.Is(err, fs.ErrNotExist) {
		b, err = os.ReadFile(filepath.Join(source, content.Dir, rel))
	}
	return b, err
}
