package main

import (
	"io"
	"net"
	"sync"
	"time"
)

// dtlsPipe is the net.Conn pion/dtls runs on: the read loop delivers the
// socket's DTLS records to it, and its writes go straight to the socket.
type dtlsPipe struct {
	conn     *net.UDPConn
	in       chan []byte
	done     <-chan struct{}
	mu       sync.Mutex
	deadline chan struct{} // closed when a read deadline has passed
}

func newDtlsPipe(conn *net.UDPConn, done <-chan struct{}) *dtlsPipe {
	return &dtlsPipe{conn: conn, in: make(chan []byte, 64), done: done, deadline: make(chan struct{})}
}

// deliver queues a copy of a record; a full queue drops it (DTLS retransmits).
func (p *dtlsPipe) deliver(b []byte) {
	select {
	case p.in <- append([]byte(nil), b...):
	default:
	}
}

type timeoutError struct{}

func (timeoutError) Error() string   { return "read deadline exceeded" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

func (p *dtlsPipe) Read(b []byte) (int, error) {
	p.mu.Lock()
	deadline := p.deadline
	p.mu.Unlock()
	select {
	case record := <-p.in:
		return copy(b, record), nil
	case <-p.done:
		return 0, io.EOF
	case <-deadline:
		return 0, timeoutError{}
	}
}

func (p *dtlsPipe) Write(b []byte) (int, error) { return p.conn.Write(b) }

// Close is the transport's business (it owns the socket).
func (p *dtlsPipe) Close() error { return nil }

func (p *dtlsPipe) LocalAddr() net.Addr  { return p.conn.LocalAddr() }
func (p *dtlsPipe) RemoteAddr() net.Addr { return p.conn.RemoteAddr() }

// SetReadDeadline supports what pion/dtls uses it for: a deadline in the past
// interrupts a blocked Read (context cancellation); a zero one clears it.
func (p *dtlsPipe) SetReadDeadline(t time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case t.IsZero():
		select {
		case <-p.deadline:
			p.deadline = make(chan struct{})
		default:
		}
	case !t.After(time.Now()):
		select {
		case <-p.deadline:
		default:
			close(p.deadline)
		}
	default:
		d := p.deadline
		time.AfterFunc(time.Until(t), func() {
			p.mu.Lock()
			defer p.mu.Unlock()
			if p.deadline == d {
				select {
				case <-d:
				default:
					close(d)
				}
			}
		})
	}
	return nil
}

func (p *dtlsPipe) SetWriteDeadline(time.Time) error { return nil }

func (p *dtlsPipe) SetDeadline(t time.Time) error { return p.SetReadDeadline(t) }
