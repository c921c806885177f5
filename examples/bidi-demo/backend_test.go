package main

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
)

// clearCredentials unsets every variable gemini reads credentials from, for
// the duration of the test.
func clearCredentials(t *testing.T) {
	t.Helper()
	for _, k := range []string{"GOOGLE_API_KEY", "GEMINI_API_KEY", "GOOGLE_GENAI_USE_VERTEXAI", "GOOGLE_GENAI_USE_ENTERPRISE",
		"GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION", "GOOGLE_CLOUD_REGION", "GOOGLE_GEMINI_BASE_URL", "GOOGLE_VERTEX_BASE_URL"} {
		t.Setenv(k, "") // restores the variable after the test
		os.Unsetenv(k)
	}
}

func TestTheLogAndThePageSayWhyTheSimulatorRuns(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantReason string
		notReason  string
	}{
		{"forced by the flag", []string{"-simulator"}, "forced with -simulator", "credentials"},
		{"no credentials", nil, "GOOGLE_API_KEY", "-simulator"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearCredentials(t)
			d := startProgram(t, tt.args...)

			var line string
			for l := range strings.Lines(d.logs.String()) {
				if strings.Contains(l, "local Live simulator") {
					line = l
					break
				}
			}
			if !strings.Contains(line, tt.wantReason) || strings.Contains(line, tt.notReason) {
				t.Errorf("log line %q: want the reason %q, not %q", line, tt.wantReason, tt.notReason)
			}

			resp, err := http.Get(d.url + "/api/config")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var cfg pageConfig
			if err := json.NewDecoder(resp.Body).Decode(&cfg); err != nil {
				t.Fatal(err)
			}
			if !cfg.Simulator || !strings.Contains(cfg.SimulatorReason, tt.wantReason) {
				t.Errorf("/api/config says simulator %v, reason %q; want the reason %q for the page's banner",
					cfg.Simulator, cfg.SimulatorReason, tt.wantReason)
			}
		})
	}
}
