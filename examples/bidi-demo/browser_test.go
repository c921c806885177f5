package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/genai"

	"github.com/adklive/adklive/event"
	"github.com/adklive/adklive/examples/internal/simulator"
	"github.com/adklive/adklive/examples/internal/wav"
)

// screenshot is where TestBrowserEndToEnd saves its screenshot; the
// README's is made with
//
//	go test ./examples/bidi-demo -run Browser -screenshot ../../docs/bidi-demo.png
var screenshot = flag.String("screenshot", "", "save the browser test's screenshot to this file")

// requireBrowserEnv, set to 1 (as CI does), turns the browser test's skips
// into failures, so a CI machine that lost Chromium or the npm install does
// not pass silently.
const requireBrowserEnv = "BIDI_DEMO_REQUIRE_BROWSER"

// TestBrowserEndToEnd runs e2e/browser.mjs, which drives the page in real
// headless Chromium against the demo on the local simulator: typing, a fake
// microphone fed from a WAV file, barge-in, settings, and a network drop
// (the page reaches the demo through a proxy that can cut every
// connection), tool calls, and a streaming camera (Chromium's fake one),
// whose frames it counts where the model receives them. It needs Chromium
// (Debian's chromium package, or CHROMIUM_PATH), Node.js and `npm ci` in
// e2e/; without them it skips, saying what is missing.
func TestBrowserEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test takes about 20 s; skipped with -short")
	}
	chromium := findChromium()
	node, _ := exec.LookPath("node")
	switch {
	case chromium == "":
		missing(t, "Chromium not found: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH")
	case node == "":
		missing(t, "node not found: install Node.js 20.10 or later")
	case !fileExists(filepath.Join("e2e", "node_modules", "playwright-core", "package.json")):
		missing(t, "playwright-core is not installed: run `npm ci` in examples/bidi-demo/e2e")
	}

	mic := filepath.Join(t.TempDir(), "mic.wav")
	writeMicrophoneWAV(t, mic)
	summaries := filepath.Join(t.TempDir(), "summaries.json")
	writeSummaryCases(t, summaries)
	shot := *screenshot
	if shot == "" {
		shot = filepath.Join(t.TempDir(), "bidi-demo.png")
	} else if abs, err := filepath.Abs(shot); err == nil {
		shot = abs
	}

	ts := startServer(t, audioModel) // the default, native-audio model: spoken replies
	proxy := startDropProxy(t, strings.TrimPrefix(ts.url, "http://"))
	images := serveImageCount(t, ts)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "browser.mjs")
	cmd.Dir = "e2e"
	cmd.Env = append(os.Environ(),
		"BIDI_DEMO_URL="+proxy.url,
		"BIDI_DEMO_DROP_URL="+proxy.dropURL,
		"BIDI_DEMO_IMAGES_URL="+images,
		"BIDI_DEMO_WAV="+mic,
		"BIDI_DEMO_SUMMARIES="+summaries,
		"BIDI_DEMO_SCREENSHOT="+shot,
		"CHROMIUM_PATH="+chromium,
	)
	out, err := cmd.CombinedOutput()
	t.Logf("browser.mjs:\n%s", out)
	if err != nil {
		t.Fatalf("browser.mjs failed: %v", err)
	}
	if !fileExists(shot) {
		t.Errorf("no screenshot at %s", shot)
	}
}

// TestADKClientScript runs e2e/adk_client.mjs, a client that sends the
// frames ADK's Python demo page sends, against the demo. It needs only
// Node.js.
func TestADKClientScript(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		missing(t, "node not found: install Node.js 20.10 or later")
	}
	d := startDemo(t, "-model", textModel) // text replies keep it quick
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	args := []string{"adk_client.mjs", d.url}
	if exec.Command(node, "-e", "process.exit(typeof WebSocket === 'function' ? 0 : 1)").Run() != nil {
		args = append([]string{"--experimental-websocket"}, args...) // Node 20 and 21
	}
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = "e2e"
	out, err := cmd.CombinedOutput()
	t.Logf("adk_client.mjs:\n%s", out)
	if err != nil {
		t.Fatalf("adk_client.mjs failed: %v", err)
	}
	if !bytes.Contains(out, []byte("# all checks passed")) {
		t.Error("adk_client.mjs did not report success")
	}
}

// serveImageCount serves, until the end of the test, the number of images
// the model of ts has received so far, in every session, as JSON
// {"images":N}, and returns its URL.
func serveImageCount(t *testing.T, ts *testServer) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := 0
		for _, s := range ts.backend.Server().Sessions() {
			for _, m := range s.Messages() {
				if ri := m.RealtimeInput; ri != nil {
					if ri.Video != nil {
						n++
					}
					for _, b := range ri.MediaChunks {
						if strings.HasPrefix(b.MIMEType, "image/") {
							n++
						}
					}
				}
			}
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"images":%d}`, n)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// missing skips the test, or fails it when requireBrowserEnv is set.
func missing(t *testing.T, why string) {
	t.Helper()
	if os.Getenv(requireBrowserEnv) == "1" {
		t.Fatalf("%s (%s=1 requires the browser tests)", why, requireBrowserEnv)
	}
	t.Skip(why)
}

// findChromium returns the Chromium to drive: CHROMIUM_PATH, or the first
// of Debian's and Ubuntu's names on PATH.
func findChromium() string {
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// writeMicrophoneWAV writes the fake microphone's input: 0.3 s of silence,
// an utterance, then 3 s of silence. Chromium loops the file, so the next
// utterance comes while the agent answers the previous one, and barges in.
// The utterance is spoken by espeak-ng when it is installed, else
// synthesised (the simulator only measures it, so either works).
func writeMicrophoneWAV(t *testing.T, file string) {
	t.Helper()
	const rate = 16000
	var speech []int16
	if espeak, err := exec.LookPath("espeak-ng"); err == nil {
		out, err := exec.Command(espeak, "--stdout", "-s", "150", "Hello, can you hear me?").Output()
		if err != nil {
			t.Fatalf("espeak-ng: %v", err)
		}
		a, err := wav.Decode(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("decoding espeak-ng's output: %v", err)
		}
		speech = a.Resample(rate).Samples
		t.Logf("microphone input: espeak-ng, %v", a.Duration())
	} else {
		var pcm []byte
		for i, w := range strings.Fields("hello can you hear me") {
			pcm = append(pcm, simulator.SpeakWord(w+" ", i)...)
		}
		a := &wav.Audio{SampleRate: simulator.SampleRate, Samples: make([]int16, len(pcm)/2)}
		for i := range a.Samples {
			a.Samples[i] = int16(uint16(pcm[2*i]) | uint16(pcm[2*i+1])<<8)
		}
		speech = a.Resample(rate).Samples
		t.Logf("microphone input: synthesised, %v", a.Duration())
	}
	samples := make([]int16, rate*3/10)
	samples = append(samples, speech...)
	samples = append(samples, make([]int16, rate*3)...)
	var b bytes.Buffer
	if err := wav.Encode(&b, rate, samples); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// writeSummaryCases writes, for the page's event console, events the
// simulator does not produce, encoded as the server encodes them, each with
// the summary the console must show for it.
func writeSummaryCases(t *testing.T, file string) {
	t.Helper()
	type summaryCase struct {
		Event json.RawMessage `json:"event"`
		Want  string          `json:"want"`
	}
	var cases []summaryCase
	for _, tt := range []struct {
		ev   *event.Event
		want string
	}{
		{&event.Event{VoiceActivity: &genai.VoiceActivity{VoiceActivityType: genai.VoiceActivityTypeActivityStart}},
			"Voice activity ACTIVITY_START"},
		{&event.Event{VoiceActivity: &genai.VoiceActivity{VoiceActivityType: genai.VoiceActivityTypeActivityEnd}},
			"Voice activity ACTIVITY_END"},
		{&event.Event{GoAway: &genai.LiveServerGoAway{TimeLeft: 50 * time.Second}}, "Go away (50s)"},
		{&event.Event{ToolCallCancellation: &genai.LiveServerToolCallCancellation{IDs: []string{"c1", "c2"}}},
			"Tool calls cancelled: c1, c2"},
		{&event.Event{UsageMetadata: &genai.UsageMetadata{PromptTokenCount: 10, ResponseTokenCount: 20, TotalTokenCount: 30}},
			"Usage: 30 tokens (10 prompt, 20 response)"},
	} {
		raw, err := json.Marshal(tt.ev)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, summaryCase{Event: raw, Want: tt.want})
	}
	b, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
