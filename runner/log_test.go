package runner_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
)

// The records of a live run say which app, user, session, invocation and
// agent they are about, each once.
func TestRunLogRecordsIdentifyTheRunOnce(t *testing.T) {
	var out bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := newHarness(t, setup{autoCreate: true, logger: logger})
	q := textQueue(t, "hello")
	res := h.run(t, t.Context(), "u1", "s1", q, textConfig(), closeAfterTurns(q, 1))
	if err := res.err(t); err != nil {
		t.Fatalf("run ended with %v", err)
	}
	invocation := res.events[0].InvocationID

	want := map[string]string{
		"app": appName, "user_id": "u1", "session_id": "s1", "invocation_id": invocation,
	}
	var flowRecords int
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	for _, line := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		for k, v := range want {
			if rec[k] != v {
				t.Errorf("record %q: %s = %v, want %q", rec["msg"], k, rec[k], v)
			}
			if n := strings.Count(line, `"`+k+`":`); n != 1 {
				t.Errorf("record %q has %s %d times", rec["msg"], k, n)
			}
		}
		if strings.HasPrefix(rec["msg"].(string), "flow:") {
			flowRecords++
			if rec["agent"] != agentName || strings.Count(line, `"agent":`) != 1 {
				t.Errorf("flow record %s: want agent %q once", line, agentName)
			}
		}
	}
	if len(lines) < 2 || flowRecords == 0 {
		t.Fatalf("got %d records, %d of them from the flow; want the run's start and end and the flow's:\n%s", len(lines), flowRecords, out.String())
	}
}
