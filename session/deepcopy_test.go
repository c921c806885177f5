package session

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDeepCopy(t *testing.T) {
	type inner struct {
		N    *int
		Tags []string
	}
	type outer struct {
		When   time.Time
		Any    any
		Arr    [2]*inner
		M      map[string]*inner
		Nil    map[string]any
		hidden int
	}
	n := 1
	orig := outer{
		When:   time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC),
		Any:    &inner{N: &n, Tags: []string{"a"}},
		Arr:    [2]*inner{{Tags: []string{"b"}}, nil},
		M:      map[string]*inner{"k": {N: &n}},
		hidden: 7,
	}
	c := deepCopy(orig)
	if diff := cmp.Diff(orig, c, cmp.AllowUnexported(outer{})); diff != "" {
		t.Fatalf("copy differs (-orig +copy):\n%s", diff)
	}
	*c.Any.(*inner).N = 2
	c.Any.(*inner).Tags[0] = "x"
	c.Arr[0].Tags[0] = "x"
	*c.M["k"].N = 3
	if n != 1 || orig.Any.(*inner).Tags[0] != "a" || orig.Arr[0].Tags[0] != "b" {
		t.Errorf("changing the copy changed the original: n=%d, %+v", n, orig)
	}

	for _, v := range []any{nil, 1.5, "s", map[string]any(nil), []any(nil)} {
		if diff := cmp.Diff(v, deepCopy(v)); diff != "" {
			t.Errorf("deepCopy(%#v) (-want +got):\n%s", v, diff)
		}
	}
}
