package adapter

import (
	"context"
	"errors"
)

// Kind says what an Item is.
type Kind int

// The kinds of item a session delivers.
const (
	// Audio is one audio chunk; Item.Data holds its PCM bytes.
	Audio Kind = iota
	// TurnComplete is the end of a model turn (the fake server also sends
	// one as soon as a session is live).
	TurnComplete
	// Raw is one undecoded server message (the transport floor); Item.Data
	// holds it.
	Raw
)

// Item is one thing a session delivers to the caller. Data is valid only
// during the handle call that receives it.
type Item struct {
	Kind Kind
	Data []byte
}

// ErrUnsupported is returned by a session that cannot do what was asked
// (the transport floor does not encode upstream audio).
var ErrUnsupported = errors.New("adapter: not supported")

// Session is one open live session.
type Session interface {
	// Receive calls handle with each item in order until handle returns
	// false, then ends the session and returns nil; or returns the error
	// that ended the session first.
	Receive(ctx context.Context, handle func(Item) bool) error
	// SendAudio sends one chunk of 16 kHz PCM16 audio. It may be called
	// while Receive runs.
	SendAudio(ctx context.Context, pcm []byte) error
}

// Adapter opens sessions of one live client library.
type Adapter interface {
	// Name is the adapter's short name, as the benchmark flags spell it.
	Name() string
	// Open prepares a session against the fake server at baseURL (a
	// ws:// URL whose path names the scenario). A library that connects
	// lazily connects in Receive.
	Open(ctx context.Context, baseURL string) (Session, error)
}

// ModelName is the model every adapter asks for.
const ModelName = "gemini-live-2.5-flash-preview"

// APIKey is the fake key every adapter sends.
const APIKey = "bench-key"
