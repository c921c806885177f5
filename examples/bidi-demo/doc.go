// Command bidi-demo is the Go twin of ADK's Python bidi-demo: a web page
// where you talk to a live agent by text, voice and camera, and can
// interrupt it, served by a Go program built on adklive.
//
// Run it from the repository root:
//
//	go run ./examples/bidi-demo
//
// and open the URL it prints (http://127.0.0.1:8000 by default; the
// demo listens on the loopback interface only, unless -addr says
// otherwise). With no
// credentials it starts an embedded local Live API simulator and says so
// on the page and in the log, so it works offline. To talk to Gemini, set
// the same environment as ADK's demo, in the environment or in a .env
// file:
//
//	GOOGLE_API_KEY=...                 # Gemini API
//	GOOGLE_GENAI_USE_VERTEXAI=TRUE     # or Vertex AI (GOOGLE_GENAI_USE_ENTERPRISE too),
//	GOOGLE_CLOUD_PROJECT=my-project    # with Application Default Credentials
//	GOOGLE_CLOUD_LOCATION=us-central1
//	DEMO_AGENT_MODEL=gemini-2.5-flash-native-audio-preview-12-2025
//
// Variables already set in the environment win over the .env file. The
// .env file is looked up in the current directory, then beside the
// executable, then beside this source file (so `go run` from the
// repository root finds examples/bidi-demo/.env); -env names one
// explicitly.
//
// # Protocol
//
// GET / serves the page. The page connects to
// WS /ws/{user_id}/{session_id}?proactivity=true&affective_dialog=true
// and speaks the protocol of ADK's demo:
//
//   - client to server: binary frames are raw PCM16LE mono 16 kHz audio;
//     text frames are {"type":"text","text":"..."} or
//     {"type":"image","data":"<base64>","mimeType":"image/jpeg"};
//   - server to client: one JSON text frame per event of the live run, in
//     ADK's camelCase form with empty fields omitted. A frame the server
//     cannot use is answered with an error frame shaped like an event's
//     error fields, {"errorCode":"INVALID_ARGUMENT","errorMessage":"..."},
//     and the connection stays up.
//
// The server pings each connection every half second and drops one that
// does not answer within a second: a browser that vanished without
// closing (its laptop's lid closed, its network went away) is released
// within 1.5 s, and its live run ends. Browsers answer pings by
// themselves.
//
// Each connection gets or creates the session user_id/session_id, so a
// client that reconnects with the same ids continues the conversation. The
// run config follows the model: a native-audio model answers with AUDIO,
// input and output transcription and session resumption, plus proactivity
// and affective dialog when the query asks for them; other models answer
// with TEXT, and the two flags are ignored (with a log note).
//
// # Flags
//
//	-addr HOST:PORT      listen address (default 127.0.0.1:8000; PORT changes
//	                     only the port); -addr 0.0.0.0:8000 makes the demo
//	                     reachable from other machines, which the log says,
//	                     with a warning when real credentials are in use
//	-simulator           use the local simulator even with credentials
//	-allow-origins LIST  extra origins allowed to open the WebSocket,
//	                     comma-separated host patterns (path.Match syntax)
//	-max-frame BYTES     largest client frame accepted (default 4 MiB)
//	-env FILE            the .env file to load
//	-v                   debug logging
//	-team                talk to a team of agents (examples/internal/team)
//	                     instead of the search agent: say or type "talk to
//	                     the weather agent", "back to the coordinator"
//
// SIGINT or SIGTERM shuts the server down gracefully: new WebSockets are
// refused, every live run is ended and every WebSocket closed with 1001
// (going away). The shutdown gives up on clients that have not closed
// after 15 seconds; a second SIGINT or SIGTERM kills the program at once.
package main
