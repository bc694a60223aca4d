package tmplexec

import (
	"cmp"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/template/parse"
)

// command compiles a command of a pipeline; hasFinal says it is not the
// first, so that the previous command's value is its last argument.
func (c *compiler) command(cmd *parse.CommandNode, hasFinal bool) cmdFn {
	switch n := cmd.Args[0].(type) {
	case *parse.FieldNode:
		return c.fieldChain(func(_ *runState, dot reflect.Value) reflect.Value { return dot }, n.Ident, cmd.Args, hasFinal)
	case *parse.ChainNode:
		recv := c.chainReceiver(n)
		return c.fieldChain(recv, n.Field, cmd.Args, hasFinal)
	case *parse.IdentifierNode:
		return c.function(n.Ident, cmd.Args, hasFinal)
	case *parse.PipeNode:
		if len(cmd.Args) > 1 || hasFinal {
			return errCmd("can't give argument to non-function %s", cmd.Args[0])
		}
		pipe := c.pipeline(n)
		return func(s *runState, dot, _ reflect.Value) reflect.Value { return pipe(s, dot) }
	case *parse.VariableNode:
		name := n.Ident[0]
		if len(n.Ident) == 1 {
			if len(cmd.Args) > 1 || hasFinal {
				return errCmd("can't give argument to non-function %s", cmd.Args[0])
			}
			return func(s *runState, _, _ reflect.Value) reflect.Value { return s.varValue(name) }
		}
		return c.fieldChain(func(s *runState, _ reflect.Value) reflect.Value { return s.varValue(name) }, n.Ident[1:], cmd.Args, hasFinal)
	}
	if len(cmd.Args) > 1 || hasFinal {
		return errCmd("can't give argument to non-function %s", cmd.Args[0])
	}
	switch word := cmd.Args[0].(type) {
	case *parse.BoolNode:
		v := reflect.ValueOf(word.True)
		return func(*runState, reflect.Value, reflect.Value) reflect.Value { return v }
	case *parse.DotNode:
		return func(_ *runState, dot, _ reflect.Value) reflect.Value { return dot }
	case *parse.NilNode:
		return errCmd("nil is not a command")
	case *parse.NumberNode:
		v, ok := idealConstant(word)
		if !ok {
			return errCmd("%s overflows int", word.Text)
		}
		return func(*runState, reflect.Value, reflect.Value) reflect.Value { return v }
	case *parse.StringNode:
		v := reflect.ValueOf(word.Text)
		return func(*runState, reflect.Value, reflect.Value) reflect.Value { return v }
	}
	c.fail("command %s", cmd)
	return nil
}

func errCmd(format string, args ...any) cmdFn {
	f := errValue(format, args...)
	return func(s *runState, dot, _ reflect.Value) reflect.Value { return f(s, dot) }
}

// chainReceiver compiles the term of (pipe).Field1.Field2.
func (c *compiler) chainReceiver(n *parse.ChainNode) valueFn {
	if n.Node.Type() == parse.NodeNil {
		return errValue("indirection through explicit nil in %s", n)
	}
	dyn := c.dynamic(n.Node)
	if dyn == nil {
		c.fail("chain of %s", n.Node)
	}
	return dyn
}

// idealConstant is the value of a number where its type is not known, as
// text/template has it; false if it overflows int.
func idealConstant(n *parse.NumberNode) (reflect.Value, bool) {
	switch {
	case n.IsComplex:
		return reflect.ValueOf(n.Complex128), true
	case n.IsFloat && !isHexInt(n.Text) && !isRuneInt(n.Text) && strings.ContainsAny(n.Text, ".eEpP"):
		return reflect.ValueOf(n.Float64), true
	case n.IsInt:
		i := int(n.Int64)
		if int64(i) != n.Int64 {
			return reflect.Value{}, false
		}
		return reflect.ValueOf(i), true
	case n.IsUint:
		return reflect.Value{}, false
	}
	return reflect.Value{}, true
}

func isRuneInt(s string) bool { return len(s) > 0 && s[0] == '\'' }

func isHexInt(s string) bool {
	return len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && !strings.ContainsAny(s, "pP")
}

// dynamic compiles an argument whose value does not depend on the type of
// the parameter it is passed to; nil for the constants, which do.
func (c *compiler) dynamic(n parse.Node) valueFn {
	switch n := n.(type) {
	case *parse.DotNode:
		return func(_ *runState, dot reflect.Value) reflect.Value { return dot }
	case *parse.FieldNode, *parse.ChainNode, *parse.IdentifierNode:
		cmd := c.command(&parse.CommandNode{Args: []parse.Node{n}}, false)
		return func(s *runState, dot reflect.Value) reflect.Value { return cmd(s, dot, reflect.Value{}) }
	case *parse.VariableNode:
		name := n.Ident[0]
		if len(n.Ident) == 1 {
			return func(s *runState, _ reflect.Value) reflect.Value { return s.varValue(name) }
		}
		cmd := c.command(&parse.CommandNode{Args: []parse.Node{n}}, false)
		return func(s *runState, dot reflect.Value) reflect.Value { return cmd(s, dot, reflect.Value{}) }
	case *parse.PipeNode:
		return c.pipeline(n)
	}
	return nil
}

// arg is a compiled argument of a call.
type arg struct {
	node parse.Node
	dyn  valueFn // nil for a constant
}

func (c *compiler) args(nodes []parse.Node) []arg {
	out := make([]arg, len(nodes))
	for i, n := range nodes {
		out[i] = arg{node: n, dyn: c.dynamic(n)}
	}
	return out
}

// typed compiles an argument passed to a parameter of type typ.
func (c *compiler) typed(a arg, typ reflect.Type) valueFn {
	if a.dyn != nil {
		dyn := a.dyn
		if typ == reflectValueType {
			// validateType would wrap it, and the call unwrap it.
			return func(s *runState, dot reflect.Value) reflect.Value { return rv(dyn(s, dot)) }
		}
		return func(s *runState, dot reflect.Value) reflect.Value { return s.validateType(dyn(s, dot), typ) }
	}
	v, err := constArg(typ, a.node)
	if err != "" {
		return errValue("%s", err)
	}
	if typ == reflectValueType {
		v = v.Interface().(reflect.Value)
	}
	return func(*runState, reflect.Value) reflect.Value { return v }
}

// constArg is the value of a constant argument for a parameter of type typ,
// as text/template's evalArg makes it; a message if it cannot be one.
func constArg(typ reflect.Type, n parse.Node) (reflect.Value, string) {
	if _, ok := n.(*parse.NilNode); ok {
		if canBeNil(typ) {
			return reflect.Zero(typ), ""
		}
		return reflect.Value{}, "cannot assign nil to " + typ.String()
	}
	num, _ := n.(*parse.NumberNode)
	switch typ.Kind() {
	case reflect.Bool:
		if b, ok := n.(*parse.BoolNode); ok {
			return reflect.ValueOf(b.True).Convert(typ), ""
		}
		return reflect.Value{}, "expected bool"
	case reflect.Complex64, reflect.Complex128:
		if num != nil && num.IsComplex {
			return reflect.ValueOf(num.Complex128).Convert(typ), ""
		}
		return reflect.Value{}, "expected complex"
	case reflect.Float32, reflect.Float64:
		if num != nil && num.IsFloat {
			return reflect.ValueOf(num.Float64).Convert(typ), ""
		}
		return reflect.Value{}, "expected float"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if num != nil && num.IsInt {
			return reflect.ValueOf(num.Int64).Convert(typ), ""
		}
		return reflect.Value{}, "expected integer"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if num != nil && num.IsUint {
			return reflect.ValueOf(num.Uint64).Convert(typ), ""
		}
		return reflect.Value{}, "expected unsigned integer"
	case reflect.String:
		if s, ok := n.(*parse.StringNode); ok {
			return reflect.ValueOf(s.Text).Convert(typ), ""
		}
		return reflect.Value{}, "expected string"
	case reflect.Interface:
		if typ.NumMethod() == 0 {
			return emptyInterfaceConst(n)
		}
	case reflect.Struct:
		if typ == reflectValueType {
			v, msg := emptyInterfaceConst(n)
			return reflect.ValueOf(v), msg
		}
	}
	return reflect.Value{}, "can't handle argument of type " + typ.String()
}

// emptyInterfaceConst is the value of a constant passed as an interface{}.
func emptyInterfaceConst(n parse.Node) (reflect.Value, string) {
	switch n := n.(type) {
	case *parse.BoolNode:
		return reflect.ValueOf(n.True), ""
	case *parse.NumberNode:
		v, ok := idealConstant(n)
		if !ok {
			return reflect.Value{}, n.Text + " overflows int"
		}
		return v, ""
	case *parse.StringNode:
		return reflect.ValueOf(n.Text), ""
	}
	return reflect.Value{}, "can't handle assignment to empty interface argument"
}

// evalArg is text/template's evalArg for a parameter type known only when
// the program runs: a method's.
func (s *runState) evalArg(dot reflect.Value, typ reflect.Type, a arg) reflect.Value {
	if a.dyn != nil {
		return s.validateType(a.dyn(s, dot), typ)
	}
	v, msg := constArg(typ, a.node)
	if msg != "" {
		s.errorf("%s", msg)
	}
	return v
}

// canBeNil reports whether an untyped nil can be assigned to the type.
func canBeNil(typ reflect.Type) bool {
	switch typ.Kind() {
	case reflect.Chan, reflect.Func, reflect.Interface, reflect.Map, reflect.Pointer, reflect.Slice:
		return true
	case reflect.Struct:
		return typ == reflectValueType
	}
	return false
}

// validateType guarantees that the value is valid and assignable to the
// type, as text/template's does.
func (s *runState) validateType(value reflect.Value, typ reflect.Type) reflect.Value {
	if !value.IsValid() {
		if typ == nil {
			return reflect.ValueOf(nil)
		}
		if canBeNil(typ) {
			return reflect.Zero(typ)
		}
		s.errorf("invalid value; expected %s", typ)
	}
	if typ == reflectValueType && value.Type() != typ {
		return reflect.ValueOf(value)
	}
	if typ != nil && !value.Type().AssignableTo(typ) {
		if value.Kind() == reflect.Interface && !value.IsNil() {
			value = value.Elem()
			if value.Type().AssignableTo(typ) {
				return value
			}
		}
		switch {
		case value.Kind() == reflect.Pointer && value.Type().Elem().AssignableTo(typ):
			value = value.Elem()
			if !value.IsValid() {
				s.errorf("dereference of nil pointer of type %s", typ)
			}
		case reflect.PointerTo(value.Type()).AssignableTo(typ) && value.CanAddr():
			value = value.Addr()
		default:
			s.errorf("wrong type for value; expected %s; got %s", typ, value.Type())
		}
	}
	return value
}

// fieldChain compiles .X.Y.Z, on the receiver recv, possibly followed by
// arguments (args[0] is the chain itself).
func (c *compiler) fieldChain(recv valueFn, idents []string, args []parse.Node, hasFinal bool) cmdFn {
	sites := make([]*fieldSite, len(idents))
	for i, name := range idents {
		sites[i] = &fieldSite{name: name}
	}
	last := sites[len(sites)-1]
	last.args = c.args(args[1:])
	last.hasArgs = len(args) > 1 || hasFinal
	last.hasFinal = hasFinal
	return func(s *runState, dot, final reflect.Value) reflect.Value {
		v := recv(s, dot)
		for _, site := range sites {
			v = site.eval(s, dot, final, v)
		}
		return v
	}
}

// fieldSite is one .Field of a template: a field, a method or a map key of
// its receiver, resolved for the last receiver type it saw.
type fieldSite struct {
	name     string
	args     []arg
	hasArgs  bool
	hasFinal bool
	last     atomic.Pointer[resolved]
}

// resolved is what a name is in a receiver type.
type resolved struct {
	typ     reflect.Type
	canAddr bool
	kind    resolvedKind
	// method: its index in the method set of typ, or of *typ if addr.
	method int
	addr   bool
	// field: its index path, and whether it is exported.
	index    []int
	exported bool
	// mapKey: the name as a key.
	key reflect.Value
	msg string // errorKind
}

type resolvedKind uint8

const (
	errorKind resolvedKind = iota
	methodKind
	fieldKind
	mapKind
)

type resolveKey struct {
	typ     reflect.Type
	canAddr bool
	name    string
}

// resolutions are shared by every program and reused for as long as the
// process runs, as encoding/json's encoders are: a type's fields and
// methods never change.
var resolutions sync.Map // resolveKey -> *resolved

func resolve(typ reflect.Type, canAddr bool, name string) *resolved {
	k := resolveKey{typ, canAddr, name}
	if r, ok := resolutions.Load(k); ok {
		return r.(*resolved)
	}
	r := &resolved{typ: typ, canAddr: canAddr}
	mtyp := typ
	if typ.Kind() != reflect.Interface && typ.Kind() != reflect.Pointer && canAddr {
		mtyp, r.addr = reflect.PointerTo(typ), true
	}
	if m, ok := mtyp.MethodByName(name); ok {
		r.kind, r.method = methodKind, m.Index
	} else {
		switch typ.Kind() {
		case reflect.Struct:
			if f, ok := typ.FieldByName(name); ok {
				r.kind, r.index, r.exported = fieldKind, f.Index, f.IsExported()
			}
		case reflect.Map:
			key := reflect.ValueOf(name)
			if key.Type().AssignableTo(typ.Key()) {
				r.kind, r.key = mapKind, key
			}
		}
	}
	if r.kind == errorKind {
		r.msg = "can't evaluate field " + name
	}
	v, _ := resolutions.LoadOrStore(k, r)
	return v.(*resolved)
}

// eval is text/template's evalField.
func (f *fieldSite) eval(s *runState, dot, final, receiver reflect.Value) reflect.Value {
	if !receiver.IsValid() {
		return reflect.Value{}
	}
	receiver, isNil := indirectValue(receiver)
	if receiver.Kind() == reflect.Interface && isNil {
		s.errorf("nil pointer evaluating %s", f.name)
	}
	typ, canAddr := receiver.Type(), receiver.CanAddr()
	r := f.last.Load()
	if r == nil || r.typ != typ || r.canAddr != canAddr {
		r = resolve(typ, canAddr, f.name)
		f.last.Store(r)
	}
	switch r.kind {
	case methodKind:
		ptr := receiver
		if r.addr {
			ptr = ptr.Addr()
		}
		return s.callValue(dot, ptr.Method(r.method), f.name, f.args, final, f.hasFinal)
	case fieldKind:
		if !r.exported {
			s.errorf("%s is an unexported field", f.name)
		}
		field, err := receiver.FieldByIndexErr(r.index)
		if err != nil {
			s.errorf("%v", err)
		}
		if f.hasArgs {
			s.errorf("%s has arguments but cannot be invoked as function", f.name)
		}
		return field
	case mapKind:
		if f.hasArgs {
			s.errorf("%s is not a method but has arguments", f.name)
		}
		return receiver.MapIndex(r.key)
	}
	if isNil {
		s.errorf("nil pointer evaluating %s", f.name)
	}
	s.errorf("%s", r.msg)
	return reflect.Value{}
}

// callValue is text/template's evalCall of a function or method known only
// when the program runs.
func (s *runState) callValue(dot, fun reflect.Value, name string, args []arg, final reflect.Value, hasFinal bool) reflect.Value {
	typ := fun.Type()
	numIn := len(args)
	if hasFinal {
		numIn++
	}
	numFixed := len(args)
	if typ.IsVariadic() {
		numFixed = typ.NumIn() - 1
		if numIn < numFixed {
			s.errorf("wrong number of args for %s", name)
		}
	} else if numIn != typ.NumIn() {
		s.errorf("wrong number of args for %s", name)
	}
	if err := goodFunc(name, typ); err != nil {
		s.errorf("%v", err)
	}
	var stack [4]reflect.Value
	argv := stack[:0]
	if numIn > len(stack) {
		argv = make([]reflect.Value, 0, numIn)
	}
	i := 0
	for ; i < numFixed && i < len(args); i++ {
		argv = append(argv, s.evalArg(dot, typ.In(i), args[i]))
	}
	if typ.IsVariadic() {
		argType := typ.In(typ.NumIn() - 1).Elem()
		for ; i < len(args); i++ {
			argv = append(argv, s.evalArg(dot, argType, args[i]))
		}
	}
	if hasFinal {
		t := typ.In(typ.NumIn() - 1)
		if typ.IsVariadic() {
			if numIn-1 < numFixed {
				t = typ.In(numIn - 1)
			} else {
				t = t.Elem()
			}
		}
		argv = append(argv, s.validateType(final, t))
	}
	v, err := safeCall(fun, argv)
	if err != nil {
		s.errorf("error calling %s: %v", name, err)
	}
	return unwrap(v)
}

// unwrap returns the reflect.Value a function returned as such.
func unwrap(v reflect.Value) reflect.Value {
	if v.Type() == reflectValueType {
		v = v.Interface().(reflect.Value)
	}
	return v
}

var reflectValueType = reflect.TypeFor[reflect.Value]()

// rangeNode compiles {{range}}.
func (c *compiler) rangeNode(r *parse.RangeNode) nodeFn {
	pipe := c.pipeline(r.Pipe)
	body := c.list(r.List)
	els := c.list(r.ElseList)
	decls := len(r.Pipe.Decl)
	assign := r.Pipe.IsAssign
	var names []string
	for _, d := range r.Pipe.Decl {
		names = append(names, d.Ident[0])
	}
	return func(s *runState, dot reflect.Value) ctl {
		mark0 := len(s.vars)
		defer func() { s.vars = s.vars[:mark0] }()
		val, _ := indirectValue(pipe(s, dot))
		mark := len(s.vars)
		// one runs the body for an element; false stops the loop.
		one := func(index, elem reflect.Value) bool {
			if decls > 0 {
				if assign {
					if decls > 1 {
						s.setVar(names[0], index)
					} else {
						s.setVar(names[0], elem)
					}
				} else {
					s.setTopVar(1, elem)
				}
			}
			if decls > 1 {
				if assign {
					s.setVar(names[1], elem)
				} else {
					s.setTopVar(2, index)
				}
			}
			r := body(s, elem)
			s.vars = s.vars[:mark]
			return r != ctlBreak
		}
		switch val.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			if decls > 1 {
				s.errorf("can't use %v to iterate over more than one variable", val)
			}
			run := false
			for v := range val.Seq() {
				run = true
				if !one(reflect.Value{}, v) {
					break
				}
			}
			if run {
				return ctlNone
			}
		case reflect.Array, reflect.Slice:
			n := val.Len()
			if n == 0 {
				break
			}
			for i := 0; i < n; i++ {
				if !one(reflect.ValueOf(i), val.Index(i)) {
					break
				}
			}
			return ctlNone
		case reflect.Map:
			if val.Len() == 0 {
				break
			}
			keys, values := sortedMap(s, val)
			for i := range keys {
				if !one(keys[i], values[i]) {
					break
				}
			}
			return ctlNone
		case reflect.Chan:
			if val.IsNil() {
				break
			}
			if val.Type().ChanDir() == reflect.SendDir {
				s.errorf("range over send-only channel %v", val)
			}
			i := 0
			for ; ; i++ {
				elem, ok := val.Recv()
				if !ok {
					break
				}
				if !one(reflect.ValueOf(i), elem) {
					break
				}
			}
			if i > 0 {
				return ctlNone
			}
		case reflect.Invalid:
			// A nil map or the like: as an empty one.
		case reflect.Func:
			s.errorf("range over a function is left to text/template")
		default:
			s.errorf("range can't iterate over %v", val)
		}
		if els != nil {
			return els(s, dot)
		}
		return ctlNone
	}
}

// sortedMap returns a map's keys and values in the order text/template
// ranges over them (internal/fmtsort's), for the key kinds it handles.
func sortedMap(s *runState, m reflect.Value) (keys, values []reflect.Value) {
	n := m.Len()
	keys, values = make([]reflect.Value, 0, n), make([]reflect.Value, 0, n)
	iter := m.MapRange()
	for iter.Next() {
		keys = append(keys, iter.Key())
		values = append(values, iter.Value())
	}
	var less func(a, b reflect.Value) int
	switch m.Type().Key().Kind() {
	case reflect.String:
		less = func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		less = func(a, b reflect.Value) int { return cmp.Compare(a.Int(), b.Int()) }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		less = func(a, b reflect.Value) int { return cmp.Compare(a.Uint(), b.Uint()) }
	default:
		s.errorf("range over a map keyed by %s is left to text/template", m.Type().Key())
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(i, j int) int { return less(keys[i], keys[j]) })
	sk, sv := make([]reflect.Value, n), make([]reflect.Value, n)
	for i, j := range idx {
		sk[i], sv[i] = keys[j], values[j]
	}
	return sk, sv
}

// indirectValue returns the item at the end of indirection, and whether it
// is nil (text/template's indirect).
func indirectValue(v reflect.Value) (rv reflect.Value, isNil bool) {
	for ; v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface; v = v.Elem() {
		if v.IsNil() {
			return v, true
		}
	}
	return v, false
}

// indirectInterface returns the concrete value in an interface value, or
// else the zero reflect.Value.
func indirectInterface(v reflect.Value) reflect.Value {
	if v.Kind() != reflect.Interface {
		return v
	}
	if v.IsNil() {
		return reflect.Value{}
	}
	return v.Elem()
}

// isTrue is text/template's truth of a value.
func isTrue(val reflect.Value) (truth, ok bool) {
	if !val.IsValid() {
		return false, true
	}
	switch val.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		truth = val.Len() > 0
	case reflect.Bool:
		truth = val.Bool()
	case reflect.Complex64, reflect.Complex128:
		truth = val.Complex() != 0
	case reflect.Chan, reflect.Func, reflect.Pointer, reflect.UnsafePointer, reflect.Interface:
		truth = !val.IsNil()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		truth = val.Int() != 0
	case reflect.Float32, reflect.Float64:
		truth = val.Float() != 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		truth = val.Uint() != 0
	case reflect.Struct:
		truth = true
	default:
		return
	}
	return truth, true
}

// printableValue returns the, possibly indirected, interface value inside v
// that is best for a call to a formatted printer.
func printableValue(v reflect.Value) (any, bool) {
	if v.Kind() == reflect.Pointer {
		v, _ = indirectValue(v)
	}
	if !v.IsValid() {
		return "<no value>", true
	}
	if !v.Type().Implements(errorType) && !v.Type().Implements(fmtStringerType) {
		if v.CanAddr() && (reflect.PointerTo(v.Type()).Implements(errorType) || reflect.PointerTo(v.Type()).Implements(fmtStringerType)) {
			v = v.Addr()
		} else {
			switch v.Kind() {
			case reflect.Chan, reflect.Func:
				return nil, false
			}
		}
	}
	return v.Interface(), true
}
