package livetest_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// requireNodeEnv, set to 1 (as .ci/run does after `npm ci` in nodeclient/),
// turns TestNodeGenaiClientOverTLS's skips into failures, so a CI machine
// that lost Node or the npm install does not pass silently.
const requireNodeEnv = "LIVETEST_REQUIRE_NODE"

// TestNodeGenaiClientOverTLS runs nodeclient/client.mjs: the official Node
// @google/genai client, unchanged, sends a text turn to the TLS server,
// trusting its certificate through NODE_EXTRA_CA_CERTS, and prints the
// reply. The Node client turns a ws:// base URL into wss://, so it needs
// the TLS server. The test needs node and `npm ci` in nodeclient/; without
// them it skips, saying what is missing, unless LIVETEST_REQUIRE_NODE=1.
func TestNodeGenaiClientOverTLS(t *testing.T) {
	node, _ := exec.LookPath("node")
	switch {
	case node == "":
		skipOrFail(t, "node not found: install Node.js 20 or later")
	case !fileExists(filepath.Join("nodeclient", "node_modules", "@google", "genai", "package.json")):
		skipOrFail(t, "@google/genai is not installed: run `npm ci` in gemini/livetest/nodeclient")
	}
	srv := newTLSServer(t)
	cert := filepath.Join(t.TempDir(), "livetest.pem")
	if err := os.WriteFile(cert, srv.CertificatePEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "client.mjs")
	cmd.Dir = "nodeclient"
	cmd.Env = append(os.Environ(),
		"LIVETEST_URL="+srv.HTTPURL(),
		"LIVETEST_TEXT=Hello from Node",
		"NODE_EXTRA_CA_CERTS="+cert,
	)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node client.mjs: %v\nstdout: %s\nstderr: %s", err, out, stderr.String())
	}
	if got, want := strings.TrimSpace(string(out)), "echo: Hello from Node"; got != want {
		t.Errorf("the Node client printed %q, want %q\nstderr: %s", got, want, stderr.String())
	}

	sess, err := srv.WaitSession(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := sess.Setup().Model; got != "models/gemini-live-2.5-flash-preview" {
		t.Errorf("the Node client's setup model = %q", got)
	}
}

// skipOrFail skips the test with msg, or fails it when requireNodeEnv is
// set.
func skipOrFail(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv(requireNodeEnv) == "1" {
		t.Fatalf("%s (%s=1 requires the Node client test)", msg, requireNodeEnv)
	}
	t.Skip(msg)
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
