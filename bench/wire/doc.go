// Package wire is the benchmark's own slice of the Live API protocol: the
// frames the fake server sends and the checks a client makes on them.
//
// Every downstream audio chunk is 40 ms of 24 kHz PCM16 (1920 bytes). Its
// first 8 bytes carry the server's send time (Unix nanoseconds, little
// endian), the next 8 its sequence number within the session, and the rest
// a fixed pattern, so a client can tell a lost, reordered or corrupted
// chunk and measure the latency it added.
package wire
