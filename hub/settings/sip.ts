// Settings of SIP room systems (docs/sip.md): the hub's SIP user agent, the
// digest realm, when a silent call counts as gone, the picture sent to rooms,
// redialling a dropped room, and the guard on digest answers.
// Read by hub/config.ts; every variable is documented in .env.example.
import { z } from 'zod';
import { SRTP_POLICIES } from '../../sfu/sip/sdes.ts';
import { port } from './fields.ts';

export const sipSettings = {
  /**
   * SIP room systems (docs/sip.md): the hub's SIP user agent listens on UDP and
   * TCP SIP_PORT (5060 is the usual one); unset: no SIP at all.
   */
  SIP_PORT: port.optional(),
  /** The digest realm rooms authenticate in; a room's stored HA1 depends on it (changing it needs new passwords). */
  SIP_REALM: z.string().min(1).max(100).default('diemcau'),
  /** How long a SIP call may send no audio before the hub takes it for gone (no BYE: power cut, network). */
  SIP_MEDIA_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(15_000),
  /** The H.264 bitrate the hub sends a room system when it adapts the meeting's picture (kbit/s). */
  SIP_VIDEO_KBPS: z.coerce.number().int().min(128).max(8000).default(1024),
  /**
   * SRTP-SDES with room systems: `accept` (default) answers an RTP/SAVP offer
   * encrypted and a plain one in clear; `require` refuses plain RTP (488);
   * `off` refuses RTP/SAVP offers (488).
   */
  SIP_SRTP: z.enum(SRTP_POLICIES).default('accept'),
  /** How many times the hub calls a dialled-out room again after its call dropped (not removed by the chair); 0: never. */
  SIP_REDIAL_ATTEMPTS: z.coerce.number().int().min(0).max(20).default(5),
  /** The wait before the first redial; each further one waits twice as long as the one before. */
  SIP_REDIAL_DELAY_MS: z.coerce.number().int().min(100).max(300_000).default(5000),
  /** Failed digest answers one source address may give in 15 minutes, whatever the user names; then 403. */
  SIP_AUTH_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Digest challenges awaiting their call's retry, at most (the oldest is dropped): an INVITE flood cannot grow memory. */
  SIP_PENDING_CHALLENGES: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
};
