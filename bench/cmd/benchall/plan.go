package main

import "strconv"

// scenario is one run of the client.
type scenario struct {
	adapter, mode           string
	sessions, turns, frames int
	chunks                  int
}

func (s scenario) args() []string {
	return []string{
		"-adapter", s.adapter, "-mode", s.mode, "-sessions", strconv.Itoa(s.sessions),
		"-turns", strconv.Itoa(s.turns), "-frames", strconv.Itoa(s.frames), "-chunks", strconv.Itoa(s.chunks),
	}
}

// adapters in the order the tables list them.
var adapters = []string{"transport", "json", "genai", "adkgo", nodeAdapter, "adklive"}

// decoding are the adapters that decode frames and send audio.
var decoding = []string{"json", "genai", "adkgo", nodeAdapter, "adklive"}

// concurrency are the session counts of the concurrent bursts.
var concurrency = []int{1, 100, 500}

// realtimeSessions are the session counts of the real-time load.
var realtimeSessions = []int{1, 100, 500, 1000}

// plan lists the scenarios: every burst moves the same number of audio
// chunks in all, split across its sessions. The bursts, upstream bursts and
// idle runs are listed rounds times, one whole round after the other, so
// that each adapter's repeats see the machine in the same states as the
// others'; the real-time runs, which take longest, once at the end.
func plan(quick bool, rounds int) []scenario {
	totalFrames, upChunks, idle, rtFrames := 120000, 40000, 1000, 50
	if quick {
		totalFrames, upChunks, idle, rtFrames = 4000, 2000, 100, 10
		realtimeSessions = []int{1, 100}
	}
	var round []scenario
	for _, a := range adapters {
		for _, n := range concurrency {
			round = append(round, scenario{adapter: a, mode: "burst", sessions: n, turns: 4, frames: totalFrames / n / 4})
		}
	}
	for _, a := range decoding {
		round = append(round, scenario{adapter: a, mode: "upstream", sessions: 1, chunks: upChunks})
	}
	for _, a := range decoding {
		// Idle after one 1-second audio turn: what a session that has
		// talked holds between turns.
		round = append(round, scenario{adapter: a, mode: "idle", sessions: idle, turns: 1, frames: 25})
	}
	var p []scenario
	for range rounds {
		p = append(p, round...)
	}
	for _, a := range decoding {
		for _, n := range realtimeSessions {
			// Three turns of 2 s; the first warms up and is left out of the latency figures.
			p = append(p, scenario{adapter: a, mode: "realtime", sessions: n, turns: 3, frames: rtFrames})
		}
	}
	return p
}
