package gemini_test

import (
	"bytes"
	"testing"

	"go.uber.org/goleak"
	"google.golang.org/genai"

	"github.com/adklive/adklive/flow/live"
	"github.com/adklive/adklive/gemini/livetest"
)

// Messages of every size, larger than any buffer a connection has had and
// then smaller again, on two connections of one model that share its
// buffers, reach the server whole and in order.
func TestMessagesOfEverySizeArriveWhole(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	ctx := testContext(t)
	srv := livetest.NewServer()
	defer srv.Close()
	m := newModel(t, srv, genai.BackendGeminiAPI, "gemini-live-2.5-flash-preview", nil)

	var conns []live.Conn
	for range 2 {
		c, err := m.Connect(ctx, &live.ConnectRequest{Setup: textSetup()})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	sizes := []int{10, 5000, 300 << 10, 64, 2 << 20, 100, 70 << 10}
	var want [][]byte
	for i, n := range sizes {
		frame := bytes.Repeat([]byte{byte(i + 1)}, n)
		want = append(want, frame)
		for _, c := range conns {
			if err := c.SendRealtime(ctx, &live.RealtimeInput{Video: &genai.Blob{MIMEType: "image/jpeg", Data: frame}}); err != nil {
				t.Fatalf("sending a %d-byte frame: %v", n, err)
			}
		}
	}
	for i := range conns {
		sess, err := srv.WaitSession(ctx, i)
		if err != nil {
			t.Fatal(err)
		}
		for j, w := range want {
			msg, err := sess.WaitMessage(ctx, func(m livetest.ClientMessage) bool {
				return m.RealtimeInput != nil && m.RealtimeInput.Video != nil && len(m.RealtimeInput.Video.Data) > 0 && m.RealtimeInput.Video.Data[0] == byte(j+1)
			})
			if err != nil {
				t.Fatalf("connection %d: frame %d (%d bytes) never arrived: %v", i, j, len(w), err)
			}
			if !bytes.Equal(msg.RealtimeInput.Video.Data, w) {
				t.Errorf("connection %d: frame %d arrived with %d bytes, want %d equal bytes", i, j, len(msg.RealtimeInput.Video.Data), len(w))
			}
		}
	}
}
