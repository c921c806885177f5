package runconfig_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/adklive/adklive/runconfig"
)

// fixedSource returns the same number every time.
type fixedSource float64

func (f fixedSource) Float64() float64 { return float64(f) }

func TestReconnectPolicyWithDefaults(t *testing.T) {
	if diff := cmp.Diff(defaultReconnect, runconfig.ReconnectPolicy{}.WithDefaults()); diff != "" {
		t.Errorf("zero policy defaults mismatch (-want +got):\n%s", diff)
	}
	disabled := runconfig.ReconnectPolicy{Disabled: true, Jitter: runconfig.NoJitter}.WithDefaults()
	if !disabled.Disabled || disabled.Jitter != runconfig.NoJitter {
		t.Errorf("WithDefaults() = %+v, want Disabled and NoJitter kept", disabled)
	}
}

func TestBackoffSchedule(t *testing.T) {
	p := runconfig.ReconnectPolicy{
		InitialBackoff: 100 * time.Millisecond, MaxBackoff: time.Second, Multiplier: 2, Jitter: runconfig.NoJitter,
		QuotaInitialBackoff: 3 * time.Second, QuotaMaxBackoff: 20 * time.Second,
	}
	tests := []struct {
		attempt          int
		normal, forQuota time.Duration
	}{
		{attempt: -3, normal: 100 * time.Millisecond, forQuota: 3 * time.Second}, // counts as 1
		{attempt: 0, normal: 100 * time.Millisecond, forQuota: 3 * time.Second},
		{attempt: 1, normal: 100 * time.Millisecond, forQuota: 3 * time.Second},
		{attempt: 2, normal: 200 * time.Millisecond, forQuota: 6 * time.Second},
		{attempt: 3, normal: 400 * time.Millisecond, forQuota: 12 * time.Second},
		{attempt: 4, normal: 800 * time.Millisecond, forQuota: 20 * time.Second},
		{attempt: 5, normal: time.Second, forQuota: 20 * time.Second},
		{attempt: 1000, normal: time.Second, forQuota: 20 * time.Second},
		{attempt: math.MaxInt, normal: time.Second, forQuota: 20 * time.Second},
	}
	for _, tt := range tests {
		// A source is ignored without jitter: any value gives the same wait.
		if got := p.Backoff(tt.attempt, fixedSource(0.7)); got != tt.normal {
			t.Errorf("Backoff(%d) = %v, want %v", tt.attempt, got, tt.normal)
		}
		if got := p.QuotaBackoff(tt.attempt, fixedSource(0.7)); got != tt.forQuota {
			t.Errorf("QuotaBackoff(%d) = %v, want %v", tt.attempt, got, tt.forQuota)
		}
	}
}

func TestBackoffConstantWithMultiplierOne(t *testing.T) {
	p := runconfig.ReconnectPolicy{InitialBackoff: 250 * time.Millisecond, Multiplier: 1, Jitter: runconfig.NoJitter}
	for attempt := 1; attempt <= 10; attempt++ {
		if got := p.Backoff(attempt, nil); got != 250*time.Millisecond {
			t.Errorf("Backoff(%d) = %v, want 250ms", attempt, got)
		}
	}
}

func TestBackoffJitter(t *testing.T) {
	p := runconfig.ReconnectPolicy{InitialBackoff: time.Second, MaxBackoff: 8 * time.Second, Multiplier: 2, Jitter: 0.5}
	tests := []struct {
		name string
		src  runconfig.JitterSource
		want time.Duration
	}{
		{"draw 0 keeps the full wait", fixedSource(0), 4 * time.Second},
		{"draw 0.5 takes a quarter off", fixedSource(0.5), 3 * time.Second},
		{"out-of-range draw is clamped", fixedSource(7), 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Backoff(3, tt.src); got != tt.want {
				t.Errorf("Backoff(3) = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestBackoffBounds checks, with real random draws, that every wait lies
// between the exponential schedule shortened by the full jitter and the
// schedule itself, never above the maximum, for both error kinds.
func TestBackoffBounds(t *testing.T) {
	policies := []runconfig.ReconnectPolicy{
		{}, // defaults
		{InitialBackoff: 50 * time.Millisecond, MaxBackoff: 2 * time.Second, Multiplier: 3, Jitter: 1},
		{InitialBackoff: time.Second, MaxBackoff: time.Second, Multiplier: 1.5, Jitter: 0.1,
			QuotaInitialBackoff: 30 * time.Second, QuotaMaxBackoff: 5 * time.Minute},
	}
	sources := map[string]runconfig.JitterSource{
		"seeded": rand.New(rand.NewPCG(1, 2)),
		"nil":    nil,
	}
	for i, p := range policies {
		eff := p.WithDefaults()
		for name, src := range sources {
			for attempt := 1; attempt <= 20; attempt++ {
				schedule := func(initial, maxWait time.Duration) time.Duration {
					w := float64(initial) * math.Pow(eff.Multiplier, float64(attempt-1))
					return time.Duration(min(w, float64(maxWait)))
				}
				check := func(kind string, got, full, maxWait time.Duration) {
					low := time.Duration(float64(full) * (1 - eff.Jitter))
					if got < low-1 || got > full || got > maxWait {
						t.Errorf("policy %d, %s source, %s attempt %d: wait %v outside [%v, %v] (max %v)",
							i, name, kind, attempt, got, low, full, maxWait)
					}
				}
				check("normal", p.Backoff(attempt, src), schedule(eff.InitialBackoff, eff.MaxBackoff), eff.MaxBackoff)
				check("quota", p.QuotaBackoff(attempt, src), schedule(eff.QuotaInitialBackoff, eff.QuotaMaxBackoff), eff.QuotaMaxBackoff)
			}
		}
	}
}

// TestBackoffJitterSpreads checks that jitter actually varies the waits,
// so clients dropped together do not reconnect in lockstep.
func TestBackoffJitterSpreads(t *testing.T) {
	src := rand.New(rand.NewPCG(3, 4))
	seen := map[time.Duration]bool{}
	for range 20 {
		seen[runconfig.ReconnectPolicy{}.Backoff(1, src)] = true
	}
	if len(seen) < 2 {
		t.Errorf("20 jittered waits took %d distinct values, want several", len(seen))
	}
}

func TestQuotaBackoffLongerByDefault(t *testing.T) {
	var p runconfig.ReconnectPolicy
	for attempt := 1; attempt <= runconfig.DefaultReconnectAttempts; attempt++ {
		normal, quota := p.Backoff(attempt, fixedSource(0)), p.QuotaBackoff(attempt, fixedSource(0))
		if quota <= normal {
			t.Errorf("attempt %d: QuotaBackoff %v not longer than Backoff %v", attempt, quota, normal)
		}
	}
}

func TestAttemptAllowed(t *testing.T) {
	tests := []struct {
		name    string
		p       runconfig.ReconnectPolicy
		attempt int
		want    bool
	}{
		{"default first", runconfig.ReconnectPolicy{}, 1, true},
		{"default last", runconfig.ReconnectPolicy{}, runconfig.DefaultReconnectAttempts, true},
		{"default past last", runconfig.ReconnectPolicy{}, runconfig.DefaultReconnectAttempts + 1, false},
		{"attempt 0", runconfig.ReconnectPolicy{}, 0, false},
		{"custom limit", runconfig.ReconnectPolicy{MaxAttempts: 2}, 2, true},
		{"custom limit exceeded", runconfig.ReconnectPolicy{MaxAttempts: 2}, 3, false},
		{"disabled", runconfig.ReconnectPolicy{Disabled: true}, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.AttemptAllowed(tt.attempt); got != tt.want {
				t.Errorf("AttemptAllowed(%d) = %v, want %v", tt.attempt, got, tt.want)
			}
		})
	}
}

// FuzzBackoff checks that for any policy Validate accepts, every wait is
// between 0 and the policy's maximum, and that no policy makes Backoff
// panic.
func FuzzBackoff(f *testing.F) {
	f.Add(0, int64(0), int64(0), 0.0, 0.0, int64(0), int64(0), 1, 0.5)
	f.Add(5, int64(time.Second), int64(time.Minute), 2.0, 0.2, int64(5*time.Second), int64(time.Minute), 30, 0.99)
	f.Add(1, int64(1), int64(math.MaxInt64), 1e300, 1.0, int64(math.MaxInt64), int64(math.MaxInt64), math.MaxInt, 0.0)
	f.Add(-1, int64(-5), int64(-1), math.NaN(), -1.0, int64(-1), int64(-1), -7, -3.0)
	f.Fuzz(func(t *testing.T, maxAttempts int, initial, maxWait int64, mult, jitter float64, qInitial, qMax int64, attempt int, draw float64) {
		p := runconfig.ReconnectPolicy{
			MaxAttempts: maxAttempts, InitialBackoff: time.Duration(initial), MaxBackoff: time.Duration(maxWait),
			Multiplier: mult, Jitter: jitter, QuotaInitialBackoff: time.Duration(qInitial), QuotaMaxBackoff: time.Duration(qMax),
		}
		normal := p.Backoff(attempt, fixedSource(draw))
		quota := p.QuotaBackoff(attempt, fixedSource(draw))
		_ = p.AttemptAllowed(attempt)
		if (runconfig.RunConfig{Reconnect: p}).Validate(0) != nil {
			return // only the panic check applies to invalid policies
		}
		eff := p.WithDefaults()
		if normal < 0 || normal > eff.MaxBackoff {
			t.Errorf("Backoff(%d) = %v, want within [0, %v] for %+v", attempt, normal, eff.MaxBackoff, p)
		}
		if quota < 0 || quota > eff.QuotaMaxBackoff {
			t.Errorf("QuotaBackoff(%d) = %v, want within [0, %v] for %+v", attempt, quota, eff.QuotaMaxBackoff, p)
		}
	})
}

func BenchmarkBackoff(b *testing.B) {
	src := rand.New(rand.NewPCG(1, 2))
	var p runconfig.ReconnectPolicy
	b.ReportAllocs()
	attempt := 0
	for b.Loop() {
		attempt = attempt%10 + 1
		_ = p.Backoff(attempt, src)
	}
}
