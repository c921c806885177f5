package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/adklive/adklive/bench/measure"
	"github.com/adklive/adklive/bench/plot"
)

// names are how the tables call each adapter.
var names = map[string]string{
	"transport": "coder/websocket, no decode (transport floor)",
	"json":      "coder/websocket + encoding/json into genai types (JSON floor)",
	"genai":     "genai Go SDK v1.77.0 `Live.Connect` session",
	"adkgo":     "google.golang.org/adk/v2 v2.2.0 `RunLive`",
	nodeAdapter: "@google/adk 2.0.0 (Node) `runLive`",
	"adklive":   "adklive `runner.RunLive`",
}

func find(rs []measure.Result, adapter, mode string, sessions int) *measure.Result {
	for i := range rs {
		if rs[i].Adapter == adapter && rs[i].Mode == mode && rs[i].Sessions == sessions {
			return &rs[i]
		}
	}
	return nil
}

func cell(r *measure.Result, f func(*measure.Result) string) string {
	if r == nil {
		return "–"
	}
	return f(r)
}

func us(v float64) string { return fmt.Sprintf("%.1f", v) }

func printTables(w io.Writer, rs []measure.Result) {
	idle := 0
	for _, r := range rs {
		if r.Mode == "idle" {
			idle = r.Sessions
		}
	}
	maxRT := 0
	for _, r := range rs {
		if r.Mode == "realtime" {
			maxRT = max(maxRT, r.Sessions)
		}
	}
	fmt.Fprintf(w, "| runtime | audio frames/s, 1 session | CPU µs per frame, 1 / 100 / 500 sessions | CPU µs per 40 ms upstream chunk | idle heap + stacks per session (%d open) | goroutines per session | peak RSS, 500 sessions | added latency p50 / p99, %d real-time sessions |\n", idle, maxRT)
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
	for _, a := range adapters {
		one := find(rs, a, "burst", 1)
		var perFrame []string
		for _, n := range concurrency {
			perFrame = append(perFrame, cell(find(rs, a, "burst", n), func(r *measure.Result) string { return us(r.CPUPerFrameUs) }))
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", names[a],
			cell(one, func(r *measure.Result) string { return fmt.Sprintf("%.0fk", r.FramesPerSecond/1000) }),
			strings.Join(perFrame, " / "),
			cell(find(rs, a, "upstream", 1), func(r *measure.Result) string { return us(r.CPUPerChunkUs) }),
			cell(find(rs, a, "idle", idle), func(r *measure.Result) string {
				return fmt.Sprintf("%.1f KB (heap %.1f KB)", r.BytesPerSession/1024, r.HeapPerSession/1024)
			}),
			cell(find(rs, a, "idle", idle), goroutines),
			cell(find(rs, a, "burst", 500), func(r *measure.Result) string { return fmt.Sprintf("%.0f MB", r.MaxRSSMB) }),
			cell(find(rs, a, "realtime", maxRT), func(r *measure.Result) string {
				return fmt.Sprintf("%.2f / %.2f ms", r.P50Ms, r.P99Ms)
			}),
		)
	}

	fmt.Fprintln(w, "\nRatios: the other runtime's cost divided by adklive's (above 1: adklive is cheaper).")
	fmt.Fprintln(w, "\n| versus | CPU per frame, 1 session | CPU per frame, 500 sessions | CPU per upstream chunk | idle bytes per session | peak RSS, 500 sessions |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	ours := func(mode string, n int) *measure.Result { return find(rs, "adklive", mode, n) }
	ratio := func(a *measure.Result, b *measure.Result, f func(*measure.Result) float64) string {
		if a == nil || b == nil || f(b) == 0 || f(a) == 0 {
			return "–"
		}
		return fmt.Sprintf("%.2f×", f(a)/f(b))
	}
	frame := func(r *measure.Result) float64 { return r.CPUPerFrameUs }
	for _, a := range adapters {
		if a == "adklive" {
			continue
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", names[a],
			ratio(find(rs, a, "burst", 1), ours("burst", 1), frame),
			ratio(find(rs, a, "burst", 500), ours("burst", 500), frame),
			ratio(find(rs, a, "upstream", 1), ours("upstream", 1), func(r *measure.Result) float64 { return r.CPUPerChunkUs }),
			ratio(find(rs, a, "idle", idle), ours("idle", idle), func(r *measure.Result) float64 { return r.BytesPerSession }),
			ratio(find(rs, a, "burst", 500), ours("burst", 500), func(r *measure.Result) float64 { return r.MaxRSSMB }),
		)
	}
	if o1, o500 := ours("burst", 1), ours("burst", 500); o1 != nil && o500 != nil {
		fmt.Fprintf(w, "\nadklive at 500 concurrent sessions costs %.2f× its one-session CPU per frame.\n", o500.CPUPerFrameUs/o1.CPUPerFrameUs)
	}

	printSpread(w, rs, idle)

	var ns []int
	for _, r := range rs {
		if r.Mode == "realtime" && !slices.Contains(ns, r.Sessions) {
			ns = append(ns, r.Sessions)
		}
	}
	sort.Ints(ns)
	if len(ns) == 0 {
		return
	}
	fmt.Fprintln(w, "\nReal-time load (16 kHz audio up in 100 ms chunks, 24 kHz down in 40 ms chunks): added latency p50 / p99 / max, and client CPU per downstream frame.")
	fmt.Fprint(w, "\n| runtime |")
	for _, n := range ns {
		if n == 1 {
			fmt.Fprint(w, " 1 session |")
			continue
		}
		fmt.Fprintf(w, " %d sessions |", n)
	}
	fmt.Fprint(w, "\n|---|")
	for range ns {
		fmt.Fprint(w, "---|")
	}
	fmt.Fprintln(w)
	for _, a := range adapters {
		if find(rs, a, "realtime", ns[0]) == nil {
			continue
		}
		fmt.Fprintf(w, "| %s |", names[a])
		for _, n := range ns {
			fmt.Fprintf(w, " %s |", cell(find(rs, a, "realtime", n), func(r *measure.Result) string {
				return fmt.Sprintf("%.2f / %.2f / %.2f ms, %s µs", r.P50Ms, r.P99Ms, r.MaxMs, us(r.CPUPerFrameUs))
			}))
		}
		fmt.Fprintln(w)
	}
}

// printSpread prints, for the scenarios that ran more than once, the
// lowest and highest of each figure the tables give the median of.
func printSpread(w io.Writer, rs []measure.Result, idle int) {
	rounds := 0
	for _, r := range rs {
		rounds = max(rounds, r.Rounds)
	}
	if rounds < 2 {
		return
	}
	fmt.Fprintf(w, "\nEach burst, upstream and idle figure above is the median of its runs (%d, fewer where a run failed); their lowest – highest:\n", rounds)
	fmt.Fprintln(w, "\n| runtime | CPU µs per frame, 1 session | 100 sessions | 500 sessions | CPU µs per upstream chunk | idle KB per session |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	span := func(r *measure.Result) string { return fmt.Sprintf("%.1f – %.1f", r.MetricMin, r.MetricMax) }
	for _, a := range adapters {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", names[a],
			cell(find(rs, a, "burst", 1), span),
			cell(find(rs, a, "burst", 100), span),
			cell(find(rs, a, "burst", 500), span),
			cell(find(rs, a, "upstream", 1), span),
			cell(find(rs, a, "idle", idle), func(r *measure.Result) string {
				return fmt.Sprintf("%.1f – %.1f", r.MetricMin/1024, r.MetricMax/1024)
			}),
		)
	}
}

func goroutines(r *measure.Result) string {
	if r.Adapter == nodeAdapter {
		return "–" // one JS thread: there are no goroutines to count
	}
	var parts []string
	keys := make([]string, 0, len(r.GoroutinesByCreator))
	for k := range r.GoroutinesByCreator {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	lib := 0.0
	for _, k := range keys {
		v := r.GoroutinesByCreator[k]
		parts = append(parts, fmt.Sprintf("%s %.3g", k, v))
		if k != "harness" {
			lib += v
		}
	}
	return fmt.Sprintf("%.3g (%s)", lib, strings.Join(parts, ", "))
}

func writePlot(path string, rs []measure.Result) error {
	c := plot.Chart{
		Title:  "p99 added latency (server send -> event in the caller's hands), real-time audio",
		XLabel: "concurrent live sessions",
		YLabel: "p99 latency (log scale)",
	}
	for _, a := range adapters {
		s := plot.Series{Name: a}
		for _, r := range rs {
			if r.Adapter == a && r.Mode == "realtime" {
				s.Points = append(s.Points, plot.Point{X: float64(r.Sessions), Y: r.P99Ms})
			}
		}
		if len(s.Points) > 0 {
			sort.Slice(s.Points, func(i, j int) bool { return s.Points[i].X < s.Points[j].X })
			c.Series = append(c.Series, s)
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := c.WritePNG(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
