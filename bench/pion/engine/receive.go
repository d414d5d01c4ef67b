package main

import (
	"fmt"
	"sync/atomic"

	"github.com/pion/webrtc/v3"
)

// receiver counts one consumer's packets: distinct packets, bytes, the span
// of sequence numbers seen (expected) and retransmitted duplicates.
type receiver struct {
	id        string
	transport *transport
	packets   atomic.Uint64
	bytes     atomic.Uint64
	expected  atomic.Uint64
	dups      atomic.Uint64
}

func (r *receiver) counters() [4]uint64 {
	return [4]uint64{r.packets.Load(), r.bytes.Load(), r.expected.Load(), r.dups.Load()}
}

func (e *engine) receive(cmd *command) {
	t := e.transport(cmd.Transport)
	if t == nil {
		e.fail(cmd.Transport, fmt.Errorf("receive: no transport %s", cmd.Transport))
		return
	}
	if err := e.registerCodec(cmd); err != nil {
		e.fail(t.id, fmt.Errorf("receive %s: %w", cmd.Receiver, err))
		return
	}
	r := &receiver{id: cmd.Receiver, transport: t}
	e.mu.Lock()
	e.receivers[r.id] = r
	e.mu.Unlock()
	kind := webrtc.RTPCodecTypeAudio
	if cmd.Kind == "video" {
		kind = webrtc.RTPCodecTypeVideo
	}
	ssrc, pt := webrtc.SSRC(cmd.Ssrc), webrtc.PayloadType(cmd.PayloadType)
	go func() {
		// Pion opens a receiver's SRTP streams only once SRTP is up.
		select {
		case <-t.ready:
		case <-t.done:
			return
		}
		rtpReceiver, err := e.api.NewRTPReceiver(kind, t.dtls)
		if err == nil {
			err = rtpReceiver.Receive(webrtc.RTPReceiveParameters{Encodings: []webrtc.RTPDecodingParameters{{
				RTPCodingParameters: webrtc.RTPCodingParameters{SSRC: ssrc, PayloadType: pt},
			}}})
		}
		if err != nil {
			e.fail(t.id, fmt.Errorf("receive %s: %w", r.id, err))
			return
		}
		if !t.addReceiver(rtpReceiver) {
			_ = rtpReceiver.Stop()
			return
		}
		// Node resumes the consumer only now: a packet of an SSRC the SRTP
		// session has no stream for would block Pion's session for good.
		e.events.send(receiverEvent{Event: "receiving", Receiver: r.id})
		// The hub's sender reports for this SSRC: read and drop, so their
		// buffer never fills.
		go func() {
			for {
				if _, _, err := rtpReceiver.ReadRTCP(); err != nil {
					return
				}
			}
		}()
		r.read(e, rtpReceiver.Track())
	}()
}

func (r *receiver) read(e *engine, track *webrtc.TrackRemote) {
	buf := make([]byte, 1500)
	seen := make([]byte, 0x10000)
	var first, highest int64 = -1, -1
	for {
		n, _, err := track.Read(buf)
		if err != nil {
			return
		}
		if n < 12 {
			continue
		}
		seq := int64(buf[2])<<8 | int64(buf[3])
		if seen[seq] != 0 {
			r.dups.Add(1)
			continue
		}
		seen[seq] = 1
		// Clear the half of the sequence space ahead, for when it wraps.
		seen[(seq+0x8000)&0xffff] = 0
		r.packets.Add(1)
		r.bytes.Add(uint64(payloadLength(buf[:n])))
		if first < 0 {
			first, highest = seq, seq
			r.expected.Store(1)
			e.events.send(firstEvent{Event: "first", Receiver: r.id})
			continue
		}
		delta := seq - (highest & 0xffff)
		if delta < -0x8000 {
			delta += 0x10000
		} else if delta > 0x8000 {
			delta -= 0x10000
		}
		if delta > 0 {
			highest += delta
			r.expected.Store(uint64(highest - first + 1))
		}
	}
}

// payloadLength is an RTP packet's length less its header, CSRCs and header extension.
func payloadLength(p []byte) int {
	header := 12 + 4*int(p[0]&0x0f)
	if p[0]&0x10 != 0 && len(p) >= header+4 {
		header += 4 + 4*(int(p[header+2])<<8|int(p[header+3]))
	}
	if header > len(p) {
		return 0
	}
	return len(p) - header
}
