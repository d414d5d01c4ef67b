package main

// command is one line from Node. Fields unused by an op are left empty.
//
//	connect  {transport, ice, candidates, fingerprints}  connect: ICE (controlling), DTLS (client), SRTP
//	close    {transport}                                 stop a transport and all its streams/receivers
//	send     {transport, stream, kind, payloadType, ssrc | layers, audioLevelId, level, keyFrameEverySec}
//	pause    {stream, paused}                            stop/resume sending a stream
//	maxLayer {stream, layer}                             send simulcast layers 0..layer only
//	level    {stream, level}                             audio level in -dBov (0 loud … 127 silent)
//	receive  {transport, receiver, ssrc}                 count a consumer's packets
//	stats    {seq}                                       answer with a stats event
//	exit                                                 close everything and leave
type command struct {
	Op               string         `json:"op"`
	Seq              int            `json:"seq"`
	Transport        string         `json:"transport"`
	Ice              iceParameters  `json:"ice"`
	Candidates       []iceCandidate `json:"candidates"`
	Fingerprints     []fingerprint  `json:"fingerprints"`
	Stream           string         `json:"stream"`
	Receiver         string         `json:"receiver"`
	Kind             string         `json:"kind"`
	PayloadType      uint8          `json:"payloadType"`
	Ssrc             uint32         `json:"ssrc"`
	Layers           []videoLayer   `json:"layers"`
	AudioLevelID     uint8          `json:"audioLevelId"`
	Level            uint8          `json:"level"`
	Layer            int            `json:"layer"`
	KeyFrameEverySec float64        `json:"keyFrameEverySec"`
	Paused           bool           `json:"paused"`
	MimeType         string         `json:"mimeType"`
	ClockRate        uint32         `json:"clockRate"`
	Channels         uint16         `json:"channels"`
}

type iceParameters struct {
	UsernameFragment string `json:"usernameFragment"`
	Password         string `json:"password"`
}

// iceCandidate is mediasoup's shape (address in 3.12, ip before).
type iceCandidate struct {
	Foundation string `json:"foundation"`
	Priority   uint32 `json:"priority"`
	Address    string `json:"address"`
	IP         string `json:"ip"`
	Protocol   string `json:"protocol"`
	Port       uint16 `json:"port"`
}

type fingerprint struct {
	Algorithm string `json:"algorithm"`
	Value     string `json:"value"`
}

// videoLayer is one simulcast encoding: its own SSRC, bitrate and frame rate.
type videoLayer struct {
	Ssrc   uint32 `json:"ssrc"`
	Kbps   int    `json:"kbps"`
	Fps    int    `json:"fps"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

type readyEvent struct {
	Event        string        `json:"event"`
	Pid          int           `json:"pid"`
	Fingerprints []fingerprint `json:"fingerprints"`
}

type errorEvent struct {
	Event     string `json:"event"`
	Message   string `json:"message"`
	Transport string `json:"transport,omitempty"`
}

// stateEvent: a transport's ICE+DTLS+SRTP came up ("connected") or did not ("failed").
type stateEvent struct {
	Event     string `json:"event"`
	Transport string `json:"transport"`
	State     string `json:"state"`
	Error     string `json:"error,omitempty"`
}

// receiverEvent: a receiver's SRTP streams are open; the hub may send.
type receiverEvent struct {
	Event    string `json:"event"`
	Receiver string `json:"receiver"`
}

// firstEvent: a receiver's first packet (join timing is measured from it in Node).
type firstEvent struct {
	Event    string `json:"event"`
	Receiver string `json:"receiver"`
}

// statsEvent: cumulative counters. Streams: [sent, bytes, skipped, keyRequests].
// Receivers: [packets, bytes, expected, duplicates].
type statsEvent struct {
	Event      string               `json:"event"`
	Seq        int                  `json:"seq"`
	Streams    map[string][4]uint64 `json:"streams"`
	Receivers  map[string][4]uint64 `json:"receivers"`
	Goroutines int                  `json:"goroutines"`
	// Packets of an SSRC no receiver was opened for, and packets that failed
	// SRTP authentication, on transports still open.
	UnknownPackets uint64 `json:"unknownPackets"`
	DecryptErrors  uint64 `json:"decryptErrors"`
}
