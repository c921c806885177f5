// Package logattr adds attributes to a logger without formatting them
// until a record is logged.
//
// slog.Logger.With has the handler format its attributes at once, which
// costs a live run about 650 bytes held for its whole life even when
// nothing is ever logged (debug records are usually off). [With] keeps the
// attributes as they are and adds them to each record that is handled.
package logattr

import (
	"context"
	"log/slog"
	"slices"
)

// With returns a logger that adds attrs to every record, before the
// record's own attributes, as l.With would; unlike l.With, it resolves an
// attribute whose value is a slog.LogValuer again for each record. A nil l
// means slog.Default(). With on a logger that With returned adds to the
// same list, so a record is copied once however many times With was used.
func With(l *slog.Logger, attrs ...slog.Attr) *slog.Logger {
	if l == nil {
		l = slog.Default()
	}
	if h, ok := l.Handler().(*handler); ok {
		return slog.New(h.WithAttrs(attrs))
	}
	return slog.New(&handler{next: l.Handler(), attrs: attrs})
}

type handler struct {
	next  slog.Handler
	attrs []slog.Attr
}

func (h *handler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

func (h *handler) Handle(ctx context.Context, r slog.Record) error {
	nr := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	nr.AddAttrs(h.attrs...)
	r.Attrs(func(a slog.Attr) bool {
		nr.AddAttrs(a)
		return true
	})
	return h.next.Handle(ctx, nr)
}

func (h *handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	return &handler{next: h.next, attrs: slices.Concat(h.attrs, attrs)}
}

// WithGroup hands the attributes so far to the next handler, so that they
// stay outside the group.
func (h *handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return h.next.WithAttrs(h.attrs).WithGroup(name)
}
