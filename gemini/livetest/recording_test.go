package livetest_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"

	"github.com/adklive/adklive/gemini/livetest"
)

func recordingFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/recordings/*.websocket.log")
	if err != nil || len(files) == 0 {
		t.Fatalf("no recordings: %v", err)
	}
	return files
}

func parseFile(t *testing.T, name string) []livetest.RecordedFrame {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	frames, err := livetest.ParseRecording(f)
	if err != nil {
		t.Fatalf("ParseRecording(%s): %v", name, err)
	}
	return frames
}

// directions lists, independently of ParseRecording, the direction of
// each message in a recording: the lines that start with '>' or '<'
// followed by a digit.
func directions(t *testing.T, name string) []bool {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var dirs []bool
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if len(line) > 1 && (line[0] == '>' || line[0] == '<') && '0' <= line[1] && line[1] <= '9' {
			dirs = append(dirs, line[0] == '>')
		}
	}
	return dirs
}

func TestParseRecordingEveryFile(t *testing.T) {
	for _, name := range recordingFiles(t) {
		t.Run(filepath.Base(name), func(t *testing.T) {
			frames := parseFile(t, name)
			var got []bool
			for i, f := range frames {
				got = append(got, f.FromClient)
				var top map[string]json.RawMessage
				if err := json.Unmarshal(f.Data, &top); err != nil {
					t.Errorf("frame %d is not a JSON object: %v", i, err)
				}
				if !bytes.Equal(f.Data, bytes.TrimSpace(f.Data)) {
					t.Errorf("frame %d has surrounding whitespace", i)
				}
			}
			if diff := cmp.Diff(directions(t, name), got); diff != "" {
				t.Errorf("directions (-want +got):\n%s", diff)
			}
			if !frames[0].FromClient || !bytes.HasPrefix(frames[0].Data, []byte(`{"setup"`)) {
				t.Errorf("first frame = %.40s, want the client's setup", frames[0].Data)
			}
		})
	}
}

func TestParseRecordingKeepsServerFramesVerbatim(t *testing.T) {
	in := ">20 {\"setup\":{\"model\":1}}\n<27 {\n  \"setupComplete\": {}\n}\n\n>10 {\"a\":\"b\"}\n"
	frames, err := livetest.ParseRecording(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []livetest.RecordedFrame{
		{FromClient: true, Data: []byte(`{"setup":{"model":1}}`)},
		{FromClient: false, Data: []byte("{\n  \"setupComplete\": {}\n}")},
		{FromClient: true, Data: []byte(`{"a":"b"}`)},
	}
	if diff := cmp.Diff(want, frames); diff != "" {
		t.Errorf("frames (-want +got):\n%s", diff)
	}
}

func TestParseRecordingErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"no direction", `{"a":1}`, "want a message starting with"},
		{"no size", `> {"a":1}`, "followed by a size"},
		{"no space", `>12{"a":1}`, "followed by a size"},
		{"truncated json", ">12 {\"a\":", "message at byte 0"},
		{"not an object", `>3 [1]`, "not a JSON object"},
		{"garbage after", ">7 {\"a\":1}\nxyz", "byte 11"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := livetest.ParseRecording(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
	frames, err := livetest.ParseRecording(strings.NewReader("\n \n"))
	if err != nil || len(frames) != 0 {
		t.Errorf("empty recording: %v, %v", frames, err)
	}
}

// TestReplay replays each recording to a raw client that sends the
// recorded client frames: it must receive exactly the recorded server
// frames, in order.
func TestReplay(t *testing.T) {
	for _, name := range recordingFiles(t) {
		t.Run(filepath.Base(name), func(t *testing.T) {
			frames := parseFile(t, name)
			srv := newServer(t, livetest.WithReplay(frames))
			path, header := geminiPath, http.Header{"X-Goog-Api-Key": {"k"}}
			if strings.Contains(name, "Vertex") {
				path, header = vertexPath, http.Header{"Authorization": {"Bearer t"}}
			}
			c := dial(t, srv, path, header)
			var got, want []string
			var sent []string
			for i, f := range frames {
				if !f.FromClient {
					continue
				}
				c.send(string(f.Data))
				sent = append(sent, string(f.Data))
				for _, next := range frames[i+1:] {
					if next.FromClient {
						break
					}
					want = append(want, string(next.Data))
					got = append(got, string(c.recvRaw()))
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("server frames (-want +got):\n%s", diff)
			}
			c.conn.Close(websocket.StatusNormalClosure, "")
			sess, _ := srv.WaitSession(c.ctx, 0)
			<-sess.Done()
			var recorded []string
			for _, m := range sess.Messages() {
				recorded = append(recorded, string(m.Raw))
			}
			// Compared without cmp.Diff, which is slow on 130 KB strings.
			if len(recorded) != len(sent) {
				t.Fatalf("recorded %d client frames, want %d", len(recorded), len(sent))
			}
			for i := range sent {
				if recorded[i] != sent[i] {
					t.Errorf("recorded client frame %d = %.60s..., want %.60s...", i, recorded[i], sent[i])
				}
			}
		})
	}
}
