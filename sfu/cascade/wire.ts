// What crosses between two deployments to open, keep and close a cascade link
// (docs/cascade.md). Deployment B (downstream) asks deployment A (upstream) to
// relay A's meeting: it names the meeting and brings its pipe's end and the
// streams of the one site it sends back; A answers with its own pipe's end and
// what its meeting relays: its chair's voice, the picture on its stage, and its
// audio slots (whoever speaks there). B syncs the link continually: it sends
// the streams it sends now and asks A to answer as soon as its own change (or
// after `waitMs`); each side produces what is new, closes what is gone (a
// camera turned on, a chair that re-produced or arrived late, another site
// staged) and pauses or resumes what the other paused or resumed. Both sides
// validate what they receive with these schemas.
import type { types } from 'mediasoup';
import { z } from 'zod';

/** What a cascade link carries of a site: its voice and its picture. */
export const CASCADE_SOURCES = ['mic', 'camera'] as const;
export type CascadeSource = (typeof CASCADE_SOURCES)[number];
/** What crosses a link: a site's voice and picture, and (A → B) each of the upstream meeting's audio slots. */
export const RELAYED_SOURCES = [...CASCADE_SOURCES, 'slot'] as const;
export type RelayedSource = (typeof RELAYED_SOURCES)[number];
/** At most a voice, a picture and every audio slot (AUDIO_SLOTS is at most 16). */
const MAX_STREAMS = CASCADE_SOURCES.length + 16;
/** How long A may hold a sync's answer while nothing it sends changes. */
export const MAX_SYNC_WAIT_MS = 5000;

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
  source: z.enum(RELAYED_SOURCES),
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
  streams: z.array(stream).max(MAX_STREAMS),
});
export type RelayRequest = z.infer<typeof relayRequest>;

/** A → B: my pipe, and what my meeting relays now (none when its chair sends nothing yet). */
export const relayAnswer = z.strictObject({
  linkId,
  pipe: pipeEnd,
  streams: z.array(stream).max(MAX_STREAMS),
});
export type RelayAnswer = z.infer<typeof relayAnswer>;

/**
 * B → A, continually while the link lives: the streams B sends now; A answers
 * when what it sends changes, or after `waitMs` (0: at once, B's own change).
 */
export const syncRequest = z.strictObject({
  linkId,
  streams: z.array(stream).max(MAX_STREAMS),
  waitMs: z.number().int().min(0).max(MAX_SYNC_WAIT_MS),
});
export type SyncRequest = z.infer<typeof syncRequest>;

/** A → B: whether the link still stands here, and the streams A sends now. */
export const syncAnswer = z.strictObject({
  standing: z.boolean(),
  streams: z.array(stream).max(MAX_STREAMS),
});
export type SyncAnswer = z.infer<typeof syncAnswer>;

/** B → A, once: the link ends. */
export const closeRequest = z.strictObject({ linkId });
