package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// dropProxy is a TCP proxy in front of the demo that drops every
// connection through it at once when its control URL is fetched, as a
// network failure would: the browser sees its WebSocket fail, not a close
// the server chose. It can also freeze every connection (freezeAll): the
// bytes stop flowing both ways and nothing is closed, as when a laptop's
// lid closes or its network goes away, so the server sees neither a close
// frame nor a FIN.
type dropProxy struct {
	url     string // the demo, through the proxy
	dropURL string // GET drops every open connection

	ln      net.Listener
	target  string
	control *httptest.Server
	wg      sync.WaitGroup

	frozen     chan struct{} // closed by freezeAll
	freezeOnce sync.Once
	closed     chan struct{} // closed by close: frozen copies give up
	closeOnce  sync.Once

	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

// startDropProxy proxies to the host:port of target until the end of the
// test.
func startDropProxy(t *testing.T, target string) *dropProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &dropProxy{
		ln: ln, target: target, url: "http://" + ln.Addr().String(), conns: map[net.Conn]struct{}{},
		frozen: make(chan struct{}), closed: make(chan struct{}),
	}
	p.control = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, "dropped %d connections\n", p.dropAll())
	}))
	p.dropURL = p.control.URL + "/drop"
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.close)
	return p
}

func (p *dropProxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return // closed
		}
		p.wg.Add(1)
		go p.pipe(c)
	}
}

// pipe copies between client and a new connection to the target until
// either side ends or the connections are dropped.
func (p *dropProxy) pipe(client net.Conn) {
	defer p.wg.Done()
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		client.Close()
		return
	}
	p.track(client, server)
	defer p.untrack(client, server)
	done := make(chan struct{}, 2)
	cp := func(dst, src net.Conn) {
		err := p.copy(dst, src)
		if err != nil && !errors.Is(err, net.ErrClosed) {
			dst.Close()
		}
		if tcp, ok := dst.(*net.TCPConn); ok {
			tcp.CloseWrite()
		}
		done <- struct{}{}
	}
	go cp(server, client)
	go cp(client, server)
	<-done
	<-done
}

// errFrozen ends a copy that the proxy froze and then closed.
var errFrozen = errors.New("frozen")

// copy copies from src to dst like io.Copy, until the proxy freezes: from
// then on it neither reads nor writes, and waits for the proxy to close.
func (p *dropProxy) copy(dst, src net.Conn) error {
	buf := make([]byte, 32<<10)
	for {
		if p.stalled() {
			return errFrozen
		}
		n, err := src.Read(buf)
		if n > 0 {
			if p.stalled() {
				return errFrozen
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return werr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// stalled waits, when the proxy is frozen, until it closes, and reports
// whether it was frozen.
func (p *dropProxy) stalled() bool {
	select {
	case <-p.frozen:
		<-p.closed
		return true
	default:
		return false
	}
}

// freezeAll stops every connection through the proxy, open or to come,
// without closing any: no byte goes through either way any more. It is
// for good: the connections stay frozen until the proxy closes.
func (p *dropProxy) freezeAll() {
	p.freezeOnce.Do(func() { close(p.frozen) })
}

func (p *dropProxy) track(cs ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range cs {
		p.conns[c] = struct{}{}
	}
}

func (p *dropProxy) untrack(cs ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range cs {
		c.Close()
		delete(p.conns, c)
	}
}

// dropAll closes every connection through the proxy (both sides) and
// returns how many client connections it dropped.
func (p *dropProxy) dropAll() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
	}
	return len(p.conns) / 2
}

// close drops every connection and stops the proxy, waiting for its
// goroutines. It is idempotent.
func (p *dropProxy) close() {
	p.closeOnce.Do(func() {
		close(p.closed)
		p.control.Close()
		p.ln.Close()
		p.dropAll()
		p.wg.Wait()
	})
}
