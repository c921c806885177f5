package wav

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// file builds a WAV file from a fmt chunk body and a data chunk body, with
// extra chunks before the data.
func file(fmtBody, data []byte, extra ...[]byte) []byte {
	var b bytes.Buffer
	chunk := func(id string, body []byte) {
		b.WriteString(id)
		binary.Write(&b, binary.LittleEndian, uint32(len(body)))
		b.Write(body)
		if len(body)%2 == 1 {
			b.WriteByte(0)
		}
	}
	chunk("fmt ", fmtBody)
	for _, e := range extra {
		chunk("LIST", e)
	}
	chunk("data", data)
	out := append([]byte("RIFF\x00\x00\x00\x00WAVE"), b.Bytes()...)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out
}

func fmtChunk(code uint16, channels, rate, bits int) []byte {
	b := make([]byte, 16)
	binary.LittleEndian.PutUint16(b[0:], code)
	binary.LittleEndian.PutUint16(b[2:], uint16(channels))
	binary.LittleEndian.PutUint32(b[4:], uint32(rate))
	binary.LittleEndian.PutUint32(b[8:], uint32(rate*channels*bits/8))
	binary.LittleEndian.PutUint16(b[12:], uint16(channels*bits/8))
	binary.LittleEndian.PutUint16(b[14:], uint16(bits))
	return b
}

func extensible(code uint16, channels, rate, bits int) []byte {
	b := append(fmtChunk(formatExtensible, channels, rate, bits), make([]byte, 24)...)
	binary.LittleEndian.PutUint16(b[16:], 22)
	binary.LittleEndian.PutUint16(b[24:], code)
	return b
}

func le16(vs ...int16) []byte {
	b := make([]byte, 2*len(vs))
	for i, v := range vs {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(v))
	}
	return b
}

func f32(vs ...float32) []byte {
	b := make([]byte, 4*len(vs))
	for i, v := range vs {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	return b
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		wav  []byte
		want *Audio
	}{
		{"16-bit mono", file(fmtChunk(1, 1, 16000, 16), le16(0, 1000, -1000, 32767)),
			&Audio{SampleRate: 16000, Samples: []int16{0, 1000, -1000, 32767}}},
		{"16-bit stereo is averaged", file(fmtChunk(1, 2, 44100, 16), le16(1000, 3000, -32768, -32768)),
			&Audio{SampleRate: 44100, Samples: []int16{2000, -32768}}},
		{"8-bit unsigned", file(fmtChunk(1, 1, 8000, 8), []byte{128, 255, 0}),
			&Audio{SampleRate: 8000, Samples: []int16{0, 32512, -32768}}},
		{"24-bit", file(fmtChunk(1, 1, 48000, 24), []byte{0, 0, 0x40, 0, 0, 0xc0}),
			&Audio{SampleRate: 48000, Samples: []int16{16384, -16384}}},
		{"32-bit float", file(fmtChunk(3, 1, 24000, 32), f32(0.5, -0.5, 2)),
			&Audio{SampleRate: 24000, Samples: []int16{16384, -16384, 32767}}},
		{"extensible PCM", file(extensible(1, 1, 22050, 16), le16(7, -7)),
			&Audio{SampleRate: 22050, Samples: []int16{7, -7}}},
		{"odd chunk skipped", file(fmtChunk(1, 1, 16000, 16), le16(5), []byte("abc")),
			&Audio{SampleRate: 16000, Samples: []int16{5}}},
		{"trailing partial frame dropped", file(fmtChunk(1, 1, 16000, 16), []byte{1, 0, 2}),
			&Audio{SampleRate: 16000, Samples: []int16{1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(bytes.NewReader(tt.wav))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("audio (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeTruncatedData(t *testing.T) {
	w := file(fmtChunk(1, 1, 16000, 16), le16(1, 2, 3, 4))
	got, err := Decode(bytes.NewReader(w[:len(w)-4]))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int16{1, 2}, got.Samples); diff != "" {
		t.Errorf("samples of a cut recording (-want +got):\n%s", diff)
	}
}

func TestDecodeErrorsNameTheProblem(t *testing.T) {
	good := file(fmtChunk(1, 1, 16000, 16), le16(1))
	tests := []struct {
		name string
		wav  []byte
		want string
	}{
		{"empty", nil, "no RIFF/WAVE header"},
		{"not wav", []byte("RIFF\x04\x00\x00\x00AVI LIST"), "no RIFF/WAVE header"},
		{"no data", good[:12+8+16], "no data chunk"},
		{"data first", append([]byte("RIFF\x00\x00\x00\x00WAVE"), []byte("data\x02\x00\x00\x00\x01\x00")...), "before the fmt chunk"},
		{"short fmt", file([]byte{1, 0, 1, 0}, le16(1)), "fmt chunk of 4 bytes"},
		{"mp3", file(fmtChunk(0x55, 1, 16000, 0), le16(1)), "format 0x55"},
		{"12-bit", file(fmtChunk(1, 1, 16000, 12), le16(1)), "12-bit"},
		{"no channels", file(fmtChunk(1, 0, 16000, 16), le16(1)), "0 channels"},
		{"silly rate", file(fmtChunk(1, 1, 10, 16), le16(1)), "sample rate 10 Hz"},
		{"oversized chunk", append([]byte("RIFF\x00\x00\x00\x00WAVEfmt \xff\xff\xff\x7f"), make([]byte, 16)...), "claims"},
	}
	for _, tt := range tests {
		_, err := Decode(bytes.NewReader(tt.wav))
		if !errors.Is(err, ErrFormat) || !bytes.Contains([]byte(err.Error()), []byte(tt.want)) {
			t.Errorf("%s: error %v, want ErrFormat naming %q", tt.name, err, tt.want)
		}
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	samples := []int16{0, 1, -1, math.MaxInt16, math.MinInt16, 1234}
	var b bytes.Buffer
	if err := Encode(&b, 16000, samples); err != nil {
		t.Fatal(err)
	}
	got, err := Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&Audio{SampleRate: 16000, Samples: samples}, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestResampleKeepsDurationAndPitch(t *testing.T) {
	const hz = 440
	for _, from := range []int{8000, 22050, 44100, 48000} {
		a := &Audio{SampleRate: from, Samples: make([]int16, from)} // one second
		for i := range a.Samples {
			a.Samples[i] = int16(10000 * math.Sin(2*math.Pi*hz*float64(i)/float64(from)))
		}
		got := a.Resample(16000)
		if got.SampleRate != 16000 || got.Duration() != time.Second {
			t.Errorf("from %d Hz: %d Hz lasting %v, want 16000 Hz lasting 1s", from, got.SampleRate, got.Duration())
		}
		// A 440 Hz tone crosses zero about 880 times a second.
		crossings := 0
		for i := 1; i < len(got.Samples); i++ {
			if (got.Samples[i-1] < 0) != (got.Samples[i] < 0) {
				crossings++
			}
		}
		if crossings < 870 || crossings > 890 {
			t.Errorf("from %d Hz: %d zero crossings, want about 880 (the pitch changed)", from, crossings)
		}
	}
	same := &Audio{SampleRate: 16000, Samples: []int16{1, 2}}
	if same.Resample(16000) != same {
		t.Error("resampling to the same rate copied the audio")
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(file(fmtChunk(1, 1, 16000, 16), le16(1, 2, 3)))
	f.Add(file(fmtChunk(1, 2, 44100, 24), make([]byte, 12)))
	f.Add(file(fmtChunk(3, 1, 48000, 64), make([]byte, 16)))
	f.Add(file(extensible(3, 2, 22050, 32), f32(0.1, -0.2)))
	f.Add(file(fmtChunk(1, 1, 8000, 8), []byte{1, 2, 3}, []byte("odd")))
	f.Add([]byte("RIFF\x00\x00\x00\x00WAVE"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Decode(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error %v does not match ErrFormat", err)
			}
			return
		}
		if a.SampleRate < 1000 || len(a.Samples) > len(data) {
			t.Fatalf("decoded %d samples at %d Hz from %d bytes", len(a.Samples), a.SampleRate, len(data))
		}
		r := a.Resample(16000)
		if len(a.Samples) > 0 && r.SampleRate != 16000 {
			t.Fatalf("resampled to %d Hz", r.SampleRate)
		}
	})
}
