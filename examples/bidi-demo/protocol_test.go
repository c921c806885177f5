package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/gemini/livetest"
)

func TestTextModelStreamsTextReplies(t *testing.T) {
	d := startDemo(t, "-model", textModel)
	c := d.dial(t, "/ws/u1/s1")
	c.sendText("hello there")
	frames := c.until(turnComplete)

	var partial strings.Builder
	var final string
	for _, f := range frames {
		ev := f.ev
		if ev.Author != agentName || ev.Content == nil {
			continue
		}
		for _, p := range ev.Content.Parts {
			if ev.Partial {
				partial.WriteString(p.Text)
			} else {
				final += p.Text
			}
		}
	}
	want := "You said: “hello there”. I am the local simulator: ask me what time it is to see a tool call."
	if final != want {
		t.Errorf("final text = %q, want %q", final, want)
	}
	if partial.String() != want {
		t.Errorf("partial chunks join to %q, want the final text %q", partial.String(), want)
	}
	for _, f := range frames {
		if f.ev.Content != nil && f.ev.Content.Parts[0].InlineData != nil {
			t.Errorf("a TEXT model sent audio: %s", f.raw)
		}
	}
}

func TestEventsAreCamelCaseWithEmptyFieldsOmitted(t *testing.T) {
	d := startDemo(t, "-model", textModel)
	c := d.dial(t, "/ws/u1/s1")
	c.sendText("hi")
	for _, f := range c.until(turnComplete) {
		var m map[string]any
		if err := json.Unmarshal(f.raw, &m); err != nil {
			t.Fatal(err)
		}
		for k, v := range m {
			if strings.Contains(k, "_") {
				t.Errorf("key %q is not camelCase in %s", k, f.raw)
			}
			if v == nil || v == false || v == "" {
				t.Errorf("empty field %q=%v not omitted in %s", k, v, f.raw)
			}
		}
		if m["invocationId"] == nil || m["id"] == nil {
			t.Errorf("event without id or invocationId: %s", f.raw)
		}
	}
}

func TestAudioModelSpeaksTranscribesAndCanBeInterrupted(t *testing.T) {
	d := startDemo(t) // the default model is native-audio
	c := d.dial(t, "/ws/u1/s1")
	c.sendText("tell me something")

	// The reply is spoken: 24 kHz audio chunks with transcription fragments.
	var audio, transcript int
	for audio < 2 || transcript < 2 {
		ev := c.next().ev
		if ev.Content != nil && len(ev.Content.Parts) > 0 && ev.Content.Parts[0].InlineData != nil {
			blob := ev.Content.Parts[0].InlineData
			if blob.MIMEType != "audio/pcm;rate=24000" || len(blob.Data) == 0 {
				t.Fatalf("audio part %q with %d bytes", blob.MIMEType, len(blob.Data))
			}
			audio++
		}
		if ev.OutputTranscription != nil && !ev.OutputTranscription.Finished {
			transcript++
		}
		if ev.TurnComplete {
			t.Fatal("the reply ended before it could be interrupted")
		}
	}

	// Speak over it: the binary frames are 16 kHz PCM, 100 ms each, as
	// the page's recorder sends them.
	speech := livetest.Tone(16000, 600*time.Millisecond, 0.3)
	silence := livetest.Silence(16000, 800*time.Millisecond)
	for _, pcm := range [][]byte{speech, silence} {
		for off := 0; off < len(pcm); off += 3200 {
			c.sendFrame(websocket.MessageBinary, pcm[off:min(off+3200, len(pcm))])
		}
	}
	frames := c.until(func(ev *event.Event) bool { return ev.Interrupted })
	if len(frames) == 0 {
		t.Fatal("no interrupted event")
	}
	// The speech is a turn of its own: transcribed by its duration and
	// answered.
	var heard string
	for _, f := range c.until(func(ev *event.Event) bool {
		return ev.InputTranscription != nil && ev.InputTranscription.Finished
	}) {
		if it := f.ev.InputTranscription; it != nil && it.Finished {
			heard = it.Text
			if f.ev.Author != "user" {
				t.Errorf("input transcription by %q, want user", f.ev.Author)
			}
		}
	}
	if !strings.Contains(heard, "s of audio]") {
		t.Errorf("input transcription = %q, want the audio's duration", heard)
	}
}

func TestBadFramesGetErrorFramesAndTheConnectionStays(t *testing.T) {
	d := startDemo(t, "-model", textModel)
	c := d.dial(t, "/ws/u1/s1")
	tests := []struct {
		name  string
		typ   websocket.MessageType
		data  string
		wants string
	}{
		{"invalid JSON", websocket.MessageText, `{"type":`, "not valid JSON"},
		{"not an object", websocket.MessageText, `[1,2]`, "want a JSON object"},
		{"no type", websocket.MessageText, `{"text":"hi"}`, `no "type"`},
		{"unknown type", websocket.MessageText, `{"type":"video","data":"AAAA"}`, `unknown message type "video"`},
		{"text not a string", websocket.MessageText, `{"type":"text","text":5}`, `"text" must be a string`},
		{"empty text", websocket.MessageText, `{"type":"text","text":"  "}`, `empty "text"`},
		{"bad base64", websocket.MessageText, `{"type":"image","data":"%%%%","mimeType":"image/jpeg"}`, "not valid base64"},
		{"data URL", websocket.MessageText, `{"type":"image","data":"data:image/jpeg;base64,AAAA"}`, "without the"},
		{"not an image", websocket.MessageText, `{"type":"image","data":"AAAA","mimeType":"audio/wav"}`, `"audio/wav"`},
		{"odd audio", websocket.MessageBinary, "\x01\x02\x03", "3 bytes"},
		{"empty audio", websocket.MessageBinary, "", "empty audio frame"},
	}
	// A good message first: nothing already queued may be lost.
	c.sendText("first")
	for _, tt := range tests {
		c.sendFrame(tt.typ, []byte(tt.data))
	}
	var errs []*event.Event
	var reply []frame
	for len(errs) < len(tests) || len(reply) == 0 || !reply[len(reply)-1].ev.TurnComplete {
		f := c.next()
		if isError(f.ev) {
			errs = append(errs, f.ev)
			var m map[string]any
			json.Unmarshal(f.raw, &m)
			if len(m) != 2 {
				t.Errorf("error frame %s: want exactly errorCode and errorMessage", f.raw)
			}
			continue
		}
		reply = append(reply, f)
	}
	for i, tt := range tests {
		ev := errs[i]
		if ev.ErrorCode != "INVALID_ARGUMENT" || !strings.Contains(ev.ErrorMessage, tt.wants) {
			t.Errorf("%s: error frame %q %q, want INVALID_ARGUMENT naming %q", tt.name, ev.ErrorCode, ev.ErrorMessage, tt.wants)
		}
	}
	if got := replyText(reply); !strings.HasPrefix(got, "You said: “first”.") {
		t.Errorf("reply to the message sent before the bad frames = %q", got)
	}
	// And the connection still works.
	c.sendText("second")
	if got := replyText(c.until(turnComplete)); !strings.HasPrefix(got, "You said: “second”.") {
		t.Errorf("reply after the bad frames = %q", got)
	}
}

func TestImagesReachTheModel(t *testing.T) {
	d := startDemo(t, "-model", textModel)
	c := d.dial(t, "/ws/u1/s1")
	jpeg := []byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0xff, 0xd9}
	c.sendJSON(map[string]any{"type": "image", "data": base64.StdEncoding.EncodeToString(jpeg), "mimeType": "image/jpeg"})
	c.sendText("what is this?")
	if got := replyText(c.until(turnComplete)); !strings.Contains(got, "I got your image") {
		t.Errorf("reply = %q, want the simulator to have received the image", got)
	}
}

func TestTimeRequestRunsTheLocalTool(t *testing.T) {
	d := startDemo(t, "-model", textModel)
	c := d.dial(t, "/ws/u1/s1")
	c.sendText("what time is it?")
	var call, response bool
	frames := c.until(turnComplete)
	for _, f := range frames {
		if f.ev.Content == nil {
			continue
		}
		for _, p := range f.ev.Content.Parts {
			call = call || (p.FunctionCall != nil && p.FunctionCall.Name == "get_current_time")
			response = response || (p.FunctionResponse != nil && p.FunctionResponse.Response["time"] != nil)
		}
	}
	if !call || !response {
		t.Errorf("function call seen %v, response with a time seen %v; want both", call, response)
	}
	if got := replyText(frames); !strings.Contains(got, "The get_current_time tool says:") {
		t.Errorf("reply = %q, want the tool's result", got)
	}
}

func TestTheRuntimeReconnectsToTheModelAfterADrop(t *testing.T) {
	d := startDemo(t, "-model", textModel)
	c := d.dial(t, "/ws/u1/s1")
	c.sendText("my name is Ada")
	c.until(turnComplete)
	c.sendText("please drop the connection")
	var started, succeeded bool
	c.until(func(ev *event.Event) bool {
		if rc := ev.Reconnect; rc != nil {
			started = started || rc.State == event.ReconnectStarted
			succeeded = succeeded || rc.State == event.ReconnectSucceeded && rc.Resumed
		}
		return succeeded
	})
	if !started || !succeeded {
		t.Fatalf("reconnect events: started %v, succeeded and resumed %v; want both", started, succeeded)
	}
	// The same browser connection goes on, and the model remembers.
	// The resumed session lacks the request sent after its handle, so it
	// gets it again, and answers it before the next question.
	c.sendText("who am I?")
	var got string
	for range 3 {
		if got = replyText(c.until(turnComplete)); strings.Contains(got, "who am I?") {
			break
		}
	}
	if !strings.Contains(got, "who am I?") || !strings.Contains(got, "Earlier you said") {
		t.Errorf("reply after the model connection was replaced = %q, want it to remember the conversation", got)
	}
}

func TestReconnectingContinuesTheSession(t *testing.T) {
	d := startDemo(t, "-model", textModel)
	c := d.dial(t, "/ws/u1/s1")
	c.sendText("my name is Ada")
	c.until(turnComplete)
	c.ws.Close(websocket.StatusNormalClosure, "")

	again := d.dial(t, "/ws/u1/s1")
	again.sendText("who am I?")
	if got := replyText(again.until(turnComplete)); !strings.Contains(got, "Earlier you said: “my name is Ada”.") {
		t.Errorf("reply after reconnecting = %q, want the simulator to see the session's history", got)
	}

	other := d.dial(t, "/ws/u1/s2")
	other.sendText("who am I?")
	if got := replyText(other.until(turnComplete)); strings.Contains(got, "Ada") {
		t.Errorf("another session knows the first one's history: %q", got)
	}
}

func TestForeignOriginsAreRefused(t *testing.T) {
	d := startDemo(t, "-allow-origins", "trusted.example")
	tests := []struct {
		origin string
		ok     bool
	}{
		{"", true}, // not a browser
		{d.url, true},
		{"http://trusted.example", true},
		{"http://evil.example", false},
		{"http://trusted.example.evil.example", false},
	}
	for _, tt := range tests {
		header := map[string][]string{}
		if tt.origin != "" {
			header["Origin"] = []string{tt.origin}
		}
		c, resp, err := d.tryDial("/ws/u1/s1", header)
		switch {
		case tt.ok && err != nil:
			t.Errorf("origin %q refused: %v", tt.origin, err)
		case !tt.ok && err == nil:
			c.CloseNow()
			t.Errorf("origin %q accepted", tt.origin)
		case !tt.ok && (resp == nil || resp.StatusCode != 403):
			t.Errorf("origin %q: got %v, want HTTP 403", tt.origin, resp)
		}
		if err == nil {
			c.Close(websocket.StatusNormalClosure, "")
		}
	}
}

func TestOversizedFramesCloseTheConnection(t *testing.T) {
	d := startDemo(t, "-max-frame", "4096")
	c := d.dial(t, "/ws/u1/s1")
	c.sendFrame(websocket.MessageBinary, make([]byte, 8192))
	for {
		_, _, err := c.ws.Read(t.Context())
		if err == nil {
			continue // events already on their way
		}
		if got := websocket.CloseStatus(err); got != websocket.StatusMessageTooBig {
			t.Errorf("close status %v (%v), want %v", got, err, websocket.StatusMessageTooBig)
		}
		return
	}
}

func TestBadWebSocketRequests(t *testing.T) {
	d := startDemo(t)
	tests := []struct {
		path string
		want string
	}{
		{"/ws/u1/s1?proactivity=maybe", "proactivity"},
		{"/ws/u1/s1?affective_dialog=2", "affective_dialog"},
		{"/ws/u1/" + strings.Repeat("x", 200), "session_id"},
		{"/ws/%20/s1", "user_id"},
	}
	for _, tt := range tests {
		_, resp, err := d.tryDial(tt.path, nil)
		if err == nil {
			t.Errorf("%s: accepted", tt.path)
			continue
		}
		if resp == nil || resp.StatusCode != 400 {
			t.Errorf("%s: %v, want HTTP 400", tt.path, err)
			continue
		}
		var body bytes.Buffer
		body.ReadFrom(resp.Body)
		if !strings.Contains(body.String(), tt.want) {
			t.Errorf("%s: body %q does not name %s", tt.path, body.String(), tt.want)
		}
	}
}

func TestThePageIsServedWithItsAssets(t *testing.T) {
	d := startDemo(t)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	tests := []struct {
		path, contentType, contains string
	}{
		{"/", "text/html", `<script type="module" src="/static/app.js">`},
		{"/static/app.js", "text/javascript", "/ws/"},
		{"/static/pcm-recorder-processor.js", "text/javascript", "registerProcessor"},
		{"/static/pcm-player-processor.js", "text/javascript", "registerProcessor"},
		{"/static/style.css", "text/css", ".bubble"},
		{"/api/config", "application/json", `"simulator":true`},
	}
	for _, tt := range tests {
		resp, err := client.Get(d.url + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), tt.contentType) || !strings.Contains(string(body), tt.contains) {
			t.Errorf("GET %s: %d %q, body contains %q: %v", tt.path, resp.StatusCode, resp.Header.Get("Content-Type"), tt.contains, strings.Contains(string(body), tt.contains))
		}
		if tt.path == "/" && !strings.Contains(resp.Header.Get("Content-Security-Policy"), "connect-src 'self' ws://127.0.0.1:") {
			t.Errorf("GET /: Content-Security-Policy %q", resp.Header.Get("Content-Security-Policy"))
		}
	}
	var cfg pageConfig
	resp, err := client.Get(d.url + "/api/config")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Model != audioModel || cfg.ResponseModality != "AUDIO" || !cfg.Simulator || cfg.SimulatorReason == "" {
		t.Errorf("/api/config = %+v", cfg)
	}
	resp404, err := client.Get(d.url + "/nope")
	if err != nil {
		t.Fatal(err)
	}
	resp404.Body.Close()
	if resp404.StatusCode != 404 {
		t.Errorf("GET /nope: %d, want 404", resp404.StatusCode)
	}
}
