// What a meeting's room systems share: the adapted pictures (one FFmpeg per
// source picture, sfu/sip/MeetingPictures.ts) and the audio mixes (one per
// group of rooms hearing the same thing, sfu/sip/MeetingMixes.ts). Made with
// the meeting's first SIP leg and kept as long as the meeting lives.
import type { Logger } from 'pino';
import type { MeetingRoom } from '../MeetingRoom.ts';
import { MeetingMixes } from './MeetingMixes.ts';
import { MeetingPictures } from './MeetingPictures.ts';

export interface SipMeetingMedia {
  pictures: MeetingPictures;
  mixes: MeetingMixes;
}

const media = new WeakMap<MeetingRoom, SipMeetingMedia>();

export function sipMeetingMedia(
  meeting: MeetingRoom,
  options: { ffmpegPath: string; videoKbps: number; log: Logger },
): SipMeetingMedia {
  let shared = media.get(meeting);
  if (!shared) {
    shared = {
      pictures: new MeetingPictures(meeting, options.ffmpegPath, options.videoKbps, options.log),
      mixes: new MeetingMixes(meeting, options.ffmpegPath, options.log),
    };
    media.set(meeting, shared);
  }
  return shared;
}

/** What the meeting's room systems share now, if one ever joined (tests, benchmark). */
export function sharedSipMedia(meeting: MeetingRoom): SipMeetingMedia | undefined {
  return media.get(meeting);
}
