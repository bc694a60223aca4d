// Command corpus writes a synthetic peer-support programme for benchmarks:
//
//	go run ./generator/tools/corpus -docs 10000 -out /tmp/corpus
//
// It uses the example site's site.yaml, so the content passes its rules at
// the build date 2026-11-22 (build with --now 2026-11-22).
package main

import (
	"flag"
	"fmt"
	"os"

	"peerpress/generator/internal/corpus"
)

func main() {
	docs := flag.Int("docs", 1000, "the number of content documents")
	out := flag.String("out", "", "the directory to write the site to (must not exist)")
	siteYAML := flag.String("site", "site.yaml", "the site.yaml to copy, whose vocabularies and rules the content satisfies")
	flag.Parse()
	if *out == "" || *docs < 1 {
		flag.Usage()
		os.Exit(2)
	}
	if _, err := os.Stat(*out); err == nil {
		fmt.Fprintf(os.Stderr, "corpus: %s exists; choose a new directory\n", *out)
		os.Exit(1)
	}
	y, err := os.ReadFile(*siteYAML)
	if err != nil {
		fmt.Fprintf(os.Stderr, "corpus: %v\n", err)
		os.Exit(1)
	}
	if err := corpus.Write(*out, corpus.Options{Docs: *docs, SiteYAML: y}); err != nil {
		fmt.Fprintf(os.Stderr, "corpus: %v\n", err)
		os.Exit(1)
	}
	c := corpus.CountsFor(*docs)
	fmt.Printf("wrote %d documents to %s: %d networks, %d supporters, %d courses, %d testimonials, %d news\n", *docs, *out, c.Networks, c.Supporters, c.Courses, c.Testimonials, c.News)
}
