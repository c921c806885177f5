// Package gemini is the live model backend for the Gemini API and Vertex AI:
// a [live.Model] that opens BidiGenerateContent WebSocket sessions (the Live
// API) and a [live.Conn] that speaks its wire protocol.
//
//	model, err := gemini.NewModel(ctx, "gemini-2.5-flash-native-audio-preview-12-2025", nil)
//	conn, err := model.Connect(ctx, &live.ConnectRequest{Setup: setup, History: history})
//	defer conn.Close()
//	err = conn.SendRealtime(ctx, &live.RealtimeInput{Audio: &genai.Blob{Data: pcm, MIMEType: "audio/pcm;rate=16000"}})
//	resp, err := conn.Receive(ctx)
//
// Tests and local development use the fake server of package
// [github.com/adklive/adklive/gemini/livetest]: point [Config.BaseURL] at it.
//
// # Configuration
//
// [NewModel] resolves a [Config], or the environment for every field left
// empty, with the genai SDK's own rules (it uses genai's client
// configuration): GOOGLE_GENAI_USE_ENTERPRISE or GOOGLE_GENAI_USE_VERTEXAI
// select Vertex AI; GOOGLE_API_KEY (or GEMINI_API_KEY) is the API key;
// GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION (or GOOGLE_CLOUD_REGION,
// default "global") place Vertex AI; GOOGLE_GEMINI_BASE_URL and
// GOOGLE_VERTEX_BASE_URL override the hosts. Vertex AI authenticates with
// [Config.Credentials] or Application Default Credentials, with a fresh
// token for every connection; the Gemini API with an API key, or with an
// ephemeral token ("auth_tokens/..."), which goes to the constrained
// endpoint on v1alpha. A configuration that cannot work fails in NewModel
// with a [*ConfigError] naming the field or variable to set. API keys and
// tokens never appear in an error or a log record.
//
// # Wire protocol
//
// Connect validates the setup and history for the backend and model family
// before dialing (a field the backend refuses fails with a [*RequestError]
// naming it, matching [ErrInvalidRequest]), dials, sends the setup, waits
// for setupComplete, then sends the history as one clientContent message
// (turnComplete only when the last turn is the user's). The dial and the
// wait honour ctx. The first Receive returns the setupComplete message.
//
// Model names are completed to resource names: "models/<id>" on the Gemini
// API, "projects/{p}/locations/{l}/publishers/google/models/<id>" on Vertex
// AI; names already in full form are kept.
//
// Gemini 3.1 live models ("gemini-3.1-*live*") form their own family: the
// setup gets historyConfig.initialHistoryInClientContent when there is
// history to seed, mid-session content goes as realtime input (SendContent
// converts a user turn's text to realtimeInput.text and its inline audio
// and images to realtimeInput.audio and video, and refuses anything else),
// and audio never goes as the deprecated mediaChunks, which
// [Config.MediaChunks] enables for older models only.
//
// Server messages are decoded leniently (int64 as string or number,
// standard or URL-safe base64, Vertex AI's usage field names, the
// voiceActivity "type" key) into [live.Response]. Audio and text chunks,
// which are nearly all of the traffic, are decoded by a hand-written
// scanner straight from the frame; everything else by encoding/json into
// wire types, once.
//
// # Errors
//
// When the connection ends, Receive returns a [*CloseError] with the
// server's status code and reason (1006 for a connection that dropped
// without a close frame); an in-band error message is an [*APIError]. Both
// implement Retryable and Quota, which the flow uses to decide whether to
// reconnect:
//
//	1000 (unexpected, the session cap)        retryable
//	1006 (dropped)                            retryable
//	1007 (bad request, bad key, bad setup)    fatal
//	1008 (model not found, policy, billing)   fatal, except the session cap
//	1011 (internal, unavailable, deadline)    retryable
//	1011 (quota exhausted)                    Quota: back off longer, bounded
//
// After Close, every method returns an error wrapping net.ErrClosed. A
// send or receive whose context ends closes the connection.
package gemini
