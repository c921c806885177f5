package measure

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/adklive/adklive/bench/adapter"
	"github.com/adklive/adklive/bench/wire"
)

// Config is one scenario to run.
type Config struct {
	// Server is the fake server's base URL, ws://host:port.
	Server   string
	Adapter  adapter.Adapter
	Mode     wire.Mode
	Sessions int
	// Turns and FramesPerTurn script the server's audio (Burst, Realtime).
	Turns         int
	FramesPerTurn int
	// UpChunks is how many 40 ms chunks the upstream burst sends.
	UpChunks int
	// WindowStart and WindowEnd, when set, are called at the edges of the
	// measured window (to start and stop a profile).
	WindowStart, WindowEnd func()
}

// Run runs the scenario and reports what it measured, or the first error
// any session met, including a failed check of what it received.
func Run(ctx context.Context, cfg Config) (Result, error) {
	var id [8]byte
	rand.Read(id[:])
	sc := wire.Scenario{
		ID: hex.EncodeToString(id[:]), Mode: cfg.Mode, Sessions: cfg.Sessions,
		Turns: cfg.Turns, FramesPerTurn: cfg.FramesPerTurn, UpChunks: cfg.UpChunks,
	}
	res := Result{Adapter: cfg.Adapter.Name(), Mode: string(cfg.Mode), Sessions: cfg.Sessions}
	base := strings.TrimSuffix(cfg.Server, "/") + sc.Path()
	var err error
	switch cfg.Mode {
	case wire.Burst, wire.Realtime:
		err = runDownstream(ctx, cfg, sc, base, &res)
	case wire.Upstream:
		err = runUpstream(ctx, cfg, base, &res)
	case wire.Idle:
		err = runIdle(ctx, cfg, base, &res)
	default:
		err = fmt.Errorf("unknown mode %q", cfg.Mode)
	}
	res.MaxRSSMB = maxRSSMB()
	return res, err
}

func window(f func()) {
	if f != nil {
		f()
	}
}

func runDownstream(ctx context.Context, cfg Config, sc wire.Scenario, base string, res *Result) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	frameLen := wire.NewAudioFrame().Len()
	wantFrames := int64(cfg.Turns * cfg.FramesPerTurn)
	_, raw := cfg.Adapter.(adapter.Transport)
	realtime := cfg.Mode == wire.Realtime

	var ready, done sync.WaitGroup
	ready.Add(cfg.Sessions)
	checkers := make([]*checker, cfg.Sessions)
	var first firstError
	for i := range cfg.Sessions {
		c := &checker{wantTurns: cfg.Turns, wantFrames: wantFrames, ready: ready.Done, keepLatency: realtime}
		if raw {
			c.wantRaw = 1 + int64(cfg.Turns)*int64(cfg.FramesPerTurn+1)
		}
		if realtime {
			c.latencies = make([]int64, 0, wantFrames)
		}
		checkers[i] = c
		done.Add(1)
		go func() {
			defer done.Done()
			if err := session(ctx, cfg.Adapter, base, c, realtime && !raw); err != nil {
				first.set(fmt.Errorf("session %d: %w", i, err))
				c.markReady()
				cancel()
			}
		}()
	}
	ready.Wait()
	if err := first.get(); err != nil {
		done.Wait()
		return err
	}
	window(cfg.WindowStart)
	cpu0, t0 := cpuTime(), time.Now()
	if err := sayGo(ctx, cfg.Server, sc.ID); err != nil {
		return err
	}
	done.Wait()
	cpu1, t1 := cpuTime(), time.Now()
	window(cfg.WindowEnd)
	if err := first.get(); err != nil {
		return err
	}
	var lat []int64
	for i, c := range checkers {
		if err := c.check(frameLen); err != nil {
			return fmt.Errorf("session %d: %w", i, err)
		}
		res.Frames += c.frames
		res.Bytes += c.bytes
		lat = append(lat, c.latencies...)
	}
	if raw {
		res.Frames = int64(cfg.Sessions) * wantFrames // checked by byte count
	}
	res.Seconds = t1.Sub(t0).Seconds()
	res.CPUSeconds = (cpu1 - cpu0).Seconds()
	res.FramesPerSecond = float64(res.Frames) / res.Seconds
	res.CPUPerFrameUs = res.CPUSeconds * 1e6 / float64(res.Frames)
	if len(lat) > 0 {
		slices.Sort(lat)
		res.P50Ms = float64(lat[len(lat)/2]) / 1e6
		res.P99Ms = float64(lat[len(lat)*99/100]) / 1e6
		res.MaxMs = float64(lat[len(lat)-1]) / 1e6
	}
	return nil
}

// firstError keeps the first error of many sessions: the cause, where
// the others are mostly its consequences (a cancelled context).
type firstError struct {
	mu  sync.Mutex
	err error
}

func (f *firstError) set(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err == nil {
		f.err = err
	}
}

func (f *firstError) get() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

// session opens one session and receives until c is satisfied; with
// upstream set it also streams 100 ms chunks of 16 kHz audio at real-time
// pace while it receives.
func session(ctx context.Context, a adapter.Adapter, base string, c *checker, upstream bool) error {
	s, err := a.Open(ctx, base)
	if err != nil {
		return err
	}
	if !upstream {
		return s.Receive(ctx, c.handle)
	}
	stop := make(chan struct{})
	sent := make(chan error, 1)
	go func() {
		chunk := wire.Pattern(wire.RealtimeUpChunkBytes)
		t := time.NewTicker(wire.RealtimeUpIntervalMillis * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				sent <- nil
				return
			case <-t.C:
				if !c.live.Load() {
					continue
				}
				if err := s.SendAudio(ctx, chunk); err != nil {
					if c.finished.Load() {
						err = nil // the session ended as it should, under the sender
					}
					sent <- err
					return
				}
			}
		}
	}()
	err = s.Receive(ctx, c.handle)
	close(stop)
	if serr := <-sent; err == nil && serr != nil && !errors.Is(serr, context.Canceled) {
		err = fmt.Errorf("sending upstream audio: %w", serr)
	}
	return err
}

// sayGo starts the scenario's sessions on the server.
func sayGo(ctx context.Context, server, id string) error {
	u := "http" + strings.TrimPrefix(server, "ws") + "/go/" + id
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("POST %s: %s", u, resp.Status)
	}
	return nil
}

func runUpstream(ctx context.Context, cfg Config, base string, res *Result) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s, err := cfg.Adapter.Open(ctx, base)
	if err != nil {
		return err
	}
	ready := make(chan struct{})
	c := &checker{wantTurns: 1, ready: func() { close(ready) }}
	recvErr := make(chan error, 1)
	go func() { recvErr <- s.Receive(ctx, c.handle) }()
	select {
	case <-ready:
	case err := <-recvErr:
		return fmt.Errorf("session ended before it was live: %v", err)
	}
	chunk := wire.Pattern(wire.UpChunkBytes)
	window(cfg.WindowStart)
	cpu0, t0 := cpuTime(), time.Now()
	for range cfg.UpChunks {
		if err := s.SendAudio(ctx, chunk); err != nil {
			return err
		}
	}
	err = <-recvErr // the server's turnComplete after it counted every chunk
	cpu1, t1 := cpuTime(), time.Now()
	window(cfg.WindowEnd)
	if err != nil {
		return err
	}
	if c.turns != 2 {
		return fmt.Errorf("session ended before the server counted %d chunks", cfg.UpChunks)
	}
	res.UpChunks = cfg.UpChunks
	res.Seconds = t1.Sub(t0).Seconds()
	res.CPUSeconds = (cpu1 - cpu0).Seconds()
	res.CPUPerChunkUs = res.CPUSeconds * 1e6 / float64(cfg.UpChunks)
	return nil
}

func runIdle(ctx context.Context, cfg Config, base string, res *Result) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	heap0, stack0 := memInUse()
	g0 := goroutinesByCreator()
	var ready sync.WaitGroup
	ready.Add(cfg.Sessions)
	errs := make(chan error, cfg.Sessions)
	for range cfg.Sessions {
		c := &checker{wantTurns: 1 << 30, readyAfter: cfg.Turns, ready: ready.Done}
		go func() {
			s, err := cfg.Adapter.Open(ctx, base)
			if err == nil {
				err = s.Receive(ctx, c.handle)
			}
			if err != nil && ctx.Err() == nil {
				errs <- err
				c.markReady()
			}
		}()
	}
	ready.Wait()
	select {
	case err := <-errs:
		return err
	default:
	}
	heap1, stack1 := memInUse()
	g1 := goroutinesByCreator()
	n := float64(cfg.Sessions)
	res.HeapPerSession = float64(heap1-heap0) / n
	res.BytesPerSession = float64(heap1+stack1-heap0-stack0) / n
	res.GoroutinesByCreator = make(map[string]float64)
	var total int
	for k, v := range g1 {
		if d := v - g0[k]; d != 0 {
			res.GoroutinesByCreator[k] = float64(d) / n
			total += d
		}
	}
	res.GoroutinesPerSession = float64(total) / n
	return nil
}

// memInUse returns the heap in use and the goroutine stacks after a full
// collection.
func memInUse() (heap, stack uint64) {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc, ms.StackInuse
}
