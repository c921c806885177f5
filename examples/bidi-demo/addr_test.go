package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"
)

// serveOnce runs the program with args until it prints its URL, then stops
// it, and returns the URL and the logs.
func serveOnce(t *testing.T, args ...string) (url, logs string) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	stdoutR, stdoutW := io.Pipe()
	buf := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"-env", "none"}, args...), stdoutW, buf)
		stdoutW.Close()
		done <- err
	}()
	line, err := bufio.NewReader(stdoutR).ReadString('\n')
	go io.Copy(io.Discard, stdoutR)
	cancel()
	select {
	case runErr := <-done:
		if err != nil {
			t.Fatalf("the demo printed no URL: %v (run: %v)\nlogs:\n%s", err, runErr, buf)
		}
		if runErr != nil {
			t.Fatalf("run: %v\nlogs:\n%s", runErr, buf)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("run did not return after its context ended")
	}
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "bidi-demo: serving ")
	if !ok {
		t.Fatalf("first line = %q, want \"bidi-demo: serving URL\"", line)
	}
	return url, buf.String()
}

// servingAddr returns the addr of the log's "serving" record.
func servingAddr(t *testing.T, logs string) string {
	t.Helper()
	m := regexp.MustCompile(`msg=serving addr=(\S+)`).FindStringSubmatch(logs)
	if m == nil {
		t.Fatalf("no serving record with an addr in the logs:\n%s", logs)
	}
	return m[1]
}

// The demo listens on the loopback interface unless -addr says otherwise;
// PORT moves it to another port of that interface. The log prints the
// address the listener really has, and says plainly when other machines
// can reach the demo, warning when real credentials are in use.
func TestListenAddressAndExposure(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		port      string // PORT
		apiKey    string // GOOGLE_API_KEY: real credentials when set
		wantHost  string // "" for every interface: 0.0.0.0, or [::] on a dual-stack system
		wantURL   string // prefix
		exposed   bool
		wantLevel string // of the exposure record
	}{
		{name: "PORT changes only the port", args: []string{"-simulator"}, port: "0",
			wantHost: "127.0.0.1", wantURL: "http://127.0.0.1:"},
		{name: "loopback with credentials", args: []string{"-addr", "127.0.0.1:0"}, apiKey: "test-key",
			wantHost: "127.0.0.1", wantURL: "http://127.0.0.1:"},
		{name: "every interface, simulator", args: []string{"-addr", "0.0.0.0:0", "-simulator"},
			wantURL: "http://localhost:", exposed: true, wantLevel: "INFO"},
		{name: "every interface, real credentials", args: []string{"-addr", "0.0.0.0:0"}, apiKey: "test-key",
			wantURL: "http://localhost:", exposed: true, wantLevel: "WARN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearCredentials(t)
			t.Setenv("PORT", tt.port)
			if tt.apiKey != "" {
				t.Setenv("GOOGLE_API_KEY", tt.apiKey)
			}
			url, logs := serveOnce(t, tt.args...)

			addr := servingAddr(t, logs)
			host, port, err := net.SplitHostPort(addr)
			hostOK := host == tt.wantHost
			if tt.wantHost == "" {
				ip := net.ParseIP(host)
				hostOK = ip != nil && ip.IsUnspecified()
			}
			if err != nil || !hostOK || port == "0" || port == "" {
				t.Errorf("serving addr=%s, want host %q (\"\": every interface) with the port the listener got, not 0", addr, tt.wantHost)
			}
			if want := tt.wantURL + port; url != want {
				t.Errorf("printed URL %s, want %s", url, want)
			}

			var record string
			for l := range strings.Lines(logs) {
				if strings.Contains(l, "reachable from other machines") {
					record = l
				}
			}
			if !tt.exposed {
				if record != "" {
					t.Errorf("a loopback listener is announced as exposed: %s", record)
				}
				return
			}
			if !strings.Contains(record, "reachable from other machines on "+addr) || !strings.Contains(record, "level="+tt.wantLevel) {
				t.Errorf("exposure record %q, want level %s saying it is reachable from other machines on %s", record, tt.wantLevel, addr)
			}
			warnsCredentials := strings.Contains(record, "real credentials")
			if warnsCredentials != (tt.apiKey != "") {
				t.Errorf("exposure record %q: warns about real credentials %v, want %v", record, warnsCredentials, tt.apiKey != "")
			}
		})
	}
}
