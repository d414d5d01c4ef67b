package main

import (
	"errors"
	"sync"

	"github.com/pion/webrtc/v3"
)

// transport is one mediasoup WebRtcTransport's peer: an ICE agent (controlling;
// mediasoup is ICE-lite) and a DTLS transport in the client role (mediasoup
// answers as server; as client we drive the handshake and retransmit our own
// flights, which avoided the hangs werift had as server under load).
type transport struct {
	id     string
	engine *engine
	// ready closes when SRTP is up: senders may write, receivers may open streams.
	ready chan struct{}
	// done closes when the transport is closed.
	done chan struct{}

	gatherer *webrtc.ICEGatherer
	ice      *webrtc.ICETransport
	dtls     *webrtc.DTLSTransport

	mu      sync.Mutex
	closed  bool
	senders []*webrtc.RTPSender
	recvs   []*webrtc.RTPReceiver
}

// newTransport makes the ORTC objects at once (no I/O), so senders and
// receivers can be attached to them before the connection is up.
func newTransport(e *engine, id string) (*transport, error) {
	gatherer, err := e.api.NewICEGatherer(webrtc.ICEGatherOptions{})
	if err != nil {
		return nil, err
	}
	iceTransport := e.api.NewICETransport(gatherer)
	dtlsTransport, err := e.api.NewDTLSTransport(iceTransport, []webrtc.Certificate{e.cert})
	if err != nil {
		return nil, err
	}
	return &transport{
		id:       id,
		engine:   e,
		ready:    make(chan struct{}),
		done:     make(chan struct{}),
		gatherer: gatherer,
		ice:      iceTransport,
		dtls:     dtlsTransport,
	}, nil
}

func (t *transport) run(params iceParameters, candidates []iceCandidate, fingerprints []fingerprint) {
	err := t.connect(params, candidates, fingerprints)
	if err != nil {
		t.engine.events.send(stateEvent{Event: "state", Transport: t.id, State: "failed", Error: err.Error()})
		return
	}
	close(t.ready)
	t.engine.events.send(stateEvent{Event: "state", Transport: t.id, State: "connected"})
}

func (t *transport) connect(params iceParameters, candidates []iceCandidate, fingerprints []fingerprint) error {
	gatherer, iceTransport, dtlsTransport := t.gatherer, t.ice, t.dtls
	gathered := make(chan struct{})
	gatherer.OnLocalCandidate(func(c *webrtc.ICECandidate) {
		if c == nil {
			close(gathered)
		}
	})
	if err := gatherer.Gather(); err != nil {
		return err
	}
	<-gathered

	var remote []webrtc.ICECandidate
	for _, c := range candidates {
		if !isUDP(c) {
			continue
		}
		address := c.Address
		if address == "" {
			address = c.IP
		}
		remote = append(remote, webrtc.ICECandidate{
			Foundation: c.Foundation,
			Priority:   c.Priority,
			Address:    address,
			Protocol:   webrtc.ICEProtocolUDP,
			Port:       c.Port,
			Typ:        webrtc.ICECandidateTypeHost,
		})
	}
	if len(remote) == 0 {
		return errors.New("no UDP candidate from the hub")
	}
	if err := iceTransport.SetRemoteCandidates(remote); err != nil {
		return err
	}
	role := webrtc.ICERoleControlling
	if err := iceTransport.Start(nil, webrtc.ICEParameters{
		UsernameFragment: params.UsernameFragment,
		Password:         params.Password,
		ICELite:          true,
	}, &role); err != nil {
		return err
	}

	remoteDtls := webrtc.DTLSParameters{Role: webrtc.DTLSRoleServer}
	for _, f := range fingerprints {
		remoteDtls.Fingerprints = append(remoteDtls.Fingerprints, webrtc.DTLSFingerprint{Algorithm: f.Algorithm, Value: f.Value})
	}
	return dtlsTransport.Start(remoteDtls)
}

// addSender records a sender so that close() stops it.
func (t *transport) addSender(s *webrtc.RTPSender) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return false
	}
	t.senders = append(t.senders, s)
	return true
}

func (t *transport) addReceiver(r *webrtc.RTPReceiver) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return false
	}
	t.recvs = append(t.recvs, r)
	return true
}

func (t *transport) close() {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return
	}
	t.closed = true
	close(t.done)
	senders, recvs := t.senders, t.recvs
	t.mu.Unlock()
	// Closing in the background: a transport still in its DTLS handshake may
	// take its handshake timeout to stop, and the command loop must not wait.
	go func() {
		for _, s := range senders {
			_ = s.Stop()
		}
		for _, r := range recvs {
			_ = r.Stop()
		}
		_ = t.dtls.Stop()
		_ = t.ice.Stop()
		_ = t.gatherer.Close()
	}()
}
