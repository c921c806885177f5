package session_test

import (
	"testing"

	"github.com/adklive/adklive/session"
	"github.com/google/go-cmp/cmp"
)

func TestScopeOf(t *testing.T) {
	for _, c := range []struct {
		key  string
		want session.Scope
	}{
		{"app:theme", session.ScopeApp},
		{"user:name", session.ScopeUser},
		{"temp:scratch", session.ScopeTemp},
		{"topic", session.ScopeSession},
		{"", session.ScopeSession},
		{"App:theme", session.ScopeSession}, // prefixes are case-sensitive
		{"application", session.ScopeSession},
		{"app", session.ScopeSession},
		{"x:app:y", session.ScopeSession},
		{"app:", session.ScopeApp},
	} {
		if got := session.ScopeOf(c.key); got != c.want {
			t.Errorf("ScopeOf(%q) = %v, want %v", c.key, got, c.want)
		}
	}
}

func TestScopeString(t *testing.T) {
	got := []string{session.ScopeSession.String(), session.ScopeApp.String(), session.ScopeUser.String(), session.ScopeTemp.String()}
	if diff := cmp.Diff([]string{"session", "app", "user", "temp"}, got); diff != "" {
		t.Errorf("Scope names (-want +got):\n%s", diff)
	}
}

func TestSplitState(t *testing.T) {
	for _, c := range []struct {
		name string
		in   map[string]any
		want session.ScopedState
	}{
		{"Nil", nil, session.ScopedState{}},
		{"OnlyTemp", map[string]any{"temp:a": 1.0}, session.ScopedState{}},
		{"Mixed", map[string]any{"app:a": 1.0, "user:u": "x", "s": true, "temp:t": "dropped", "t2": nil},
			session.ScopedState{
				App:     session.State{"app:a": 1.0},
				User:    session.State{"user:u": "x"},
				Session: session.State{"s": true, "t2": nil},
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, session.SplitState(c.in)); diff != "" {
				t.Errorf("SplitState(%v) (-want +got):\n%s", c.in, diff)
			}
		})
	}
}
