// The bot media engine: many simulated sites' WebRTC media (ICE, DTLS, SRTP)
// in one Go process, driven by Node over stdin/stdout, one JSON object per
// line. Node does the socket.io signaling with the hub and hands this process
// the parameters of each mediasoup WebRtcTransport; this process connects it
// with Pion's protocol libraries (pion/stun, pion/dtls, pion/srtp, pion/rtp,
// pion/rtcp), sends paced opus and VP8 simulcast, and counts what it receives.
//
// Not pion/webrtc's ORTC objects, though they work (this engine's first
// version): their receive path hands each packet through five goroutines
// (ICE agent task loop, mux, SRTP session, stream buffer) and cost 15-20 %
// more CPU per bot than one goroutine per socket reading, demultiplexing and
// decrypting inline; and their SRTP session stops reading for good when a
// packet of an SSRC nobody opened arrives first (see ../README.md).
// Protocol: protocol.go and ../engine.ts.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sync"
)

// out serialises events on stdout; one line per event.
type out struct {
	mu sync.Mutex
	w  *bufio.Writer
}

func (o *out) send(v interface{}) {
	line, err := json.Marshal(v)
	if err != nil {
		line = []byte(fmt.Sprintf(`{"event":"error","message":%q}`, err.Error()))
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.w.Write(line)
	o.w.WriteByte('\n')
	o.w.Flush()
}

func main() {
	// Packets are short-lived buffers: collect less often, trading a few MB
	// of memory for CPU (the figure this engine exists to keep low).
	debug.SetGCPercent(400)
	// One thread unless told otherwise: goroutines hand packets to each other
	// without waking a second thread, measurably cheaper per packet than two
	// (run more engine processes for more cores).
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(1)
	}
	if path := os.Getenv("PION_CPUPROFILE"); path != "" {
		if f, err := os.Create(fmt.Sprintf("%s.%d", path, os.Getpid())); err == nil {
			_ = pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	events := &out{w: bufio.NewWriterSize(os.Stdout, 64*1024)}
	eng, err := newEngine(events)
	if err != nil {
		events.send(map[string]string{"event": "fatal", "message": err.Error()})
		os.Exit(1)
	}
	events.send(readyEvent{Event: "ready", Pid: os.Getpid(), Fingerprints: eng.fingerprints})

	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1024*1024), 16*1024*1024)
	for scanner.Scan() {
		var cmd command
		if err := json.Unmarshal(scanner.Bytes(), &cmd); err != nil {
			events.send(errorEvent{Event: "error", Message: "bad command: " + err.Error()})
			continue
		}
		if cmd.Op == "exit" {
			break
		}
		eng.handle(&cmd)
	}
	eng.closeAll()
}
