package runconfig

import (
	"cmp"
	"fmt"
	"time"
)

// Defaults of the bounds on a run's waits and buffers, used when the
// matching RunConfig field is zero.
const (
	// DefaultConnectTimeout bounds one connection attempt: the dial, the
	// setup message and the wait for the server's setupComplete.
	DefaultConnectTimeout = 15 * time.Second
	// DefaultWriteTimeout bounds one message write. A write still
	// blocked past it (a server that stopped reading) drops the
	// connection, which then reconnects like any other drop.
	DefaultWriteTimeout = 10 * time.Second
	// DefaultKeepalive is how often an open connection is pinged; a ping
	// not answered within the same interval drops the connection, so a
	// silent or half-open socket is noticed within two intervals.
	DefaultKeepalive = 15 * time.Second
	// DefaultToolGracePeriod is how long the end of a run waits for tool
	// calls it cancelled before it abandons them.
	DefaultToolGracePeriod = 5 * time.Second
	// DefaultMaxHeldAudioBytes bounds the audio held while the connection
	// is down: 10 s of 16 kHz 16-bit mono audio.
	DefaultMaxHeldAudioBytes = 10 * 16000 * 2
	// DefaultSessionLimitWarning is how long before the service's session
	// duration limit a run without context window compression warns.
	DefaultSessionLimitWarning = time.Minute
)

// boundsWithDefaults fills the zero bounds of c with their defaults.
func (c *RunConfig) boundsWithDefaults() {
	c.ConnectTimeout = cmp.Or(c.ConnectTimeout, DefaultConnectTimeout)
	c.WriteTimeout = cmp.Or(c.WriteTimeout, DefaultWriteTimeout)
	c.Keepalive = cmp.Or(c.Keepalive, DefaultKeepalive)
	c.ToolGracePeriod = cmp.Or(c.ToolGracePeriod, DefaultToolGracePeriod)
	c.MaxHeldAudioBytes = cmp.Or(c.MaxHeldAudioBytes, DefaultMaxHeldAudioBytes)
	c.SessionLimitWarning = cmp.Or(c.SessionLimitWarning, DefaultSessionLimitWarning)
}

// bounds checks the bounds that have no meaning when negative.
func (v *validator) bounds(c RunConfig) {
	v.notNegative("ConnectTimeout", c.ConnectTimeout, " (0 means the default)")
	v.notNegative("WriteTimeout", c.WriteTimeout, " (0 means the default)")
}

// notNegative reports a negative duration; hint follows "must not be
// negative".
func (v *validator) notNegative(field string, d time.Duration, hint string) {
	if d < 0 {
		v.add(field, fmt.Sprintf("must not be negative%s, got %v", hint, d))
	}
}

// KeepaliveEnabled reports whether open connections are pinged: Keepalive
// is not negative.
func (c RunConfig) KeepaliveEnabled() bool { return c.Keepalive >= 0 }
