package session

import (
	"reflect"

	"github.com/adklive/adklive/event"
)

// cloneEvent returns a copy of ev that shares no memory reachable through
// exported fields with it.
func cloneEvent(ev *event.Event) *event.Event {
	c := new(event.Event)
	copyInto(reflect.ValueOf(c).Elem(), reflect.ValueOf(ev).Elem())
	return c
}

// cloneState returns a deep copy of s; nil stays nil.
func cloneState(s State) State {
	if s == nil {
		return nil
	}
	c := make(State, len(s))
	for k, v := range s {
		c[k] = deepCopy(v)
	}
	return c
}

// deepCopy returns a copy of v that shares no memory reachable through
// exported fields, pointers, slices, maps and interfaces with it. Fields a
// package keeps unexported (as in time.Time) are copied by value. v must not
// contain a cycle.
func deepCopy[T any](v T) T {
	var c T
	copyInto(reflect.ValueOf(&c).Elem(), reflect.ValueOf(&v).Elem())
	return c
}

// copyInto sets dst, which must be settable and of src's type, to a deep
// copy of src as deepCopy describes it.
func copyInto(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		p := reflect.New(src.Type().Elem())
		copyInto(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Interface:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		elem := src.Elem()
		if isFlat(elem.Kind()) {
			dst.Set(elem)
			return
		}
		c := reflect.New(elem.Type()).Elem()
		copyInto(c, elem)
		dst.Set(c)
	case reflect.Map:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		val := reflect.New(src.Type().Elem()).Elem() // reused: SetMapIndex copies it
		for it := src.MapRange(); it.Next(); {
			copyInto(val, it.Value())
			m.SetMapIndex(it.Key(), val)
		}
		dst.Set(m)
	case reflect.Slice:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		if isFlat(src.Type().Elem().Kind()) {
			reflect.Copy(s, src)
		} else {
			for i := range src.Len() {
				copyInto(s.Index(i), src.Index(i))
			}
		}
		dst.Set(s)
	case reflect.Array:
		for i := range src.Len() {
			copyInto(dst.Index(i), src.Index(i))
		}
	case reflect.Struct:
		dst.Set(src)
		for i := range src.NumField() {
			if f := dst.Field(i); f.CanSet() && !isFlat(f.Kind()) {
				copyInto(f, src.Field(i))
			}
		}
	default:
		dst.Set(src)
	}
}

// isFlat reports whether values of kind k hold no references, so copying
// them by value is a deep copy.
func isFlat(k reflect.Kind) bool {
	switch k {
	case reflect.Bool, reflect.String,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return true
	}
	return false
}
