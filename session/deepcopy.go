package session

import (
	"reflect"

	"github.com/adklive/adklive/event"
)

// cloneEvent returns a copy of ev that shares no memory reachable through
// exported fields with it.
func cloneEvent(ev *event.Event) *event.Event {
	c := deepCopy(*ev)
	return &c
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
	c, _ := copyValue(reflect.ValueOf(&v).Elem()).Interface().(T)
	return c
}

// copyValue returns a deep copy of v as deepCopy describes it.
func copyValue(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(copyValue(v.Elem()))
		return p
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		c := reflect.New(v.Type()).Elem()
		c.Set(copyValue(v.Elem()))
		return c
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		m := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			m.SetMapIndex(it.Key(), copyValue(it.Value()))
		}
		return m
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		s := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		if isFlat(v.Type().Elem().Kind()) {
			reflect.Copy(s, v)
			return s
		}
		for i := range v.Len() {
			s.Index(i).Set(copyValue(v.Index(i)))
		}
		return s
	case reflect.Array:
		a := reflect.New(v.Type()).Elem()
		for i := range v.Len() {
			a.Index(i).Set(copyValue(v.Index(i)))
		}
		return a
	case reflect.Struct:
		s := reflect.New(v.Type()).Elem()
		s.Set(v)
		for i := range v.NumField() {
			if f := s.Field(i); f.CanSet() && !isFlat(f.Kind()) {
				f.Set(copyValue(v.Field(i)))
			}
		}
		return s
	default:
		return v
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
