package build

import (
	"context"
	"errors"

	"peerpress/generator/internal/diag"
	"peerpress/generator/internal/linkcheck"
	"peerpress/generator/internal/site"
)

// checkLinks is the link check of every build: a Markdown link or image
// that points at no file of the site being written, or a link whose
// fragment names no element of the page it goes to, is an error at the
// line it was written on. links are the site's (linkcheck.Links); ids
// tells the ids of the pages rendered.
func checkLinks(s *site.Site, links []linkcheck.Link, paths map[string]bool, ids linkcheck.IDs) diag.List {
	return linkcheck.Internal(links, s.Config.BasePath(), paths, ids)
}

// fragmentTargets prepares out to gather, while the pages render, the ids
// of the pages that links' fragments point into: those pages alone are
// read again, and only their ids are kept.
func fragmentTargets(s *site.Site, links []linkcheck.Link, out *output) {
	out.anchors = linkcheck.NewAnchors(linkcheck.Targets(links, s.Config.BasePath()))
}

// Verify runs everything Build runs after Load (assembling, photos,
// rendering, the link check) in memory and writes nothing, so `generator
// check` finds every problem a build would. It returns the problems found,
// nil when the site would build.
func Verify(ctx context.Context, p *Project, opts Options) (diag.List, error) {
	err := produce(ctx, p, opts, newOutput(discard{}))
	var ce *ContentError
	if errors.As(err, &ce) {
		return ce.Diags, nil
	}
	return nil, err
}

// Links assembles a loaded site as Build does, without rendering or
// writing, and returns the links of its published pages, for
// `generator check --external`.
func Links(ctx context.Context, p *Project, opts Options) ([]linkcheck.Link, error) {
	s, err := p.Assemble(ctx, opts)
	if err != nil {
		return nil, err
	}
	return linkcheck.Links(s), nil
}
