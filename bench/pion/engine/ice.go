package main

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"net"
	"sync"
	"time"

	"github.com/pion/ice/v2"
	"github.com/pion/stun"
)

const (
	// Connectivity checks are retransmitted this often until answered.
	iceRetransmit = 100 * time.Millisecond
	iceTimeout    = 15 * time.Second
	// Consent refresh: mediasoup 3.12 does not require it, browsers send it.
	iceKeepAlive = 10 * time.Second
	// A host candidate's priority (RFC 8445 5.1.2.1, type preference 126).
	hostPriority = 126<<24 | 65535<<8 | 255
)

// iceAgent is the controlling side of one candidate pair with an ICE-lite
// server: Binding requests with USE-CANDIDATE, authenticated with the
// server's password, until one is answered; then consent refreshes.
type iceAgent struct {
	params     iceParameters
	conn       *net.UDPConn
	localUfrag string
	tieBreaker uint64

	mu      sync.Mutex
	pending [stun.TransactionIDSize]byte
	success chan struct{}
}

func newIceAgent(params iceParameters, conn *net.UDPConn) *iceAgent {
	var r [12]byte // 8 bytes of ufrag, 8 of tie-breaker (overlapping is fine)
	_, _ = rand.Read(r[:])
	return &iceAgent{
		params:     params,
		conn:       conn,
		localUfrag: encodeUfrag(r[:8]),
		tieBreaker: binary.BigEndian.Uint64(r[4:12]),
		success:    make(chan struct{}),
	}
}

func encodeUfrag(b []byte) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = alphabet[int(c)%len(alphabet)]
	}
	return string(out)
}

func (a *iceAgent) request(nominate bool) (*stun.Message, error) {
	setters := []stun.Setter{
		stun.TransactionID,
		stun.BindingRequest,
		stun.NewUsername(a.params.UsernameFragment + ":" + a.localUfrag),
		ice.PriorityAttr(hostPriority),
		ice.AttrControlling(a.tieBreaker),
	}
	if nominate {
		setters = append(setters, ice.UseCandidate())
	}
	setters = append(setters, stun.NewShortTermIntegrity(a.params.Password), stun.Fingerprint)
	return stun.Build(setters...)
}

// connect sends the nominating check (one transaction, retransmitted) until answered.
func (a *iceAgent) connect(done <-chan struct{}) error {
	m, err := a.request(true)
	if err != nil {
		return err
	}
	a.mu.Lock()
	a.pending = m.TransactionID
	a.mu.Unlock()
	ticker := time.NewTicker(iceRetransmit)
	defer ticker.Stop()
	deadline := time.After(iceTimeout)
	for {
		if _, err := a.conn.Write(m.Raw); err != nil {
			return err
		}
		select {
		case <-a.success:
			return nil
		case <-done:
			return errors.New("closed")
		case <-deadline:
			return errors.New("no answer to connectivity checks")
		case <-ticker.C:
		}
	}
}

// onPacket takes STUN from the read loop: the answer to our check.
func (a *iceAgent) onPacket(b []byte) {
	m := &stun.Message{Raw: append([]byte(nil), b...)}
	if m.Decode() != nil || m.Type != stun.BindingSuccess {
		return
	}
	if stun.NewShortTermIntegrity(a.params.Password).Check(m) != nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if m.TransactionID == a.pending {
		a.pending = [stun.TransactionIDSize]byte{}
		close(a.success)
	}
}

func (a *iceAgent) keepAlive(done <-chan struct{}) {
	ticker := time.NewTicker(iceKeepAlive)
	defer ticker.Stop()
	for {
		select {
		case <-done:
			return
		case <-ticker.C:
			if m, err := a.request(false); err == nil {
				_, _ = a.conn.Write(m.Raw)
			}
		}
	}
}
