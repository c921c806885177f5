package wire

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
)

const (
	// ChunkBytes is one downstream audio chunk: 40 ms of 24 kHz PCM16 mono.
	ChunkBytes = 1920
	// ChunkIntervalMillis is the real-time duration of one downstream chunk.
	ChunkIntervalMillis = 40
	// UpChunkBytes is one upstream chunk in the burst mode: 40 ms of
	// 16 kHz PCM16 mono.
	UpChunkBytes = 1280
	// RealtimeUpChunkBytes is one upstream chunk in the real-time mode:
	// 100 ms of 16 kHz PCM16 mono.
	RealtimeUpChunkBytes = 3200
	// RealtimeUpIntervalMillis is the real-time duration of one upstream
	// chunk in the real-time mode.
	RealtimeUpIntervalMillis = 100

	// headerBytes is the stamped prefix of a chunk: send time, sequence
	// number and two pattern bytes, so that it is exactly 24 base64
	// characters and the rest of the encoded chunk never changes.
	headerBytes = 18
	headerB64   = headerBytes / 3 * 4
)

// AudioMIMEType is the MIME type of every downstream chunk.
const AudioMIMEType = "audio/pcm;rate=24000"

// patternByte is the content of byte i of every chunk past its header.
func patternByte(i int) byte { return byte(i*7 + 3) }

// Pattern returns n bytes of the fixed chunk pattern, as an upstream chunk
// carries it whole and a downstream chunk past its header.
func Pattern(n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = patternByte(i)
	}
	return p
}

var (
	// SetupCompleteFrame acknowledges a setup message, pretty-printed as
	// the Gemini API sends it.
	SetupCompleteFrame = []byte("{\n  \"setupComplete\": {}\n}\n")
	// TurnCompleteFrame ends a model turn. The fake server also sends it
	// once right after setupComplete, as the "session is live" signal
	// every client can see through its public API.
	TurnCompleteFrame = []byte("{\n  \"serverContent\": {\n    \"turnComplete\": true\n  }\n}\n")
)

// AudioFrame is one pretty-printed serverContent frame with a model turn
// holding one 40 ms audio chunk, as the Gemini API sends it. Stamp rewrites
// only the chunk's header in place, so a server can send a frame per chunk
// at the cost of encoding 18 bytes.
type AudioFrame struct {
	frame []byte
	off   int // offset of the base64 data in frame
}

// NewAudioFrame returns a frame holding chunk 0 sent at time 0.
func NewAudioFrame() *AudioFrame {
	chunk := Pattern(ChunkBytes)
	data := base64.StdEncoding.EncodeToString(chunk)
	prefix := "{\n  \"serverContent\": {\n    \"modelTurn\": {\n      \"role\": \"model\",\n      \"parts\": [\n        {\n          \"inlineData\": {\n            \"mimeType\": \"" +
		AudioMIMEType + "\",\n            \"data\": \""
	suffix := "\"\n          }\n        }\n      ]\n    }\n  }\n}\n"
	f := &AudioFrame{frame: []byte(prefix + data + suffix), off: len(prefix)}
	f.Stamp(0, 0)
	return f
}

// Stamp sets the chunk's sequence number and send time (Unix nanoseconds)
// and returns the frame, valid until the next Stamp.
func (f *AudioFrame) Stamp(seq uint64, sentUnixNano int64) []byte {
	var h [headerBytes]byte
	binary.LittleEndian.PutUint64(h[0:8], uint64(sentUnixNano))
	binary.LittleEndian.PutUint64(h[8:16], seq)
	h[16], h[17] = patternByte(16), patternByte(17)
	base64.StdEncoding.Encode(f.frame[f.off:f.off+headerB64], h[:])
	return f.frame
}

// Len is the length of every audio frame in bytes.
func (f *AudioFrame) Len() int { return len(f.frame) }

var chunkTail = Pattern(ChunkBytes)[16:]

// CheckChunk checks that chunk is the downstream chunk numbered wantSeq,
// byte for byte, and returns the time the server sent it.
func CheckChunk(chunk []byte, wantSeq uint64) (sentUnixNano int64, err error) {
	if len(chunk) != ChunkBytes {
		return 0, fmt.Errorf("chunk %d: %d bytes, want %d", wantSeq, len(chunk), ChunkBytes)
	}
	if seq := binary.LittleEndian.Uint64(chunk[8:16]); seq != wantSeq {
		return 0, fmt.Errorf("chunk %d: got chunk %d (lost or reordered)", wantSeq, seq)
	}
	if !bytes.Equal(chunk[16:], chunkTail) {
		return 0, fmt.Errorf("chunk %d: audio bytes differ from those sent", wantSeq)
	}
	return int64(binary.LittleEndian.Uint64(chunk[0:8])), nil
}
