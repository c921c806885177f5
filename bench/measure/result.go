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
}
