package gemini

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"google.golang.org/genai"
)

// TestRedactWholeTokens checks that a secret is removed where it stands as
// a token of its own and nowhere else, so a short key cannot mangle the
// message around it.
func TestRedactWholeTokens(t *testing.T) {
	tests := []struct {
		name, msg, secret, want string
	}{
		{"one-character key in words", "failed to dial: connection refused", "a",
			"failed to dial: connection refused"},
		{"one-character key standing alone", `header x-goog-api-key: a; key=a&b`, "a",
			`header x-goog-api-key: [REDACTED]; key=[REDACTED]&b`},
		{"normal key in a query", `Get "wss://h/ws?key=AIza-secret_9": 403`, "AIza-secret_9",
			`Get "wss://h/ws?key=[REDACTED]": 403`},
		{"normal key twice", "AIza-secret_9 and AIza-secret_9.", "AIza-secret_9",
			"[REDACTED] and [REDACTED]."},
		{"key inside a longer token is not that key", "xAIza-secret_9 AIza-secret_9x", "AIza-secret_9",
			"xAIza-secret_9 AIza-secret_9x"},
		{"token with a dot", "Authorization: Bearer ya29.tok-3", "ya29.tok-3",
			"Authorization: Bearer [REDACTED]"},
		{"empty secret", "nothing to hide", "", "nothing to hide"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig := errors.New(tt.msg)
			got := redact(orig, tt.secret)
			if got.Error() != tt.want {
				t.Errorf("redact(%q, %q) = %q, want %q", tt.msg, tt.secret, got.Error(), tt.want)
			}
			if tt.msg == tt.want && got != orig {
				t.Errorf("redact(%q, %q) replaced an error it did not change", tt.msg, tt.secret)
			}
		})
	}
}

// TestDialErrorKeepsMessageWithShortKey checks a dial that gets no
// response, whose error names the URL and the cause: with a one-character
// key the message is exactly what it is with a key that appears nowhere in
// it, so redaction removed nothing that was not the key.
func TestDialErrorKeepsMessageWithShortKey(t *testing.T) {
	clearGenaiEnv(t)
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close() // nothing listens there any more
	dialError := func(key string) string {
		t.Helper()
		m := newTestModel(t, addr, genai.BackendGeminiAPI, "m", &Config{APIKey: key})
		_, err := m.Connect(context.Background(), nil)
		if err == nil {
			t.Fatal("Connect succeeded with nothing listening")
		}
		return err.Error()
	}
	want := dialError("zz-key-not-in-any-message")
	got := dialError("a")
	if got != want {
		t.Errorf("with the key \"a\" the error reads\n%s\nwant the same text as with another key:\n%s", got, want)
	}
	for _, part := range []string{"gemini: dial", "BidiGenerateContent", "connection refused"} {
		if !strings.Contains(got, part) {
			t.Errorf("the error %q does not contain %q", got, part)
		}
	}
}
