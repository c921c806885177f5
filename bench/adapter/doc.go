// Package adapter puts every live client the benchmark compares behind one
// small interface: open a session against a base URL, receive what the
// server streams, send upstream audio. Each adapter is the ordinary way to
// use its library, so the numbers are what a user of it would see.
package adapter
