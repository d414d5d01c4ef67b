package main

import (
	"sync"
	"time"
)

const (
	// One opus frame. Every due packet of every stream goes out on these
	// ticks, as today's werift bots do (bench/bots/media.ts Pacer): bursts
	// wake the engine and the SFU once per tick rather than once per packet,
	// which cost 30-40 % less CPU per bot than 5 ms ticks here.
	pacerInterval = 20 * time.Millisecond
	// A source more than this many ticks behind skips the rest (counted), so
	// a saturated engine shows as a send rate below target, not as bursts.
	maxBurst = 3
)

// pacer writes every source's packets on time from a few goroutines (shards),
// each serving its share of the streams from one ticker.
type pacer struct {
	shards []*shard
	mu     sync.Mutex
	next   int
	where  map[*stream]*shard
}

type shard struct {
	mu      sync.Mutex
	streams map[*stream]struct{}
	wake    chan struct{}
}

func newPacer(shards int) *pacer {
	p := &pacer{where: map[*stream]*shard{}}
	for i := 0; i < shards; i++ {
		sh := &shard{streams: map[*stream]struct{}{}, wake: make(chan struct{}, 1)}
		p.shards = append(p.shards, sh)
		go sh.run()
	}
	return p
}

func (p *pacer) add(s *stream) {
	now := time.Now()
	for _, src := range s.sources {
		src.startedAt = now
		src.nextDue = 0
	}
	p.mu.Lock()
	sh := p.shards[p.next%len(p.shards)]
	p.next++
	p.where[s] = sh
	p.mu.Unlock()
	sh.mu.Lock()
	sh.streams[s] = struct{}{}
	sh.mu.Unlock()
	select {
	case sh.wake <- struct{}{}:
	default:
	}
}

func (p *pacer) remove(s *stream) {
	p.mu.Lock()
	sh := p.where[s]
	delete(p.where, s)
	p.mu.Unlock()
	if sh == nil {
		return
	}
	sh.mu.Lock()
	delete(sh.streams, s)
	sh.mu.Unlock()
}

// run ticks only while the shard has streams, so an idle engine costs nothing.
func (sh *shard) run() {
	ticker := time.NewTicker(pacerInterval)
	defer ticker.Stop()
	for {
		sh.mu.Lock()
		empty := len(sh.streams) == 0
		sh.mu.Unlock()
		if empty {
			ticker.Stop()
			<-sh.wake
			ticker.Reset(pacerInterval)
		}
		now := <-ticker.C
		sh.mu.Lock()
		streams := make([]*stream, 0, len(sh.streams))
		for s := range sh.streams {
			streams = append(streams, s)
		}
		sh.mu.Unlock()
		for _, s := range streams {
			for _, src := range s.sources {
				src.tick(s, now)
			}
		}
	}
}

// tick sends what is due for one source at `now`.
func (src *source) tick(s *stream, now time.Time) {
	target := float64(int(now.Sub(src.startedAt).Seconds() * src.perSec))
	owed := int(target - src.nextDue)
	if owed <= 0 {
		return
	}
	if owed > maxBurst {
		src.skipped.Add(uint64((owed - maxBurst) * src.packets))
		src.nextDue += float64(owed - maxBurst)
		owed = maxBurst
	}
	src.nextDue += float64(owed)
	if s.paused.Load() || src.layer > int(s.maxLayer.Load()) {
		return
	}
	for i := 0; i < owed; i++ {
		if s.kind == "audio" {
			src.sendAudio()
		} else {
			src.sendFrame(now)
		}
	}
}

func (src *source) write(marker bool, payload []byte) {
	src.header.SequenceNumber++
	src.header.Marker = marker
	if !src.transport.writeRTP(&src.header, payload) {
		return
	}
	src.sent.Add(1)
	src.bytes.Add(uint64(len(payload)))
}

func (src *source) sendAudio() {
	src.header.Timestamp += 960 // 20 ms at 48 kHz
	src.write(false, src.payload)
}

// temporalPattern is L1T3's layer per frame: base, top, middle, top.
var temporalPattern = [4]uint8{0, 2, 1, 2}

// sendFrame writes one VP8 frame as `packets` RTP packets with a valid payload
// descriptor (picture id, TL0PICIDX, temporal layer), so mediasoup sees key
// frames, picture ids and temporal layers as from a browser's encoder. The
// frame data itself is filler: nothing decodes it.
func (src *source) sendFrame(now time.Time) {
	key := src.frame%src.keyEvery == 0
	if !key && src.keyWanted.Load() && now.Sub(src.lastKeyReq) >= keyRequestGap {
		key = true
	}
	if key {
		src.keyWanted.Store(false)
		src.lastKeyReq = now
		src.frame = 0
	}
	tid := temporalPattern[src.frame%len(temporalPattern)]
	if key {
		tid = 0
	}
	if tid == 0 {
		src.tl0++
	}
	src.pictureID = (src.pictureID + 1) & 0x7fff
	src.header.Timestamp += uint32(90000 / src.perSec)
	for i := 0; i < src.packets; i++ {
		p := src.payload
		start := i == 0
		p[0] = 0x80 // X: extended control bits present; PID 0
		if start {
			p[0] |= 0x10 // S: start of the frame
		}
		p[1] = 0xe0 // I, L, T present
		p[2] = 0x80 | byte(src.pictureID>>8)
		p[3] = byte(src.pictureID)
		p[4] = src.tl0
		p[5] = tid<<6 | 0x20 // TID, Y (layer sync)
		// VP8 payload header (RFC 6386 9.1): bit 0 is P, 0 on key frames.
		if start && key {
			p[6], p[7], p[8] = 0x10, 0x02, 0x00
			p[9], p[10], p[11] = 0x9d, 0x01, 0x2a // key frame start code
			p[12], p[13] = byte(src.width), byte(src.width>>8)
			p[14], p[15] = byte(src.height), byte(src.height>>8)
		} else {
			p[6] = 0x11
		}
		src.write(i == src.packets-1, p)
	}
	src.frame++
}
