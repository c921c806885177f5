package flow

import (
	"context"
	"errors"
	"net"
	"testing"

	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/runconfig"
)

// nopConn accepts every send.
type nopConn struct{ live.Conn }

func (nopConn) SendRealtime(context.Context, *live.RealtimeInput) error { return nil }

// TestWriteAfterCarryOverIsNotJournaled covers a write that starts on a
// link whose journal was already carried over to the next link (the
// sender was held up, for example yielding the user's turn to a slow
// consumer): the message must not join the journal, where nothing would
// ever read it, but be reported so the sender holds it.
func TestWriteAfterCarryOverIsNotJournaled(t *testing.T) {
	r := &run{journaling: true, wireCtx: context.Background(), cfg: runconfig.RunConfig{MaxHeldAudioBytes: 1 << 20}}
	l := &link{r: r, conn: nopConn{}, ended: make(chan struct{})}
	chunk := func() *message {
		return &message{realtime: live.RealtimeInput{Audio: &genai.Blob{MIMEType: "audio/pcm", Data: make([]byte, 10)}}, isRealtime: true}
	}
	first, late := chunk(), chunk()

	if journaled, err := l.write(first); !journaled || err != nil {
		t.Fatalf("write on a live link = %v, %v; want journaled, nil", journaled, err)
	}
	l.end(errors.New("dropped"))
	if got := l.unconsumed(); len(got) != 1 || got[0] != first {
		t.Fatalf("unconsumed() = %v, want the first message", got)
	}
	journaled, err := l.write(late)
	if journaled || !errors.Is(err, net.ErrClosed) {
		t.Fatalf("write after the carry-over = %v, %v; want not journaled, net.ErrClosed", journaled, err)
	}
	if !l.sealed() {
		t.Error("the journal is not sealed after the carry-over")
	}
}
