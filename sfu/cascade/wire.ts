// What crosses between two deployments to open, keep and close a cascade link
// (docs/cascade.md). Deployment B (downstream) asks deployment A (upstream) to
// relay A's meeting: it names the meeting and brings its pipe's end and the
// streams of the one site it sends back; A answers with its own pipe's end and
// its chair's streams. Every few seconds B syncs the link: it sends the
// streams it sends now, A answers with its own, and each side produces what is
// new and closes what is gone (a camera turned on, a chair that re-produced or
// arrived late). Both sides validate what they receive with these schemas.
import type { types } from 'mediasoup';
import { z } from 'zod';

/** What a cascade link carries of a site: its voice and its picture. */
export const CASCADE_SOURCES = ['mic', 'camera'] as const;
export type CascadeSource = (typeof CASCADE_SOURCES)[number];

const meetingId = z.string().min(1).max(64);
export const linkId = z.uuid();

/** One side's pipe transport: where to send to, and its SRTP key. */
const pipeEnd = z.strictObject({
  ip: z.ipv4().or(z.ipv6()),
  port: z.number().int().min(1).max(65535),
  srtpParameters: z.strictObject({
    cryptoSuite: z.enum(['AEAD_AES_256_GCM', 'AEAD_AES_128_GCM', 'AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32']),
    keyBase64: z.string().min(16).max(200),
  }),
});
export type PipeEnd = z.infer<typeof pipeEnd>;

/** A stream sent into the pipe: the other side produces it with these parameters (mediasoup checks their inside). */
const stream = z.strictObject({
  /** The sending side's producer: the same id in the next sync is the same stream. */
  producerId: z.string().min(1).max(64),
  source: z.enum(CASCADE_SOURCES),
  kind: z.enum(['audio', 'video']),
  rtpParameters: z.custom<types.RtpParameters>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), {
    message: 'expected an object',
  }),
  paused: z.boolean(),
});
export type PipeStream = z.infer<typeof stream>;

/** B → A: relay your meeting `meetingId` to me; here is my pipe, and the site I send back. */
export const relayRequest = z.strictObject({
  meetingId,
  linkId,
  pipe: pipeEnd,
  streams: z.array(stream).max(CASCADE_SOURCES.length),
});
export type RelayRequest = z.infer<typeof relayRequest>;

/** A → B: my pipe, and my chair's streams (what it sends now; none when it sends nothing yet). */
export const relayAnswer = z.strictObject({
  linkId,
  pipe: pipeEnd,
  streams: z.array(stream).max(CASCADE_SOURCES.length),
});
export type RelayAnswer = z.infer<typeof relayAnswer>;

/** B → A, every few seconds while the link lives: the streams B sends now. */
export const syncRequest = z.strictObject({ linkId, streams: z.array(stream).max(CASCADE_SOURCES.length) });
export type SyncRequest = z.infer<typeof syncRequest>;

/** A → B: whether the link still stands here, and the streams A sends now. */
export const syncAnswer = z.strictObject({
  standing: z.boolean(),
  streams: z.array(stream).max(CASCADE_SOURCES.length),
});
export type SyncAnswer = z.infer<typeof syncAnswer>;

/** B → A, once: the link ends. */
export const closeRequest = z.strictObject({ linkId });
