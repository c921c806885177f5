// Package wav reads and writes the WAV files the examples use as audio
// input: Decode turns any common PCM or float WAV into mono 16-bit samples,
// Resample converts them to the 16 kHz the Live API expects, and Encode
// writes 16-bit mono WAV files (for test fixtures).
//
// Decode treats its input as untrusted: sizes in headers are checked
// against what was actually read, and the whole file is bounded.
package wav
