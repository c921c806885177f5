// Package bench holds nothing itself: it is the root of the benchmark
// module, which compares adklive's live runtime with its floors (a bare
// coder/websocket read, and encoding/json into genai types), the genai
// SDK's own Live session, the official Go ADK's RunLive and the Node ADK's
// runLive (node/, a Node client of its own), all against the same fake
// Live API server. Run everything with
//
//	go run ./cmd/benchall
//
// from this directory. See BENCHMARKS.md at the repository root.
//
// The module is separate from github.com/adklive/adklive so that the
// library never depends on what it is compared against.
package bench
