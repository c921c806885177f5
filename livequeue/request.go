package livequeue

import (
	"errors"
	"fmt"
	"strings"

	"google.golang.org/genai"
)

// ErrInvalidRequest is wrapped by the errors that report a request which
// cannot be sent; the error's text names what was wrong.
var ErrInvalidRequest = errors.New("livequeue: invalid request")

// Request is one unit of user input for a live run. At least one field is
// set; a request may set several, and the run delivers every one of them,
// in this order: ActivityStart, Content (as a conversation turn), Blob (as
// realtime input), ActivityEnd, AudioStreamEnd.
//
// The queue keeps the pointers it is given: do not modify Content or Blob
// after sending them.
type Request struct {
	// Content is a turn appended to the conversation, normally text typed
	// by the user. The run sends it as client content, so the model
	// answers it as a complete turn.
	Content *genai.Content
	// Blob is a chunk of realtime media: audio (normally raw PCM16LE mono
	// at 16 kHz, "audio/pcm;rate=16000") or a video frame (normally
	// "image/jpeg").
	Blob *genai.Blob
	// ActivityStart marks the start of user activity when automatic
	// activity detection is disabled.
	ActivityStart bool
	// ActivityEnd marks the end of user activity when automatic activity
	// detection is disabled.
	ActivityEnd bool
	// AudioStreamEnd tells the model the audio stream has paused, so it
	// finishes the pending turn (automatic activity detection only).
	AudioStreamEnd bool
}

// Validate reports why r cannot be sent, or nil if it can. The error wraps
// ErrInvalidRequest and names the problem: a request with nothing set, a
// blob whose MIME type is missing or is neither audio/* nor image/* (video
// goes as image frames, so video/* is refused too), PCM audio
// ("audio/pcm...") with an odd number of bytes, content without parts or
// with a nil part.
//
// Validate checks the request alone; a run may refuse more (see
// WithCheck), for example activity signals while automatic activity
// detection is on.
func (r Request) Validate() error {
	if r.Content == nil && r.Blob == nil && !r.ActivityStart && !r.ActivityEnd && !r.AudioStreamEnd {
		return fmt.Errorf("%w: no content, blob or signal is set", ErrInvalidRequest)
	}
	if r.Blob != nil {
		if err := validateBlob(r.Blob); err != nil {
			return err
		}
	}
	if r.Content != nil {
		if err := validateContent(r.Content); err != nil {
			return err
		}
	}
	return nil
}

// validateBlob checks a realtime blob without allocating when it is valid:
// SendRealtime calls it for every audio chunk.
func validateBlob(b *genai.Blob) error {
	if b.MIMEType == "" {
		return fmt.Errorf("%w: blob has no MIME type (for example \"audio/pcm;rate=16000\")", ErrInvalidRequest)
	}
	typ, sub, _ := strings.Cut(b.MIMEType, "/")
	if typ != "audio" && typ != "image" { // the usual spellings skip the folding
		typ = strings.TrimSpace(typ)
	}
	switch {
	case typ == "audio" || strings.EqualFold(typ, "audio"):
		if len(b.Data)%2 != 0 && isPCM(sub) {
			return fmt.Errorf("%w: audio blob of MIME type %q has %d bytes, an odd number: PCM16 audio has 2 bytes per sample",
				ErrInvalidRequest, b.MIMEType, len(b.Data))
		}
	case typ == "image" || strings.EqualFold(typ, "image"):
	default:
		return fmt.Errorf("%w: blob of MIME type %q: realtime input takes audio/* chunks and image/* frames "+
			"(send video as a stream of image frames, for example image/jpeg)", ErrInvalidRequest, b.MIMEType)
	}
	return nil
}

// isPCM reports whether the subtype (and parameters) of an audio MIME type
// name raw PCM: "pcm" in any case, as in "audio/pcm;rate=16000".
func isPCM(sub string) bool {
	sub = strings.TrimSpace(sub)
	return len(sub) >= 3 && strings.EqualFold(sub[:3], "pcm") && (len(sub) == 3 || sub[3] == ';' || sub[3] == ' ')
}

func validateContent(c *genai.Content) error {
	if len(c.Parts) == 0 {
		return fmt.Errorf("%w: content has no parts", ErrInvalidRequest)
	}
	for i, p := range c.Parts {
		if p == nil {
			return fmt.Errorf("%w: content part %d is nil", ErrInvalidRequest, i)
		}
	}
	return nil
}
