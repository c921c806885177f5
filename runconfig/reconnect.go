package runconfig

import (
	"math"
	"math/rand/v2"
	"time"
)

// Defaults of a ReconnectPolicy whose fields are zero.
const (
	DefaultReconnectAttempts   = 5
	DefaultInitialBackoff      = 500 * time.Millisecond
	DefaultMaxBackoff          = 10 * time.Second
	DefaultBackoffMultiplier   = 2.0
	DefaultJitter              = 0.2
	DefaultQuotaInitialBackoff = 5 * time.Second
	DefaultQuotaMaxBackoff     = 60 * time.Second
)

// NoJitter, as ReconnectPolicy.Jitter, turns jitter off: every backoff is
// exactly the exponential schedule. (A zero Jitter means DefaultJitter.)
const NoJitter = -1.0

// ReconnectPolicy is how a live run reconnects after its connection drops
// for a retryable reason (an unexpected normal closure, an abnormal drop, a
// transient server error, a stuck write or a silent socket) or the server
// retires it (goAway); fatal errors (an invalid setup, a bad key) are never
// retried. AttemptAllowed and Backoff compute the schedule the run follows.
//
// Each field's zero value means its default, so a zero ReconnectPolicy
// reconnects up to DefaultReconnectAttempts times, waiting
// DefaultInitialBackoff, then twice as long each attempt up to
// DefaultMaxBackoff, each wait shortened by up to 20% at random. Quota
// errors ("resource exhausted") follow the same schedule from
// DefaultQuotaInitialBackoff up to DefaultQuotaMaxBackoff.
type ReconnectPolicy struct {
	// Disabled turns reconnection off: a dropped connection ends the run
	// with the connection's error.
	Disabled bool

	// MaxAttempts is how many reconnection attempts in a row are made
	// before the run ends with the last error. A successful reconnection
	// starts the count again. 0 means DefaultReconnectAttempts.
	MaxAttempts int

	// InitialBackoff is the wait before the first attempt. 0 means
	// DefaultInitialBackoff.
	InitialBackoff time.Duration

	// MaxBackoff caps the wait before any attempt. 0 means the larger of
	// DefaultMaxBackoff and InitialBackoff.
	MaxBackoff time.Duration

	// Multiplier is the factor between the waits of two consecutive
	// attempts, at least 1. 0 means DefaultBackoffMultiplier.
	Multiplier float64

	// Jitter is the largest fraction, in (0, 1], by which a wait is
	// shortened at random, so that many clients dropped at once do not
	// reconnect in lockstep. 0 means DefaultJitter; NoJitter turns jitter
	// off.
	Jitter float64

	// QuotaInitialBackoff is the wait before the first attempt after a
	// quota error. 0 means DefaultQuotaInitialBackoff.
	QuotaInitialBackoff time.Duration

	// QuotaMaxBackoff caps the wait after a quota error. 0 means the larger
	// of DefaultQuotaMaxBackoff and QuotaInitialBackoff.
	QuotaMaxBackoff time.Duration
}

// WithDefaults returns p with every zero field set to its default.
// Disabled and a NoJitter Jitter are kept as they are.
func (p ReconnectPolicy) WithDefaults() ReconnectPolicy {
	if p.MaxAttempts == 0 {
		p.MaxAttempts = DefaultReconnectAttempts
	}
	if p.InitialBackoff == 0 {
		p.InitialBackoff = DefaultInitialBackoff
	}
	if p.MaxBackoff == 0 {
		p.MaxBackoff = max(DefaultMaxBackoff, p.InitialBackoff)
	}
	if p.Multiplier == 0 {
		p.Multiplier = DefaultBackoffMultiplier
	}
	if p.Jitter == 0 {
		p.Jitter = DefaultJitter
	}
	if p.QuotaInitialBackoff == 0 {
		p.QuotaInitialBackoff = DefaultQuotaInitialBackoff
	}
	if p.QuotaMaxBackoff == 0 {
		p.QuotaMaxBackoff = max(DefaultQuotaMaxBackoff, p.QuotaInitialBackoff)
	}
	return p
}

// AttemptAllowed reports whether reconnection attempt number attempt
// (counting from 1 since the last successful connection) may be made.
func (p ReconnectPolicy) AttemptAllowed(attempt int) bool {
	if p.Disabled {
		return false
	}
	return attempt >= 1 && attempt <= p.WithDefaults().MaxAttempts
}

// JitterSource is a source of random numbers for jitter.
// *math/rand/v2.Rand implements it.
type JitterSource interface {
	// Float64 returns a number in [0, 1).
	Float64() float64
}

// Backoff returns how long to wait before reconnection attempt number
// attempt (counting from 1; smaller values count as 1) after a retryable
// error: InitialBackoff × Multiplier^(attempt-1), capped at MaxBackoff, then
// shortened by up to Jitter of itself using src. The result is never more
// than MaxBackoff. A nil src uses the math/rand/v2 top-level generator;
// pass your own for repeatable results.
func (p ReconnectPolicy) Backoff(attempt int, src JitterSource) time.Duration {
	p = p.WithDefaults()
	return p.backoff(attempt, p.InitialBackoff, p.MaxBackoff, src)
}

// QuotaBackoff is like Backoff for a quota error: the schedule starts at
// QuotaInitialBackoff and is capped at QuotaMaxBackoff.
func (p ReconnectPolicy) QuotaBackoff(attempt int, src JitterSource) time.Duration {
	p = p.WithDefaults()
	return p.backoff(attempt, p.QuotaInitialBackoff, p.QuotaMaxBackoff, src)
}

// backoff computes one wait; p has its defaults filled in.
func (p ReconnectPolicy) backoff(attempt int, initial, maxWait time.Duration, src JitterSource) time.Duration {
	if initial <= 0 || maxWait <= 0 {
		return 0
	}
	attempt = max(attempt, 1)
	multiplier := p.Multiplier
	if multiplier < 1 || math.IsNaN(multiplier) {
		multiplier = 1
	}
	// Durations near the int64 limit do not survive a round trip through
	// float64, so the float schedule only decides which side of maxWait
	// the wait is on.
	wait := maxWait
	if w := float64(initial) * math.Pow(multiplier, float64(attempt-1)); w < float64(maxWait) {
		wait = min(time.Duration(w), maxWait)
	}
	jitter := p.Jitter
	if !(jitter > 0) { // also NaN
		return wait
	}
	var r float64
	if src != nil {
		r = src.Float64()
	} else {
		r = rand.Float64()
	}
	if math.IsNaN(r) {
		r = 0
	}
	cut := float64(wait) * min(jitter, 1) * min(max(r, 0), 1)
	if !(cut < float64(wait)) {
		return 0
	}
	return max(wait-time.Duration(cut), 0)
}
