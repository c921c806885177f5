package nilcheck_test

import (
	"io"
	"strings"
	"testing"

	"github.com/adklive/adklive/internal/nilcheck"
)

type named struct{}

func (*named) Name() string { return "n" }

type namer interface{ Name() string }

func TestTypedNil(t *testing.T) {
	var nilReader io.Reader
	tests := []struct {
		name string
		v    any
		want bool
	}{
		{"untyped nil", nil, false},
		{"nil interface variable", nilReader, false},
		{"nil pointer", (*strings.Reader)(nil), true},
		{"nil pointer behind an interface type", namer((*named)(nil)), true},
		{"nil map", map[string]any(nil), true},
		{"nil slice", []int(nil), true},
		{"nil func", (func())(nil), true},
		{"nil chan", (chan int)(nil), true},
		{"pointer", &named{}, false},
		{"empty map", map[string]any{}, false},
		{"struct value", named{}, false},
		{"zero int", 0, false},
		{"empty string", "", false},
	}
	for _, tt := range tests {
		if got := nilcheck.TypedNil(tt.v); got != tt.want {
			t.Errorf("%s: TypedNil(%#v) = %v, want %v", tt.name, tt.v, got, tt.want)
		}
	}
}
