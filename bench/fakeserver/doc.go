// Package fakeserver is a minimal fake of the Gemini Live API for the
// benchmarks: setup → setupComplete, a ready signal, then scripted audio
// turns flat out or at real-time pace, or a count of upstream audio.
//
// It is deliberately not gemini/livetest: livetest simulates a model
// (voice activity detection, scripted replies, transcription, tool calls,
// a recorded conversation), which costs CPU on the server's core and would
// cap what the fastest client can be measured at; and the benchmark needs
// chunks stamped with their send time, which livetest has no reason to do.
// This server sends each chunk by re-encoding only its 18-byte header in a
// prepared frame.
package fakeserver
