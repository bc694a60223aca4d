package layout_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"peerpress/generator/internal/build"
	"peerpress/generator/internal/corpus"
	"peerpress/generator/internal/layout"
	"peerpress/generator/internal/par"
	"peerpress/generator/internal/site"
)

var oracleCorpus = flag.String("oracle-corpus", "", "also compare compiled and html/template execution on the site in this directory")

// TestProgramsOracle renders every page of the example site and of a
// generated corpus with every compiled execution compared with
// html/template's, byte for byte,
// and requires that every template of the theme compiled and no execution
// fell back.
func TestProgramsOracle(t *testing.T) {
	if testing.Short() {
		t.Skip("builds whole sites")
	}
	root := "../../.."
	gen := t.TempDir()
	siteYAML, err := os.ReadFile(filepath.Join(root, "site.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := corpus.Write(gen, corpus.Options{Docs: 1000, SiteYAML: siteYAML}); err != nil {
		t.Fatal(err)
	}
	sources := map[string]string{"example": root, "corpus": gen}
	if *oracleCorpus != "" {
		sources["flag"] = *oracleCorpus
	}
	for name, src := range sources {
		t.Run(name, func(t *testing.T) {
			opts := build.Options{Source: src, Destination: filepath.Join(t.TempDir(), "public"),
				Now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), NowIsDate: true}
			p, err := build.Load(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			s, err := p.Assemble(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			done := p.Layouts.VerifyPrograms()
			err = renderAll(p.Layouts, s.Outputs())
			compileErrs, mismatches, runs, fallbacks := done()
			t.Logf("%d compiled executions", runs)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range compileErrs {
				t.Errorf("not compiled: %s", e)
			}
			for i, m := range mismatches {
				if i == 5 {
					t.Errorf("… and %d more", len(mismatches)-i)
					break
				}
				t.Errorf("output differs: %s", m)
			}
			if runs == 0 {
				t.Errorf("no compiled executions")
			}
			if fallbacks != 0 {
				t.Errorf("%d executions fell back to html/template", fallbacks)
			}
		})
	}
}

// renderAll renders every output with layouts on all cores, as a build
// does, and returns the first error.
func renderAll(layouts *layout.Set, outputs []site.Output) error {
	return par.Each(context.Background(), len(outputs), runtime.GOMAXPROCS(0), func(i int) error {
		_, err := layouts.Render(outputs[i].Layout, outputs[i].View)
		return err
	})
}
