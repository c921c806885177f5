// Package livetest provides a fake Gemini Live API and Vertex AI Live API
// server (BidiGenerateContent over WebSocket), in the manner of
// net/http/httptest: start one in a line, point a client at its URL,
// script the model, inspect what the client sent, close it.
//
//	srv := livetest.NewServer()
//	defer srv.Close()
//	srv.Reply(livetest.Text("Hello"), livetest.Text(" there"))
//
//	client, _ := genai.NewClient(ctx, &genai.ClientConfig{
//		APIKey:      "any-key",
//		HTTPOptions: genai.HTTPOptions{BaseURL: srv.URL},
//	})
//	session, _ := client.Live.Connect(ctx, "gemini-live-2.5-flash-preview", &genai.LiveConnectConfig{
//		ResponseModalities: []genai.Modality{genai.ModalityText},
//	})
//	// The next user turn is answered "Hello", " there", then
//	// generationComplete and turnComplete.
//
//	sess, _ := srv.WaitSession(ctx, 0)
//	sess.Send(ctx, livetest.GoAway(10*time.Second)) // inject at any time
//
// # Wire behaviour
//
// The server speaks the protocol of the real services, as described in
// docs/PROTOCOL.md at the repository root: the Gemini API paths
// (.../ws/google.ai.generativelanguage.{v1beta|v1alpha}.GenerativeService.BidiGenerateContent
// and BidiGenerateContentConstrained) and the Vertex AI path
// (.../ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent),
// matched by suffix; other paths get 404. The ephemeral-token method
// accepts any non-empty token. Each Session knows its backend
// from the path and behaves like it (session ids, usage field names, audio
// mimeType). Authentication, setup validation and per-message rules close
// the connection with the real status codes and reasons (1007 for a bad
// API key, a bad setup field, deprecated mediaChunks on 3.1 models,
// activity signals with automatic detection on, ...).
//
// Client frames are decoded as leniently as the real server decodes them
// (camelCase or snake_case, int64 as numbers or strings, any base64) and
// recorded as ClientMessage values. Server frames are sent one JSON object
// per binary frame (WithTextFrames for text frames), compact rather than
// pretty-printed.
//
// # The scripted model
//
// Each user turn is answered by a Script: the next one queued with
// Session.Reply or Server.Reply, or else the one the Responder returns
// (Echo by default). Scripts are made of steps such as Text, Audio,
// OutputTranscript, ToolCall (which waits for the client's tool response),
// GoAway, Delay or CloseWith. Session.Send runs steps at any time, outside
// turns.
//
// Turns end as on the real service: a clientContent with turnComplete, a
// realtimeInput.text, an activityEnd, an audioStreamEnd, or, with
// automatic activity detection (the default), silence after speech in the
// audio stream (see VADConfig). A toolResponse that answers no outstanding
// function call (an unsolicited one, or one without an id) also starts a
// turn, as on Vertex AI: the model answers it (Turn.ToolResponses,
// TriggerToolResponse); a response to an outstanding call continues the
// turn that made the call. Speech, activityStart or new client
// content while the model is answering interrupts it: the client gets
// interrupted, toolCallCancellation for pending calls, and turnComplete.
//
// Functions the setup declares with behavior NON_BLOCKING are not waited
// for: a ToolCall step of one goes on at once, and none of its calls is
// outstanding. A response to one is scheduled as it says: SILENT joins the
// conversation only, WHEN_IDLE (the default) starts a turn once the model
// is quiet, INTERRUPT interrupts the model and starts one at once; a
// response with willContinue is one of several, each scheduled the same
// way. On Vertex AI and gemini-3.1 live models a function response with
// willContinue or scheduling closes the connection with 1007.
//
// With sessionResumption in setup the server sends a
// sessionResumptionUpdate after setupComplete and after every
// turnComplete (not resumable, with no handle, while tool calls are
// outstanding; with transparent resumption, on Vertex AI only, carrying
// lastConsumedClientMessageIndex: the number of client messages the model
// has consumed, setup being message 0). A setup carrying one of the
// server's handles resumes that conversation (Session.ResumedFrom,
// Session.Conversation); resuming while the connection that issued the
// handle is still open fails with 1011 after a second, as on the real
// service.
//
// # TLS, and clients in other languages
//
// NewTLSServer starts the same server behind TLS, with a self-signed
// certificate for 127.0.0.1, ::1 and localhost: URL is wss://127.0.0.1:PORT
// and HTTPURL https://127.0.0.1:PORT. Some clients need it: the Python
// google-genai client dials wss:// whenever an API key is set, and the
// Node @google/genai client turns a ws:// base URL into wss://. Each
// client trusts the certificate its own way:
//
//	// adklive's gemini package: an HTTP client that trusts it.
//	srv := livetest.NewTLSServer()
//	model, _ := gemini.NewModel(ctx, "gemini-live-2.5-flash-preview", &gemini.Config{
//		APIKey: "any-key", BaseURL: srv.URL, HTTPClient: srv.Client(),
//	})
//
//	// The genai Go client dials with gorilla/websocket's DefaultDialer.
//	websocket.DefaultDialer.TLSClientConfig = &tls.Config{RootCAs: srv.CertPool()}
//	client, _ := genai.NewClient(ctx, &genai.ClientConfig{
//		APIKey: "any-key", HTTPOptions: genai.HTTPOptions{BaseURL: srv.HTTPURL()},
//	})
//
// For Python and Node, write CertificatePEM to a file and pass the base
// URL to the program:
//
//	# Python google-genai (the websockets package trusts SSL_CERT_FILE):
//	#   SSL_CERT_FILE=livetest.pem python app.py
//	client = genai.Client(api_key="any-key",
//	                      http_options={"base_url": "https://127.0.0.1:PORT"})
//
//	// Node @google/genai:  NODE_EXTRA_CA_CERTS=livetest.pem node app.mjs
//	const ai = new GoogleGenAI({apiKey: 'any-key',
//	                            httpOptions: {baseUrl: 'https://127.0.0.1:PORT'}});
//
// The package's tests run the Go client and the Node client (nodeclient/)
// this way; docs/PROTOCOL.md at the repository root has the same recipes.
//
// # Recordings
//
// ParseRecording reads the js-genai recording format, and WithReplay
// serves the server side of a recording verbatim.
package livetest
