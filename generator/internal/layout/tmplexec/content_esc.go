// Copyright 2011 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package tmplexec

import (
	"fmt"
	"html/template"
	"reflect"
)

// The content types are html/template's own.
type (
	CSS      = template.CSS
	HTML     = template.HTML
	HTMLAttr = template.HTMLAttr
	JS       = template.JS
	JSStr    = template.JSStr
	URL      = template.URL
	Srcset   = template.Srcset
)

type contentType uint8

const (
	contentTypePlain contentType = iota
	contentTypeCSS
	contentTypeHTML
	contentTypeHTMLAttr
	contentTypeJS
	contentTypeJSStr
	contentTypeURL
	contentTypeSrcset
	// contentTypeUnsafe is used in attr.go for values that affect how
	// embedded content and network messages are formed, vetted,
	// or interpreted; or which credentials network messages carry.
	contentTypeUnsafe
)

// indirect returns the value, after dereferencing as many times
// as necessary to reach the base type (or nil).
func indirect(a any) any {
	if a == nil {
		return nil
	}
	if t := reflect.TypeOf(a); t.Kind() != reflect.Pointer {
		// Avoid creating a reflect.Value if it's not a pointer.
		return a
	}
	v := reflect.ValueOf(a)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	return v.Interface()
}

var (
	errorType       = reflect.TypeFor[error]()
	fmtStringerType = reflect.TypeFor[fmt.Stringer]()
)

// indirectToStringerOrError returns the value, after dereferencing as many times
// as necessary to reach the base type (or nil) or an implementation of fmt.Stringer
// or error.
func indirectToStringerOrError(a any) any {
	if a == nil {
		return nil
	}
	v := reflect.ValueOf(a)
	for !v.Type().Implements(fmtStringerType) && !v.Type().Implements(errorType) && v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	return v.Interface()
}

// content returns a, after indirect, as a string and its content type,
// if it is a string or one of the content types.
func content(a any) (string, contentType, bool) {
	switch s := indirect(a).(type) {
	case string:
		return s, contentTypePlain, true
	case CSS:
		return string(s), contentTypeCSS, true
	case HTML:
		return string(s), contentTypeHTML, true
	case HTMLAttr:
		return string(s), contentTypeHTMLAttr, true
	case JS:
		return string(s), contentTypeJS, true
	case JSStr:
		return string(s), contentTypeJSStr, true
	case URL:
		return string(s), contentTypeURL, true
	case Srcset:
		return string(s), contentTypeSrcset, true
	}
	return "", 0, false
}

// stringify converts its arguments to a string and the type of the content.
// All pointers are dereferenced, as in the text/template package.
func stringify(args ...any) (string, contentType) {
	if len(args) == 1 {
		if s, t, ok := content(args[0]); ok {
			return s, t
		}
	}
	i := 0
	for _, arg := range args {
		// We skip untyped nil arguments for backward compatibility.
		// Without this they would be output as <nil>, escaped.
		// See issue 25875.
		if arg == nil {
			continue
		}

		args[i] = indirectToStringerOrError(arg)
		i++
	}
	return fmt.Sprint(args[:i]...), contentTypePlain
}
