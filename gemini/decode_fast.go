package gemini

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"unicode/utf8"

	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
)

// decodeFast decodes the frames that make up nearly all of a live session:
// a lone serverContent holding model-turn parts (text, thought text, inline
// audio), transcription fragments and turn flags. It scans the JSON once
// and decodes base64 straight from the frame, with no reflection and no
// intermediate values. It reports false for anything else, including
// anything unusual inside those shapes (an unknown or repeated key, null,
// base64 that is not standard and padded, malformed JSON), and the caller
// falls back to decodeGeneral, so the two always agree.
func decodeFast(data []byte) (*live.Response, bool) {
	s := scanner{data: data}
	if !s.consume('{') {
		return nil, false
	}
	if k, ok := s.key(); !ok || string(k) != "serverContent" {
		return nil, false
	}
	if s.modelTurnNext() {
		// An audio or text frame: its turn comes in the same allocation.
		b := new(turnFrameBlock)
		s.block, s.spareTurn = &b.frame, &b.turn
	} else {
		s.block = new(frameBlock)
	}
	sc, ok := s.serverContent()
	if !ok || !s.consume('}') {
		return nil, false
	}
	s.skipSpace()
	if s.pos != len(s.data) {
		return nil, false
	}
	s.block.resp.ServerContent = sc
	return &s.block.resp, true
}

// frameBlock holds, in one allocation, the response and server content
// every hot frame needs.
type frameBlock struct {
	resp live.Response
	sc   genai.LiveServerContent
}

// turnFrameBlock holds, in one allocation, a frame that opens with its
// model turn: the frame's block and the turn's.
type turnFrameBlock struct {
	frame frameBlock
	turn  turnBlock
}

// turnBlock holds, in one allocation, the model turn of an audio or text
// frame: the content, its first part and that part's blob. Further parts
// and their blobs are allocated on their own.
type turnBlock struct {
	turn  genai.Content
	part  genai.Part
	blob  genai.Blob
	parts [1]*genai.Part
}

// scanner reads a restricted JSON grammar from data.
type scanner struct {
	data  []byte
	pos   int
	block *frameBlock
	turn  *turnBlock // set while reading the model turn
	// spareTurn is the model turn's block when it was allocated with the
	// frame's, until the turn takes it.
	spareTurn *turnBlock
}

// modelTurnNext reports whether the value next in data is an object whose
// first key is "modelTurn", without reading it.
func (s *scanner) modelTurnNext() bool {
	ahead := scanner{data: s.data, pos: s.pos}
	if !ahead.consume('{') {
		return false
	}
	k, ok := ahead.key()
	return ok && string(k) == "modelTurn"
}

func (s *scanner) skipSpace() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// consume skips white space and then c, reporting whether c was there.
func (s *scanner) consume(c byte) bool {
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == c {
		s.pos++
		return true
	}
	return false
}

// object reads the members of an object whose '{' is next. For each key,
// member reads the value and returns the key's bit (one per known key of
// the object) and whether it succeeded; an unknown key returns bit 0. It
// gives up on an unknown key, a failed value and a repeated key (which
// encoding/json would merge, and this scanner does not model).
func (s *scanner) object(member func(key []byte) (bit uint, ok bool)) bool {
	if !s.consume('{') {
		return false
	}
	if s.consume('}') {
		return true
	}
	var seen uint
	for {
		k, ok := s.key()
		if !ok {
			return false
		}
		bit, ok := member(k)
		if !ok || bit == 0 || seen&bit != 0 {
			return false
		}
		seen |= bit
		if s.consume(',') {
			continue
		}
		return s.consume('}')
	}
}

// key reads a plain object key and the colon after it.
func (s *scanner) key() ([]byte, bool) {
	k, plain, ok := s.rawString()
	if !ok || !plain || !s.consume(':') {
		return nil, false
	}
	return k, true
}

// rawString reads a string literal and returns its contents between the
// quotes. plain reports that it has no escapes and is valid UTF-8, so the
// contents are the value.
func (s *scanner) rawString() (raw []byte, plain, ok bool) {
	if !s.consume('"') {
		return nil, false, false
	}
	rest := s.data[s.pos:]
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return nil, false, false
	}
	if bytes.IndexByte(rest[:end], '\\') >= 0 {
		return s.escapedString()
	}
	raw = rest[:end]
	ascii := true
	for _, c := range raw {
		if c < 0x20 {
			return nil, false, false
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	s.pos += end + 1
	return raw, ascii || utf8.Valid(raw), true
}

// escapedString reads the rest of a string literal that holds escapes,
// from just after its opening quote.
func (s *scanner) escapedString() (raw []byte, plain, ok bool) {
	start := s.pos
	for s.pos < len(s.data) {
		switch c := s.data[s.pos]; {
		case c == '"':
			raw = s.data[start:s.pos]
			s.pos++
			return raw, false, true
		case c == '\\':
			s.pos += 2
			continue
		case c < 0x20:
			return nil, false, false
		}
		s.pos++
	}
	return nil, false, false
}

// str reads a string value, unescaping it exactly as encoding/json does.
func (s *scanner) str() (string, bool) {
	start := s.pos
	raw, plain, ok := s.rawString()
	if !ok {
		return "", false
	}
	if plain {
		return intern(raw), true
	}
	var v string
	if err := json.Unmarshal(s.data[start:s.pos], &v); err != nil {
		return "", false
	}
	return v, true
}

// boolean reads true or false.
func (s *scanner) boolean() (v, ok bool) {
	s.skipSpace()
	rest := s.data[s.pos:]
	switch {
	case len(rest) >= 4 && string(rest[:4]) == "true":
		s.pos += 4
		return true, true
	case len(rest) >= 5 && string(rest[:5]) == "false":
		s.pos += 5
		return false, true
	}
	return false, false
}

func (s *scanner) serverContent() (*genai.LiveServerContent, bool) {
	sc := &s.block.sc
	ok := s.object(func(k []byte) (bit uint, ok bool) {
		switch string(k) {
		case "modelTurn":
			bit = 1
			sc.ModelTurn, ok = s.content()
		case "turnComplete":
			bit = 2
			sc.TurnComplete, ok = s.boolean()
		case "generationComplete":
			bit = 4
			sc.GenerationComplete, ok = s.boolean()
		case "interrupted":
			bit = 8
			sc.Interrupted, ok = s.boolean()
		case "waitingForInput":
			bit = 16
			sc.WaitingForInput, ok = s.boolean()
		case "inputTranscription":
			bit = 32
			sc.InputTranscription, ok = s.transcription()
		case "outputTranscription":
			bit = 64
			sc.OutputTranscription, ok = s.transcription()
		}
		return bit, ok
	})
	return sc, ok
}

func (s *scanner) content() (*genai.Content, bool) {
	if s.spareTurn != nil {
		s.turn, s.spareTurn = s.spareTurn, nil
	} else {
		s.turn = new(turnBlock)
	}
	c := &s.turn.turn
	ok := s.object(func(k []byte) (bit uint, ok bool) {
		switch string(k) {
		case "role":
			bit = 1
			c.Role, ok = s.str()
		case "parts":
			bit = 2
			c.Parts, ok = s.parts()
		}
		return bit, ok
	})
	return c, ok
}

func (s *scanner) parts() ([]*genai.Part, bool) {
	if !s.consume('[') {
		return nil, false
	}
	parts := s.turn.parts[:0:1]
	if s.consume(']') {
		return parts, true
	}
	for {
		p, ok := s.part(len(parts) == 0)
		if !ok {
			return nil, false
		}
		parts = append(parts, p)
		if s.consume(',') {
			continue
		}
		return parts, s.consume(']')
	}
}

// part reads a part; first says it is the turn's first, which goes in the
// turn's block.
func (s *scanner) part(first bool) (*genai.Part, bool) {
	p := &s.turn.part
	if !first {
		p = new(genai.Part)
	}
	ok := s.object(func(k []byte) (bit uint, ok bool) {
		switch string(k) {
		case "text":
			bit = 1
			p.Text, ok = s.str()
		case "thought":
			bit = 2
			p.Thought, ok = s.boolean()
		case "inlineData":
			bit = 4
			p.InlineData, ok = s.blob(first)
		}
		return bit, ok
	})
	return p, ok
}

// blob reads a blob; first says it is the turn's first part's, which goes
// in the turn's block.
func (s *scanner) blob(first bool) (*genai.Blob, bool) {
	b := &s.turn.blob
	if !first {
		b = new(genai.Blob)
	}
	ok := s.object(func(k []byte) (bit uint, ok bool) {
		switch string(k) {
		case "mimeType":
			bit = 1
			b.MIMEType, ok = s.str()
		case "data":
			bit = 2
			b.Data, ok = s.base64()
		}
		return bit, ok
	})
	return b, ok
}

// base64 reads a string of standard, padded base64 and decodes it. The
// string is not checked for escapes or control characters first: the
// base64 decoder refuses them.
func (s *scanner) base64() ([]byte, bool) {
	if !s.consume('"') {
		return nil, false
	}
	end := bytes.IndexByte(s.data[s.pos:], '"')
	if end < 0 {
		return nil, false
	}
	raw := s.data[s.pos : s.pos+end]
	s.pos += end + 1
	dst := make([]byte, base64.StdEncoding.DecodedLen(len(raw)))
	n, err := base64.StdEncoding.Decode(dst, raw)
	if err != nil {
		return nil, false
	}
	return dst[:n], true
}

func (s *scanner) transcription() (*genai.Transcription, bool) {
	t := new(genai.Transcription)
	ok := s.object(func(k []byte) (bit uint, ok bool) {
		switch string(k) {
		case "text":
			bit = 1
			t.Text, ok = s.str()
		case "finished":
			bit = 2
			t.Finished, ok = s.boolean()
		}
		return bit, ok
	})
	return t, ok
}

// intern returns the string for b, without allocating for the values that
// repeat in every frame.
func intern(b []byte) string {
	switch string(b) {
	case "model":
		return "model"
	case "user":
		return "user"
	case "audio/pcm;rate=24000":
		return "audio/pcm;rate=24000"
	case "audio/pcm":
		return "audio/pcm"
	}
	return string(b)
}
