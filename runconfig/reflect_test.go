package runconfig

import (
	"fmt"
	"reflect"
	"testing"
)

// The helpers in this file walk values by reflection so that the copy and
// aliasing tests cover every field, including fields a newer genai adds:
// such a field gets filled in, and the tests fail if it is not copied or is
// shared.

// fill sets every exported field reachable from v (which must be settable)
// to a non-zero value, allocating pointers, slices and maps as it goes.
// seq makes the values differ from one another.
func fill(t *testing.T, v reflect.Value, seq *int, depth int) {
	t.Helper()
	if depth > 40 {
		t.Fatalf("fill: type %v nests too deeply; recursive type?", v.Type())
	}
	*seq++
	n := *seq
	switch v.Kind() {
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(t, p.Elem(), seq, depth+1)
		v.Set(p)
	case reflect.Struct:
		for i := range v.NumField() {
			if !v.Type().Field(i).IsExported() {
				t.Fatalf("fill: %v has unexported field %s; the copy tests cannot cover it", v.Type(), v.Type().Field(i).Name)
			}
			fill(t, v.Field(i), seq, depth+1)
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(t, s.Index(i), seq, depth+1)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k := reflect.New(v.Type().Key()).Elem()
		fill(t, k, seq, depth+1)
		e := reflect.New(v.Type().Elem()).Elem()
		fill(t, e, seq, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Interface:
		// The JSON-like tree an application stores in CustomMetadata.
		v.Set(reflect.ValueOf(map[string]any{
			"list":  []any{fmt.Sprint("item", n), map[string]any{"nested": n}},
			"bytes": []byte{byte(n)},
		}))
	case reflect.String:
		v.SetString(fmt.Sprint("s", n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(n))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(n))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(n) + 0.5)
	default:
		t.Fatalf("fill: unhandled kind %v (type %v)", v.Kind(), v.Type())
	}
}

// sharedMemory returns the paths at which a and b (of the same type) share
// a pointer, a slice's backing array or a map.
func sharedMemory(path string, a, b reflect.Value) []string {
	if a.Kind() != b.Kind() {
		return nil
	}
	var shared []string
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return nil
		}
		// Pointers to zero-size values may all be equal and hold nothing
		// to share.
		if a.Pointer() == b.Pointer() && a.Type().Elem().Size() > 0 {
			shared = append(shared, path)
		}
		shared = append(shared, sharedMemory(path, a.Elem(), b.Elem())...)
	case reflect.Struct:
		for i := range a.NumField() {
			shared = append(shared, sharedMemory(path+"."+a.Type().Field(i).Name, a.Field(i), b.Field(i))...)
		}
	case reflect.Slice:
		if a.Len() == 0 || b.Len() == 0 {
			return nil
		}
		if a.Pointer() == b.Pointer() {
			shared = append(shared, path)
		}
		for i := range min(a.Len(), b.Len()) {
			shared = append(shared, sharedMemory(fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i))...)
		}
	case reflect.Map:
		if a.IsNil() || b.IsNil() {
			return nil
		}
		if a.Pointer() == b.Pointer() {
			shared = append(shared, path)
		}
		for _, k := range a.MapKeys() {
			if bv := b.MapIndex(k); bv.IsValid() {
				shared = append(shared, sharedMemory(fmt.Sprintf("%s[%v]", path, k), a.MapIndex(k), bv)...)
			}
		}
	case reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return nil
		}
		shared = append(shared, sharedMemory(path, a.Elem(), b.Elem())...)
	}
	return shared
}

// filledRunConfig returns a RunConfig with every field, down to the leaves
// of the genai types, set to a distinct non-zero value.
func filledRunConfig(t *testing.T) RunConfig {
	t.Helper()
	var c RunConfig
	seq := 0
	fill(t, reflect.ValueOf(&c).Elem(), &seq, 0)
	return c
}
