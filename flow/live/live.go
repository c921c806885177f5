package live

import (
	"context"

	"google.golang.org/genai"
)

// Model is a live-capable model backend: something that can open a
// bidirectional streaming connection for one live run. The gemini package
// implements it for the Gemini API and Vertex AI; tests implement it with an
// in-process fake.
type Model interface {
	// Name returns the model id as the user configured it, for example
	// "gemini-2.5-flash-native-audio-preview-12-2025".
	Name() string

	// Connect dials the model, sends the setup message built from req,
	// waits for the server to acknowledge it, then sends req.History.
	// It returns when the connection is ready for the first request, or
	// with ctx's error when ctx ends first: a server that never
	// acknowledges setup cannot hang the caller past ctx's deadline.
	Connect(ctx context.Context, req *ConnectRequest) (Conn, error)
}

// ConnectRequest is everything a backend needs to open a live connection.
type ConnectRequest struct {
	// Setup is the setup message. Its Model field is ignored: the backend
	// fills in the full resource name of its own model. The backend may
	// add fields its model family requires (for example historyConfig
	// when History is not empty on models that need it); it never
	// removes or changes fields the caller set.
	Setup *genai.LiveClientSetup

	// History is the conversation so far, oldest first, sent as one
	// clientContent message right after the server acknowledges setup.
	// turnComplete is set only when the last turn is the user's.
	// Empty History sends nothing.
	History []*genai.Content
}

// Conn is one open live connection. Its send methods are safe to call from
// several goroutines at once; Receive must be called from one goroutine
// at a time. A send or receive whose context ends closes the connection.
type Conn interface {
	// SendContent sends a clientContent message: turns appended to the
	// conversation in order. On model families that accept mid-session
	// input only as realtime input, a backend converts a user turn into
	// realtime messages (text, and inline audio and images) in the order
	// of its parts, and rejects what cannot be expressed that way with an
	// error naming the rule.
	SendContent(ctx context.Context, c *genai.LiveClientContent) error

	// SendRealtime sends one realtimeInput message.
	SendRealtime(ctx context.Context, in *RealtimeInput) error

	// SendToolResponse answers tool calls; each response's ID echoes its
	// call's ID, and is empty for a call that had none.
	SendToolResponse(ctx context.Context, r *genai.LiveClientToolResponse) error

	// Receive blocks for the next server message. The returned Response
	// and everything it points to belong to the caller: the backend keeps
	// no reference to them, so the flow may hand parts of it (a model
	// turn, an audio blob) to events without copying. After Close it returns
	// an error that wraps net.ErrClosed. A connection the server ended
	// returns a backend error describing why (for gemini, a
	// *gemini.CloseError); a backend's errors implement Retryable() and
	// Quota() methods so the flow can decide whether to reconnect.
	Receive(ctx context.Context) (*Response, error)

	// SessionID returns the server's id for this connection, when the
	// server gave one (Vertex AI does in setupComplete), or "".
	SessionID() string

	// Close ends the connection with a normal closure. It is safe to call
	// more than once and from any goroutine; it unblocks a pending
	// Receive.
	Close() error
}

// RealtimeInput is one realtimeInput message. Exactly one field is set.
type RealtimeInput struct {
	// Audio is a chunk of audio, normally raw PCM16LE mono at 16 kHz
	// ("audio/pcm;rate=16000").
	Audio *genai.Blob
	// Video is one frame, normally a JPEG image.
	Video *genai.Blob
	// Text is text typed in real time (the only mid-session text input on
	// some model families).
	Text string
	// ActivityStart marks the start of user activity when automatic
	// activity detection is disabled.
	ActivityStart bool
	// ActivityEnd marks the end of user activity when automatic activity
	// detection is disabled.
	ActivityEnd bool
	// AudioStreamEnd tells the server the audio stream has paused, so it
	// flushes the pending turn (automatic activity detection only).
	AudioStreamEnd bool
}

// Response is one server message. A message can carry several fields at
// once (usage metadata often rides with server content); nil fields were
// absent.
type Response struct {
	// SetupComplete acknowledges the setup message; Vertex AI puts the
	// session id in it.
	SetupComplete *genai.LiveServerSetupComplete
	// ServerContent is the model's output and turn signals: model turn
	// parts, turnComplete, interrupted, generationComplete, transcriptions,
	// grounding metadata.
	ServerContent *genai.LiveServerContent
	// ToolCall asks the client to run functions and send their responses.
	ToolCall *genai.LiveServerToolCall
	// ToolCallArgErrors says what was wrong with the args of the calls of
	// ToolCall that the backend received but could not take as a JSON
	// object (a JSON string, number, array or boolean), keyed by the
	// call's index in ToolCall.FunctionCalls. Such a call's Args is nil;
	// the flow answers it with an error response instead of running it.
	ToolCallArgErrors map[int]string
	// ToolCallCancellation withdraws earlier tool calls by id.
	ToolCallCancellation *genai.LiveServerToolCallCancellation
	// UsageMetadata counts tokens, with Vertex AI's field names already
	// mapped to the Gemini API's.
	UsageMetadata *genai.UsageMetadata
	// GoAway warns that the server will end the connection after TimeLeft.
	GoAway *genai.LiveServerGoAway
	// SessionResumptionUpdate carries a new handle to resume the session
	// from.
	SessionResumptionUpdate *genai.LiveServerSessionResumptionUpdate
	// VoiceActivity reports the start or end of user speech.
	VoiceActivity *genai.VoiceActivity
	// VoiceActivityDetectionSignal is Vertex AI's voice activity signal.
	VoiceActivityDetectionSignal *genai.VoiceActivityDetectionSignal
}

// Pinger is implemented by connections that can check the peer is alive.
// The flow pings open connections (RunConfig.Keepalive) when their Conn
// implements it.
type Pinger interface {
	// Ping sends a ping and waits for the answer, or until ctx ends.
	Ping(ctx context.Context) error
}

// Aborter is implemented by connections that can be dropped at once,
// without the closing handshake Close performs. The flow aborts a
// connection whose write is stuck or whose keepalive failed; without
// Aborter it calls Close.
type Aborter interface {
	// Abort drops the connection; pending operations return at once.
	Abort()
}

// ContentChecker is implemented by connections that can tell, without
// sending it, whether a clientContent message would be rejected (with an
// error matching ErrRejected). The flow checks a user turn before it
// yields the turn's event, so a turn the model never gets leaves no event.
type ContentChecker interface {
	CheckContent(c *genai.LiveClientContent) error
}

// Dialer is implemented by models that can open a connection's transport
// before its setup. The flow dials the replacement of a connection the
// server is retiring (goAway) as soon as it is told, and sends the setup,
// with the newest resumption handle, only when it switches: the service
// refuses to resume a session whose previous connection is still open.
type Dialer interface {
	// Dial opens the transport, honouring ctx as Connect does.
	Dial(ctx context.Context) (Dialed, error)
}

// Dialed is an open transport waiting for its setup.
type Dialed interface {
	// Connect sends the setup built from req and waits for the server to
	// acknowledge it, then sends req.History, as Model.Connect does after
	// its dial. It consumes the Dialed: on failure the transport is
	// closed.
	Connect(ctx context.Context, req *ConnectRequest) (Conn, error)
	// Close drops the transport unused.
	Close() error
}
