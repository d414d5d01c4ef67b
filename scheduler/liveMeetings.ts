// The SFU's live decisions about a meeting (contract/liveState.ts), kept with the
// meeting so they survive a hub restart. Ending the meeting in the schedule
// (status, audit with the user, live event, and the SFU closing the media)
// is POST /meetings/:id/end.
import type { Logger } from 'pino';
import { MEETING_MODES } from '../contract/enums.ts';
import { DEFAULT_LAYOUT } from '../contract/layout.ts';
import { type LiveState, parseLiveState } from '../contract/liveState.ts';
import type { Db } from './db.ts';

export class LiveMeetings {
  /** Writes per meeting, in order: a later state never lands before an earlier one. */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  /** What the chair decided before, or null; an ended meeting reads as ended even without a stored state. */
  async load(meetingId: string): Promise<LiveState | null> {
    const row = await this.db.meeting
      .findUnique({ where: { id: meetingId }, select: { liveState: true, status: true, mode: true } })
      .catch((err: Error) => {
        // Storage trouble must not keep sites out of a meeting: it opens fresh.
        this.log.error({ meetingId, err: err.message }, 'could not read the meeting’s live state');
        return null;
      });
    if (!row) return null;
    const state = parseLiveState(row.liveState);
    if (row.status !== 'ended') return state;
    const mode = MEETING_MODES.find((m) => m === row.mode) ?? 'conference';
    const fresh = { mode, locked: false, floor: [], muted: [], muteNewSites: false, removed: [], admitted: [] };
    return { ...(state ?? { ...fresh, presenter: null, layout: DEFAULT_LAYOUT, chatOff: false }), ended: true };
  }

  /** Stores the state; never throws (a failed write is logged, the meeting goes on). */
  save(meetingId: string, state: LiveState): Promise<void> {
    const previous = this.writes.get(meetingId) ?? Promise.resolve();
    const next = previous.then(() => this.write(meetingId, state));
    this.writes.set(meetingId, next);
    void next.finally(() => {
      if (this.writes.get(meetingId) === next) this.writes.delete(meetingId);
    });
    return next;
  }

  private async write(meetingId: string, state: LiveState): Promise<void> {
    try {
      // updateMany: meetings signed outside the scheduler (tests, benchmarks) have no row.
      await this.db.meeting.updateMany({ where: { id: meetingId }, data: { liveState: JSON.stringify(state) } });
    } catch (err) {
      this.log.error({ meetingId, err: (err as Error).message }, 'could not store the meeting’s live state');
    }
  }
}
