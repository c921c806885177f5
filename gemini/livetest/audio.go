package livetest

import (
	"encoding/binary"
	"math"
	"mime"
	"strconv"
	"strings"
	"time"
)

// Sample rates of the Live API's raw audio.
const (
	// InputSampleRate is the rate of the audio clients send, and the
	// rate assumed when a mimeType names none.
	InputSampleRate = 16000
	// OutputSampleRate is the rate of the audio the model sends.
	OutputSampleRate = 24000
)

// toneHz is the pitch of Tone.
const toneHz = 440

// Tone returns d of a 440 Hz sine wave as 16-bit little-endian mono PCM at
// sampleRate, with peak amplitude level (a fraction of full scale, 0 to 1).
// A level of 0.3 is clearly speech to the simulated VAD; 0.01 is not.
func Tone(sampleRate int, d time.Duration, level float64) []byte {
	n := samples(sampleRate, d)
	level = min(max(level, 0), 1)
	out := make([]byte, 2*n)
	for i := range n {
		v := level * math.MaxInt16 * math.Sin(2*math.Pi*toneHz*float64(i)/float64(sampleRate))
		binary.LittleEndian.PutUint16(out[2*i:], uint16(int16(math.Round(v))))
	}
	return out
}

// Silence returns d of digital silence as 16-bit mono PCM at sampleRate.
func Silence(sampleRate int, d time.Duration) []byte {
	return make([]byte, 2*samples(sampleRate, d))
}

// samples returns how many samples d lasts at rate.
func samples(rate int, d time.Duration) int {
	if rate <= 0 || d <= 0 {
		return 0
	}
	return int(int64(d) * int64(rate) / int64(time.Second))
}

// pcmDuration returns how long n bytes of PCM16 mono last at rate.
func pcmDuration(n, rate int) time.Duration {
	if rate <= 0 {
		return 0
	}
	return time.Duration(int64(n/2) * int64(time.Second) / int64(rate))
}

// sampleRate reads the rate parameter of an audio mimeType
// ("audio/pcm;rate=16000"), defaulting to InputSampleRate.
func sampleRate(mimeType string) int {
	_, params, err := mime.ParseMediaType(mimeType)
	if err != nil {
		return InputSampleRate
	}
	rate, err := strconv.Atoi(params["rate"])
	if err != nil || rate <= 0 || rate > 384000 {
		return InputSampleRate
	}
	return rate
}

// isAudio and isVisual classify a blob by its mimeType.
func isAudio(mimeType string) bool { return strings.HasPrefix(mimeType, "audio/") }

func isVisual(mimeType string) bool {
	return strings.HasPrefix(mimeType, "image/") || strings.HasPrefix(mimeType, "video/")
}

// rms returns the root mean square level of PCM16LE samples, as a
// fraction of full scale.
func rms(pcm []byte) float64 {
	n := len(pcm) / 2
	if n == 0 {
		return 0
	}
	var sum float64
	for i := range n {
		v := float64(int16(binary.LittleEndian.Uint16(pcm[2*i:])))
		sum += v * v
	}
	return math.Sqrt(sum/float64(n)) / math.MaxInt16
}
