package measure_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/adklive/adklive/bench/adapter"
	"github.com/adklive/adklive/bench/fakeserver"
	"github.com/adklive/adklive/bench/measure"
	"github.com/adklive/adklive/bench/wire"
)

// TestEveryAdapterReceivesEveryChunk runs a small burst and an upstream
// burst through every adapter: each must see every chunk, in order, byte
// for byte, and the server must count every upstream chunk.
func TestEveryAdapterReceivesEveryChunk(t *testing.T) {
	srv := httptest.NewServer(fakeserver.NewHandler(slog.New(slog.DiscardHandler)))
	defer srv.Close()
	server := "ws" + strings.TrimPrefix(srv.URL, "http")
	for _, a := range []adapter.Adapter{adapter.Transport{}, adapter.JSON{}, adapter.GenAI{}, &adapter.ADKLive{}, &adapter.ADKGo{}} {
		t.Run(a.Name(), func(t *testing.T) {
			res, err := measure.Run(context.Background(), measure.Config{
				Server: server, Adapter: a, Mode: wire.Burst, Sessions: 3, Turns: 2, FramesPerTurn: 20,
			})
			if err != nil {
				t.Fatal(err)
			}
			if res.Frames != 3*2*20 {
				t.Errorf("burst: %d frames, want %d", res.Frames, 3*2*20)
			}
			if _, ok := a.(adapter.Transport); ok {
				return
			}
			if _, err := measure.Run(context.Background(), measure.Config{
				Server: server, Adapter: a, Mode: wire.Upstream, Sessions: 1, UpChunks: 50,
			}); err != nil {
				t.Errorf("upstream: %v", err)
			}
		})
	}
}
