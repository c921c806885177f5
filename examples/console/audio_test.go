package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/adklive/adklive/examples/internal/simulator"
	"github.com/adklive/adklive/examples/internal/wav"
)

// speechWAV writes a WAV file of d of a loud tone (speech to the
// simulator's voice activity detection) at rate, and returns its path.
func speechWAV(t *testing.T, rate int, d time.Duration) string {
	t.Helper()
	samples := make([]int16, int(d*time.Duration(rate)/time.Second))
	for i := range samples {
		samples[i] = int16(10000 * math.Sin(2*math.Pi*220*float64(i)/float64(rate)))
	}
	var b bytes.Buffer
	if err := wav.Encode(&b, rate, samples); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "speech.wav")
	if err := os.WriteFile(file, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestAudioFileIsStreamedAsMicrophoneInput(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	opts := options{
		model:     "gemini-2.5-flash-native-audio-preview-12-2025",
		userID:    "u1",
		simulator: true,
		responder: simulator.Options{TextDelay: -1, AudioLead: -1},
		audioFile: speechWAV(t, 22050, 1200*time.Millisecond), // resampled to 16 kHz
	}
	var stdout, stderr bytes.Buffer
	if err := chat(ctx, opts, strings.NewReader("and a typed line\n"), &stdout, &stderr); err != nil {
		t.Fatalf("chat: %v\nstderr:\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("stdout has %d lines, want what was heard, its reply and the typed line's reply:\n%s", len(lines), stdout.String())
	}
	// The turn runs from the start of speech to the end of the silence
	// that ended it (500 ms by default): 1.2 to 1.7 s.
	var heard float64
	if _, err := fmt.Sscanf(lines[0], "you (audio): [%g s of audio]", &heard); err != nil || heard < 1.2 || heard > 1.7 {
		t.Errorf("first line = %q, want the transcription of about 1.2 s of audio", lines[0])
	}
	if want := fmt.Sprintf("assistant: I heard %.1f seconds of audio.", heard); !strings.HasPrefix(lines[1], want) {
		t.Errorf("reply to the audio = %q, want it to start with %q", lines[1], want)
	}
	if !strings.HasPrefix(lines[2], "assistant: You said: “and a typed line”.") {
		t.Errorf("reply to the typed line = %q: typed input must follow the audio", lines[2])
	}
	if !strings.Contains(stderr.String(), "streaming 1.2 s of audio") {
		t.Errorf("stderr does not announce the audio:\n%s", stderr.String())
	}
}

func TestAudioFlagStreamsInRealTime(t *testing.T) {
	clearCredentials(t)
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	file := speechWAV(t, 16000, 500*time.Millisecond)
	var stdout, stderr bytes.Buffer
	start := time.Now()
	if err := run(t.Context(), strings.NewReader(""), &stdout, &stderr,
		[]string{"-simulator", "-model", "gemini-2.5-flash", "-audio", file}); err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", err, stderr.String())
	}
	// 0.5 s of speech and 1 s of trailing silence, sent at their own pace.
	if elapsed := time.Since(start); elapsed < 1400*time.Millisecond {
		t.Errorf("1.5 s of audio was streamed in %v: not in real time", elapsed)
	}
	if !strings.Contains(stdout.String(), "s of audio]\nassistant: I heard ") {
		t.Errorf("stdout = %q, want what was heard and the reply to it", stdout.String())
	}
}

func TestAudioFileErrors(t *testing.T) {
	notWAV := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notWAV, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file string
		want string
	}{
		{filepath.Join(t.TempDir(), "missing.wav"), "no such file"},
		{notWAV, "no RIFF/WAVE header"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		err := run(t.Context(), strings.NewReader(""), &stdout, &stderr, []string{"-simulator", "-audio", tt.file})
		if err == nil || !strings.Contains(err.Error(), "-audio") || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("-audio %s: error %v, want one naming -audio and %q", tt.file, err, tt.want)
		}
	}
}
