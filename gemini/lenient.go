package gemini

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// The lenient types accept every spelling a protobuf-JSON peer may use, as
// docs/PROTOCOL.md §2 asks: int64 as a string or a number, bytes in standard or
// URL-safe base64 with or without padding, durations as "1.5s" strings or
// numbers of seconds.

// lenientBytes is base64 bytes, standard or URL-safe, padded or not.
type lenientBytes []byte

func (b *lenientBytes) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	s, err := jsonStringBytes(data)
	if err != nil {
		return fmt.Errorf("base64 bytes: %w", err)
	}
	out, err := decodeBase64(s)
	if err != nil {
		return err
	}
	*b = out
	return nil
}

// jsonStringBytes returns the contents of the JSON string literal data,
// without copying when it has no escapes.
func jsonStringBytes(data []byte) ([]byte, error) {
	if len(data) < 2 || data[0] != '"' || data[len(data)-1] != '"' {
		return nil, errors.New("not a JSON string")
	}
	inner := data[1 : len(data)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return inner, nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, err
	}
	return []byte(s), nil
}

// decodeBase64 decodes standard or URL-safe base64, with or without
// padding, ignoring line breaks. The result is a new slice, non-nil even
// when empty.
func decodeBase64(src []byte) ([]byte, error) {
	if bytes.ContainsAny(src, "\r\n") {
		src = bytes.Map(func(r rune) rune {
			if r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, src)
	}
	src = bytes.TrimRight(src, "=")
	enc := base64.RawStdEncoding
	if bytes.ContainsAny(src, "-_") {
		enc = base64.RawURLEncoding
	}
	dst := make([]byte, enc.DecodedLen(len(src)))
	n, err := enc.Decode(dst, src)
	if err != nil {
		return nil, fmt.Errorf("base64 bytes: %w", err)
	}
	return dst[:n], nil
}

// lenientInt64 is an int64 sent as a JSON string ("3") or number (3).
type lenientInt64 int64

func (n *lenientInt64) UnmarshalJSON(data []byte) error {
	v, err := parseLenientInt(data, 64)
	*n = lenientInt64(v)
	return err
}

// lenientInt32 is an int32 sent as a JSON number or string.
type lenientInt32 int32

func (n *lenientInt32) UnmarshalJSON(data []byte) error {
	v, err := parseLenientInt(data, 32)
	*n = lenientInt32(v)
	return err
}

func parseLenientInt(data []byte, bits int) (int64, error) {
	if string(data) == "null" {
		return 0, nil
	}
	if len(data) > 0 && data[0] == '"' {
		s, err := jsonStringBytes(data)
		if err != nil {
			return 0, err
		}
		data = s
	}
	v, err := strconv.ParseInt(string(data), 10, bits)
	if err == nil {
		return v, nil
	}
	// Accept an integral number written with a fraction or exponent (3.0, 1e3).
	f, ferr := strconv.ParseFloat(string(data), 64)
	if ferr != nil || f != math.Trunc(f) || f < -math.Pow(2, float64(bits-1)) || f >= math.Pow(2, float64(bits-1)) {
		return 0, fmt.Errorf("integer %s: %w", data, err)
	}
	return int64(f), nil
}

// lenientDuration is a protobuf Duration: a string such as "50s" or
// "6.680s", or a number of seconds.
type lenientDuration struct{ d time.Duration }

func (d *lenientDuration) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	if len(data) > 0 && data[0] == '"' {
		s, err := jsonStringBytes(data)
		if err != nil {
			return err
		}
		if len(s) == 0 {
			return nil
		}
		v, err := time.ParseDuration(string(s))
		if err != nil {
			return fmt.Errorf("duration: %w", err)
		}
		d.d = v
		return nil
	}
	f, err := strconv.ParseFloat(string(data), 64)
	if err != nil {
		return fmt.Errorf("duration %s: %w", data, err)
	}
	if ns := f * float64(time.Second); math.IsNaN(ns) || ns >= math.MaxInt64 || ns < math.MinInt64 {
		return fmt.Errorf("duration %s: out of range", data)
	}
	d.d = time.Duration(f * float64(time.Second))
	return nil
}
