package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/content"
	"peerpress/generator/internal/schema"
)

// schemaDir is where `generator schema` writes by default, below the site.
const schemaDir = "schemas"

// runSchema is `generator schema`: it writes one JSON Schema per content
// type (and the home page), built from site.yaml's vocabularies.
func runSchema(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("schema", "schema [--source DIR] [--out DIR] [--draft 2020-12|07]", stderr)
	source := fs.String("source", ".", "the site's root `directory` (with site.yaml)")
	out := fs.String("out", "", "the `directory` to write the schemas to (default <source>/"+schemaDir+")")
	draft := fs.String("draft", "2020-12", "the JSON Schema `draft` the files declare: 2020-12, or 07 for tools that accept no later one")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	var meta string
	switch *draft {
	case "2020-12":
		meta = schema.Draft2020
	case "07", "7", "draft-07":
		meta = schema.Draft07
	default:
		fmt.Fprintf(stderr, "generator schema: unknown --draft %q (expected 2020-12 or 07)\n", *draft)
		return ExitUsage
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join(*source, schemaDir)
	}
	cfg, diags := config.Load(os.DirFS(*source))
	if diags.Err() != nil {
		printDiags(stderr, diags)
		fmt.Fprintf(stderr, "%d %s in site.yaml: no schema was written\n", diags.Count(0), plural(diags.Count(0), "error", "errors"))
		return ExitContent
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(stderr, "generator schema: %v\n", err)
		return ExitContent
	}
	written := 0
	for _, s := range append([]content.Section{content.Home}, content.Sections...) {
		b, err := schema.JSONSchema(s, cfg, meta)
		if err != nil {
			fmt.Fprintf(stderr, "generator schema: %v\n", err)
			return ExitContent
		}
		name := string(s)
		if s == content.Home {
			name = "home"
		}
		p := filepath.Join(dir, name+".schema.json")
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, b) {
			continue // unchanged: keep the file's time, so tools do not reload
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			fmt.Fprintf(stderr, "generator schema: %v\n", err)
			return ExitContent
		}
		written++
	}
	fmt.Fprintf(stdout, "Wrote %d of %d schemas to %s\n", written, len(content.Sections)+1, dir)
	return ExitOK
}
