// Settings of the SFU: mediasoup workers and ports, signaling limits, weak links, audio slots, chat, alarms, TURN.
// Read by hub/config.ts; every variable is documented in .env.example.
import os from 'node:os';
import { z } from 'zod';
import { port } from './fields.ts';

export const mediaSettings = {
  MEDIASOUP_WORKERS: z.coerce.number().int().min(1).max(64).default(os.availableParallelism()),
  MEDIASOUP_LOG_LEVEL: z.enum(['debug', 'warn', 'error', 'none']).default('warn'),
  /** Worker i's WebRtcServer listens on UDP and TCP port RTC_PORT_BASE + i. */
  RTC_PORT_BASE: port.default(40000),
  /** Ports for pipe transports between workers and hosts; keep apart from the WebRtcServer ports. */
  RTC_TRANSPORT_PORT_MIN: port.default(40100),
  RTC_TRANSPORT_PORT_MAX: port.default(40999),
  RTC_LISTEN_IP: z.ipv4().or(z.ipv6()).default('0.0.0.0'),
  /** Address put in ICE candidates; empty means the first non-internal IPv4 of this host. */
  RTC_ANNOUNCED_ADDRESS: z.string().default(''),
  /** Hard ceiling of connected sites in one meeting; a meeting's own cap may be lower. */
  MAX_SITES_PER_MEETING: z.coerce.number().int().min(1).max(5000).default(500),
  /**
   * Signaling requests one connection may send: this many at once, then
   * SIGNALING_RATE_PER_SECOND on average; beyond, RATE_LIMITED. A browser
   * joining a large meeting sends a burst (a consume and a resume per remote
   * microphone), so the burst must exceed twice the largest meeting.
   */
  SIGNALING_BURST: z.coerce.number().int().min(10).default(2000),
  SIGNALING_RATE_PER_SECOND: z.coerce.number().min(1).default(200),
  /** Largest socket.io message accepted, in bytes. */
  SOCKET_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024),
  /** Socket.io heartbeat: a site whose link died is noticed within interval + timeout (the chair's board shows it). */
  SOCKET_PING_INTERVAL_MS: z.coerce.number().int().min(1000).default(5000),
  SOCKET_PING_TIMEOUT_MS: z.coerce.number().int().min(1000).default(10000),
  /** Weak links: good scores for this long raise a site's video layer cap by one. */
  LINK_RECOVER_MS: z.coerce.number().int().min(100).default(8000),
  /**
   * A site whose connection dropped keeps its media this long (the chair sees it
   * reconnecting); back within it, the site resumes with an ICE restart instead of rejoining.
   */
  SITE_RESUME_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  /**
   * K, the audio slots of a meeting: how many sites besides the chair can be
   * heard at once. Each site receives K audio streams whatever the meeting's
   * size; the hub points them at the loudest sites allowed to speak. Three
   * covers a question, its answer and an interjection; more voices at once are
   * not understood anyway, and each slot costs every site ~40 kbit/s while in
   * use (docs/scaling.md).
   */
  AUDIO_SLOTS: z.coerce.number().int().min(1).max(16).default(3),
  /**
   * Chat messages one site may send: CHAT_BURST at once, then
   * CHAT_RATE_PER_SECOND on average; beyond, CHAT_RATE_LIMITED. Enough for a
   * conversation, too few to flood 300 sites' screens.
   */
  CHAT_BURST: z.coerce.number().int().min(1).default(5),
  CHAT_RATE_PER_SECOND: z.coerce.number().min(0.01).default(0.5),
  /** Weak links: a site in audio only retries video at the lowest layer after this long. */
  LINK_AUDIO_ONLY_PROBE_MS: z.coerce.number().int().min(100).default(15000),
  /**
   * The chair's alarm list (sfu/SiteAlarms.ts), measured on what each site
   * sends: loss over ALARM_LOSS_PCT % or jitter over ALARM_JITTER_MS in one
   * sample, a watched camera under ALARM_MIN_VIDEO_KBPS, a floor holder not
   * heard for ALARM_FLOOR_SILENT_MS. Sampled every ALARM_SAMPLE_MS.
   */
  ALARM_LOSS_PCT: z.coerce.number().min(0.1).max(100).default(5),
  ALARM_JITTER_MS: z.coerce.number().min(1).max(10_000).default(60),
  ALARM_MIN_VIDEO_KBPS: z.coerce.number().min(0).max(100_000).default(20),
  ALARM_FLOOR_SILENT_MS: z.coerce.number().int().min(1000).default(15_000),
  ALARM_SAMPLE_MS: z.coerce.number().int().min(500).default(2000),
  /** Optional TURN server handed to clients as iceServers (comma-separated URLs). */
  TURN_URLS: z.string().default(''),
  /**
   * coturn's REST-API shared secret (`use-auth-secret`, `static-auth-secret`):
   * each site gets its own credential, valid TURN_CREDENTIAL_TTL_SECONDS (see
   * hub/turn.ts). Unset: the static TURN_USERNAME/TURN_CREDENTIAL are handed out.
   */
  TURN_SECRET: z.string().min(16, 'TURN_SECRET must be at least 16 characters').optional(),
  TURN_CREDENTIAL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .default(86_400),
  TURN_USERNAME: z.string().default(''),
  TURN_CREDENTIAL: z.string().default(''),
};
