// Package runconfig holds RunConfig, every setting of one live run: what the
// model answers with (ResponseModalities, SpeechConfig), transcription,
// voice activity detection, session resumption, context window compression,
// the model's generation settings, and the Go-side runtime settings
// (reconnection policy, tool concurrency, LLM call limit, metadata copied
// onto events).
//
// A zero RunConfig is valid and means: answer with AUDIO, automatic voice
// activity detection, run tools without a concurrency limit, at most 500
// LLM calls, the default reconnection policy (resume after a drop or a
// goAway, exponential backoff with jitter, at most 5 attempts in a row),
// and the default bounds on connecting, writing, keepalive, held audio and
// the wait for tools at the end of a run.
//
// The live flow uses a RunConfig in three steps, and an application may call
// them too:
//
//   - [RunConfig.Validate] rejects invalid settings and combinations for a
//     backend before anything is dialled. Every problem is reported as a
//     [*FieldError] naming the offending field; all of them match
//     [ErrInvalid] with errors.Is.
//   - [RunConfig.WithDefaults] returns an independent copy with every default
//     filled in; the caller's value is never modified.
//   - [RunConfig.ApplyToSetup] writes the live fields into the setup message
//     sent when a connection opens.
//
// The package imports only the standard library and google.golang.org/genai.
package runconfig
