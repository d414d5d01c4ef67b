// A recording's timeline (scheduler/recordingFiles.ts recordingTimeline): one JSON
// object per line, appended as the hub's own events happen, each with `ms`, its
// offset from the recording's start. The post-meeting build reads it back to
// know which raw file held the main picture when (hub/recordingBuild/).
import fs from 'node:fs';

/** Which picture or sound a raw file holds. */
export type TrackRole = 'main' | 'inset' | 'slots' | 'chairMic' | 'contentAudio';

export type TimelineEvent =
  | { type: 'started'; at: string; meetingId: string }
  /** A raw file began: what it holds and whose it is. */
  | { type: 'segment'; file: string; role: TrackRole; kind: 'audio' | 'video'; siteId: string | null; source: string }
  /** A raw file ended (its source changed, or the recording stopped). */
  | { type: 'segmentEnd'; file: string }
  /** Who is on the main stage (null: the chair), who presents, who is heard. */
  | { type: 'stage'; siteId: string | null }
  | { type: 'content'; siteId: string | null }
  | { type: 'speakers'; siteIds: string[] }
  | { type: 'stopped'; reason: string };

export type TimelineLine = TimelineEvent & { ms: number };

export class Timeline {
  constructor(
    private readonly file: string,
    private readonly startedAt: number,
  ) {}

  /** Appends one event that happened `at` (now by default); synchronously: a few lines a minute, in order. */
  note(event: TimelineEvent, at = Date.now()): void {
    const line: TimelineLine = { ...event, ms: at - this.startedAt };
    fs.appendFileSync(this.file, `${JSON.stringify(line)}\n`);
  }
}

/** The timeline's events, in order; a torn last line (a crash mid-write) is left out. */
export function readTimeline(file: string): TimelineLine[] {
  if (!fs.existsSync(file)) return [];
  const lines: TimelineLine[] = [];
  for (const text of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!text.trim()) continue;
    try {
      lines.push(JSON.parse(text) as TimelineLine);
    } catch {
      // only the last line can be torn
    }
  }
  return lines;
}
