package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"net"
	"runtime"
	"strings"
	"sync"

	"github.com/pion/dtls/v2"
	"github.com/pion/ice/v2"
	"github.com/pion/webrtc/v3"
)

// engine owns every transport, stream and receiver of this process.
type engine struct {
	events       *out
	api          *webrtc.API
	media        *webrtc.MediaEngine
	cert         webrtc.Certificate
	fingerprints []webrtc.DTLSFingerprint
	pacer        *pacer

	mu         sync.Mutex
	transports map[string]*transport
	streams    map[string]*stream
	receivers  map[string]*receiver
	codecs     map[uint8]bool
}

func newEngine(events *out) (*engine, error) {
	settings := webrtc.SettingEngine{}
	// The hub listens on loopback: gather one IPv4 loopback host candidate,
	// no mDNS responder (a multicast socket per agent otherwise).
	settings.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	settings.SetIncludeLoopbackCandidate(true)
	settings.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	settings.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	// AES-GCM first: mediasoup takes it, and Go's GCM (AES-NI + CLMUL) costs
	// a fraction of AES-CM + HMAC-SHA1 per packet.
	settings.SetSRTPProtectionProfiles(dtls.SRTP_AEAD_AES_128_GCM, dtls.SRTP_AES128_CM_HMAC_SHA1_80)
	media := &webrtc.MediaEngine{}
	api := webrtc.NewAPI(webrtc.WithSettingEngine(settings), webrtc.WithMediaEngine(media))

	// One certificate for every transport of the process (a key per
	// transport would only cost CPU during the join).
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	cert, err := webrtc.GenerateCertificate(key)
	if err != nil {
		return nil, err
	}
	fingerprints, err := cert.GetFingerprints()
	if err != nil {
		return nil, err
	}
	// mediasoup compares the hex case-sensitively with its own, upper case.
	for i := range fingerprints {
		fingerprints[i].Value = strings.ToUpper(fingerprints[i].Value)
	}
	e := &engine{
		events:       events,
		api:          api,
		media:        media,
		cert:         *cert,
		fingerprints: fingerprints,
		transports:   map[string]*transport{},
		streams:      map[string]*stream{},
		receivers:    map[string]*receiver{},
		codecs:       map[uint8]bool{},
	}
	e.pacer = newPacer(runtime.GOMAXPROCS(0))
	return e, nil
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
	e.mu.Lock()
	if _, exists := e.transports[cmd.Transport]; exists {
		e.mu.Unlock()
		e.fail(cmd.Transport, fmt.Errorf("transport %s already connected", cmd.Transport))
		return
	}
	t, err := newTransport(e, cmd.Transport)
	if err != nil {
		e.mu.Unlock()
		e.fail(cmd.Transport, err)
		return
	}
	e.transports[t.id] = t
	e.mu.Unlock()
	go t.run(cmd.Ice, cmd.Candidates, cmd.Fingerprints)
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

// registerCodec lets Pion's TrackRemote recognise a consumer's payload type.
func (e *engine) registerCodec(cmd *command) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.codecs[cmd.PayloadType] {
		return nil
	}
	kind := webrtc.RTPCodecTypeAudio
	if cmd.Kind == "video" {
		kind = webrtc.RTPCodecTypeVideo
	}
	err := e.media.RegisterCodec(webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{
			MimeType:  cmd.MimeType,
			ClockRate: cmd.ClockRate,
			Channels:  cmd.Channels,
		},
		PayloadType: webrtc.PayloadType(cmd.PayloadType),
	}, kind)
	if err == nil {
		e.codecs[cmd.PayloadType] = true
	}
	return err
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
	return ev
}

func isUDP(c iceCandidate) bool { return strings.EqualFold(c.Protocol, "udp") }
