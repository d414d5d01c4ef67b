// What a participant of a meeting receives, decided in one place for the hub
// (what it announces to a site and lets it consume), the browser client (what
// it consumes) and the load bench's bots (which receive as the browser does).
//
// A site receives a bounded set, whatever the meeting's size (docs/scaling.md):
//   - the chair's microphone and camera;
//   - the staged site's camera;
//   - the shared content (contract/presentation.ts): its video, and its sound
//     when the presenter shares one;
//   - the cameras of the grid layout's sites (contract/layout.ts), at the
//     lowest layer, while the site shows the grid;
//   - the meeting's audio slots: K streams the hub re-points at the loudest
//     allowed speakers (sfu/AudioSlots.ts). No site consumes another site's
//     microphone: the voices of the meeting reach it only through the slots.
// Which of these a site holds at a time depends on the layout it shows: at
// most SITE_DIRECT_STREAMS besides the slots. The chair receives the slots,
// the content, and every site's camera it shows (its mosaic page, at the
// lowest layer).
import type { SiteRole } from './enums.ts';
import { DEFAULT_LAYOUT, type Layout, type LayoutKind, MAX_GRID_SITES } from './layout.ts';
import {
  type AudioSlotInfo,
  isContentSource,
  type MediaSource,
  type MeetingState,
  type ProducerInfo,
} from './signaling.ts';

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
  /** The site allowed to present; null when nobody does. */
  presenterSiteId: string | null;
  /** What the chair chose every site shows (the grid's sites among it). */
  layout: Layout;
}

/** A producer, as far as the plan cares. */
export interface PlanSource {
  peerId: string;
  kind: 'audio' | 'video';
  source: MediaSource;
}

/**
 * Streams a site holds besides the slots in each layout:
 *   speaker, side by side: the chair's microphone and camera, the staged camera, the content's sound;
 *   content: the chair's microphone, the content's picture and sound, the speaker's camera (the inset);
 *   grid: the chair's microphone and camera, up to MAX_GRID_SITES cameras (the content is not shown,
 *   nor heard, in the grid: the chair's console says so).
 */
export const LAYOUT_DIRECT_STREAMS: Record<LayoutKind, number> = {
  speaker: 4,
  sideBySide: 4,
  content: 4,
  grid: 2 + MAX_GRID_SITES,
};

/** The most streams a site holds beside the slots, whatever layout it shows. */
export const SITE_DIRECT_STREAMS = Math.max(...Object.values(LAYOUT_DIRECT_STREAMS));

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

/** The meeting before anyone staged, presented or chose a layout (tests, bots). */
export function planMeeting(chairSiteId: string | null, stageSiteId: string | null = null): PlanMeeting {
  return { chairSiteId, stageSiteId, presenterSiteId: null, layout: DEFAULT_LAYOUT };
}

/** The plan's view of the meeting's state as the hub announces it. */
export function planOf(state: MeetingState): PlanMeeting {
  return {
    chairSiteId: state.chairSiteId,
    stageSiteId: state.stageSiteId,
    presenterSiteId: state.presentation.presenterSiteId,
    layout: state.layout,
  };
}

/**
 * Whether `viewer` is told about site `peerId` (its arrival, state, departure
 * and producers). The chair hears of every site; a site hears of the chair,
 * the staged site, the presenter and the grid's sites only, so a site joining
 * costs the other sites nothing.
 */
export function hearsOf(viewer: Receiver, meeting: PlanMeeting, peerId: string): boolean {
  if (peerId === viewer.id) return false;
  return (
    viewer.role === 'chair' ||
    peerId === meeting.chairSiteId ||
    peerId === meeting.stageSiteId ||
    peerId === meeting.presenterSiteId ||
    meeting.layout.grid.includes(peerId)
  );
}

/** The sites other than the chair that every site hears of: the staged site, the presenter, the grid's sites. */
export function featuredSiteIds(meeting: PlanMeeting): Set<string> {
  const ids = new Set<string>(meeting.layout.grid);
  for (const id of [meeting.stageSiteId, meeting.presenterSiteId]) if (id !== null) ids.add(id);
  ids.delete(meeting.chairSiteId ?? '');
  return ids;
}

/** Whether `viewer` may consume `source` itself (rather than through an audio slot, or not at all). */
export function receivesDirectly(viewer: Receiver, meeting: PlanMeeting, source: PlanSource): boolean {
  if (source.peerId === viewer.id) return false;
  // The content is everyone's, from the one site allowed to present.
  if (isContentSource(source.source)) return source.peerId === meeting.presenterSiteId;
  // The chair is always heard and seen by everyone, and never takes a slot.
  if (source.peerId === meeting.chairSiteId) return true;
  // Every other voice travels in the slots.
  if (source.kind === 'audio') return false;
  // The chair's mosaic may show any site; the sites see the main stage and the grid.
  return (
    viewer.role === 'chair' || source.peerId === meeting.stageSiteId || meeting.layout.grid.includes(source.peerId)
  );
}

/** Whether a site showing `layout` holds a consumer of `source` (one it may receive directly). */
function shownIn(layout: LayoutKind, meeting: PlanMeeting, source: PlanSource): boolean {
  const { chairSiteId, stageSiteId, presenterSiteId } = meeting;
  const content = isContentSource(source.source);
  const presenting = presenterSiteId !== null;
  if (source.source === 'mic') return true; // the chair's voice
  if (layout === 'grid')
    return !content && (source.peerId === chairSiteId || meeting.layout.grid.includes(source.peerId));
  if (source.source === 'screenAudio') return true;
  if (layout === 'content' && presenting) {
    // The content, and the speaker inset: the staged site, else the chair.
    return content || source.peerId === (stageSiteId ?? chairSiteId);
  }
  return !content && (source.peerId === chairSiteId || source.peerId === stageSiteId);
}

export interface ReceivePlan {
  /** Audio producers to consume and play: the chair's microphone (for the other sites), the content's sound, every slot. */
  audio: string[];
  /** Videos this participant may show; each is consumed while a tile on screen shows it. */
  video: ProducerInfo[];
}

/**
 * What `viewer` consumes, given the producers it was told of and the meeting's
 * slots, while it shows `layout` (the chair's choice, or the site's own pin).
 */
export function receivePlan(
  viewer: Receiver,
  meeting: PlanMeeting,
  producers: Iterable<ProducerInfo>,
  slots: readonly AudioSlotInfo[],
  layout: LayoutKind = meeting.layout.kind,
): ReceivePlan {
  const audio: string[] = [];
  const video: ProducerInfo[] = [];
  for (const producer of producers) {
    if (!receivesDirectly(viewer, meeting, producer)) continue;
    if (viewer.role !== 'chair' && !shownIn(layout, meeting, producer)) continue;
    if (producer.kind === 'audio') audio.push(producer.producerId);
    else video.push(producer);
  }
  for (const slot of slots) audio.push(slot.producerId);
  return { audio, video };
}

/** The cameras a participant's screen shows, by site id, with the size each is shown at. */
export type ShownCameras = Map<string, 'thumb' | 'stage'>;

/**
 * What the main stage shows `viewer`: the staged site (the chair when nobody
 * is staged) big, and the chair small in a corner while another site is on
 * stage. Its own picture is never received (the page shows its local preview).
 */
export function stageCameras(
  viewerId: string,
  meeting: Pick<PlanMeeting, 'chairSiteId' | 'stageSiteId'>,
): ShownCameras {
  const shown: ShownCameras = new Map();
  const staged = meeting.stageSiteId ?? meeting.chairSiteId;
  if (staged !== null && staged !== viewerId) shown.set(staged, 'stage');
  const chair = meeting.chairSiteId;
  if (meeting.stageSiteId && chair && chair !== meeting.stageSiteId && chair !== viewerId) shown.set(chair, 'thumb');
  return shown;
}

/** The sites on page `page` of the chair's mosaic (pages of `pageSize`, the last page when past the end). */
export function mosaicPage<T>(sites: readonly T[], page: number, pageSize: number): { shown: T[]; pages: number } {
  const pages = Math.max(1, Math.ceil(sites.length / pageSize));
  const current = Math.min(Math.max(0, page), pages - 1);
  return { shown: sites.slice(current * pageSize, (current + 1) * pageSize), pages };
}
