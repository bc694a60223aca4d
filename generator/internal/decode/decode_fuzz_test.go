package decode

import (
	"testing"
	"time"
)

// FuzzDecode parses any text as YAML and decodes it into a type with every
// kind of field. Neither may panic, and every position must be in the text.
func FuzzDecode(f *testing.F) {
	f.Add("name: A\ncount: 2\nflag: true\nkind: a\ntags: [good]\nstart: 2027-03-30 09:30\ninner: {grade: good, date: 2024-01-02}\nitems: [{grade: outstanding}]\n")
	f.Add("name: &x A\ntitle: *x\n")
	f.Add("a: 1\n\tb: 2\n")
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src string) {
		n, diags := Parse([]byte(src), "f.md", 1)
		for _, d := range diags {
			if d.Pos.File != "f.md" || d.Pos.Line < 1 || d.Msg == "" {
				t.Errorf("Parse problem %v", d)
			}
		}
		if n == nil {
			if len(diags) == 0 {
				t.Fatal("Parse returned neither a node nor a problem")
			}
			return
		}
		d := &Decoder{File: "f.md", LineOffset: 1, Location: loc, Vocab: func(name string) ([]string, bool) {
			return []string{"good", "outstanding"}, name == "grades"
		}}
		var v doc
		d.Decode(n, &v)
		for _, p := range d.Diags {
			if p.Pos.File != "f.md" || p.Pos.Line < 1 || p.Msg == "" {
				t.Errorf("Decode problem %v", p)
			}
		}
	})
}
