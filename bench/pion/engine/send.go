package main

import (
	"fmt"
	"math/rand"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v3"
)

const (
	opusPacketsPerSec = 50
	opusPayloadBytes  = 160
	// Largest VP8 payload per packet, as a browser keeps RTP under the MTU.
	maxVideoPayload = 1100
	// A key-frame request (PLI/FIR) is honoured at most this often per layer.
	keyRequestGap = 300 * time.Millisecond
)

// rawTrack is a TrackLocal that keeps the sender's write stream, so the pacer
// writes ready-made RTP headers and payloads without Pion's packetizers.
type rawTrack struct {
	id, kind string
	codec    webrtc.RTPCodecParameters
	mu       sync.Mutex
	writer   webrtc.TrackLocalWriter
}

func (t *rawTrack) Bind(ctx webrtc.TrackLocalContext) (webrtc.RTPCodecParameters, error) {
	t.mu.Lock()
	t.writer = ctx.WriteStream()
	t.mu.Unlock()
	return t.codec, nil
}

func (t *rawTrack) Unbind(webrtc.TrackLocalContext) error {
	t.mu.Lock()
	t.writer = nil
	t.mu.Unlock()
	return nil
}

func (t *rawTrack) ID() string       { return t.id }
func (t *rawTrack) RID() string      { return "" }
func (t *rawTrack) StreamID() string { return t.id }
func (t *rawTrack) Kind() webrtc.RTPCodecType {
	if t.kind == "video" {
		return webrtc.RTPCodecTypeVideo
	}
	return webrtc.RTPCodecTypeAudio
}

func (t *rawTrack) write(h *rtp.Header, payload []byte) error {
	t.mu.Lock()
	w := t.writer
	t.mu.Unlock()
	if w == nil {
		return nil
	}
	_, err := w.WriteRTP(h, payload)
	return err
}

// source is one RTP stream on the wire: one SSRC (audio, or one simulcast layer).
type source struct {
	track     *rawTrack
	header    rtp.Header
	payload   []byte
	perSec    float64 // ticks per second: packets (audio) or frames (video)
	packets   int     // packets per frame
	frameSize int     // payload bytes per packet
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
	codec := webrtc.RTPCodecParameters{PayloadType: webrtc.PayloadType(cmd.PayloadType)}
	if cmd.Kind == "audio" {
		codec.RTPCodecCapability = webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2}
		src := newSource(cmd.Stream, "audio", codec, cmd.Ssrc, cmd.PayloadType)
		src.perSec = opusPacketsPerSec
		src.packets = 1
		src.frameSize = opusPayloadBytes
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
		codec.RTPCodecCapability = webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}
		for i, layer := range cmd.Layers {
			src := newSource(fmt.Sprintf("%s/%d", cmd.Stream, i), "video", codec, layer.Ssrc, cmd.PayloadType)
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
			src.frameSize = frameBytes / src.packets
			if src.frameSize < 24 {
				src.frameSize = 24
			}
			src.payload = make([]byte, src.frameSize)
			src.layer = i
			src.width, src.height = layer.Width, layer.Height
			src.keyEvery = int(cmd.KeyFrameEverySec * float64(fps))
			if src.keyEvery < 1 {
				src.keyEvery = 1
			}
			s.sources = append(s.sources, src)
		}
	}
	for _, src := range s.sources {
		sender, err := e.api.NewRTPSender(src.track, t.dtls)
		if err == nil {
			err = sender.Send(webrtc.RTPSendParameters{Encodings: []webrtc.RTPEncodingParameters{{
				RTPCodingParameters: webrtc.RTPCodingParameters{SSRC: webrtc.SSRC(src.header.SSRC), PayloadType: codec.PayloadType},
			}}})
		}
		if err != nil {
			e.fail(t.id, fmt.Errorf("send %s: %w", cmd.Stream, err))
			return
		}
		if !t.addSender(sender) {
			return
		}
		go readFeedback(sender, src)
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

func newSource(id, kind string, codec webrtc.RTPCodecParameters, ssrc uint32, pt uint8) *source {
	return &source{
		track: &rawTrack{id: id, kind: kind, codec: codec},
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

// readFeedback reads the hub's RTCP for one SSRC: key-frame requests ask the
// layer for a key frame; everything else (receiver reports, NACKs) is dropped.
func readFeedback(sender *webrtc.RTPSender, src *source) {
	for {
		packets, _, err := sender.ReadRTCP()
		if err != nil {
			return
		}
		for _, p := range packets {
			switch p.(type) {
			case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
				src.keyReqs.Add(1)
				src.keyWanted.Store(true)
			}
		}
	}
}
