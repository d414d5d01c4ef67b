package main

import (
	"fmt"
	"sync/atomic"
)

// receiver counts one consumer's packets: distinct packets, bytes, the span
// of sequence numbers seen (expected) and retransmitted duplicates. Only its
// transport's read loop calls count; stats read the atomics.
type receiver struct {
	id       string
	engine   *engine
	packets  atomic.Uint64
	bytes    atomic.Uint64
	expected atomic.Uint64
	dups     atomic.Uint64

	seen           []byte
	first, highest int64
}

func (r *receiver) counters() [4]uint64 {
	return [4]uint64{r.packets.Load(), r.bytes.Load(), r.expected.Load(), r.dups.Load()}
}

// receive opens a consumer's SSRC on its transport. Packets of an SSRC not
// opened are only counted as unknown, so the order of this and the hub's
// first packet does not matter.
func (e *engine) receive(cmd *command) {
	t := e.transport(cmd.Transport)
	if t == nil {
		e.fail(cmd.Transport, fmt.Errorf("receive: no transport %s", cmd.Transport))
		return
	}
	r := &receiver{id: cmd.Receiver, engine: e, seen: make([]byte, 0x10000), first: -1, highest: -1}
	e.mu.Lock()
	e.receivers[r.id] = r
	e.mu.Unlock()
	t.addReceiver(cmd.Ssrc, r)
	e.events.send(receiverEvent{Event: "receiving", Receiver: r.id})
}

func (r *receiver) count(sequence uint16, bytes int) {
	seq := int64(sequence)
	if r.seen[seq] != 0 {
		r.dups.Add(1)
		return
	}
	r.seen[seq] = 1
	// Clear the half of the sequence space ahead, for when it wraps.
	r.seen[(seq+0x8000)&0xffff] = 0
	r.packets.Add(1)
	r.bytes.Add(uint64(bytes))
	if r.first < 0 {
		r.first, r.highest = seq, seq
		r.expected.Store(1)
		r.engine.events.send(firstEvent{Event: "first", Receiver: r.id})
		return
	}
	delta := seq - (r.highest & 0xffff)
	if delta < -0x8000 {
		delta += 0x10000
	} else if delta > 0x8000 {
		delta -= 0x10000
	}
	if delta > 0 {
		r.highest += delta
		r.expected.Store(uint64(r.highest - r.first + 1))
	}
}

// payloadLength is an RTP packet's length less its header, CSRCs and header extension.
func payloadLength(p []byte) int {
	if len(p) < 12 {
		return 0
	}
	header := 12 + 4*int(p[0]&0x0f)
	if p[0]&0x10 != 0 && len(p) >= header+4 {
		header += 4 + 4*(int(p[header+2])<<8|int(p[header+3]))
	}
	if header > len(p) {
		return 0
	}
	return len(p) - header
}
