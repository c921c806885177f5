package event

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// plain is Event without its JSON methods, so they can marshal the other
// fields with encoding/json without recursing.
type plain Event

// MarshalJSON encodes e in ADK's JSON form: camelCase names, empty fields
// omitted, and Timestamp as float seconds since the Unix epoch (omitted when
// zero).
func (e Event) MarshalJSON() ([]byte, error) {
	var ts *float64
	if !e.Timestamp.IsZero() {
		s := unixSeconds(e.Timestamp)
		ts = &s
	}
	return json.Marshal(struct {
		plain
		Timestamp *float64 `json:"timestamp,omitempty"`
	}{plain(e), ts})
}

// UnmarshalJSON decodes ADK's JSON form of an event. Names it does not know
// are ignored.
func (e *Event) UnmarshalJSON(data []byte) error {
	aux := struct {
		*plain
		Timestamp *float64 `json:"timestamp"`
	}{plain: (*plain)(e)}
	if err := json.Unmarshal(data, &aux); err != nil {
		return fmt.Errorf("event: %w", err)
	}
	if aux.Timestamp != nil {
		t, err := fromUnixSeconds(*aux.Timestamp)
		if err != nil {
			return err
		}
		e.Timestamp = t
	}
	return nil
}

// unixSeconds returns t as float seconds since the Unix epoch, to the
// microsecond.
func unixSeconds(t time.Time) float64 {
	return float64(t.UnixMicro()) / 1e6
}

// fromUnixSeconds is the inverse of unixSeconds: it rounds s to the
// microsecond and returns the time in UTC.
func fromUnixSeconds(s float64) (time.Time, error) {
	us := math.Round(s * 1e6)
	// float64(math.MaxInt64) rounds up to 2^63, which is out of range.
	if math.IsNaN(us) || us < math.MinInt64 || us >= math.MaxInt64 {
		return time.Time{}, fmt.Errorf("event: timestamp %v is out of range", s)
	}
	return time.UnixMicro(int64(us)).UTC(), nil
}
