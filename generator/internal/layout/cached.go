package layout

import (
	"fmt"
	"html/template"
	"reflect"
	"strings"
)

// Keyed is an item cachedEach can render: its key names everything the
// partial shows of it within a build (a page's or breadcrumb's address).
type Keyed interface{ CacheKey() string }

// cachedEach renders the partial name for each item of list, a slice of
// Keyed items (the site's pages or breadcrumbs), through cached with the
// item's key.
func (s *Set) cachedEach(ts *tset, name string, list any) (template.HTML, error) {
	v := reflect.ValueOf(list)
	if v.Kind() != reflect.Slice {
		return "", fmt.Errorf("cachedEach: cannot list %T", list)
	}
	// The parts are joined once their length is known.
	var stack [32]template.HTML
	parts, size := stack[:0], 0
	for i := range v.Len() {
		item, ok := v.Index(i).Interface().(Keyed)
		if !ok {
			return "", fmt.Errorf("cachedEach: cannot key %s", v.Index(i).Type())
		}
		h, err := s.executeCached(ts, name, item.CacheKey(), item)
		if err != nil {
			return "", err
		}
		parts = append(parts, h)
		size += len(h)
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	var b strings.Builder
	b.Grow(size)
	for _, h := range parts {
		b.WriteString(string(h))
	}
	return template.HTML(b.String()), nil
}
