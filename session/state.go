package session

import "strings"

// State is a session's key-value state. Values should be what JSON can
// carry (strings, float64, bool, nil, []any, map[string]any): persistent
// services store state as JSON, so other values come back in their JSON
// form there.
type State map[string]any

// Key prefixes that choose a state key's [Scope].
const (
	// KeyPrefixApp marks keys shared by every user and session of the app.
	KeyPrefixApp = "app:"
	// KeyPrefixUser marks keys shared by every session of one user.
	KeyPrefixUser = "user:"
	// KeyPrefixTemp marks keys that are never stored.
	KeyPrefixTemp = "temp:"
)

// Scope says who shares a state key.
type Scope int

const (
	// ScopeSession keys (no prefix) belong to one session.
	ScopeSession Scope = iota
	// ScopeApp keys ("app:") are shared by every user and session of the
	// app.
	ScopeApp
	// ScopeUser keys ("user:") are shared by every session of one user of
	// the app.
	ScopeUser
	// ScopeTemp keys ("temp:") are never stored.
	ScopeTemp
)

// String returns the scope's name: "session", "app", "user" or "temp".
func (s Scope) String() string {
	switch s {
	case ScopeApp:
		return "app"
	case ScopeUser:
		return "user"
	case ScopeTemp:
		return "temp"
	default:
		return "session"
	}
}

// ScopeOf returns the scope of a state key, chosen by its prefix. Prefixes
// are case-sensitive: "App:x" is a session key.
func ScopeOf(key string) Scope {
	switch {
	case strings.HasPrefix(key, KeyPrefixApp):
		return ScopeApp
	case strings.HasPrefix(key, KeyPrefixUser):
		return ScopeUser
	case strings.HasPrefix(key, KeyPrefixTemp):
		return ScopeTemp
	default:
		return ScopeSession
	}
}

// ScopedState is a state map split by scope. Keys keep their prefixes.
type ScopedState struct {
	// App holds the "app:" keys.
	App State
	// User holds the "user:" keys.
	User State
	// Session holds the keys without a prefix.
	Session State
}

// SplitState splits m by the scope of its keys and drops the "temp:" keys.
// The values are shared with m, not copied. A scope with no keys is nil.
func SplitState(m map[string]any) ScopedState {
	var s ScopedState
	for k, v := range m {
		var dst *State
		switch ScopeOf(k) {
		case ScopeApp:
			dst = &s.App
		case ScopeUser:
			dst = &s.User
		case ScopeSession:
			dst = &s.Session
		default:
			continue
		}
		if *dst == nil {
			*dst = make(State)
		}
		(*dst)[k] = v
	}
	return s
}
