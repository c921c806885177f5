package logattr_test

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/adklive/adklive/internal/logattr"
)

// Every way of logging through With's logger prints what the same calls on
// l.With would print.
func TestWithPrintsWhatSlogWithPrints(t *testing.T) {
	attrs := []slog.Attr{slog.String("app", "a"), slog.Int("n", 1)}
	tests := []struct {
		name string
		log  func(*slog.Logger)
	}{
		{"plain", func(l *slog.Logger) { l.Info("hello", "k", "v") }},
		{"more attrs", func(l *slog.Logger) { l.With("tool", "t").Warn("w", "k", 2) }},
		{"group", func(l *slog.Logger) { l.WithGroup("g").With("in", true).Error("e", "k", "v") }},
		{"empty group", func(l *slog.Logger) { l.WithGroup("").Info("x") }},
		{"With again", func(l *slog.Logger) { logattr.With(l, slog.String("agent", "x")).Info("y", "k", 3) }},
		{"below the level", func(l *slog.Logger) { l.Debug("not printed") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got, want bytes.Buffer
			opts := &slog.HandlerOptions{ReplaceAttr: dropTime}
			tt.log(logattr.With(slog.New(slog.NewJSONHandler(&got, opts)), attrs...))
			tt.log(slog.New(slog.NewJSONHandler(&want, opts)).With(attrsAny(attrs)...))
			if got.String() != want.String() {
				t.Errorf("logattr.With printed\n%s\nslog's With printed\n%s", got.String(), want.String())
			}
		})
	}
}

func TestWithNilUsesTheDefaultLogger(t *testing.T) {
	l := logattr.With(nil, slog.String("k", "v"))
	ctx := context.Background()
	if got, want := l.Enabled(ctx, slog.LevelInfo), slog.Default().Enabled(ctx, slog.LevelInfo); got != want {
		t.Errorf("Enabled(Info) = %v, slog.Default() says %v", got, want)
	}
}

func dropTime(_ []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}

func attrsAny(attrs []slog.Attr) []any {
	out := make([]any, len(attrs))
	for i, a := range attrs {
		out[i] = a
	}
	return out
}
