package fakeserver

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
)

// The opcodes of RFC 6455 the server handles.
const (
	opContinuation = 0x0
	opText         = 0x1
	opBinary       = 0x2
	opClose        = 0x8
	opPing         = 0x9
	opPong         = 0xA
)

// errClientClosed is returned by readMessage once the client has closed
// the connection with a close frame (answered) or by closing the socket.
var errClientClosed = errors.New("client closed the connection")

// wsConn is the server side of one WebSocket connection, written by hand
// rather than with coder/websocket so that a burst can put many frames in
// one write(2): the server has one core and must outrun the fastest client
// it is measured against. It speaks plain RFC 6455 without extensions.
type wsConn struct {
	nc net.Conn
	br *bufio.Reader

	mu     sync.Mutex // guards bw and closed
	bw     *bufio.Writer
	closed bool
}

// upgrade answers a WebSocket handshake and takes over the connection.
func upgrade(w http.ResponseWriter, r *http.Request) (*wsConn, error) {
	key := r.Header.Get("Sec-WebSocket-Key")
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") || key == "" {
		http.Error(w, "expected a WebSocket handshake", http.StatusBadRequest)
		return nil, errors.New("not a WebSocket handshake")
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		return nil, errors.New("the response writer cannot be hijacked")
	}
	nc, rw, err := hj.Hijack()
	if err != nil {
		return nil, err
	}
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	c := &wsConn{nc: nc, br: rw.Reader, bw: bufio.NewWriterSize(nc, 64<<10)}
	fmt.Fprintf(c.bw, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
		base64.StdEncoding.EncodeToString(sum[:]))
	if err := c.bw.Flush(); err != nil {
		nc.Close()
		return nil, err
	}
	return c, nil
}

// writeFrame buffers one unfragmented frame; with flush it also writes
// out everything buffered.
func (c *wsConn) writeFrame(op byte, payload []byte, flush bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return errClientClosed
	}
	var h [10]byte
	h[0] = 0x80 | op
	n := 2
	switch l := len(payload); {
	case l < 126:
		h[1] = byte(l)
	case l < 1<<16:
		h[1] = 126
		binary.BigEndian.PutUint16(h[2:], uint16(l))
		n = 4
	default:
		h[1] = 127
		binary.BigEndian.PutUint64(h[2:], uint64(l))
		n = 10
	}
	c.bw.Write(h[:n])
	c.bw.Write(payload)
	if flush {
		return c.bw.Flush()
	}
	return nil
}

// flush writes out everything buffered.
func (c *wsConn) flush() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bw.Flush()
}

// readMessage reads the next data message, answering pings and a close.
func (c *wsConn) readMessage() ([]byte, error) {
	var msg []byte
	for {
		var h [2]byte
		if _, err := io.ReadFull(c.br, h[:]); err != nil {
			return nil, errClientClosed
		}
		fin, op := h[0]&0x80 != 0, h[0]&0x0F
		masked := h[1]&0x80 != 0
		l := uint64(h[1] & 0x7F)
		switch l {
		case 126:
			var b [2]byte
			if _, err := io.ReadFull(c.br, b[:]); err != nil {
				return nil, errClientClosed
			}
			l = uint64(binary.BigEndian.Uint16(b[:]))
		case 127:
			var b [8]byte
			if _, err := io.ReadFull(c.br, b[:]); err != nil {
				return nil, errClientClosed
			}
			l = binary.BigEndian.Uint64(b[:])
		}
		if l > 1<<20 {
			return nil, fmt.Errorf("frame of %d bytes is over the 1 MiB limit", l)
		}
		var mask [4]byte
		if masked {
			if _, err := io.ReadFull(c.br, mask[:]); err != nil {
				return nil, errClientClosed
			}
		}
		payload := make([]byte, l)
		if _, err := io.ReadFull(c.br, payload); err != nil {
			return nil, errClientClosed
		}
		if masked {
			for i := range payload {
				payload[i] ^= mask[i&3]
			}
		}
		switch op {
		case opPing:
			if err := c.writeFrame(opPong, payload, true); err != nil {
				return nil, err
			}
			continue
		case opPong:
			continue
		case opClose:
			c.writeFrame(opClose, payload[:min(len(payload), 2)], true)
			c.mu.Lock()
			c.closed = true
			c.mu.Unlock()
			return nil, errClientClosed
		case opText, opBinary, opContinuation:
			msg = append(msg, payload...)
			if fin {
				return msg, nil
			}
		default:
			return nil, fmt.Errorf("unknown opcode %#x", op)
		}
	}
}

// closeWith sends a close frame with a status code and reason.
func (c *wsConn) closeWith(code uint16, reason string) {
	p := binary.BigEndian.AppendUint16(nil, code)
	c.writeFrame(opClose, append(p, reason...), true)
}
