package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/dtls/v2"
	"github.com/pion/logging"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/srtp/v2"
)

const (
	socketBuffer = 1 << 20
	// DTLS client flights are retransmitted this often until answered.
	dtlsFlightInterval = 500 * time.Millisecond
	dtlsTimeout        = 20 * time.Second
)

// transport is one mediasoup WebRtcTransport's peer on its own UDP socket:
// ICE as the controlling agent of one candidate pair (mediasoup is ICE-lite),
// DTLS as client (mediasoup answers as server; as client we drive the
// handshake and retransmit our own flights, which avoided the hangs werift had
// as server under load), then SRTP/SRTCP with the keys DTLS exported. One
// goroutine reads the socket and demultiplexes STUN, DTLS and SRTP inline.
type transport struct {
	id     string
	engine *engine
	conn   *net.UDPConn
	ice    *iceAgent
	// ready closes when SRTP is up; done when the transport is closed.
	ready chan struct{}
	done  chan struct{}
	once  sync.Once
	dtls  *dtlsPipe
	// dtlsConn is set once the handshake is over.
	dtlsConn atomic.Pointer[dtls.Conn]

	// remote decrypts what the hub sends; only the read goroutine uses it.
	remote *srtp.Context
	// local encrypts what the pacer sends, under sendMu with its buffers.
	sendMu  sync.Mutex
	local   *srtp.Context
	plain   []byte
	cipher  []byte
	scratch rtp.Header

	mu        sync.RWMutex
	receivers map[uint32]*receiver
	sources   map[uint32]*source

	unknownPackets atomic.Uint64
	decryptErrors  atomic.Uint64
}

func newTransport(e *engine, id string, remote *net.UDPAddr, params iceParameters) (*transport, error) {
	conn, err := net.DialUDP("udp4", nil, remote)
	if err != nil {
		return nil, err
	}
	// Room for a burst while this process waits for a core.
	_ = conn.SetReadBuffer(socketBuffer)
	_ = conn.SetWriteBuffer(socketBuffer)
	t := &transport{
		id:        id,
		engine:    e,
		conn:      conn,
		ready:     make(chan struct{}),
		done:      make(chan struct{}),
		plain:     make([]byte, 1500),
		cipher:    make([]byte, 1600),
		receivers: map[uint32]*receiver{},
		sources:   map[uint32]*source{},
	}
	t.ice = newIceAgent(params, conn)
	t.dtls = newDtlsPipe(conn, t.done)
	return t, nil
}

func (t *transport) run(fingerprints []fingerprint) {
	go t.readLoop()
	err := t.connect(fingerprints)
	if err != nil {
		select {
		case <-t.done:
			return
		default:
		}
		t.engine.events.send(stateEvent{Event: "state", Transport: t.id, State: "failed", Error: err.Error()})
		return
	}
	close(t.ready)
	t.engine.events.send(stateEvent{Event: "state", Transport: t.id, State: "connected"})
	t.ice.keepAlive(t.done)
}

func (t *transport) connect(fingerprints []fingerprint) error {
	if err := t.ice.connect(t.done); err != nil {
		return fmt.Errorf("ICE: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), dtlsTimeout)
	defer cancel()
	config := &dtls.Config{
		Certificates:           []tls.Certificate{t.engine.cert},
		SRTPProtectionProfiles: []dtls.SRTPProtectionProfile{dtls.SRTP_AEAD_AES_128_GCM, dtls.SRTP_AES128_CM_HMAC_SHA1_80},
		// mediasoup's certificate is self-signed: it is checked against the
		// fingerprint from signaling instead of a chain.
		InsecureSkipVerify:    true,
		VerifyPeerCertificate: verifyFingerprint(fingerprints),
		FlightInterval:        dtlsFlightInterval,
		LoggerFactory:         quietLogs(),
		ConnectContextMaker:   func() (context.Context, func()) { return ctx, func() {} },
	}
	conn, err := dtls.Client(t.dtls, config)
	if err != nil {
		return fmt.Errorf("DTLS: %w", err)
	}
	t.dtlsConn.Store(conn)
	keys, profile, err := srtpKeys(conn)
	if err != nil {
		return err
	}
	if t.local, err = srtp.CreateContext(keys.LocalMasterKey, keys.LocalMasterSalt, profile); err != nil {
		return err
	}
	t.remote, err = srtp.CreateContext(keys.RemoteMasterKey, keys.RemoteMasterSalt, profile)
	return err
}

func srtpKeys(conn *dtls.Conn) (srtp.SessionKeys, srtp.ProtectionProfile, error) {
	selected, ok := conn.SelectedSRTPProtectionProfile()
	if !ok {
		return srtp.SessionKeys{}, 0, errors.New("DTLS: no SRTP profile agreed")
	}
	config := srtp.Config{}
	switch selected {
	case dtls.SRTP_AEAD_AES_128_GCM:
		config.Profile = srtp.ProtectionProfileAeadAes128Gcm
	case dtls.SRTP_AES128_CM_HMAC_SHA1_80:
		config.Profile = srtp.ProtectionProfileAes128CmHmacSha1_80
	default:
		return srtp.SessionKeys{}, 0, fmt.Errorf("DTLS: unexpected SRTP profile %v", selected)
	}
	state := conn.ConnectionState()
	if err := config.ExtractSessionKeysFromDTLS(&state, true); err != nil {
		return srtp.SessionKeys{}, 0, err
	}
	return config.Keys, config.Profile, nil
}

func (t *transport) isReady() bool {
	select {
	case <-t.ready:
		return true
	default:
		return false
	}
}

// readLoop demultiplexes the socket (RFC 7983): STUN, DTLS, then SRTP/SRTCP.
func (t *transport) readLoop() {
	buf := make([]byte, 1500)
	plain := make([]byte, 1500)
	var header rtp.Header
	for {
		n, err := t.conn.Read(buf)
		if err != nil {
			var netErr net.Error
			if errors.As(err, &netErr) && netErr.Timeout() {
				continue
			}
			return
		}
		b := buf[:n]
		switch {
		case n < 2:
		case b[0] < 4:
			t.ice.onPacket(b)
		case b[0] >= 20 && b[0] < 64:
			t.dtls.deliver(b)
		case b[0] >= 128 && b[0] < 192 && t.isReady():
			if b[1] >= 192 && b[1] <= 223 {
				t.onRTCP(b, plain)
			} else {
				t.onRTP(b, plain, &header)
			}
		}
	}
}

func (t *transport) onRTP(b, plain []byte, header *rtp.Header) {
	out, err := t.remote.DecryptRTP(plain, b, header)
	if err != nil {
		t.decryptErrors.Add(1)
		return
	}
	t.mu.RLock()
	r := t.receivers[header.SSRC]
	t.mu.RUnlock()
	if r == nil {
		t.unknownPackets.Add(1)
		return
	}
	r.count(header.SequenceNumber, payloadLength(out))
}

// onRTCP asks a layer for a key frame on a PLI or FIR; reports are dropped.
func (t *transport) onRTCP(b, plain []byte) {
	out, err := t.remote.DecryptRTCP(plain, b, nil)
	if err != nil {
		t.decryptErrors.Add(1)
		return
	}
	packets, err := rtcp.Unmarshal(out)
	if err != nil {
		return
	}
	for _, p := range packets {
		switch p := p.(type) {
		case *rtcp.PictureLossIndication:
			t.keyRequest(p.MediaSSRC)
		case *rtcp.FullIntraRequest:
			for _, entry := range p.FIR {
				t.keyRequest(entry.SSRC)
			}
		}
	}
}

func (t *transport) keyRequest(ssrc uint32) {
	t.mu.RLock()
	src := t.sources[ssrc]
	t.mu.RUnlock()
	if src != nil {
		src.keyReqs.Add(1)
		src.keyWanted.Store(true)
	}
}

// writeRTP encrypts and sends one packet; false when it was not sent.
func (t *transport) writeRTP(h *rtp.Header, payload []byte) bool {
	if !t.isReady() {
		return false
	}
	t.sendMu.Lock()
	defer t.sendMu.Unlock()
	n, err := h.MarshalTo(t.plain)
	if err != nil || n+len(payload) > len(t.plain) {
		return false
	}
	copy(t.plain[n:], payload)
	out, err := t.local.EncryptRTP(t.cipher[:0], t.plain[:n+len(payload)], &t.scratch)
	if err != nil {
		return false
	}
	_, err = t.conn.Write(out)
	return err == nil
}

func (t *transport) addReceiver(ssrc uint32, r *receiver) {
	t.mu.Lock()
	t.receivers[ssrc] = r
	t.mu.Unlock()
}

func (t *transport) addSource(src *source) {
	t.mu.Lock()
	t.sources[src.header.SSRC] = src
	t.mu.Unlock()
}

func (t *transport) close() {
	t.once.Do(func() {
		close(t.done)
		if c := t.dtlsConn.Load(); c != nil {
			_ = c.Close()
		}
		_ = t.conn.Close()
	})
}

func quietLogs() logging.LoggerFactory {
	f := logging.NewDefaultLoggerFactory()
	f.DefaultLogLevel = logging.LogLevelDisabled
	return f
}
