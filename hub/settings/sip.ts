// Settings of SIP room systems (docs/sip.md): the hub's SIP user agent, the
// digest realm, when a silent call counts as gone, the picture sent to rooms.
// Read by hub/config.ts; every variable is documented in .env.example.
import { z } from 'zod';
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
};
