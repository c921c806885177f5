package simulator

import (
	"encoding/binary"
	"math"
	"strings"
	"time"
	"unicode"
)

// SampleRate is the rate of the audio the simulator speaks, the Live API's
// output rate.
const SampleRate = 24000

// The shape of the simulated voice.
const (
	syllableLength = 170 * time.Millisecond // one voiced burst
	syllableGap    = 25 * time.Millisecond  // between syllables of a word
	wordGap        = 70 * time.Millisecond  // after every word
	pauseGap       = 280 * time.Millisecond // after , . ! ? : ;
	attack         = 25 * time.Millisecond
	release        = 45 * time.Millisecond
	speechPeak     = 0.3 // peak level, a fraction of full scale
	basePitch      = 165.0
	harmonics      = 10
)

// SpeakWord renders one word as speech-like sound: one voiced burst per
// syllable (a falling, slightly varied pitch with harmonics shaped by the
// syllable's vowel), then a short pause, longer after punctuation. The
// result is 16-bit little-endian mono PCM at SampleRate. index is the
// word's position in its sentence and varies the intonation; equal inputs
// give equal output.
func SpeakWord(word string, index int) []byte {
	vowels := syllableVowels(word)
	var pcm []byte
	for i, v := range vowels {
		// A gentle declination over the sentence, a lift on the first
		// syllable of a word, and a little variety between words.
		pitch := basePitch*(1-0.012*float64(min(index, 20))) + float64((index*7)%5)*4
		if i == 0 {
			pitch += 12
		}
		pcm = append(pcm, voiced(pitch, formant(v), syllableLength)...)
		if i < len(vowels)-1 {
			pcm = append(pcm, silence(syllableGap)...)
		}
	}
	gap := wordGap
	if strings.ContainsAny(word, ",.!?:;") {
		gap = pauseGap
	}
	return append(pcm, silence(gap)...)
}

// Duration returns how long pcm (16-bit mono at SampleRate) lasts.
func Duration(pcm []byte) time.Duration {
	return time.Duration(len(pcm)/2) * time.Second / SampleRate
}

// syllableVowels returns the vowel of each syllable of word: one per group
// of consecutive vowels, at least one and at most four.
func syllableVowels(word string) []rune {
	var out []rune
	prevVowel := false
	for _, r := range strings.ToLower(word) {
		v := strings.ContainsRune("aeiouy", r)
		if v && !prevVowel {
			out = append(out, r)
		}
		prevVowel = v
	}
	if len(out) == 0 {
		out = []rune{'e'}
		for _, r := range word {
			if unicode.IsDigit(r) {
				out = []rune{'i', 'o'} // "one", "two", ...: a number takes a moment to say
				break
			}
		}
	}
	if len(out) > 4 {
		out = out[:4]
	}
	return out
}

// formant returns the centre frequency, in Hz, of the first formant of a
// vowel, which makes different vowels sound different.
func formant(vowel rune) float64 {
	switch vowel {
	case 'a':
		return 750
	case 'o':
		return 500
	case 'u':
		return 350
	case 'i', 'y':
		return 300
	default:
		return 550
	}
}

// voiced returns d of a harmonic tone at pitch with the harmonics near
// formant emphasised, under an attack/release envelope, normalised to
// speechPeak.
func voiced(pitch, formant float64, d time.Duration) []byte {
	n := int(d * SampleRate / time.Second)
	var weights [harmonics]float64
	for k := range weights {
		f := pitch * float64(k+1)
		emphasis := math.Exp(-math.Pow((f-formant)/180, 2))
		weights[k] = (1 + 2*emphasis) / float64(k+1)
	}
	wave := make([]float64, n)
	peak := 0.0
	for i := range n {
		t := float64(i) / SampleRate
		// The pitch falls a little within the syllable.
		phase := 2 * math.Pi * pitch * (t - 0.15*t*t/d.Seconds())
		var s float64
		for k, w := range weights {
			s += w * math.Sin(float64(k+1)*phase)
		}
		s *= envelope(time.Duration(t*float64(time.Second)), d)
		wave[i] = s
		peak = max(peak, math.Abs(s))
	}
	out := make([]byte, 2*n)
	if peak == 0 {
		return out
	}
	scale := speechPeak * math.MaxInt16 / peak
	for i, s := range wave {
		binary.LittleEndian.PutUint16(out[2*i:], uint16(int16(math.Round(s*scale))))
	}
	return out
}

// envelope is the amplitude at t of a burst lasting d: a raised-cosine
// attack and release around a flat middle.
func envelope(t, d time.Duration) float64 {
	switch {
	case t < attack:
		return 0.5 - 0.5*math.Cos(math.Pi*float64(t)/float64(attack))
	case t > d-release:
		return 0.5 - 0.5*math.Cos(math.Pi*float64(d-t)/float64(release))
	}
	return 1
}

func silence(d time.Duration) []byte {
	return make([]byte, 2*int(d*SampleRate/time.Second))
}
