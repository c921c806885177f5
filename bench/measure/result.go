package measure

// Result is what one scenario measured. Fields a mode does not measure are
// zero.
type Result struct {
	Adapter  string `json:"adapter"`
	Mode     string `json:"mode"`
	Sessions int    `json:"sessions"`

	// Frames is the number of audio chunks received and checked; Bytes
	// the number of message bytes the transport floor received.
	Frames  int64   `json:"frames"`
	Bytes   int64   `json:"bytes,omitempty"`
	Seconds float64 `json:"seconds"`
	// CPUSeconds is the client process's user+system CPU time over the
	// measured window.
	CPUSeconds float64 `json:"cpu_seconds"`

	FramesPerSecond float64 `json:"frames_per_second,omitempty"`
	CPUPerFrameUs   float64 `json:"cpu_per_frame_us,omitempty"`

	UpChunks      int     `json:"up_chunks,omitempty"`
	CPUPerChunkUs float64 `json:"cpu_per_chunk_us,omitempty"`

	// Idle sessions: the growth of heap in use plus goroutine stacks, and
	// of goroutines, per open session, with the goroutines split by the
	// package that started them.
	BytesPerSession      float64            `json:"bytes_per_session,omitempty"`
	HeapPerSession       float64            `json:"heap_per_session,omitempty"`
	GoroutinesPerSession float64            `json:"goroutines_per_session,omitempty"`
	GoroutinesByCreator  map[string]float64 `json:"goroutines_by_creator,omitempty"`

	// Latency added between the server's send and the chunk in the
	// caller's hands, in milliseconds.
	P50Ms float64 `json:"p50_ms,omitempty"`
	P99Ms float64 `json:"p99_ms,omitempty"`
	MaxMs float64 `json:"max_ms,omitempty"`

	// MaxRSSMB is the client process's peak resident set.
	MaxRSSMB float64 `json:"max_rss_mb"`

	// Rounds is how many times the scenario ran when this result is the
	// median of repeated runs (set by cmd/benchall); MetricMin and
	// MetricMax are the lowest and highest of the scenario's main figure
	// (CPU per frame, CPU per chunk or bytes per idle session) over them.
	Rounds    int     `json:"rounds,omitempty"`
	MetricMin float64 `json:"metric_min,omitempty"`
	MetricMax float64 `json:"metric_max,omitempty"`
}

// Metric is the scenario's main figure: CPU µs per frame for a burst, per
// chunk for an upstream burst, bytes per session for idle runs, p99 ms for
// real-time load.
func (r *Result) Metric() float64 {
	switch r.Mode {
	case "upstream":
		return r.CPUPerChunkUs
	case "idle":
		return r.BytesPerSession
	case "realtime":
		return r.P99Ms
	}
	return r.CPUPerFrameUs
}
