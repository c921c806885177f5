package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/adklive/adklive/bench/fakeserver"
	"github.com/adklive/adklive/bench/measure"
)

// TestPlanRunsNodeEverywhereGoADKRuns checks that the Node ADK is planned
// for every scenario the official Go ADK is, and that without drops all
// of them.
func TestPlanRunsNodeEverywhereGoADKRuns(t *testing.T) {
	p := plan(true, 2)
	key := func(s scenario) string { return s.mode + "/" + strconv.Itoa(s.sessions) }
	var goADK, node []string
	for _, s := range p {
		switch s.adapter {
		case "adkgo":
			goADK = append(goADK, key(s))
		case nodeAdapter:
			node = append(node, key(s))
		}
	}
	if len(node) == 0 || !slices.Equal(node, goADK) {
		t.Errorf("nodeadk scenarios %v, want those of adkgo %v", node, goADK)
	}
	rest := without(p, nodeAdapter)
	if len(rest) != len(p)-len(node) || slices.ContainsFunc(rest, func(s scenario) bool { return s.adapter == nodeAdapter }) {
		t.Errorf("without left %d of %d scenarios", len(rest), len(p))
	}
}

// TestNodeClient runs the Node client through each mode against the fake
// server, when node and the client's node_modules are there (benchall
// installs them; the test does not).
func TestNodeClient(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	dir := filepath.Join("..", "..", nodeDir)
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err != nil {
		t.Skipf("%s/node_modules is missing: run npm ci there", nodeDir)
	}
	srv := httptest.NewServer(fakeserver.NewHandler(slog.New(slog.DiscardHandler)))
	defer srv.Close()
	server := "ws" + strings.TrimPrefix(srv.URL, "http")
	for _, sc := range []scenario{
		{adapter: nodeAdapter, mode: "burst", sessions: 3, turns: 2, frames: 20},
		{adapter: nodeAdapter, mode: "upstream", sessions: 1, chunks: 50},
		{adapter: nodeAdapter, mode: "idle", sessions: 3, turns: 1, frames: 5},
		{adapter: nodeAdapter, mode: "realtime", sessions: 2, turns: 2, frames: 3},
	} {
		t.Run(sc.mode, func(t *testing.T) {
			args := append([]string{"--expose-gc", filepath.Join(dir, "benchclient.mjs"), "-server", server}, sc.args()...)
			cmd := exec.Command(node, args...)
			var out, errOut bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errOut
			if err := cmd.Run(); err != nil {
				t.Fatalf("%v: %s", err, errOut.String())
			}
			var r measure.Result
			if err := json.Unmarshal(out.Bytes(), &r); err != nil {
				t.Fatalf("output %q: %v", out.String(), err)
			}
			if r.Adapter != nodeAdapter || r.Mode != sc.mode || r.Sessions != sc.sessions || r.MaxRSSMB <= 0 {
				t.Errorf("result %+v does not describe the scenario", r)
			}
			switch sc.mode {
			case "burst", "realtime":
				if want := int64(sc.sessions * sc.turns * sc.frames); r.Frames != want || r.CPUPerFrameUs <= 0 {
					t.Errorf("%d frames at %.1f µs each, want %d", r.Frames, r.CPUPerFrameUs, want)
				}
				if sc.mode == "realtime" && (r.P50Ms <= 0 || r.P99Ms < r.P50Ms || r.MaxMs < r.P99Ms) {
					t.Errorf("latency p50 %v, p99 %v, max %v ms", r.P50Ms, r.P99Ms, r.MaxMs)
				}
			case "upstream":
				if r.UpChunks != sc.chunks || r.CPUPerChunkUs <= 0 {
					t.Errorf("%d chunks at %.1f µs each, want %d", r.UpChunks, r.CPUPerChunkUs, sc.chunks)
				}
			case "idle":
				if r.BytesPerSession == 0 || r.HeapPerSession == 0 {
					t.Errorf("idle: %v bytes, %v heap per session", r.BytesPerSession, r.HeapPerSession)
				}
			}
		})
	}
}
