// What a participant of a meeting receives, decided in one place for the hub
// (what it announces to a site and lets it consume), the browser client (what
// it consumes) and the load bench's bots (which receive as the browser does).
//
// A site receives a bounded set, whatever the meeting's size (docs/scaling.md):
//   - the chair's microphone and camera;
//   - the staged site's camera;
//   - the meeting's audio slots: K streams the hub re-points at the loudest
//     allowed speakers (sfu/AudioSlots.ts). No site consumes another site's
//     microphone: the voices of the meeting reach it only through the slots.
// The chair receives the slots, and every site's camera it shows (its mosaic
// page, at the lowest layer).
import type { SiteRole } from './enums.ts';
import type { AudioSlotInfo, ProducerInfo } from './signaling.ts';

/** Who receives. */
export interface Receiver {
  id: string;
  role: SiteRole;
}

/** What of the meeting's state decides what a participant receives. */
export interface PlanMeeting {
  chairSiteId: string | null;
  /** Null: the chair is on the main stage. */
  stageSiteId: string | null;
}

/** A producer, as far as the plan cares. */
export interface PlanSource {
  peerId: string;
  kind: 'audio' | 'video';
}

/** Streams a site receives beside the slots: the chair's microphone and camera, the staged site's camera. */
export const SITE_DIRECT_STREAMS = 3;

/**
 * The mosaic page sizes the chair may choose. A page's tiles are the only
 * site cameras the chair consumes (lowest layer, ~0.1–0.15 Mbit/s each), so
 * the largest page bounds its downlink for the mosaic at ~4 Mbit/s; the sites
 * off the page send no video at all.
 */
export const MOSAIC_PAGE_SIZES = [9, 12, 16, 25] as const;
export type MosaicPageSize = (typeof MOSAIC_PAGE_SIZES)[number];
export const DEFAULT_MOSAIC_PAGE_SIZE: MosaicPageSize = 12;

/** The most receive streams (consumers) a site other than the chair holds in a meeting with `slotCount` slots. */
export function maxSiteReceiveStreams(slotCount: number): number {
  return slotCount + SITE_DIRECT_STREAMS;
}

/**
 * Whether `viewer` is told about site `peerId` (its arrival, state, departure
 * and producers). The chair hears of every site; a site hears of the chair and
 * the staged site only, so a site joining costs the other sites nothing.
 */
export function hearsOf(viewer: Receiver, meeting: PlanMeeting, peerId: string): boolean {
  if (peerId === viewer.id) return false;
  return viewer.role === 'chair' || peerId === meeting.chairSiteId || peerId === meeting.stageSiteId;
}

/** Whether `viewer` consumes `source` itself (rather than through an audio slot, or not at all). */
export function receivesDirectly(viewer: Receiver, meeting: PlanMeeting, source: PlanSource): boolean {
  if (source.peerId === viewer.id) return false;
  // The chair is always heard and seen by everyone, and never takes a slot.
  if (source.peerId === meeting.chairSiteId) return true;
  // Every other voice travels in the slots.
  if (source.kind === 'audio') return false;
  // The chair's mosaic may show any site; the sites see the main stage.
  return viewer.role === 'chair' || source.peerId === meeting.stageSiteId;
}

export interface ReceivePlan {
  /** Audio producers to consume and play: the chair's microphone (for the other sites) and every slot. */
  audio: string[];
  /** Cameras this participant may show; each is consumed while a tile on screen shows it. */
  video: ProducerInfo[];
}

/** What `viewer` consumes, given the producers it was told of and the meeting's slots. */
export function receivePlan(
  viewer: Receiver,
  meeting: PlanMeeting,
  producers: Iterable<ProducerInfo>,
  slots: readonly AudioSlotInfo[],
): ReceivePlan {
  const audio: string[] = [];
  const video: ProducerInfo[] = [];
  for (const producer of producers) {
    if (!receivesDirectly(viewer, meeting, producer)) continue;
    if (producer.kind === 'audio') audio.push(producer.producerId);
    else video.push(producer);
  }
  for (const slot of slots) audio.push(slot.producerId);
  return { audio, video };
}
