package runconfig_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/adklive/adklive/runconfig"
)

var (
	audio = []genai.Modality{genai.ModalityAudio}
	text  = []genai.Modality{genai.ModalityText}
)

// defaultReconnect is the documented default policy, spelled out.
var defaultReconnect = runconfig.ReconnectPolicy{
	MaxAttempts:         5,
	InitialBackoff:      500 * time.Millisecond,
	MaxBackoff:          10 * time.Second,
	Multiplier:          2,
	Jitter:              0.2,
	QuotaInitialBackoff: 5 * time.Second,
	QuotaMaxBackoff:     60 * time.Second,
}

// withDefaultBounds returns c with the documented default bounds.
func withDefaultBounds(c runconfig.RunConfig) runconfig.RunConfig {
	c.ConnectTimeout = 15 * time.Second
	c.WriteTimeout = 10 * time.Second
	c.Keepalive = 15 * time.Second
	c.ToolGracePeriod = 5 * time.Second
	c.MaxHeldAudioBytes = 320000
	c.SessionLimitWarning = time.Minute
	return c
}

func TestWithDefaults(t *testing.T) {
	tests := []struct {
		name string
		in   runconfig.RunConfig
		want runconfig.RunConfig
	}{
		{
			name: "zero value",
			in:   runconfig.RunConfig{},
			want: runconfig.RunConfig{ResponseModalities: audio, MaxLLMCalls: 500, Reconnect: defaultReconnect},
		},
		{
			name: "empty modality slice means AUDIO",
			in:   runconfig.RunConfig{ResponseModalities: []genai.Modality{}},
			want: runconfig.RunConfig{ResponseModalities: audio, MaxLLMCalls: 500, Reconnect: defaultReconnect},
		},
		{
			name: "set values are kept",
			in: runconfig.RunConfig{
				ResponseModalities: text,
				MaxLLMCalls:        7,
				MaxConcurrentTools: 3,
				SaveLiveBlob:       true,
				Temperature:        genai.Ptr[float32](0.4),
				Reconnect: runconfig.ReconnectPolicy{
					Disabled: true, MaxAttempts: 2, InitialBackoff: time.Second, MaxBackoff: 3 * time.Second,
					Multiplier: 1.5, Jitter: runconfig.NoJitter, QuotaInitialBackoff: 7 * time.Second, QuotaMaxBackoff: time.Minute,
				},
			},
			want: runconfig.RunConfig{
				ResponseModalities: text,
				MaxLLMCalls:        7,
				MaxConcurrentTools: 3,
				SaveLiveBlob:       true,
				Temperature:        genai.Ptr[float32](0.4),
				Reconnect: runconfig.ReconnectPolicy{
					Disabled: true, MaxAttempts: 2, InitialBackoff: time.Second, MaxBackoff: 3 * time.Second,
					Multiplier: 1.5, Jitter: runconfig.NoJitter, QuotaInitialBackoff: 7 * time.Second, QuotaMaxBackoff: time.Minute,
				},
			},
		},
		{
			name: "set bounds are kept, negative ones too",
			in: runconfig.RunConfig{ConnectTimeout: time.Second, WriteTimeout: 2 * time.Second, Keepalive: -1,
				ToolGracePeriod: -1, MaxHeldAudioBytes: -1, SessionLimitWarning: -1},
			want: runconfig.RunConfig{ResponseModalities: audio, MaxLLMCalls: 500, Reconnect: defaultReconnect,
				ConnectTimeout: time.Second, WriteTimeout: 2 * time.Second, Keepalive: -1,
				ToolGracePeriod: -1, MaxHeldAudioBytes: -1, SessionLimitWarning: -1},
		},
		{
			name: "negative MaxLLMCalls stays unlimited",
			in:   runconfig.RunConfig{MaxLLMCalls: runconfig.UnlimitedLLMCalls},
			want: runconfig.RunConfig{ResponseModalities: audio, MaxLLMCalls: -1, Reconnect: defaultReconnect},
		},
		{
			name: "default max backoffs never below the initial ones",
			in: runconfig.RunConfig{Reconnect: runconfig.ReconnectPolicy{
				InitialBackoff: 30 * time.Second, QuotaInitialBackoff: 2 * time.Minute,
			}},
			want: runconfig.RunConfig{ResponseModalities: audio, MaxLLMCalls: 500, Reconnect: runconfig.ReconnectPolicy{
				MaxAttempts: 5, InitialBackoff: 30 * time.Second, MaxBackoff: 30 * time.Second, Multiplier: 2, Jitter: 0.2,
				QuotaInitialBackoff: 2 * time.Minute, QuotaMaxBackoff: 2 * time.Minute,
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.in.WithDefaults()
			want := tt.want
			if want.ConnectTimeout == 0 {
				want = withDefaultBounds(want)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("WithDefaults() mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(got, got.WithDefaults()); diff != "" {
				t.Errorf("WithDefaults() is not idempotent (-once +twice):\n%s", diff)
			}
		})
	}
}

func TestWithDefaultsLeavesCallerUnchanged(t *testing.T) {
	modalities := make([]genai.Modality, 0, 4) // room to append in place
	c := runconfig.RunConfig{
		ResponseModalities: modalities,
		SpeechConfig:       &genai.SpeechConfig{LanguageCode: "en-US"},
		CustomMetadata:     map[string]any{"tier": "gold"},
	}
	before := runconfig.RunConfig{
		ResponseModalities: []genai.Modality{},
		SpeechConfig:       &genai.SpeechConfig{LanguageCode: "en-US"},
		CustomMetadata:     map[string]any{"tier": "gold"},
	}

	d := c.WithDefaults()
	if diff := cmp.Diff(before, c); diff != "" {
		t.Errorf("WithDefaults modified its receiver (-before +after):\n%s", diff)
	}
	if got := modalities[:1][0]; got != "" {
		t.Errorf("WithDefaults wrote %q into the caller's ResponseModalities backing array", got)
	}

	// Changing the result does not reach the caller's data either.
	d.SpeechConfig.LanguageCode = "fr-FR"
	d.CustomMetadata["tier"] = "silver"
	if diff := cmp.Diff(before, c); diff != "" {
		t.Errorf("changing the copy changed the original (-before +after):\n%s", diff)
	}
}

func TestActivitySignalsAllowed(t *testing.T) {
	tests := []struct {
		name string
		rc   *genai.RealtimeInputConfig
		want bool
	}{
		{"no realtime input config", nil, false},
		{"no automatic activity detection", &genai.RealtimeInputConfig{ActivityHandling: genai.ActivityHandlingNoInterruption}, false},
		{"automatic detection on", &genai.RealtimeInputConfig{AutomaticActivityDetection: &genai.AutomaticActivityDetection{SilenceDurationMs: genai.Ptr[int32](300)}}, false},
		{"automatic detection disabled", &genai.RealtimeInputConfig{AutomaticActivityDetection: &genai.AutomaticActivityDetection{Disabled: true}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := runconfig.RunConfig{RealtimeInputConfig: tt.rc}
			if got := c.ActivitySignalsAllowed(); got != tt.want {
				t.Errorf("ActivitySignalsAllowed() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLLMCallsExceeded(t *testing.T) {
	tests := []struct {
		max, calls int
		want       bool
	}{
		{max: 0, calls: 1, want: false},
		{max: 0, calls: runconfig.DefaultMaxLLMCalls, want: false},
		{max: 0, calls: runconfig.DefaultMaxLLMCalls + 1, want: true},
		{max: 3, calls: 3, want: false},
		{max: 3, calls: 4, want: true},
		{max: 1, calls: 2, want: true},
		{max: runconfig.UnlimitedLLMCalls, calls: 1 << 30, want: false},
		{max: -42, calls: 1 << 30, want: false},
	}
	for _, tt := range tests {
		c := runconfig.RunConfig{MaxLLMCalls: tt.max}
		if got := c.LLMCallsExceeded(tt.calls); got != tt.want {
			t.Errorf("RunConfig{MaxLLMCalls: %d}.LLMCallsExceeded(%d) = %v, want %v", tt.max, tt.calls, got, tt.want)
		}
	}
}

func TestResponseModality(t *testing.T) {
	tests := []struct {
		in   []genai.Modality
		want genai.Modality
	}{
		{nil, genai.ModalityAudio},
		{audio, genai.ModalityAudio},
		{text, genai.ModalityText},
	}
	for _, tt := range tests {
		c := runconfig.RunConfig{ResponseModalities: tt.in}
		if got := c.ResponseModality(); got != tt.want {
			t.Errorf("RunConfig{ResponseModalities: %v}.ResponseModality() = %q, want %q", tt.in, got, tt.want)
		}
	}
}
