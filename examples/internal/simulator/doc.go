// Package simulator is the local stand-in for the Gemini Live API that the
// examples run against when no credentials are configured, so that
// `go run ./examples/bidi-demo` works on a fresh, offline machine.
//
// It is a [livetest.Server] with a [Responder] that behaves like a small,
// honest model:
//
//   - typed text is answered with streamed text (TEXT modality) or with
//     audible, speech-like 24 kHz PCM and a matching output transcription
//     (AUDIO modality), paced close to real time so the reply can be
//     interrupted;
//   - input audio is reported for what the simulator can honestly tell
//     about it: its duration (livetest's input transcription, and the
//     reply);
//   - a recognisable request ("what time is it?") calls the local function
//     tool the agent declared (get_current_time), waits for its response
//     and speaks the result;
//   - agents that work together: asking to talk to an agent that
//     transfer_to_agent can reach ("talk to the weather agent", "back to
//     the coordinator") calls transfer_to_agent, with nothing else said;
//     saying "done" to a step of a sequential agent calls task_completed;
//     the agent that takes over greets the user, says who it is (the
//     first sentence of its instruction) and what the user asked; a
//     question about the weather calls get_weather when it is declared;
//   - streaming tools: "monitor the price of GOOG" calls
//     monitor_stock_price and "watch my camera" calls
//     monitor_video_stream when they are declared, without waiting (they
//     are NON_BLOCKING); each result the runtime sends back makes the
//     model say it ("Update from ..."); "stop monitoring [the price | the
//     camera]" calls stop_streaming for the tool named, or for both, and
//     says what it answered;
//   - "drop the connection" makes the simulated service drop the
//     connection without a close frame after saying so, to show the
//     runtime reconnecting and resuming the session (a resumed session
//     does not drop again);
//   - speaking over a reply interrupts it (livetest's simulated voice
//     activity detection);
//   - it remembers the conversation, including history seeded after a
//     reconnect, and says so.
//
// [Open] chooses between Gemini and the simulator for an example: Gemini
// when the environment holds credentials, the simulator otherwise.
//
// The package lives under examples/internal because it serves the
// examples only: its replies are canned and its tool triggers know the
// examples' tools. Tests of the library script [livetest] directly.
package simulator
