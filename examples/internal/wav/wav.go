package wav

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// MaxFileSize is the largest WAV file Decode reads: over an hour of 16 kHz
// mono, or about six minutes of 48 kHz stereo 32-bit audio.
const MaxFileSize = 128 << 20

// ErrFormat is matched (with errors.Is) by every error Decode returns for
// input that is not a WAV file it supports; the message names the problem.
var ErrFormat = errors.New("wav: unsupported or malformed file")

// Audio is mono 16-bit PCM.
type Audio struct {
	// SampleRate is in samples per second.
	SampleRate int
	// Samples are signed 16-bit samples.
	Samples []int16
}

// Format codes of the fmt chunk.
const (
	formatPCM        = 1
	formatFloat      = 3
	formatExtensible = 0xFFFE
)

// Decode reads a RIFF/WAVE file of integer PCM (8, 16, 24 or 32 bits) or
// IEEE float (32 or 64 bits) samples, including WAVE_FORMAT_EXTENSIBLE
// files, with any number of channels, and returns it as mono 16-bit PCM
// (channels are averaged). Chunks other than fmt and data are skipped. A
// data chunk cut short (a recording that was not finalised) is decoded as
// far as it goes.
func Decode(r io.Reader) (*Audio, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("wav: reading: %w", err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrFormat, MaxFileSize)
	}
	if len(data) < 12 || string(data[0:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
		return nil, fmt.Errorf("%w: no RIFF/WAVE header", ErrFormat)
	}
	var f *format
	for off := 12; off+8 <= len(data); {
		id := string(data[off : off+4])
		claimed := int64(binary.LittleEndian.Uint32(data[off+4 : off+8]))
		start := off + 8
		size := len(data) - start
		if claimed > int64(size) {
			if id != "data" {
				return nil, fmt.Errorf("%w: chunk %q claims %d bytes, %d remain", ErrFormat, id, claimed, size)
			}
		} else {
			size = int(claimed)
		}
		body := data[start : start+size]
		switch id {
		case "fmt ":
			if f, err = parseFormat(body); err != nil {
				return nil, err
			}
		case "data":
			if f == nil {
				return nil, fmt.Errorf("%w: data chunk before the fmt chunk", ErrFormat)
			}
			return f.decode(body), nil
		}
		off = start + size + size%2 // chunks are padded to an even size
	}
	return nil, fmt.Errorf("%w: no data chunk", ErrFormat)
}

// format is the content of a fmt chunk.
type format struct {
	float      bool
	channels   int
	sampleRate int
	bits       int
}

func parseFormat(b []byte) (*format, error) {
	if len(b) < 16 {
		return nil, fmt.Errorf("%w: fmt chunk of %d bytes, want at least 16", ErrFormat, len(b))
	}
	code := binary.LittleEndian.Uint16(b[0:2])
	f := &format{
		channels:   int(binary.LittleEndian.Uint16(b[2:4])),
		sampleRate: int(binary.LittleEndian.Uint32(b[4:8])),
		bits:       int(binary.LittleEndian.Uint16(b[14:16])),
	}
	if code == formatExtensible {
		if len(b) < 26 {
			return nil, fmt.Errorf("%w: WAVE_FORMAT_EXTENSIBLE fmt chunk of %d bytes, want at least 26", ErrFormat, len(b))
		}
		code = binary.LittleEndian.Uint16(b[24:26]) // the sub-format GUID starts with the format code
	}
	switch {
	case code == formatPCM && (f.bits == 8 || f.bits == 16 || f.bits == 24 || f.bits == 32):
	case code == formatFloat && (f.bits == 32 || f.bits == 64):
		f.float = true
	default:
		return nil, fmt.Errorf("%w: format %#x with %d-bit samples (want integer PCM of 8, 16, 24 or 32 bits, or 32/64-bit float)",
			ErrFormat, code, f.bits)
	}
	if f.channels < 1 || f.channels > 32 {
		return nil, fmt.Errorf("%w: %d channels", ErrFormat, f.channels)
	}
	if f.sampleRate < 1000 || f.sampleRate > 768000 {
		return nil, fmt.Errorf("%w: sample rate %d Hz", ErrFormat, f.sampleRate)
	}
	return f, nil
}

// decode converts the frames of a data chunk to mono 16-bit samples; a
// trailing partial frame is dropped.
func (f *format) decode(b []byte) *Audio {
	width := f.bits / 8
	frame := width * f.channels
	n := len(b) / frame
	out := &Audio{SampleRate: f.sampleRate, Samples: make([]int16, n)}
	for i := range n {
		var sum float64
		for c := range f.channels {
			sum += f.sample(b[i*frame+c*width:])
		}
		out.Samples[i] = toInt16(sum / float64(f.channels))
	}
	return out
}

// sample returns the sample at the start of b, scaled to [-1, 1].
func (f *format) sample(b []byte) float64 {
	switch {
	case f.float && f.bits == 32:
		return float64(math.Float32frombits(binary.LittleEndian.Uint32(b)))
	case f.float:
		return math.Float64frombits(binary.LittleEndian.Uint64(b))
	case f.bits == 8:
		return (float64(b[0]) - 128) / 128 // 8-bit WAV is unsigned
	case f.bits == 16:
		return float64(int16(binary.LittleEndian.Uint16(b))) / 32768
	case f.bits == 24:
		v := int32(uint32(b[0])<<8|uint32(b[1])<<16|uint32(b[2])<<24) >> 8
		return float64(v) / (1 << 23)
	default:
		return float64(int32(binary.LittleEndian.Uint32(b))) / (1 << 31)
	}
}

// toInt16 converts a sample in [-1, 1] to 16 bits with the scale 16-bit
// PCM itself uses (so 16-bit input comes back unchanged), clipping, and
// mapping NaN to 0.
func toInt16(v float64) int16 {
	switch {
	case v != v:
		return 0
	case v*32768 >= math.MaxInt16:
		return math.MaxInt16
	case v <= -1:
		return math.MinInt16
	}
	return int16(math.Round(v * 32768))
}

// Duration returns how long the audio lasts.
func (a *Audio) Duration() time.Duration {
	if a.SampleRate <= 0 {
		return 0
	}
	return time.Duration(int64(len(a.Samples)) * int64(time.Second) / int64(a.SampleRate))
}

// Bytes returns the samples as 16-bit little-endian PCM, the Live API's
// input format.
func (a *Audio) Bytes() []byte {
	out := make([]byte, 2*len(a.Samples))
	for i, s := range a.Samples {
		binary.LittleEndian.PutUint16(out[2*i:], uint16(s))
	}
	return out
}

// Resample returns the audio at rate (for example 16000), by linear
// interpolation after averaging away frequencies the new rate cannot
// hold. It returns a as it is when the rate already matches.
func (a *Audio) Resample(rate int) *Audio {
	if rate <= 0 || rate == a.SampleRate || len(a.Samples) == 0 {
		return a
	}
	ratio := float64(a.SampleRate) / float64(rate)
	src := a.Samples
	if ratio > 1 {
		src = boxFilter(src, int(math.Ceil(ratio)))
	}
	n := int(float64(len(src)) / ratio)
	out := &Audio{SampleRate: rate, Samples: make([]int16, n)}
	for i := range n {
		pos := float64(i) * ratio
		j := int(pos)
		frac := pos - float64(j)
		next := src[min(j+1, len(src)-1)]
		out.Samples[i] = int16(math.Round(float64(src[j])*(1-frac) + float64(next)*frac))
	}
	return out
}

// boxFilter returns the moving average of s over width samples, a cheap
// low-pass before decimation.
func boxFilter(s []int16, width int) []int16 {
	if width <= 1 {
		return s
	}
	out := make([]int16, len(s))
	var sum int64
	for i, v := range s {
		sum += int64(v)
		if i >= width {
			sum -= int64(s[i-width])
		}
		out[i] = int16(sum / int64(min(i+1, width)))
	}
	return out
}

// Encode writes samples as a 16-bit mono PCM WAV file at sampleRate.
func Encode(w io.Writer, sampleRate int, samples []int16) error {
	dataSize := 2 * len(samples)
	header := make([]byte, 44)
	copy(header[0:], "RIFF")
	binary.LittleEndian.PutUint32(header[4:], uint32(36+dataSize))
	copy(header[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(header[16:], 16)
	binary.LittleEndian.PutUint16(header[20:], formatPCM)
	binary.LittleEndian.PutUint16(header[22:], 1)
	binary.LittleEndian.PutUint32(header[24:], uint32(sampleRate))
	binary.LittleEndian.PutUint32(header[28:], uint32(2*sampleRate))
	binary.LittleEndian.PutUint16(header[32:], 2)
	binary.LittleEndian.PutUint16(header[34:], 16)
	copy(header[36:], "data")
	binary.LittleEndian.PutUint32(header[40:], uint32(dataSize))
	if _, err := w.Write(header); err != nil {
		return err
	}
	_, err := w.Write((&Audio{SampleRate: sampleRate, Samples: samples}).Bytes())
	return err
}
