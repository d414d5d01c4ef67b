// What a recording keeps of the meeting at one moment: the main picture as the
// sites see it (the staged site's camera, the chair's when nobody is staged,
// or the presented content with that camera as an inset), the chair's
// microphone and the content's sound. The audio slots (everyone else heard)
// are recorded for the whole recording and are not part of this.
import type { MediaSource } from '../../contract/signaling.ts';
import type { TrackRole } from './Timeline.ts';

export interface TrackSource {
  producerId: string;
  siteId: string;
  source: MediaSource;
}

/** The meeting as a recording needs it (sfu/MeetingRoom.ts supplies it). */
export interface MeetingView {
  chairSiteId: string | null;
  stageSiteId: string | null;
  presenterSiteId: string | null;
  /** The open producer of `source` of a connected site, if it has one. */
  producerOf(siteId: string, source: MediaSource): string | undefined;
}

export type PictureRole = Exclude<TrackRole, 'slots'>;

export type Picture = Partial<Record<PictureRole, TrackSource>>;

function track(view: MeetingView, siteId: string | null, source: MediaSource): TrackSource | undefined {
  if (siteId === null) return undefined;
  const producerId = view.producerOf(siteId, source);
  return producerId ? { producerId, siteId, source } : undefined;
}

export function pictureOf(view: MeetingView): Picture {
  const staged = view.stageSiteId ?? view.chairSiteId;
  const camera = track(view, staged, 'camera');
  const content = track(view, view.presenterSiteId, 'screen');
  return {
    main: content ?? camera,
    inset: content ? camera : undefined,
    chairMic: track(view, view.chairSiteId, 'mic'),
    contentAudio: track(view, view.presenterSiteId, 'screenAudio'),
  };
}
