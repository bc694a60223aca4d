package htmlmin

import (
	"strings"
	"testing"
)

func TestTemplate(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"white space between blocks", "<ul>\n  <li>{{.A}}</li>\n  <li>b</li>\n</ul>\n", "<ul><li>{{.A}}</li><li>b</li></ul>"},
		{"space next to an action is kept", "<p>{{.A}}  {{.B}}\n</p>", "<p>{{.A}} {{.B}}</p>"},
		// tdewolff's lexer reads the apostrophe as the start of a string
		// that never ends; the stand-in hides it.
		{"comment with an apostrophe", "{{/* the site's own */}}\n<div>\n<p>x</p>\n</div>", "{{/* the site's own */}}<div><p>x</p></div>"},
		{"trimmed comment", "{{- /* it's */ -}}\n<div> a </div>", "{{- /* it's */ -}}<div>a</div>"},
		{"raw string holding }}", "<div>\n{{printf `}} %s` .A}}\n</div>", "<div>{{printf `}} %s` .A}}</div>"},
		{"quoted string holding }}", `<div> {{printf "}}\"" .A}} </div>`, `<div>{{printf "}}\"" .A}}</div>`},
		{"character constant", "<div> {{if eq .C '}'}}x{{end}} </div>", "<div>{{if eq .C '}'}}x{{end}}</div>"},
		// An attribute holding an action is kept as it is, with the space
		// before it.
		{"action in an attribute", `<a  class="x  {{.C}}"  href="{{.U}}" title=" t " >t</a>`, `<a  class="x  {{.C}}"  href="{{.U}}" title=" t ">t</a>`},
		{"action in a tag", `<input type="checkbox"{{if .On}} checked{{end}} >`, `<input type="checkbox"{{if .On}} checked{{end}}>`},
		{"pre kept", "<pre>  a\n  {{.A}}\n   b</pre>", "<pre>  a\n  {{.A}}\n   b</pre>"},
		{"textarea kept", "<textarea>\n  {{.A}}  </textarea>", "<textarea>\n  {{.A}}  </textarea>"},
		{"script with an action kept", "<script type=\"application/ld+json\">\n {{.}}\n</script>", "<script type=\"application/ld+json\">\n {{.}}\n</script>"},
		{"script with an action and a comment", "<script>\n// {{.A}}\nvar x = {{.X}};\n</script>", "<script>\n// {{.A}}\nvar x = {{.X}};\n</script>"},
		{"script attributes with actions", "<script  src=\"{{.S}}\" >\n var x = {{.X}};  </script>\n<p> a </p>", "<script  src=\"{{.S}}\">\n var x = {{.X}};  </script><p>a</p>"},
		{"style with an action", "<style>\np { color : {{.C}} ; }\n</style>", "<style>\np { color : {{.C}} ; }\n</style>"},
		{"upper case and wider letters before", "<p>İİ</p>\n<SCRIPT>\n// {{.A}}\n</SCRIPT>", "<p>İİ</p><script>\n// {{.A}}\n</script>"},
		{"script minified", "<script>\nvar  x = 1 ;\n</script>", "<script>var x=1</script>"},
		{"style minified", "<style>\np { color : red ; }\n</style>", "<style>p{color:red}</style>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Template(tt.src)
			if err != nil {
				t.Fatalf("Template(%q): %v", tt.src, err)
			}
			if got != tt.want {
				t.Errorf("Template(%q)\n = %q\nwant %q", tt.src, got, tt.want)
			}
		})
	}
}

// TestTemplateFails checks the sources Template refuses, for which the
// caller uses the source as it is.
func TestTemplateFails(t *testing.T) {
	for _, src := range []string{
		"<p>{{.A</p>",
		"<p>{{/* open</p>",
		"<p>{{printf `x}}</p>",
		// The minifier resolves the entities to "{{", which would be an
		// action the source does not have.
		"<p>&#123;&#123;.A}}</p>",
	} {
		if got, err := Template(src); err == nil {
			t.Errorf("Template(%q) = %q, want an error", src, got)
		}
		if got := TemplateOrSource(src); got != src {
			t.Errorf("TemplateOrSource(%q) = %q, want it as it is", src, got)
		}
	}
}

func TestHTML(t *testing.T) {
	got, err := HTML([]byte("<p>a\n  b</p>\n<pre>  x\n y</pre>\n<p>&quot;c&quot;</p>\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "<p>a\nb</p><pre>  x\n y</pre><p>\"c\"</p>"; string(got) != want {
		t.Errorf("HTML = %q, want %q", got, want)
	}
	if strings.Contains(string(got), "\n\n") {
		t.Errorf("HTML kept blank lines: %q", got)
	}
}
