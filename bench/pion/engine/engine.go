package main

import (
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"runtime"
	"strings"
	"sync"

	certfp "github.com/pion/dtls/v2/pkg/crypto/fingerprint"
	"github.com/pion/dtls/v2/pkg/crypto/selfsign"
)

// engine owns every transport, stream and receiver of this process.
type engine struct {
	events       *out
	cert         tls.Certificate
	fingerprints []fingerprint
	pacer        *pacer

	mu         sync.Mutex
	transports map[string]*transport
	streams    map[string]*stream
	receivers  map[string]*receiver
}

func newEngine(events *out) (*engine, error) {
	// One certificate for every transport of the process (a key per
	// transport would only cost CPU during the join).
	cert, err := selfsign.GenerateSelfSigned()
	if err != nil {
		return nil, err
	}
	parsed, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		return nil, err
	}
	value, err := certfp.Fingerprint(parsed, crypto.SHA256)
	if err != nil {
		return nil, err
	}
	return &engine{
		events: events,
		cert:   cert,
		// mediasoup compares the hex case-sensitively with its own, upper case.
		fingerprints: []fingerprint{{Algorithm: "sha-256", Value: strings.ToUpper(value)}},
		pacer:        newPacer(runtime.GOMAXPROCS(0)),
		transports:   map[string]*transport{},
		streams:      map[string]*stream{},
		receivers:    map[string]*receiver{},
	}, nil
}

// verifyFingerprint checks the hub's certificate against a fingerprint it gave in signaling.
func verifyFingerprint(expected []fingerprint) func([][]byte, [][]*x509.Certificate) error {
	return func(raw [][]byte, _ [][]*x509.Certificate) error {
		if len(raw) == 0 {
			return errors.New("no certificate from the hub")
		}
		cert, err := x509.ParseCertificate(raw[0])
		if err != nil {
			return err
		}
		for _, f := range expected {
			hash, err := certfp.HashFromString(f.Algorithm)
			if err != nil {
				continue
			}
			value, err := certfp.Fingerprint(cert, hash)
			if err == nil && strings.EqualFold(value, f.Value) {
				return nil
			}
		}
		return errors.New("the hub's certificate does not match its fingerprint")
	}
}

func (e *engine) fail(transportID string, err error) {
	e.events.send(errorEvent{Event: "error", Message: err.Error(), Transport: transportID})
}

func (e *engine) handle(cmd *command) {
	switch cmd.Op {
	case "connect":
		e.connect(cmd)
	case "close":
		e.closeTransport(cmd.Transport)
	case "send":
		e.send(cmd)
	case "pause":
		if s := e.stream(cmd.Stream); s != nil {
			s.setPaused(cmd.Paused)
		}
	case "maxLayer":
		if s := e.stream(cmd.Stream); s != nil {
			s.setMaxLayer(cmd.Layer)
		}
	case "level":
		if s := e.stream(cmd.Stream); s != nil {
			s.setLevel(cmd.Level)
		}
	case "receive":
		e.receive(cmd)
	case "stats":
		e.events.send(e.stats(cmd.Seq))
	default:
		e.fail(cmd.Transport, fmt.Errorf("unknown op %q", cmd.Op))
	}
}

func (e *engine) stream(id string) *stream {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.streams[id]
}

func (e *engine) connect(cmd *command) {
	remote, err := udpCandidate(cmd.Candidates)
	if err == nil {
		var t *transport
		if t, err = newTransport(e, cmd.Transport, remote, cmd.Ice); err == nil {
			e.mu.Lock()
			e.transports[t.id] = t
			e.mu.Unlock()
			go t.run(cmd.Fingerprints)
			return
		}
	}
	e.events.send(stateEvent{Event: "state", Transport: cmd.Transport, State: "failed", Error: err.Error()})
}

// udpCandidate is the hub's UDP candidate (a mediasoup WebRtcServer lists one per protocol).
func udpCandidate(candidates []iceCandidate) (*net.UDPAddr, error) {
	for _, c := range candidates {
		if !strings.EqualFold(c.Protocol, "udp") {
			continue
		}
		address := c.Address
		if address == "" {
			address = c.IP
		}
		return net.ResolveUDPAddr("udp4", net.JoinHostPort(address, fmt.Sprint(c.Port)))
	}
	return nil, errors.New("no UDP candidate from the hub")
}

func (e *engine) transport(id string) *transport {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.transports[id]
}

// closeTransport stops a transport and its streams. Streams and receivers
// stay listed so that stats keep their counts (a bot's totals span retries).
func (e *engine) closeTransport(id string) {
	e.mu.Lock()
	t := e.transports[id]
	delete(e.transports, id)
	var streams []*stream
	for _, s := range e.streams {
		if s.transport == t {
			streams = append(streams, s)
		}
	}
	e.mu.Unlock()
	for _, s := range streams {
		e.pacer.remove(s)
	}
	if t != nil {
		t.close()
	}
}

func (e *engine) closeAll() {
	e.mu.Lock()
	ids := make([]string, 0, len(e.transports))
	for id := range e.transports {
		ids = append(ids, id)
	}
	e.mu.Unlock()
	for _, id := range ids {
		e.closeTransport(id)
	}
}

func (e *engine) stats(seq int) statsEvent {
	e.mu.Lock()
	defer e.mu.Unlock()
	ev := statsEvent{
		Event:      "stats",
		Seq:        seq,
		Streams:    make(map[string][4]uint64, len(e.streams)),
		Receivers:  make(map[string][4]uint64, len(e.receivers)),
		Goroutines: runtime.NumGoroutine(),
	}
	for id, s := range e.streams {
		ev.Streams[id] = s.counters()
	}
	for id, r := range e.receivers {
		ev.Receivers[id] = r.counters()
	}
	for _, t := range e.transports {
		ev.UnknownPackets += t.unknownPackets.Load()
		ev.DecryptErrors += t.decryptErrors.Load()
	}
	return ev
}
