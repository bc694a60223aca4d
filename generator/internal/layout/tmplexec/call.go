package tmplexec

import (
	"html/template"
	"reflect"
	"text/template/parse"
	"time"
)

// function compiles a call of the function name; args[0] is its name.
func (c *compiler) function(name string, args []parse.Node, hasFinal bool) cmdFn {
	var fn any
	builtin := false
	if f, ok := escapers[name]; ok {
		fn = f
	} else if f, ok := c.funcs[name]; ok {
		fn = f
	} else if f, ok := builtins[name]; ok {
		fn, builtin = f, true
	} else {
		c.fail("function %q not defined", name)
	}
	fv := reflect.ValueOf(fn)
	if fv.Kind() != reflect.Func {
		c.fail("%s is not a function", name)
	}
	typ := fv.Type()
	as := c.args(args[1:])
	if builtin && (name == "and" || name == "or") {
		return c.andOr(name == "or", as, hasFinal)
	}
	if builtin && name == "call" {
		return c.callBuiltin(as, args[1:], hasFinal)
	}
	numIn := len(as)
	if hasFinal {
		numIn++
	}
	numFixed := len(as)
	if typ.IsVariadic() {
		numFixed = typ.NumIn() - 1
		if numIn < numFixed {
			return errCmd("wrong number of args for %s", name)
		}
	} else if numIn != typ.NumIn() {
		return errCmd("wrong number of args for %s", name)
	}
	if err := goodFunc(name, typ); err != nil {
		return errCmd("%v", err)
	}
	// The arguments, each made for the type of its parameter; the final
	// value is validated when it is known.
	argv := make([]valueFn, len(as))
	i := 0
	for ; i < numFixed && i < len(as); i++ {
		argv[i] = c.typed(as[i], typ.In(i))
	}
	if typ.IsVariadic() {
		argType := typ.In(typ.NumIn() - 1).Elem()
		for ; i < len(as); i++ {
			argv[i] = c.typed(as[i], argType)
		}
	}
	var finalType reflect.Type
	if hasFinal {
		finalType = typ.In(typ.NumIn() - 1)
		if typ.IsVariadic() {
			if numIn-1 < numFixed {
				finalType = typ.In(numIn - 1)
			} else {
				finalType = finalType.Elem()
			}
		}
	}
	// in evaluates the arguments into buf.
	in := func(s *runState, dot, final reflect.Value, buf []reflect.Value) []reflect.Value {
		for _, a := range argv {
			buf = append(buf, a(s, dot))
		}
		if finalType != nil {
			if finalType == reflectValueType {
				buf = append(buf, rv(final)) // validated, then unwrapped by the call
			} else {
				buf = append(buf, s.validateType(final, finalType))
			}
		}
		return buf
	}
	if call := typedCall(fn, name); call != nil {
		return func(s *runState, dot, final reflect.Value) reflect.Value {
			var stack [4]reflect.Value
			return call(s, in(s, dot, final, stack[:0]))
		}
	}
	// Any other function is called through reflect, as text/template
	// does; a parameter of type reflect.Value takes the argument itself.
	reflectArgs := false
	for i := range typ.NumIn() {
		t := typ.In(i)
		if i == typ.NumIn()-1 && typ.IsVariadic() {
			t = t.Elem()
		}
		reflectArgs = reflectArgs || t == reflectValueType
	}
	return func(s *runState, dot, final reflect.Value) reflect.Value {
		var stack [4]reflect.Value
		av := in(s, dot, final, stack[:0])
		if reflectArgs {
			for i := range av {
				if t := paramType(typ, i); t == reflectValueType {
					av[i] = reflect.ValueOf(av[i])
				}
			}
		}
		v, err := safeCall(fv, av)
		if err != nil {
			s.errorf("error calling %s: %v", name, err)
		}
		return unwrap(v)
	}
}

// paramType is the type of the i-th argument of a function of type typ.
func paramType(typ reflect.Type, i int) reflect.Type {
	if typ.IsVariadic() && i >= typ.NumIn()-1 {
		return typ.In(typ.NumIn() - 1).Elem()
	}
	return typ.In(i)
}

// rv is an argument as a function taking a reflect.Value receives it.
func rv(v reflect.Value) reflect.Value {
	if v.IsValid() && v.Type() == reflectValueType {
		return v.Interface().(reflect.Value)
	}
	return v
}

// andOr compiles the builtins and and or, which stop at the first argument
// that decides their value.
func (c *compiler) andOr(or bool, as []arg, hasFinal bool) cmdFn {
	if len(as) == 0 && !hasFinal {
		return errCmd("wrong number of args")
	}
	argv := make([]valueFn, len(as))
	for i, a := range as {
		argv[i] = c.typed(a, reflectValueType)
	}
	return func(s *runState, dot, final reflect.Value) reflect.Value {
		var v reflect.Value
		for _, a := range argv {
			v = rv(a(s, dot))
			if truth(v) == or {
				return v
			}
		}
		if hasFinal {
			v = rv(final)
		}
		return v
	}
}

// callBuiltin compiles the builtin call: its first argument is the
// function, called with the others.
func (c *compiler) callBuiltin(as []arg, nodes []parse.Node, hasFinal bool) cmdFn {
	if len(as) == 0 && !hasFinal {
		return errCmd("wrong number of args for call")
	}
	argv := make([]valueFn, len(as))
	for i, a := range as {
		argv[i] = c.typed(a, reflectValueType)
	}
	var calleeName string
	if len(nodes) > 0 {
		calleeName = nodes[0].String()
	}
	return func(s *runState, dot, final reflect.Value) reflect.Value {
		av := make([]reflect.Value, 0, len(argv)+1)
		for _, a := range argv {
			av = append(av, rv(a(s, dot)))
		}
		name := calleeName
		if hasFinal {
			if len(argv) == 0 {
				name = final.String()
			}
			av = append(av, rv(final))
		}
		v, err := call(name, av[0], av[1:]...)
		if err != nil {
			s.errorf("error calling call: %v", err)
		}
		return v
	}
}

// typedCall returns a caller of fn without reflect for the signatures
// common in templates; nil for others. The arguments are validated for the
// parameters' types already.
func typedCall(fn any, name string) func(s *runState, av []reflect.Value) reflect.Value {
	fail := func(s *runState, err error) {
		s.errorf("error calling %s: %v", name, err)
	}
	switch f := fn.(type) {
	case func(...any) string:
		return func(_ *runState, av []reflect.Value) reflect.Value { return reflect.ValueOf(f(anys(av)...)) }
	case func(string, ...any) string:
		return func(_ *runState, av []reflect.Value) reflect.Value {
			return reflect.ValueOf(f(av[0].String(), anys(av[1:])...))
		}
	case func() string:
		return func(_ *runState, av []reflect.Value) reflect.Value { return reflect.ValueOf(f()) }
	case func(string) string:
		return func(_ *runState, av []reflect.Value) reflect.Value { return reflect.ValueOf(f(av[0].String())) }
	case func(string, string) string:
		return func(_ *runState, av []reflect.Value) reflect.Value {
			return reflect.ValueOf(f(av[0].String(), av[1].String()))
		}
	case func(string, string, string) string:
		return func(_ *runState, av []reflect.Value) reflect.Value {
			return reflect.ValueOf(f(av[0].String(), av[1].String(), av[2].String()))
		}
	case func(string) (string, error):
		return func(s *runState, av []reflect.Value) reflect.Value {
			r, err := f(av[0].String())
			if err != nil {
				fail(s, err)
			}
			return reflect.ValueOf(r)
		}
	case func(any) string:
		return func(_ *runState, av []reflect.Value) reflect.Value { return reflect.ValueOf(f(av[0].Interface())) }
	case func(any) (string, error):
		return func(s *runState, av []reflect.Value) reflect.Value {
			r, err := f(av[0].Interface())
			if err != nil {
				fail(s, err)
			}
			return reflect.ValueOf(r)
		}
	case func(int, string, string) string:
		return func(_ *runState, av []reflect.Value) reflect.Value {
			return reflect.ValueOf(f(int(av[0].Int()), av[1].String(), av[2].String()))
		}
	case func(time.Time) string:
		return func(_ *runState, av []reflect.Value) reflect.Value {
			return reflect.ValueOf(f(av[0].Interface().(time.Time)))
		}
	case func(*int) int:
		return func(_ *runState, av []reflect.Value) reflect.Value {
			return reflect.ValueOf(f(av[0].Interface().(*int)))
		}
	case func([]string, string) string:
		return func(_ *runState, av []reflect.Value) reflect.Value {
			return reflect.ValueOf(f(av[0].Interface().([]string), av[1].String()))
		}
	case func(string, string) template.URL:
		return func(_ *runState, av []reflect.Value) reflect.Value {
			return reflect.ValueOf(f(av[0].String(), av[1].String()))
		}
	case func(...any) (map[string]any, error):
		return func(s *runState, av []reflect.Value) reflect.Value {
			r, err := f(anys(av)...)
			if err != nil {
				fail(s, err)
			}
			return reflect.ValueOf(r)
		}
	case func(string, string, any) (template.HTML, error):
		return func(s *runState, av []reflect.Value) reflect.Value {
			r, err := f(av[0].String(), av[1].String(), av[2].Interface())
			if err != nil {
				fail(s, err)
			}
			return reflect.ValueOf(r)
		}
	case func(string, any) (template.HTML, error):
		return func(s *runState, av []reflect.Value) reflect.Value {
			r, err := f(av[0].String(), av[1].Interface())
			if err != nil {
				fail(s, err)
			}
			return reflect.ValueOf(r)
		}
	// text/template's builtins, whose parameters are reflect.Values.
	case func(reflect.Value) bool:
		return func(_ *runState, av []reflect.Value) reflect.Value { return reflect.ValueOf(f(av[0])) }
	case func(reflect.Value, reflect.Value) (bool, error):
		return func(s *runState, av []reflect.Value) reflect.Value {
			r, err := f(av[0], av[1])
			if err != nil {
				fail(s, err)
			}
			return reflect.ValueOf(r)
		}
	case func(reflect.Value, ...reflect.Value) (bool, error):
		return func(s *runState, av []reflect.Value) reflect.Value {
			r, err := f(av[0], av[1:]...)
			if err != nil {
				fail(s, err)
			}
			return reflect.ValueOf(r)
		}
	case func(reflect.Value) (int, error):
		return func(s *runState, av []reflect.Value) reflect.Value {
			r, err := f(av[0])
			if err != nil {
				fail(s, err)
			}
			return reflect.ValueOf(r)
		}
	case func(reflect.Value, ...reflect.Value) (reflect.Value, error):
		return func(s *runState, av []reflect.Value) reflect.Value {
			r, err := f(av[0], av[1:]...)
			if err != nil {
				fail(s, err)
			}
			return r
		}
	}
	return nil
}

// anys are the arguments of a ...any parameter, as a call passes them.
func anys(av []reflect.Value) []any {
	out := make([]any, len(av))
	for i, v := range av {
		out[i] = v.Interface()
	}
	return out
}
