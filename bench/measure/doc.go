// Package measure runs one benchmark scenario with one adapter against the
// fake server and reports what it cost the client process: CPU time from
// getrusage over the measured window, frames and their added latency,
// memory and goroutines per idle session, peak RSS. Every run also checks
// what the client received: every audio chunk in order, byte for byte.
package measure
