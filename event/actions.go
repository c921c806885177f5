package event

// Actions are the side effects an event asks for. The runner applies them
// when it appends the event to the session.
type Actions struct {
	// StateDelta holds session state changes: each key is set to its
	// value. Keys prefixed "app:" and "user:" are shared across sessions;
	// keys prefixed "temp:" are never stored.
	StateDelta map[string]any `json:"stateDelta,omitempty"`
	// ArtifactDelta maps each artifact name the event saved to its new
	// version.
	ArtifactDelta map[string]int64 `json:"artifactDelta,omitempty"`
	// TransferToAgent names the agent the run moves to.
	TransferToAgent string `json:"transferToAgent,omitempty"`
	// Escalate asks the parent agent to take over.
	Escalate bool `json:"escalate,omitempty"`
	// SkipSummarization reports that a function response should not be
	// sent back to the model to be summarized.
	SkipSummarization bool `json:"skipSummarization,omitempty"`
}

// IsZero reports whether a asks for nothing. Empty maps count as absent,
// so an event with such Actions omits them from its JSON form.
func (a Actions) IsZero() bool {
	return len(a.StateDelta) == 0 &&
		len(a.ArtifactDelta) == 0 &&
		a.TransferToAgent == "" &&
		!a.Escalate &&
		!a.SkipSummarization
}
