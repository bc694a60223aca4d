package cli

import (
	"context"
	"flag"
	"time"

	"peerpress/generator/internal/build"
	"peerpress/generator/internal/diag"
	"peerpress/generator/internal/linkcheck"
)

// externalFlags are check's flags for external links.
type externalFlags struct {
	on          bool
	timeout     time.Duration
	concurrency int
	cache       string
	maxAge      time.Duration
	fail        bool
}

func (f *externalFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&f.on, "external", false, "also check external links (http and https), reporting broken ones as warnings")
	fs.DurationVar(&f.timeout, "external-timeout", 10*time.Second, "how long to wait for each external address")
	fs.IntVar(&f.concurrency, "external-concurrency", 8, "how many external addresses to ask at once")
	fs.StringVar(&f.cache, "link-cache", "", "the `file` remembering addresses that answered (default in the user's cache directory; \"off\" for none)")
	fs.DurationVar(&f.maxAge, "link-cache-age", 24*time.Hour, "how long an address that answered is trusted without asking again")
	fs.BoolVar(&f.fail, "fail-external", false, "make broken external links errors, so check exits 1")
}

// check asks about the external links of a loaded site.
func (f *externalFlags) check(ctx context.Context, p *build.Project, opts build.Options, source string) (diag.List, error) {
	links, err := build.Links(ctx, p, opts)
	if err != nil {
		return nil, err
	}
	cache := f.cache
	switch cache {
	case "":
		cache = linkcheck.DefaultCacheFile(source)
	case "off":
		cache = ""
	}
	sev := diag.Warning
	if f.fail {
		sev = diag.Error
	}
	return linkcheck.CheckExternal(ctx, links, linkcheck.ExternalOptions{
		Timeout: f.timeout, Concurrency: f.concurrency, CacheFile: cache, MaxAge: f.maxAge, Severity: sev,
	})
}
