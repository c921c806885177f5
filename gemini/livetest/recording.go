package livetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// RecordedFrame is one WebSocket message of a recorded exchange.
type RecordedFrame struct {
	// FromClient is true for a client-to-server message, false for a
	// server-to-client one.
	FromClient bool
	// Data is the message's JSON as recorded, without surrounding
	// whitespace.
	Data []byte
}

// ParseRecording reads an exchange in the js-genai recording format: each
// message is a line starting with ">N " (client to server) or "<N " (server
// to client) followed by the message's JSON, which may span several lines
// (server messages are pretty-printed); messages are separated by
// newlines or blank lines. N, the recorded size, is not relied on: the
// JSON's own extent delimits the message.
func ParseRecording(r io.Reader) ([]RecordedFrame, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("livetest: reading recording: %w", err)
	}
	var frames []RecordedFrame
	pos := 0
	for {
		pos += len(data[pos:]) - len(bytes.TrimLeft(data[pos:], " \t\r\n"))
		if pos >= len(data) {
			return frames, nil
		}
		start := pos
		dir := data[pos]
		if dir != '>' && dir != '<' {
			return nil, fmt.Errorf("livetest: recording: byte %d: want a message starting with '>' or '<', got %q", start, clip(data[pos:]))
		}
		pos++
		digits := pos
		for pos < len(data) && '0' <= data[pos] && data[pos] <= '9' {
			pos++
		}
		if pos == digits || pos >= len(data) || data[pos] != ' ' {
			return nil, fmt.Errorf("livetest: recording: byte %d: want %q followed by a size and a space, got %q", start, dir, clip(data[start:]))
		}
		if _, err := strconv.Atoi(string(data[digits:pos])); err != nil {
			return nil, fmt.Errorf("livetest: recording: byte %d: bad size: %w", start, err)
		}
		pos++
		dec := json.NewDecoder(bytes.NewReader(data[pos:]))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("livetest: recording: message at byte %d: %w", start, err)
		}
		if len(raw) == 0 || raw[0] != '{' {
			return nil, fmt.Errorf("livetest: recording: message at byte %d is not a JSON object", start)
		}
		end := pos + int(dec.InputOffset())
		frames = append(frames, RecordedFrame{
			FromClient: dir == '>',
			Data:       bytes.TrimSpace(data[pos:end]),
		})
		pos = end
	}
}

// clip shortens b for an error message.
func clip(b []byte) []byte {
	if len(b) > 20 {
		return b[:20]
	}
	return b
}
