package flow

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"sync/atomic"
)

// eventIDs makes the IDs of one run's events: random version 4 UUIDs in
// their usual 36-character form. The first is drawn from crypto/rand when
// the run starts, and each later one adds one to its 62 low random bits,
// so the run's IDs never repeat and those of two runs meet only if two
// random 122-bit values land within a run's event count of each other.
// That is as unique as drawing every ID at random, without a call into
// crypto/rand and the allocation of uuid.NewString per audio frame.
//
// It is safe for concurrent use: the receive loop, the sender and tools
// all make events.
type eventIDs struct {
	hi, lo uint64 // the first ID, version and variant bits set
	n      atomic.Uint64
}

const (
	uuidVersionMask = 0xf000     // the version nibble in hi
	uuidVersion4    = 0x4000     // version 4: random
	uuidVariantMask = 0b11 << 62 // the variant bits in lo
	uuidVariantRFC  = 0b10 << 62 // the RFC 9562 variant
	uuidLowRandom   = 1<<62 - 1  // the random bits of lo
)

// seed starts g at a random UUID.
func (g *eventIDs) seed() {
	var b [16]byte
	rand.Read(b[:]) // never fails: it crashes the program instead
	g.hi = binary.BigEndian.Uint64(b[:8])&^uuidVersionMask | uuidVersion4
	g.lo = binary.BigEndian.Uint64(b[8:])&^uuidVariantMask | uuidVariantRFC
}

// next returns the next ID.
func (g *eventIDs) next() string {
	lo := (g.lo+g.n.Add(1)-1)&uuidLowRandom | uuidVariantRFC
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], g.hi)
	binary.BigEndian.PutUint64(b[8:], lo)
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}
