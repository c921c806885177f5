package runconfig

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"
)

// TestWithDefaultsDeepCopiesEveryField fills every field reachable from a
// RunConfig, genai types included, and checks that WithDefaults returns an
// equal value sharing no memory with it. A field added to RunConfig or to a
// genai type it holds, and not handled by clone, fails this test.
func TestWithDefaultsDeepCopiesEveryField(t *testing.T) {
	c := filledRunConfig(t)
	d := c.WithDefaults()
	// Every field is already set, so no default applies and the copy
	// must equal the original.
	if diff := cmp.Diff(c, d); diff != "" {
		t.Fatalf("WithDefaults of a fully set config changed it (-orig +copy):\n%s", diff)
	}
	if shared := sharedMemory("RunConfig", reflect.ValueOf(c), reflect.ValueOf(d)); len(shared) > 0 {
		t.Errorf("WithDefaults copy shares memory with the original at:\n%v", shared)
	}
}

// TestApplyToSetupSharesNothing checks that a setup built from a RunConfig
// is unaffected when everything the RunConfig points to is changed
// afterwards.
func TestApplyToSetupSharesNothing(t *testing.T) {
	c := filledRunConfig(t)
	var s genai.LiveClientSetup
	c.ApplyToSetup(&s)
	before, err := json.Marshal(&s)
	if err != nil {
		t.Fatal(err)
	}

	// Refill every pointer target, slice element and map of c in place.
	seq := 1000
	v := reflect.ValueOf(&c).Elem()
	for i := range v.NumField() {
		refillInPlace(t, v.Field(i), &seq)
	}

	after, err := json.Marshal(&s)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(before), string(after)); diff != "" {
		t.Errorf("changing the RunConfig after ApplyToSetup changed the setup (-before +after):\n%s", diff)
	}
}

// refillInPlace changes every leaf reachable from v through the memory v
// already refers to: it follows existing pointers, slices and maps instead
// of replacing them, the way a caller mutating its config would.
func refillInPlace(t *testing.T, v reflect.Value, seq *int) {
	t.Helper()
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			refillInPlace(t, v.Elem(), seq)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			refillInPlace(t, v.Field(i), seq)
		}
	case reflect.Slice:
		for i := range v.Len() {
			refillInPlace(t, v.Index(i), seq)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			fill(t, e, seq, 0)
			v.SetMapIndex(k, e)
		}
	default:
		if v.CanSet() {
			fill(t, v, seq, 0)
		}
	}
}
