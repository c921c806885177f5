package wav_test

import (
	"bytes"
	"fmt"
	"math"

	"github.com/adklive/adklive/examples/internal/wav"
)

// A 44.1 kHz recording becomes the Live API's 16 kHz PCM16LE input.
func ExampleDecode() {
	samples := make([]int16, 44100/2) // half a second of 440 Hz
	for i := range samples {
		samples[i] = int16(8000 * math.Sin(2*math.Pi*440*float64(i)/44100))
	}
	var file bytes.Buffer
	if err := wav.Encode(&file, 44100, samples); err != nil {
		panic(err)
	}

	a, err := wav.Decode(&file)
	if err != nil {
		panic(err)
	}
	in := a.Resample(16000)
	fmt.Println(a.SampleRate, a.Duration())
	fmt.Println(in.SampleRate, in.Duration(), len(in.Bytes()), "bytes")
	// Output:
	// 44100 500ms
	// 16000 500ms 16000 bytes
}
