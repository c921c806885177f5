package session_test

import (
	"testing"

	"github.com/adklive/adklive/session"
	"github.com/adklive/adklive/session/sessiontest"
)

func TestInMemoryConformance(t *testing.T) {
	sessiontest.Run(t, func(*testing.T) session.Service { return session.InMemory() })
}
