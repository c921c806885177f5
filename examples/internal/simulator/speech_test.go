package simulator

import (
	"bytes"
	"testing"
	"time"
)

func TestSpeakWord(t *testing.T) {
	syllable := Duration(voiced(basePitch, 500, syllableLength))
	tests := []struct {
		word      string
		syllables int
		gap       time.Duration
	}{
		{"hi ", 1, wordGap},
		{"hello ", 2, wordGap},
		{"simulator. ", 4, pauseGap},
		{"said: ", 1, pauseGap},
		{"12:34:56, ", 2, pauseGap},
		{"extraordinarily ", 4, wordGap}, // capped
	}
	for _, tt := range tests {
		pcm := SpeakWord(tt.word, 0)
		want := time.Duration(tt.syllables)*syllable + time.Duration(tt.syllables-1)*syllableGap + tt.gap
		if d := Duration(pcm); d != want {
			t.Errorf("SpeakWord(%q) lasts %v, want %v (%d syllables)", tt.word, d, want, tt.syllables)
		}
		if level := rms(pcm); level < 0.05 {
			t.Errorf("SpeakWord(%q) RMS %.3f, want audible", tt.word, level)
		}
		if peak := peakLevel(pcm); peak > speechPeak+0.001 {
			t.Errorf("SpeakWord(%q) peaks at %.3f, above %.2f", tt.word, peak, speechPeak)
		}
	}
}

func TestSpeakWordIsDeterministicAndVaried(t *testing.T) {
	if !bytes.Equal(SpeakWord("hello", 3), SpeakWord("hello", 3)) {
		t.Error("the same word at the same position sounds different")
	}
	if bytes.Equal(SpeakWord("hello", 0), SpeakWord("hello", 1)) {
		t.Error("intonation does not vary with the word's position")
	}
	if bytes.Equal(SpeakWord("bat", 0), SpeakWord("bit", 0)) {
		t.Error("different vowels sound the same")
	}
}

func peakLevel(pcm []byte) float64 {
	var peak float64
	for i := 0; i+1 < len(pcm); i += 2 {
		v := float64(int16(uint16(pcm[i]) | uint16(pcm[i+1])<<8))
		peak = max(peak, v/32767, -v/32768)
	}
	return peak
}

func BenchmarkSpeakWord(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		SpeakWord("simulator", 2)
	}
}
