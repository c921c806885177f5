package livequeue

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"google.golang.org/genai"
)

// Errors reported by a Queue. Test for them with errors.Is.
var (
	// ErrClosed is returned by sends after Close and by Receive once the
	// queue is closed and drained.
	ErrClosed = errors.New("livequeue: queue closed")
	// ErrFull is returned by a send into a bounded queue (see WithLimit)
	// that already holds its limit. The rejected request is not queued;
	// everything queued before it is kept.
	ErrFull = errors.New("livequeue: queue full")
	// ErrClaimed is returned by Claim when a live run already claimed the
	// queue.
	ErrClaimed = errors.New("livequeue: queue already claimed by a live run")
)

const (
	// minCapacity is the ring's first allocation.
	minCapacity = 16
	// releaseAbove is the ring size above which a drained queue frees its
	// ring, so a burst (for example audio buffered across a reconnect)
	// does not pin memory for the rest of the run.
	releaseAbove = 1024
)

// Queue is a FIFO of requests into one live run. It is safe for use by any
// number of goroutines. Sends never wait for the receiver: the queue grows
// as needed unless bounded with WithLimit.
//
// Create queues with New; the zero value is not usable.
type Queue struct {
	limit int
	// wake holds a token while requests may be waiting for a receiver.
	wake chan struct{}
	// done is closed by Close.
	done chan struct{}

	mu sync.Mutex
	// buf is a ring of len a power of two holding n requests from head.
	buf     []Request
	head    int
	n       int
	closed  bool
	claimed bool
	// notify is called, outside mu, after each push and after Close.
	notify func()

	// check is the claiming run's rule for requests (see WithCheck), set
	// once by Claim; sends load it without taking mu.
	check atomic.Pointer[func(Request) error]
}

// Option configures a Queue.
type Option func(*Queue)

// WithLimit bounds the queue to n requests. A send into a full queue
// returns ErrFull at once, without queuing the request and without dropping
// anything already queued: the caller decides whether to drop the request
// (usually right for a realtime audio chunk) or retry. n == 0 means no limit,
// the default. WithLimit panics if n is negative.
func WithLimit(n int) Option {
	if n < 0 {
		panic(fmt.Sprintf("livequeue: WithLimit(%d): limit must not be negative", n))
	}
	return func(q *Queue) { q.limit = n }
}

// New returns an empty, open, unclaimed queue.
func New(opts ...Option) *Queue {
	q := &Queue{
		wake: make(chan struct{}, 1),
		done: make(chan struct{}),
	}
	for _, opt := range opts {
		opt(q)
	}
	return q
}

// SendContent queues a conversation turn, normally text the user typed.
func (q *Queue) SendContent(c *genai.Content) error {
	if c == nil {
		return fmt.Errorf("%w: SendContent with nil content", ErrInvalidRequest)
	}
	if err := validateContent(c); err != nil {
		return err
	}
	return q.push(Request{Content: c})
}

// SendRealtime queues a chunk of realtime media: an audio chunk or a video
// frame. It is called for every 20–100 ms of audio, so it does no work
// beyond validating b and appending it to the queue, and allocates nothing
// once the queue has grown. A blob the run could not send (a MIME type
// that is neither audio/* nor image/*, PCM audio with an odd number of
// bytes: see Request.Validate) is refused with an error matching
// ErrInvalidRequest that says what was wrong.
func (q *Queue) SendRealtime(b *genai.Blob) error {
	if b == nil {
		return fmt.Errorf("%w: SendRealtime with nil blob", ErrInvalidRequest)
	}
	if err := validateBlob(b); err != nil {
		return err
	}
	return q.push(Request{Blob: b})
}

// SendActivityStart queues the start of user activity, for runs with
// automatic activity detection disabled. A run started with it on refuses
// the signal here, with an error matching ErrInvalidRequest (see
// WithCheck).
func (q *Queue) SendActivityStart() error {
	return q.push(Request{ActivityStart: true})
}

// SendActivityEnd queues the end of user activity, for runs with automatic
// activity detection disabled. A run started with it on refuses the
// signal here, with an error matching ErrInvalidRequest (see WithCheck).
func (q *Queue) SendActivityEnd() error {
	return q.push(Request{ActivityEnd: true})
}

// SendAudioStreamEnd queues the signal that the audio stream has paused
// (for example the user muted the microphone), so the model finishes the
// pending turn.
func (q *Queue) SendAudioStreamEnd() error {
	return q.push(Request{AudioStreamEnd: true})
}

// Send queues r after checking it with Request.Validate and with the
// claiming run's check, if any (see WithCheck).
func (q *Queue) Send(r Request) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return q.push(r)
}

// push appends r. It returns the claiming run's refusal (see WithCheck),
// ErrClosed after Close and ErrFull when the queue is at its limit.
func (q *Queue) push(r Request) error {
	if check := q.check.Load(); check != nil {
		if err := (*check)(r); err != nil {
			select {
			case <-q.done:
				return ErrClosed // the run is over: that is what the sender needs to know
			default:
			}
			return refused(err)
		}
	}
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return ErrClosed
	}
	if q.limit > 0 && q.n >= q.limit {
		q.mu.Unlock()
		return ErrFull
	}
	if q.n == len(q.buf) {
		q.grow()
	}
	q.buf[(q.head+q.n)&(len(q.buf)-1)] = r
	q.n++
	notify := q.notify
	q.mu.Unlock()
	q.signal()
	if notify != nil {
		notify()
	}
	return nil
}

// grow doubles the ring, keeping the queued requests in order. q.mu is
// held.
func (q *Queue) grow() {
	size := max(2*len(q.buf), minCapacity)
	buf := make([]Request, size)
	k := copy(buf, q.buf[q.head:])
	copy(buf[k:], q.buf[:q.head])
	q.buf = buf
	q.head = 0
}

// signal leaves a wake-up token for a receiver, unless one is already
// waiting to be taken.
func (q *Queue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// Receive returns the oldest queued request, waiting for one if the queue
// is empty. After Close it keeps returning queued requests until none are
// left, then returns ErrClosed. If ctx is done, Receive returns ctx.Err()
// and takes nothing from the queue.
//
// Receive may be called from several goroutines; each request goes to
// exactly one of them.
func (q *Queue) Receive(ctx context.Context) (Request, error) {
	for {
		if err := ctx.Err(); err != nil {
			return Request{}, err
		}
		q.mu.Lock()
		if q.n > 0 {
			r := q.pop()
			more := q.n > 0
			q.mu.Unlock()
			if more {
				// Pass the wake-up on to another receiver.
				q.signal()
			}
			return r, nil
		}
		closed := q.closed
		q.mu.Unlock()
		if closed {
			return Request{}, ErrClosed
		}
		select {
		case <-q.wake:
		case <-q.done:
		case <-ctx.Done():
			return Request{}, ctx.Err()
		}
	}
}

// TryReceive is Receive without the wait: it returns the oldest queued
// request and true, or false when the queue is empty and open. Once the
// queue is closed and drained it returns ErrClosed.
func (q *Queue) TryReceive() (Request, bool, error) {
	q.mu.Lock()
	if q.n > 0 {
		r := q.pop()
		q.mu.Unlock()
		return r, true, nil
	}
	closed := q.closed
	q.mu.Unlock()
	if closed {
		return Request{}, false, ErrClosed
	}
	return Request{}, false, nil
}

// Notify makes the queue call f each time a request is queued and when the
// queue is closed, on the goroutine that sent or closed, after the request
// is in the queue. A consumer uses it with TryReceive to wait for requests
// without a goroutine of its own: f must be quick and must not block (it
// delays the sender), and it may run on several goroutines at once. A
// later call replaces f and Notify(nil) removes it, but a send already in
// progress may still call the f it replaced, once.
//
// Notify belongs to the queue's one consumer: a live run registers its
// own function when it starts and removes it when it ends. Calling Notify
// on a queue a run is using takes the run's place, and the run stops
// sending.
func (q *Queue) Notify(f func()) {
	q.mu.Lock()
	q.notify = f
	q.mu.Unlock()
}

// pop removes and returns the oldest request. q.mu is held and q.n > 0.
func (q *Queue) pop() Request {
	r := q.buf[q.head]
	q.buf[q.head] = Request{} // let the collector have the payload
	q.head = (q.head + 1) & (len(q.buf) - 1)
	q.n--
	if q.n == 0 {
		q.head = 0
		if len(q.buf) > releaseAbove {
			q.buf = nil
		}
	}
	return r
}

// Len returns the number of requests queued and not yet received.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n
}

// Claim marks the queue as used by a live run. The runner calls it when a
// run starts; it returns ErrClaimed if a run already claimed the queue,
// whether or not the queue has been closed since. A queue serves one run:
// make a new queue for the next one.
//
// A queue closed before any run claimed it can still be claimed: the run
// receives what was queued before the close and then ends normally. So a
// client that sends a line and disconnects before the run starts loses
// nothing, and one that disconnects at once ends the run without an error.
//
// The options install what the run refuses beyond Request.Validate (see
// WithCheck). A Claim that returns ErrClaimed installs nothing.
func (q *Queue) Claim(opts ...ClaimOption) error {
	var c claim
	for _, opt := range opts {
		opt(&c)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.claimed {
		return ErrClaimed
	}
	q.claimed = true
	if c.check != nil {
		q.check.Store(&c.check)
	}
	return nil
}

// ClaimOption configures a run's claim on a queue. Pass options to
// Queue.Claim.
type ClaimOption func(*claim)

// claim is the resolved set of options of one Claim.
type claim struct {
	check func(Request) error
}

// WithCheck installs a run's own rule for the requests it accepts, for
// settings a request cannot be judged by alone: the runner, for example,
// refuses activity signals while the run's automatic activity detection is
// on. From the claim on, every send (SendContent, SendRealtime, the signal
// methods and Send) calls check with the request after the request's own
// validation, and if check returns an error the send returns it, wrapped
// so that it matches ErrInvalidRequest, and queues nothing; once the queue
// is closed, the send returns ErrClosed instead. Requests queued before the
// claim are not checked.
//
// check runs on the sender's goroutine, possibly on several at once, for
// every request, audio chunks included: it must be quick, safe for
// concurrent use, and must not allocate on the path that accepts. Its
// error should name what was wrong.
func WithCheck(check func(Request) error) ClaimOption {
	return func(c *claim) { c.check = check }
}

// refused returns a check's error as one that matches ErrInvalidRequest.
func refused(err error) error {
	if errors.Is(err, ErrInvalidRequest) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrInvalidRequest, err)
}

// Close closes the queue: later sends return ErrClosed, and Receive
// returns the requests already queued, then ErrClosed. Close unblocks a
// waiting Receive. It is safe to call more than once and from any goroutine.
func (q *Queue) Close() {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return
	}
	q.closed = true
	close(q.done)
	notify := q.notify
	q.mu.Unlock()
	if notify != nil {
		notify()
	}
}
