package tmplexec

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"testing"
	"text/template/parse"
	"time"
)

type inner struct{ Name string }

func (i inner) Hello(s string) string { return "hello " + s + " from " + i.Name }

type Embedded struct{ Deep string }

type data struct {
	Embedded
	Title   string
	HTML    template.HTML
	URL     string
	N       int
	F       float64
	B       bool
	Ptr     *inner
	Nil     *inner
	Val     inner
	Any     any
	NilAny  any
	List    []string
	Items   []*inner
	Empty   []int
	Map     map[string]int
	IntMap  map[int]string
	Err     error
	Str     fmt.Stringer
	Time    time.Time
	private string
}

func (d *data) Method() string         { return "method:" + d.Title }
func (d *data) WithArgs(a, b int) int  { return a + b }
func (d *data) Fails() (string, error) { return "", errors.New("boom") }
func (d *data) Panics() string         { panic("oops") }
func (d data) ValueMethod() string     { return "vm" }
func (d *data) Variadic(x ...int) int  { return len(x) }
func (d *data) Inner() *inner          { return d.Ptr }
func (d *data) Func() func() string    { return func() string { return "called" } }

type stringer struct{ s string }

func (s stringer) String() string { return "S(" + s.s + ")" }

func sample() *data {
	return &data{
		Embedded: Embedded{Deep: "deep<"},
		Title:    `A "title" & <more>`,
		HTML:     "<b>bold</b>",
		URL:      "javascript:alert(1)",
		N:        3,
		F:        1.5,
		B:        true,
		Ptr:      &inner{Name: "ptr"},
		Val:      inner{Name: "val"},
		Any:      42,
		List:     []string{"a", "b<", "c"},
		Items:    []*inner{{"x"}, {"y"}},
		Map:      map[string]int{"z": 1, "a": 2, "m": 3},
		IntMap:   map[int]string{3: "c", 1: "a", 2: "b"},
		Err:      errors.New("an error"),
		Str:      stringer{"st"},
		Time:     time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		private:  "p",
	}
}

var testFuncs = template.FuncMap{
	"upper":  strings.ToUpper,
	"join":   strings.Join,
	"concat": func(a ...any) string { return fmt.Sprint(a...) },
	"pair":   func(a, b string) string { return a + "+" + b },
	"fail":   func(string) (string, error) { return "", errors.New("failed") },
	"safe":   func(s string) template.HTML { return template.HTML(s) },
	"url":    func(s string) template.URL { return template.URL(s) },
	"dict": func(kv ...any) (map[string]any, error) {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m, nil
	},
	"seq": func(n int) []int {
		r := make([]int, n)
		for i := range r {
			r[i] = i
		}
		return r
	},
	"tfmt":  func(t time.Time) string { return t.Format("2006-01-02") },
	"anyfn": func(v any) (string, error) { return fmt.Sprintf("%T", v), nil },
}

// TestCompiledMatchesHTMLTemplate executes templates through html/template
// and through their compiled programs: the output must be the same, and a
// template html/template fails must fail compiled too.
func TestCompiledMatchesHTMLTemplate(t *testing.T) {
	cases := []string{
		`{{.Title}}`, `<a href="{{.URL}}" title="{{.Title}}">{{.HTML}}</a>`, `<a href="/x?q={{.Title}}">x</a>`,
		`<p class={{.Title}}>`, `<script>var x = {{.}};</script>`, `<script>var s = "{{.Title}}";</script>`,
		`<style>p { color: {{.Title}} }</style>`, `<img srcset="{{.URL}}">`, `<!-- {{.Title}} -->`,
		`<textarea>{{.Title}}</textarea>`, `<a href="{{url .URL}}">`, `{{safe "<i>x</i>"}}`,
		`{{.Deep}} {{.Embedded.Deep}}`, `{{.Ptr.Name}} {{.Val.Name}} {{.Nil}} {{.NilAny}} {{.Any}}`,
		`{{.Nil.Name}}`, `{{.NilAny.Name}}`, `{{.Missing}}`, `{{.private}}`, `{{.Title.Foo}}`,
		`{{.Method}} {{.ValueMethod}} {{.Val.Hello "you"}} {{.WithArgs 1 2}} {{.Variadic 1 2 3}} {{.Variadic}}`,
		`{{.Fails}}`, `{{.Panics}}`, `{{.Inner.Name}}`, `{{call .Func}}`, `{{.Title 1}}`,
		`{{.Map.a}} {{.Map.nope}} {{index .Map "z"}} {{index .List 1}} {{index .List 9}}`, `{{len .List}} {{len .N}}`,
		`{{slice .List 1}} {{slice .Title 0 3}}`, `{{range .List}}[{{.}}]{{end}}`,
		`{{range $i, $v := .List}}{{if $i}}, {{end}}{{$i}}={{$v}}{{end}}`, `{{range .Empty}}x{{else}}empty{{end}}`,
		`{{range $k, $v := .Map}}{{$k}}:{{$v}};{{end}}`, `{{range .IntMap}}{{.}}{{end}}`, `{{range 3}}{{.}}{{end}}`,
		`{{range .List}}{{if eq . "b<"}}{{break}}{{end}}{{.}}{{end}}`, `{{range .List}}{{if eq . "a"}}{{continue}}{{end}}{{.}}{{end}}`,
		`{{range .Items}}{{.Name}}{{$.Title}}{{end}}`, `{{range .N}}{{.}}{{end}}`, `{{range .Title}}{{.}}{{end}}`,
		`{{with .Ptr}}{{.Name}}{{else}}none{{end}}`, `{{with .Nil}}x{{else with .Val}}{{.Name}}{{end}}`,
		`{{if .B}}yes{{else if .N}}n{{else}}no{{end}}`, `{{if and .B .N}}{{and .B .N}}{{end}} {{or 0 "" .Title}} {{or 0 ""}} {{and 1 0 2}}`,
		`{{not .B}} {{not .Empty}}`, `{{$x := .Title}}{{$x}}{{$x = "y"}}{{$x}}`, `{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}`,
		`{{eq .N 3}} {{eq .N 1 2 3}} {{ne .Title "x"}} {{lt .N 4}} {{le .F 1.5}} {{gt .N 2}} {{ge 1 2}} {{eq .Title .N}}`,
		`{{lt .Title 1}}`, `{{eq .Nil nil}}`, `{{print .N .Title}} {{printf "%d-%s" .N .Title}} {{println .B}}`,
		`{{html .Title}} {{js .Title}} {{urlquery .Title}}`, `{{.Title | upper}} {{"x" | pair "y"}} {{upper "a" | printf "%s!"}}`,
		`{{join .List ", "}} {{concat 1 "a" .Nil}} {{fail "x"}}`, `{{(dict "a" 1 "b" .Title).b}}`, `{{with dict "k" .Ptr}}{{.k.Name}}{{end}}`,
		`{{range seq 3}}{{.}}{{end}}`, `{{tfmt .Time}} {{.Time}}`, `{{anyfn .Nil}} {{anyfn .NilAny}} {{anyfn 1}} {{anyfn .Ptr}}`,
		`{{.Err}} {{.Str}}`, `{{template "t" .Ptr}}{{define "t"}}<b>{{.Name}}</b>{{end}}`,
		`{{block "b" .N}}[{{.}}]{{end}}`, `{{template "r" 3}}{{define "r"}}{{if .}}{{.}}{{template "r" 0}}{{end}}{{end}}`,
		`{{$x := 5}}{{template "v" .}}{{define "v"}}{{$}}{{end}}`, `{{nil}}`, `{{1 2}}`, `{{upper 1}}`, `{{upper}}`,
		`{{99999999999999999999}}`, `{{0x10}} {{1e3}} {{'a'}} {{1.5}} {{-2}}`, `{{.WithArgs 1 .Title}}`, `{{index .Map 1}}`,
		`<a title="{{.N}}" href="/p/{{.N}}/{{.Title}}">{{.F}}</a>`, `{{.Ptr}}`, `{{.Val}}`, `{{.Items}}`,
		`<a href="{{if .B}}{{.URL}}{{else}}/ok{{end}}">`, `{{.Func}}`,
	}
	for _, src := range cases {
		t.Run(src, func(t *testing.T) {
			ht, err := template.New("t0").Funcs(testFuncs).Parse(src)
			if err != nil {
				t.Skipf("does not parse: %v", err)
			}
			d := sample()
			var want bytes.Buffer
			wantErr := ht.Execute(&want, d)
			lookup := func(name string) *parse.Tree {
				if x := ht.Lookup(name); x != nil {
					return x.Tree
				}
				return nil
			}
			p, err := Compile(lookup, "t0", testFuncs)
			if err != nil {
				if wantErr != nil {
					return // left to html/template, which fails anyway
				}
				t.Fatalf("compile: %v", err)
			}
			var got bytes.Buffer
			gotErr := p.Execute(&got, d)
			switch {
			case wantErr != nil && gotErr == nil:
				t.Fatalf("compiled gives %q, html/template fails: %v", got.String(), wantErr)
			case wantErr == nil && gotErr != nil:
				t.Fatalf("compiled fails (%v), html/template gives %q", gotErr, want.String())
			case wantErr == nil && got.String() != want.String():
				t.Fatalf("compiled:      %q\nhtml/template: %q", got.String(), want.String())
			}
		})
	}
}
