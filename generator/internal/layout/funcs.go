package layout

import (
	"fmt"
	"html/template"
	"net/url"
	"reflect"
	"strings"
	"time"

	"peerpress/generator/internal/config"
	"peerpress/generator/internal/decode"
)

// funcs are the template functions every layout of ts may use.
func (s *Set) funcs(cfg *config.Config, ts *tset) template.FuncMap {
	base := cfg.BasePath()
	return template.FuncMap{
		// url turns a site path into a link that honours the base path.
		"url": cfg.Link,
		// facetURL links a facet value's listing, with the base path:
		// facetURL "supporters" "region" "north" is /supporters/region/north/.
		// It is url (print …) in one call, which costs pages with many such
		// links much less.
		"facetURL": func(section, key, id string) string {
			return base + section + "/" + key + "/" + id + "/"
		},
		"asset": func(name string) (string, error) {
			a, ok := s.assets[name]
			if !ok {
				return "", fmt.Errorf("no asset %q", name)
			}
			return base + a.Path, nil
		},
		"integrity": func(name string) string {
			if a, ok := s.assets[name]; ok {
				return a.Integrity
			}
			return ""
		},
		"date":      formatDate(cfg, "2 January 2006"),
		"isoDate":   formatDate(cfg, "2006-01-02"),
		"shortDate": formatDate(cfg, "Mon 2 Jan 2006"),
		"clock": func(t time.Time) string {
			t = t.In(cfg.Location)
			if t.Minute() == 0 {
				return t.Format("3pm")
			}
			return t.Format("3:04pm")
		},
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return fmt.Sprintf("%d %s", n, one)
			}
			return fmt.Sprintf("%d %s", n, many)
		},
		// deref reads an optional number, 0 when absent.
		"deref": func(p *int) int {
			if p == nil {
				return 0
			}
			return *p
		},
		"join":  strings.Join,
		"lower": strings.ToLower,
		"mailto": func(to, subject string) template.URL {
			return template.URL("mailto:" + to + "?subject=" + strings.ReplaceAll(url.QueryEscape(subject), "+", "%20"))
		},
		// dict builds a map from key, value pairs, to pass several values to
		// a partial.
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := map[string]any{}
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		// cached renders a partial once per key for the whole build, for
		// parts that are the same on many pages, such as a listing's filter
		// sidebar. The key must name everything the output depends on.
		"cached": func(name, key string, data any) (template.HTML, error) {
			return s.executeCached(ts, name, key, data)
		},
		// cachedEach is {{range}}{{cached name .URL .}}{{end}} over a list
		// of pages or breadcrumbs in one call: a listing page shows a dozen
		// cards, and each action costs html/template several reflective
		// calls.
		"cachedEach": func(name string, list any) (template.HTML, error) {
			return s.cachedEach(ts, name, list)
		},
		// shared is cached for the theme's own partials, such as the header
		// and footer: a partial the site replaces is executed on every page,
		// since only the theme knows what its own partials depend on.
		"shared": func(name, key string, data any) (template.HTML, error) {
			return s.executeShared(ts, ts.partials, name, key, data)
		},
		"ogLocale": func() string { return strings.ReplaceAll(cfg.Language, "-", "_") },
	}
}

// formatDate formats a decode.Date or a time.Time in the site's time zone.
func formatDate(cfg *config.Config, layout string) func(v any) (string, error) {
	return func(v any) (string, error) {
		switch d := v.(type) {
		case decode.Date:
			if d.IsZero() {
				return "", nil
			}
			return d.In(cfg.Location).Format(layout), nil
		case time.Time:
			if d.IsZero() {
				return "", nil
			}
			return d.In(cfg.Location).Format(layout), nil
		}
		return "", fmt.Errorf("date: cannot format %s", reflect.TypeOf(v))
	}
}
