package livetest

import (
	"time"

	"google.golang.org/genai"
)

// vadFrame is the length of audio the detector classifies at a time.
const vadFrame = 10 * time.Millisecond

// vad is a simulated voice activity detector. It works in audio time (the
// duration of the samples received), never wall-clock time, so tests that
// stream audio faster than real time behave like real-time streams.
type vad struct {
	threshold float64       // RMS level of speech
	silence   time.Duration // silence that ends activity
	prefix    time.Duration // speech needed before activity starts
	active    bool
	speech    time.Duration // run of speech while inactive
	quiet     time.Duration // run of silence while active
}

type vadEvent int

const (
	vadNone vadEvent = iota
	vadStart
	vadEnd
)

// newVAD configures a detector from the server's VADConfig and the
// session's setup.
func newVAD(cfg VADConfig, setup *genai.LiveClientSetup) *vad {
	v := &vad{threshold: cfg.Threshold, silence: cfg.SilenceDuration}
	if c := setup.RealtimeInputConfig; c != nil && c.AutomaticActivityDetection != nil {
		aad := c.AutomaticActivityDetection
		if aad.SilenceDurationMs != nil && *aad.SilenceDurationMs > 0 {
			v.silence = time.Duration(*aad.SilenceDurationMs) * time.Millisecond
		}
		if aad.PrefixPaddingMs != nil && *aad.PrefixPaddingMs > 0 {
			v.prefix = time.Duration(*aad.PrefixPaddingMs) * time.Millisecond
		}
	}
	return v
}

// frame classifies one frame of PCM16LE audio at rate and returns the
// event it causes, if any.
func (v *vad) frame(pcm []byte, rate int) vadEvent {
	d := pcmDuration(len(pcm), rate)
	speech := rms(pcm) >= v.threshold
	if !v.active {
		if !speech {
			v.speech = 0
			return vadNone
		}
		v.speech += d
		if v.speech < v.prefix {
			return vadNone
		}
		v.active, v.speech, v.quiet = true, 0, 0
		return vadStart
	}
	if speech {
		v.quiet = 0
		return vadNone
	}
	v.quiet += d
	if v.quiet < v.silence {
		return vadNone
	}
	v.active, v.quiet = false, 0
	return vadEnd
}

// reset ends any activity without an event (audioStreamEnd flushed it).
func (v *vad) reset() {
	v.active, v.speech, v.quiet = false, 0, 0
}
