package event

import "strings"

// IsAudioMIMEType reports whether mimeType is an audio type: its top-level
// type is "audio" in any case ("audio/pcm;rate=16000", "Audio/PCM"),
// ignoring spaces around it. MIME types are case-insensitive, so this is
// the one check the library uses to tell audio apart: Event.HasAudio and
// the live flow (which streams audio but never stores it) agree on it.
func IsAudioMIMEType(mimeType string) bool {
	typ, _, ok := strings.Cut(mimeType, "/")
	return ok && strings.EqualFold(strings.TrimSpace(typ), "audio")
}
