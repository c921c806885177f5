// Package event defines [Event], the typed unit that flows out of a live run
// to the caller and into session storage.
//
// An Event carries model output (content, transcriptions, usage), the
// control signals of a live conversation (turn complete, interrupted,
// generation complete, go-away, resumption updates, tool-call
// cancellations, voice activity and Vertex AI's voice activity detection
// signals) and the side effects the run asks for ([Actions]). Every event of
// one run shares an invocation id made by [NewInvocationID].
//
// The JSON form is the one ADK Python produces with
// Event.model_dump_json(by_alias=True, exclude_none=True): camelCase names,
// empty fields omitted, bytes as base64, and the timestamp as float seconds
// since the Unix epoch. A browser client written for ADK's bidi-demo parses
// it unchanged, and events ADK Python wrote decode into an [Event].
package event
