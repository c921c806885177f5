package main

import (
	"errors"
	"flag"
	"strings"
	"testing"
)

// -h shows one default for -model: the model the console would use.
func TestHelpShowsOneModelDefault(t *testing.T) {
	for _, env := range []string{"", "gemini-live-from-env"} {
		t.Setenv("DEMO_AGENT_MODEL", env)
		var out strings.Builder
		if _, err := parseFlags([]string{"-h"}, &out); !errors.Is(err, flag.ErrHelp) {
			t.Fatalf("parseFlags(-h) = %v, want flag.ErrHelp", err)
		}
		_, after, ok := strings.Cut(out.String(), "  -model string\n")
		if !ok {
			t.Fatalf("-h output has no -model entry:\n%s", out.String())
		}
		entry, _, _ := strings.Cut(after, "\n  -")
		want := defaultModel
		if env != "" {
			want = env
		}
		if n := strings.Count(entry, "(default"); n != 1 || !strings.Contains(entry, `(default "`+want+`")`) {
			t.Errorf("DEMO_AGENT_MODEL=%q: the -model entry %q should show one default, %q", env, entry, want)
		}
	}
}
