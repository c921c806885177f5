// Package nilcheck finds the typed nil: an interface value that is not nil
// itself but holds a nil pointer, map, slice, function or channel, such as
// a live.Model set to (*gemini.Model)(nil). Comparing such a value with nil
// reports false, so a constructor that only does that accepts it and the
// program panics later, far from the mistake. The constructors of this
// module use TypedNil to refuse it where it is passed.
package nilcheck

import "reflect"

// TypedNil reports whether v is a non-nil interface value whose dynamic
// value is a nil pointer, map, slice, function, channel or interface. It
// reports false for a nil v and for every other value.
func TypedNil(v any) bool {
	if v == nil {
		return false
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface, reflect.UnsafePointer:
		return rv.IsNil()
	}
	return false
}
