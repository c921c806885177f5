package event_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/adklive/adklive/event"
)

// FuzzUnmarshalJSON feeds arbitrary bytes to the event decoder (events
// arrive from browsers and from storage). Decoding must not panic, and an
// event it accepts must encode and then decode to the same JSON.
func FuzzUnmarshalJSON(f *testing.F) {
	for _, tc := range jsonCases {
		f.Add([]byte(tc.want))
	}
	f.Add([]byte(`{"timestamp":1e300}`))
	f.Add([]byte(`{"timestamp":-1.5,"actions":{"stateDelta":{}}}`))
	f.Add([]byte(`{"goAway":{"timeLeft":"-3.5s"}}`))
	f.Add([]byte(`null`))

	f.Fuzz(func(t *testing.T, data []byte) {
		var ev event.Event
		if err := json.Unmarshal(data, &ev); err != nil {
			return
		}
		first, err := json.Marshal(ev)
		if err != nil {
			t.Fatalf("encoding an event decoded from %q: %v", data, err)
		}
		var again event.Event
		if err := json.Unmarshal(first, &again); err != nil {
			t.Fatalf("decoding our own encoding %s: %v", first, err)
		}
		second, err := json.Marshal(again)
		if err != nil {
			t.Fatalf("re-encoding %s: %v", first, err)
		}
		if !bytes.Equal(first, second) {
			t.Errorf("encoding is not stable:\n first %s\nsecond %s", first, second)
		}
	})
}

// maxExactMicros is the last microsecond before 2^32 seconds: up to there,
// float seconds have a resolution finer than half a microsecond.
const maxExactMicros = 1<<32*1_000_000 - 1

// FuzzTimestampRoundTrip checks that every microsecond between 1901 and
// 2106 (less than 2^32 seconds from the epoch) survives the float-seconds
// JSON form.
func FuzzTimestampRoundTrip(f *testing.F) {
	f.Add(int64(0))
	f.Add(int64(1735689600123456))
	f.Add(int64(1735689600999999))
	f.Add(int64(-1))
	f.Add(int64(maxExactMicros))
	f.Add(int64(-maxExactMicros))
	f.Fuzz(func(t *testing.T, us int64) {
		if us > maxExactMicros || us < -maxExactMicros {
			t.Skip("outside the range float seconds represent exactly")
		}
		want := time.UnixMicro(us)
		b, err := json.Marshal(event.Event{Timestamp: want})
		if err != nil {
			t.Fatal(err)
		}
		var got event.Event
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("decoding %s: %v", b, err)
		}
		if !got.Timestamp.Equal(want) {
			t.Errorf("%d µs encoded as %s decodes to %d µs", us, b, got.Timestamp.UnixMicro())
		}
	})
}
