package layout

import (
	"bytes"
	"fmt"
	"html/template"
	"sync"
	"sync/atomic"
	"text/template/parse"

	"peerpress/generator/internal/layout/tmplexec"
)

// programs executes the templates of one html/template set (the partials,
// or a page layout's clone of them) through programs compiled by tmplexec,
// which html/template's interpreter took three times as long to execute:
// its reflective calls, per-call function lookups and per-call field
// lookups were most of a build's time in templates.
//
// A template is compiled once html/template has executed it, which escapes
// it: the program is of the escaped tree. Should a program fail, what it
// wrote is dropped and the template executed through html/template, whose
// error, if it fails too, is the one reported.
type programs struct {
	t *template.Template
	// funcs are the set's functions, as the program calls them.
	funcs map[string]any
	// slots holds a slot by template name, made when the set is parsed;
	// nil when the set is executed through html/template alone.
	slots map[string]*slot
	// check is the Set's record of what compiled programs did, which
	// tests read.
	check *progCheck
}

// slot is the program of one template, once compiled.
type slot struct {
	prog  atomic.Pointer[tmplexec.Program]
	tried atomic.Bool
}

// newPrograms makes the programs of the set t with its functions, which
// note what they do in check; none if compile is false.
func newPrograms(t *template.Template, funcs template.FuncMap, compile bool, check *progCheck) *programs {
	ps := &programs{t: t, check: check}
	if !compile {
		return ps
	}
	ps.funcs = map[string]any(funcs)
	ps.slots = map[string]*slot{}
	for _, x := range t.Templates() {
		ps.slots[x.Name()] = &slot{}
	}
	return ps
}

// execute appends the output of the template name with data to b.
func (ps *programs) execute(b *bytes.Buffer, name string, data any) error {
	sl := ps.slots[name]
	if sl != nil {
		if p := sl.prog.Load(); p != nil {
			n := b.Len()
			err := p.Execute(b, data)
			if err == nil {
				if ps.check.verify.Load() {
					ps.check.runs.Add(1)
					ps.verify(b.Bytes()[n:], name, data)
				}
				return nil
			}
			b.Truncate(n)
			ps.check.fallbacks.Add(1)
		}
	}
	if err := ps.t.ExecuteTemplate(b, name, data); err != nil {
		return err
	}
	if sl != nil && sl.prog.Load() == nil && sl.tried.CompareAndSwap(false, true) {
		// html/template has escaped the template and those it invokes.
		p, err := tmplexec.Compile(ps.lookup, name, ps.funcs)
		if err != nil {
			ps.check.note(&ps.check.compileErrs, err.Error())
			return nil
		}
		sl.prog.Store(p)
	}
	return nil
}

// lookup returns the escaped tree of the template name of the set.
func (ps *programs) lookup(name string) *parse.Tree {
	if x := ps.t.Lookup(name); x != nil {
		return x.Tree
	}
	return nil
}

// progCheck is a Set's record, for tests, of what its compiled programs
// did; verify makes every compiled execution compare its output with
// html/template's.
type progCheck struct {
	verify atomic.Bool
	// runs counts compiled executions while verifying, and fallbacks
	// those that failed and ran through html/template.
	runs, fallbacks atomic.Int64
	mu              sync.Mutex
	// compileErrs are the templates that could not be compiled;
	// mismatches those whose output differed from html/template's.
	compileErrs, mismatches []string
}

func (ps *programs) verify(got []byte, name string, data any) {
	var want bytes.Buffer
	if err := ps.t.ExecuteTemplate(&want, name, data); err != nil {
		ps.check.note(&ps.check.mismatches, fmt.Sprintf("%s: html/template fails: %v", name, err))
		return
	}
	if !bytes.Equal(got, want.Bytes()) {
		ps.check.note(&ps.check.mismatches, fmt.Sprintf("%s:\ncompiled:      %q\nhtml/template: %q", name, got, want.Bytes()))
	}
}

// note adds msg to list.
func (st *progCheck) note(list *[]string, msg string) {
	st.mu.Lock()
	*list = append(*list, msg)
	st.mu.Unlock()
}
