// Package tmplexec executes the parse trees of html/template templates that
// html/template has already escaped, faster than text/template does.
//
// text/template interprets a template's tree on every execution: it looks
// each function up by name under a lock shared by every goroutine, finds
// each field and method by name through reflect, and calls every function,
// the escapers html/template adds after each printed value included,
// through reflect.Value.Call. A Program is the same tree compiled once into
// closures: functions are resolved when it is compiled and the common
// signatures called without reflect, the escapers are called directly (they
// are copied from html/template, see *_esc.go), and each field access keeps
// what it resolved for the last receiver type it saw.
//
// A Program does what text/template does for every template that executes
// without an error. For a template that fails it only reports that it
// failed, not why, nor what was written: the caller is to execute the
// template through html/template again, which reports the error in its own
// words. Constructs Compile does not handle make it fail, so that the
// template is left to html/template.
package tmplexec

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"text/template/parse"
)

// Program is a compiled template, safe for concurrent use.
type Program struct {
	root *tmpl
}

// tmpl is one named template of a Program. Its body is set once the tree is
// compiled, so that templates may invoke each other recursively.
type tmpl struct {
	name string
	body nodeFn
}

// ctl says how a node ended: normally, or by {{break}} or {{continue}}.
type ctl uint8

const (
	ctlNone ctl = iota
	ctlBreak
	ctlContinue
)

// nodeFn executes a node with dot.
type nodeFn func(s *runState, dot reflect.Value) ctl

// valueFn evaluates a pipeline, command or argument with dot.
type valueFn func(s *runState, dot reflect.Value) reflect.Value

// cmdFn evaluates a command of a pipeline; final is the value of the
// previous command, which is passed on as the last argument.
type cmdFn func(s *runState, dot, final reflect.Value) reflect.Value

// runState is one execution.
type runState struct {
	w    *bytes.Buffer
	vars []variable
	// base is the index in vars of the executing template's $: a template
	// sees no variables of the one that invoked it.
	base  int
	depth int
}

type variable struct {
	name  string
	value reflect.Value
}

// maxExecDepth is text/template's limit on nested template invocations.
const maxExecDepth = 100000

// execError is a failure of an execution; Execute recovers it.
type execError struct{ msg string }

func (e execError) Error() string { return e.msg }

func (s *runState) errorf(format string, args ...any) {
	panic(execError{fmt.Sprintf(format, args...)})
}

// ErrFailed wraps every error Execute returns.
var ErrFailed = errors.New("tmplexec: execution failed")

var statePool = sync.Pool{New: func() any { return &runState{vars: make([]variable, 0, 16)} }}

// Execute runs the program with data, appending its output to w. On error
// what was appended is to be discarded.
func (p *Program) Execute(w *bytes.Buffer, data any) (err error) {
	s := statePool.Get().(*runState)
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", ErrFailed, r)
		}
		s.w, s.vars, s.base, s.depth = nil, s.vars[:0], 0, 0
		statePool.Put(s)
	}()
	value, ok := data.(reflect.Value)
	if !ok {
		value = reflect.ValueOf(data)
	}
	s.w = w
	s.vars = append(s.vars[:0], variable{"$", value})
	p.root.body(s, value)
	return nil
}

// varValue returns the value of the named variable of the executing
// template.
func (s *runState) varValue(name string) reflect.Value {
	for i := len(s.vars) - 1; i >= s.base; i-- {
		if s.vars[i].name == name {
			return s.vars[i].value
		}
	}
	s.errorf("undefined variable: %s", name)
	return reflect.Value{}
}

// setVar overwrites the last declared variable with the given name.
func (s *runState) setVar(name string, value reflect.Value) {
	for i := len(s.vars) - 1; i >= s.base; i-- {
		if s.vars[i].name == name {
			s.vars[i].value = value
			return
		}
	}
	s.errorf("undefined variable: %s", name)
}

// setTopVar overwrites the top-nth variable on the stack.
func (s *runState) setTopVar(n int, value reflect.Value) {
	s.vars[len(s.vars)-n].value = value
}

// Lookup returns the escaped tree of the template name, nil if there is
// none.
type Lookup func(name string) *parse.Tree

// Compile compiles the template name and every template it invokes, as
// lookup finds them. funcs are the template's functions by name, which
// override text/template's builtins, as in a FuncMap.
func Compile(lookup Lookup, name string, funcs map[string]any) (p *Program, err error) {
	c := &compiler{lookup: lookup, funcs: funcs, tmpls: map[string]*tmpl{}}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("tmplexec: compiling %s: %v", name, r)
		}
	}()
	t := lookup(name)
	if t == nil || t.Root == nil {
		return nil, fmt.Errorf("tmplexec: no template %q", name)
	}
	root, err := c.template(name)
	if err != nil {
		return nil, err
	}
	return &Program{root: root}, nil
}

// compiler compiles the templates of one Program.
type compiler struct {
	lookup Lookup
	funcs  map[string]any
	tmpls  map[string]*tmpl
}

// unsupported is the error of a construct Compile leaves to html/template.
type unsupported struct{ what string }

func (u unsupported) Error() string { return "tmplexec: unsupported: " + u.what }

func (c *compiler) fail(format string, args ...any) {
	panic(unsupported{fmt.Sprintf(format, args...)})
}

// template compiles the named template once; nil if it is not defined, in
// which case invoking it is an error at run time.
func (c *compiler) template(name string) (*tmpl, error) {
	if t, ok := c.tmpls[name]; ok {
		return t, nil
	}
	tree := c.lookup(name)
	if tree == nil || tree.Root == nil {
		return nil, fmt.Errorf("tmplexec: template %q not defined", name)
	}
	t := &tmpl{name: name}
	c.tmpls[name] = t
	t.body = c.node(tree.Root)
	return t, nil
}

// errNode is a node that fails when it is executed.
func errNode(format string, args ...any) nodeFn {
	msg := fmt.Sprintf(format, args...)
	return func(s *runState, dot reflect.Value) ctl {
		s.errorf("%s", msg)
		return ctlNone
	}
}

// errValue is a value that fails when it is evaluated.
func errValue(format string, args ...any) valueFn {
	msg := fmt.Sprintf(format, args...)
	return func(s *runState, dot reflect.Value) reflect.Value {
		s.errorf("%s", msg)
		return reflect.Value{}
	}
}

func (c *compiler) node(node parse.Node) nodeFn {
	switch n := node.(type) {
	case *parse.ActionNode:
		return c.action(n)
	case *parse.BreakNode:
		return func(*runState, reflect.Value) ctl { return ctlBreak }
	case *parse.ContinueNode:
		return func(*runState, reflect.Value) ctl { return ctlContinue }
	case *parse.CommentNode:
		return func(*runState, reflect.Value) ctl { return ctlNone }
	case *parse.IfNode:
		return c.ifOrWith(false, n.Pipe, n.List, n.ElseList)
	case *parse.WithNode:
		return c.ifOrWith(true, n.Pipe, n.List, n.ElseList)
	case *parse.ListNode:
		return c.list(n)
	case *parse.RangeNode:
		return c.rangeNode(n)
	case *parse.TemplateNode:
		return c.templateNode(n)
	case *parse.TextNode:
		text := n.Text
		return func(s *runState, _ reflect.Value) ctl {
			s.w.Write(text)
			return ctlNone
		}
	}
	c.fail("node %s", node)
	return nil
}

func (c *compiler) list(n *parse.ListNode) nodeFn {
	if n == nil {
		return nil
	}
	var fns []nodeFn
	for _, node := range n.Nodes {
		if _, ok := node.(*parse.CommentNode); ok {
			continue
		}
		fns = append(fns, c.node(node))
	}
	switch len(fns) {
	case 0:
		return func(*runState, reflect.Value) ctl { return ctlNone }
	case 1:
		return fns[0]
	}
	return func(s *runState, dot reflect.Value) ctl {
		for _, f := range fns {
			if r := f(s, dot); r != ctlNone {
				return r
			}
		}
		return ctlNone
	}
}

// action prints a pipeline's value, unless it declares variables.
func (c *compiler) action(n *parse.ActionNode) nodeFn {
	if len(n.Pipe.Decl) == 0 {
		if str := c.escapedPipeline(n.Pipe); str != nil {
			return func(s *runState, dot reflect.Value) ctl {
				s.w.WriteString(str(s, dot))
				return ctlNone
			}
		}
	}
	pipe := c.pipeline(n.Pipe)
	if len(n.Pipe.Decl) > 0 {
		return func(s *runState, dot reflect.Value) ctl {
			pipe(s, dot)
			return ctlNone
		}
	}
	return func(s *runState, dot reflect.Value) ctl {
		s.printValue(pipe(s, dot))
		return ctlNone
	}
}

func (c *compiler) ifOrWith(with bool, p *parse.PipeNode, list, elseList *parse.ListNode) nodeFn {
	pipe := c.pipeline(p)
	body := c.list(list)
	els := c.list(elseList)
	return func(s *runState, dot reflect.Value) ctl {
		mark := len(s.vars)
		val := pipe(s, dot)
		truth, ok := isTrue(indirectInterface(val))
		if !ok {
			s.errorf("if/with can't use %v", val)
		}
		r := ctlNone
		if truth {
			if with {
				r = body(s, val)
			} else {
				r = body(s, dot)
			}
		} else if els != nil {
			r = els(s, dot)
		}
		s.vars = s.vars[:mark]
		return r
	}
}

func (c *compiler) templateNode(n *parse.TemplateNode) nodeFn {
	t, err := c.template(n.Name)
	if err != nil {
		return errNode("template %q not defined", n.Name)
	}
	var pipe valueFn
	if n.Pipe != nil {
		pipe = c.pipeline(n.Pipe)
	}
	return func(s *runState, dot reflect.Value) ctl {
		if s.depth == maxExecDepth {
			s.errorf("exceeded maximum template depth (%v)", maxExecDepth)
		}
		if pipe != nil {
			dot = pipe(s, dot)
		} else {
			dot = reflect.Value{}
		}
		// Variables declared by the pipeline persist; the template
		// sees none of them.
		base, mark := s.base, len(s.vars)
		s.vars = append(s.vars, variable{"$", dot})
		s.base = mark
		s.depth++
		t.body(s, dot)
		s.depth--
		s.vars = s.vars[:mark]
		s.base = base
		return ctlNone
	}
}

// pipeline compiles a pipeline: each command's value is the last argument
// of the next, and the variables it declares are pushed or set.
func (c *compiler) pipeline(p *parse.PipeNode) valueFn {
	if p == nil {
		return func(*runState, reflect.Value) reflect.Value { return reflect.Value{} }
	}
	cmds := make([]cmdFn, len(p.Cmds))
	for i, cmd := range p.Cmds {
		cmds[i] = c.command(cmd, i > 0)
	}
	eval := func(s *runState, dot reflect.Value) reflect.Value {
		var value reflect.Value
		for _, cmd := range cmds {
			value = cmd(s, dot, value)
			// If the object has type interface{}, dig down one level to
			// the thing inside.
			if value.Kind() == reflect.Interface && value.Type().NumMethod() == 0 {
				value = value.Elem()
			}
		}
		return value
	}
	if len(p.Decl) == 0 {
		return eval
	}
	names := make([]string, len(p.Decl))
	for i, v := range p.Decl {
		names[i] = v.Ident[0]
	}
	assign := p.IsAssign
	return func(s *runState, dot reflect.Value) reflect.Value {
		value := eval(s, dot)
		for _, name := range names {
			if assign {
				s.setVar(name, value)
			} else {
				s.vars = append(s.vars, variable{name, value})
			}
		}
		return value
	}
}

// escapedPipeline compiles a pipeline whose last commands are escapers
// html/template added into a function giving the escaped text, without
// making a reflect.Value of each escaper's result; nil if the pipeline is
// not such.
func (c *compiler) escapedPipeline(p *parse.PipeNode) func(s *runState, dot reflect.Value) string {
	k := len(p.Cmds)
	for k > 1 {
		if !c.isEscaper(p.Cmds[k-1]) {
			break
		}
		k--
	}
	if k == len(p.Cmds) {
		return nil
	}
	head := c.pipeline(&parse.PipeNode{NodeType: p.NodeType, Pos: p.Pos, Line: p.Line, Cmds: p.Cmds[:k]})
	first := escaperName(p.Cmds[k])
	firstCT, firstAny := escapersCT[first], escapers[first]
	var rest []func(string, contentType) string
	var restAny []func(...any) string
	for _, cmd := range p.Cmds[k+1:] {
		name := escaperName(cmd)
		rest = append(rest, escapersCT[name])
		restAny = append(restAny, escapers[name])
	}
	return func(s *runState, dot reflect.Value) string {
		v := head(s, dot)
		var x any
		if v.IsValid() {
			x = v.Interface()
		}
		var str string
		if firstCT != nil {
			str = firstCT(stringify1(x))
		} else {
			str = firstAny(x)
		}
		for i, f := range rest {
			if f != nil {
				str = f(str, contentTypePlain)
			} else {
				str = restAny[i](str)
			}
		}
		return str
	}
}

// isEscaper reports whether cmd is a call without arguments of an escaper
// html/template added (which take precedence over functions of the same
// name: html/template adds them last).
func (c *compiler) isEscaper(cmd *parse.CommandNode) bool {
	name := escaperName(cmd)
	if name == "" || len(cmd.Args) != 1 {
		return false
	}
	_, ok := escapers[name]
	return ok
}

func escaperName(cmd *parse.CommandNode) string {
	if id, ok := cmd.Args[0].(*parse.IdentifierNode); ok {
		return id.Ident
	}
	return ""
}

// escapersCT are the escapers that stringify their argument, as functions
// of the stringified value and its content type.
var escapersCT = map[string]func(string, contentType) string{
	"_html_template_attrescaper":      attrEscaperCT,
	"_html_template_cssescaper":       cssEscaperCT,
	"_html_template_cssvaluefilter":   cssValueFilterCT,
	"_html_template_htmlnamefilter":   htmlNameFilterCT,
	"_html_template_htmlescaper":      htmlEscaperCT,
	"_html_template_jsregexpescaper":  jsRegexpEscaperCT,
	"_html_template_jsstrescaper":     jsStrEscaperCT,
	"_html_template_jstmpllitescaper": jsTmplLitEscaperCT,
	"_html_template_nospaceescaper":   htmlNospaceEscaperCT,
	"_html_template_rcdataescaper":    rcdataEscaperCT,
	"_html_template_srcsetescaper":    srcsetFilterAndEscaperCT,
	"_html_template_urlescaper":       func(s string, t contentType) string { return urlProcessorCT(false, s, t) },
	"_html_template_urlfilter":        urlFilterCT,
	"_html_template_urlnormalizer":    func(s string, t contentType) string { return urlProcessorCT(true, s, t) },
}

// stringify1 is stringify of one argument, without making a slice of it.
func stringify1(a any) (string, contentType) {
	if s, t, ok := content(a); ok {
		return s, t
	}
	if a == nil {
		return "", contentTypePlain
	}
	return fmt.Sprint(indirectToStringerOrError(a)), contentTypePlain
}

// printValue writes the textual representation of the value, as
// text/template does.
func (s *runState) printValue(v reflect.Value) {
	if v.Kind() == reflect.String && v.Type() == stringType {
		s.w.WriteString(v.String())
		return
	}
	iface, ok := printableValue(v)
	if !ok {
		s.errorf("can't print value of type %s", v.Type())
	}
	fmt.Fprint(s.w, iface)
}

var stringType = reflect.TypeFor[string]()
