package gemini

import (
	"bytes"
	"sync"
)

// maxKeptBuffer is the largest read or encode buffer returned to a pool; a
// rare larger message gets a buffer of its own.
const maxKeptBuffer = 1 << 20

// buffers lends the connections of one Model the buffers they read and
// encode messages in. A connection holds one only while it reads a message
// or encodes and writes one, so an idle session keeps none: a model's thousand
// idle sessions share the few buffers its busy ones need, instead of
// each keeping one as large as the largest message it ever received.
type buffers struct {
	pool sync.Pool // *bytes.Buffer
}

func (b *buffers) get() *bytes.Buffer {
	if buf, ok := b.pool.Get().(*bytes.Buffer); ok {
		return buf
	}
	return new(bytes.Buffer)
}

// put returns buf unless it grew past maxKeptBuffer. The caller must not
// use buf, or anything it returned, afterwards.
func (b *buffers) put(buf *bytes.Buffer) {
	if buf.Cap() > maxKeptBuffer {
		return
	}
	buf.Reset()
	b.pool.Put(buf)
}
