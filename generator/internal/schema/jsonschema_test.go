package schema

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/content"
)

// TestJSONSchemaExample checks the generated schemas against the example
// site's content: every content file's front matter validates against its
// section's schema (so editors see no false alarms), and typical mistakes
// do not.
func TestJSONSchemaExample(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	cfg, diags := config.Load(os.DirFS(root))
	if diags.Err() != nil {
		t.Fatal(diags)
	}
	schemas := map[content.Section]map[string]any{}
	for _, s := range append([]content.Section{content.Home}, content.Sections...) {
		b, err := JSONSchema(s, cfg, Draft2020)
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s schema is not JSON: %v", s, err)
		}
		schemas[s] = v
	}
	files, _ := filepath.Glob(filepath.Join(root, "content", "*", "*.md"))
	files = append(files, filepath.Join(root, "content", "_index.md"))
	for _, f := range files {
		rel, _ := filepath.Rel(filepath.Join(root, "content"), f)
		section := content.Section(filepath.Dir(rel))
		if section == "." {
			section = content.Home
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if errs := validate(schemas[section], frontMatter(t, b), ""); len(errs) > 0 {
			t.Errorf("%s does not validate against its schema:\n%s", rel, strings.Join(errs, "\n"))
		}
	}

	mistakes := []struct{ section, yaml, want string }{
		{"supporters", "name: A\nrole: B\nschool: {name: S}\nregion: north\nheaship_since: 2015-01-01\n", "heaship_since: not allowed"},
		{"supporters", "name: A\nrole: B\nschool: {name: S}\nregion: nowhere\n", "region: not one of"},
		{"supporters", "name: A\nrole: B\nschool: {name: S, pupils: many}\nregion: north\n", "school.pupils: not integer"},
		{"supporters", "name: A\nrole: B\nschool: {name: S}\nregion: north\nheadship_since: 1st May\n", "headship_since: does not match"},
		{"supporters", "name: A\nschool: {name: S}\nregion: north\n", "role: required"},
		{"supporters", "name: A\nrole: B\nschool: {name: S}\nregion: north\nskills: [coaching, juggling]\n", "skills[1]: not one of"},
		{"training", "title: C\nsessions: [{start: soon}]\n", "sessions[0].start: does not match"},
		{"networks", "title: N\nstream: rural-schools\nformat: circle\n", "format: not one of"},
		{"news", "title: N\n", "date: required"},
	}
	for _, m := range mistakes {
		v := frontMatter(t, []byte("---\n"+m.yaml+"---\n"))
		errs := validate(schemas[content.Section(m.section)], v, "")
		if !slices.ContainsFunc(errs, func(e string) bool { return strings.HasPrefix(e, m.want) }) {
			t.Errorf("%s %q: schema errors %q, want one starting %q", m.section, m.yaml, errs, m.want)
		}
	}
}

// frontMatter returns a file's front matter as JSON-like values, read as
// editors' YAML tools read it (YAML 1.2: an unquoted date is text).
func frontMatter(t *testing.T, b []byte) any {
	t.Helper()
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	s = strings.TrimPrefix(s, "---\n")
	fm, _, ok := strings.Cut(s, "\n---\n")
	if !ok {
		t.Fatalf("no front matter in %q", b)
	}
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(fm), &n); err != nil {
		t.Fatal(err)
	}
	if len(n.Content) == 0 {
		return map[string]any{}
	}
	return nodeValue(n.Content[0])
}

func nodeValue(n *yaml.Node) any {
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = nodeValue(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		l := []any{}
		for _, c := range n.Content {
			l = append(l, nodeValue(c))
		}
		return l
	}
	switch n.Tag {
	case "!!int":
		i, _ := strconv.ParseInt(n.Value, 10, 64)
		return float64(i)
	case "!!float":
		f, _ := strconv.ParseFloat(n.Value, 64)
		return f
	case "!!bool":
		return n.Value == "true"
	case "!!null":
		return nil
	}
	return n.Value
}

// validate checks v against the subset of JSON Schema that JSONSchema
// writes, returning "path: problem" lines.
func validate(s map[string]any, v any, path string) []string {
	var errs []string
	bad := func(format string, args ...any) {
		errs = append(errs, strings.TrimPrefix(path, ".")+": "+fmt.Sprintf(format, args...))
	}
	if anyOf, ok := s["anyOf"].([]any); ok {
		for _, alt := range anyOf {
			if len(validate(alt.(map[string]any), v, path)) == 0 {
				return nil
			}
		}
		bad("matches no alternative")
		return errs
	}
	switch s["type"] {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			bad("not object")
			return errs
		}
		props, _ := s["properties"].(map[string]any)
		for k, val := range m {
			if p, ok := props[k]; ok {
				errs = append(errs, validate(p.(map[string]any), val, path+"."+k)...)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					errs = append(errs, strings.TrimPrefix(path+"."+k, ".")+": not allowed")
				}
			case map[string]any:
				errs = append(errs, validate(ap, val, path+"."+k)...)
			}
		}
		for _, r := range asList(s["required"]) {
			if _, ok := m[r.(string)]; !ok {
				errs = append(errs, strings.TrimPrefix(path+"."+r.(string), ".")+": required")
			}
		}
		if n, ok := s["minProperties"].(float64); ok && float64(len(m)) < n {
			bad("too few properties")
		}
		if n, ok := s["maxProperties"].(float64); ok && float64(len(m)) > n {
			bad("too many properties")
		}
	case "array":
		l, ok := v.([]any)
		if !ok {
			bad("not array")
			return errs
		}
		if n, ok := s["minItems"].(float64); ok && float64(len(l)) < n {
			bad("too few items")
		}
		if items, ok := s["items"].(map[string]any); ok {
			for i, item := range l {
				errs = append(errs, validate(items, item, fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			bad("not string")
			return errs
		}
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(str) {
			bad("does not match %s", p)
		}
	case "integer":
		f, ok := v.(float64)
		if !ok || f != float64(int64(f)) {
			bad("not integer")
			return errs
		}
		if min, ok := s["minimum"].(float64); ok && f < min {
			bad("below minimum")
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("not boolean")
		}
	}
	if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, v) {
		bad("not one of %v", enum)
	}
	return errs
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}
