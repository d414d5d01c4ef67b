package main

import (
	"fmt"
	"math/rand"
	"sync/atomic"
	"time"

	"github.com/pion/rtp"
)

const (
	opusPacketsPerSec = 50
	opusPayloadBytes  = 160
	// Largest VP8 payload per packet, as a browser keeps RTP under the MTU.
	maxVideoPayload = 1100
	// A key-frame request (PLI/FIR) is honoured at most this often per layer.
	keyRequestGap = 300 * time.Millisecond
)

// source is one RTP stream on the wire: one SSRC (audio, or one simulcast layer).
type source struct {
	transport *transport
	header    rtp.Header
	payload   []byte
	perSec    float64 // ticks per second: packets (audio) or frames (video)
	packets   int     // packets per frame
	layer     int
	width     int
	height    int
	frame     int
	tl0       uint8
	pictureID uint16
	// keyWanted is set by a PLI/FIR from the hub; the next frame is a key frame.
	keyWanted   atomic.Bool
	lastKeyReq  time.Time
	nextDue     float64 // ticks owed so far (pacer bookkeeping)
	startedAt   time.Time
	keyEvery    int
	sent, bytes atomic.Uint64
	skipped     atomic.Uint64
	keyReqs     atomic.Uint64
}

// stream is what Node calls a stream: an audio source, or a video producer's
// simulcast layers (one source per layer).
type stream struct {
	id        string
	transport *transport
	kind      string
	sources   []*source
	paused    atomic.Bool
	// maxLayer: layers above it are held back (a site not on stage sends two of three).
	maxLayer atomic.Int32
	// level is the audio level byte (V bit | -dBov) written into ssrc-audio-level.
	level []byte
}

func (e *engine) send(cmd *command) {
	t := e.transport(cmd.Transport)
	if t == nil {
		e.fail(cmd.Transport, fmt.Errorf("send: no transport %s", cmd.Transport))
		return
	}
	s := &stream{id: cmd.Stream, transport: t, kind: cmd.Kind}
	if cmd.Kind == "audio" {
		src := newSource(t, cmd.Ssrc, cmd.PayloadType)
		src.perSec = opusPacketsPerSec
		src.packets = 1
		src.payload = make([]byte, opusPayloadBytes)
		for i := range src.payload {
			src.payload[i] = 0xfc
		}
		if cmd.AudioLevelID > 0 {
			s.level = []byte{levelByte(cmd.Level)}
			_ = src.header.SetExtension(cmd.AudioLevelID, s.level)
		}
		s.sources = []*source{src}
	} else {
		for i, layer := range cmd.Layers {
			s.sources = append(s.sources, newVideoSource(t, cmd, i, layer))
		}
	}
	for _, src := range s.sources {
		t.addSource(src)
	}
	s.maxLayer.Store(int32(len(s.sources) - 1))
	e.mu.Lock()
	e.streams[s.id] = s
	e.mu.Unlock()
	go func() {
		select {
		case <-t.ready:
			select {
			case <-t.done:
			default:
				e.pacer.add(s)
			}
		case <-t.done:
		}
	}()
}

func newVideoSource(t *transport, cmd *command, index int, layer videoLayer) *source {
	src := newSource(t, layer.Ssrc, cmd.PayloadType)
	fps := layer.Fps
	if fps < 1 {
		fps = 1
	}
	frameBytes := layer.Kbps * 1000 / 8 / fps
	src.perSec = float64(fps)
	src.packets = (frameBytes + maxVideoPayload - 1) / maxVideoPayload
	if src.packets < 1 {
		src.packets = 1
	}
	size := frameBytes / src.packets
	if size < 24 {
		size = 24
	}
	src.payload = make([]byte, size)
	src.layer = index
	src.width, src.height = layer.Width, layer.Height
	src.keyEvery = int(cmd.KeyFrameEverySec * float64(fps))
	if src.keyEvery < 1 {
		src.keyEvery = 1
	}
	return src
}

func newSource(t *transport, ssrc uint32, pt uint8) *source {
	return &source{
		transport: t,
		header: rtp.Header{
			Version:        2,
			PayloadType:    pt,
			SSRC:           ssrc,
			SequenceNumber: uint16(rand.Uint32()),
			Timestamp:      rand.Uint32(),
		},
		pictureID: uint16(rand.Uint32()) & 0x7fff,
	}
}

// levelByte: the one-byte ssrc-audio-level (RFC 6464) with voice activity set.
func levelByte(dbov uint8) byte {
	if dbov > 127 {
		dbov = 127
	}
	return 0x80 | dbov
}

func (s *stream) setLevel(dbov uint8) {
	if s.level != nil {
		// The header extension holds this slice: the next packet carries the new level.
		s.level[0] = levelByte(dbov)
	}
}

func (s *stream) setPaused(paused bool) { s.paused.Store(paused) }

func (s *stream) setMaxLayer(layer int) { s.maxLayer.Store(int32(layer)) }

func (s *stream) counters() [4]uint64 {
	var c [4]uint64
	for _, src := range s.sources {
		c[0] += src.sent.Load()
		c[1] += src.bytes.Load()
		c[2] += src.skipped.Load()
		c[3] += src.keyReqs.Load()
	}
	return c
}
