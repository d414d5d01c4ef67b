// The audio mixes of one meeting's room systems, grouped by what they hear:
// every room that feeds no audio slot hears the same thing (the chair and the
// K slots) and shares one mix per codec; a room that feeds a slot is alone in
// a mix without that slot. A room moves when that changes:
//   it starts feeding a slot  its sound stops at once (before the slot carries
//                             its voice: it never hears itself), and comes
//                             back from its own mix at that mix's first packet
//                             (FFmpeg's start, a few hundred ms of silence while
//                             it speaks);
//   it stops feeding          it keeps hearing its own mix until the shared one
//                             sends (usually running already: no gap).
// A mix with no room left stops.
import type { Logger } from 'pino';
import type { MeetingRoom } from '../MeetingRoom.ts';
import { MixGroup } from './MixGroup.ts';
import type { MixOutlet } from './MixOutlet.ts';

/** A mix whose FFmpeg died is replaced after this long (not in a tight loop if it keeps dying). */
const RESTART_MS = 1000;

export class MeetingMixes {
  private readonly groups = new Map<string, MixGroup>();

  constructor(
    private readonly meeting: MeetingRoom,
    private readonly ffmpegPath: string,
    private readonly log: Logger,
  ) {}

  /** The mixes running now (tests, benchmark). */
  get count(): number {
    return this.groups.size;
  }

  /** The FFmpeg of the mix `outlet` hears, if any. */
  pidOf(outlet: MixOutlet): number | undefined {
    return outlet.group?.pid;
  }

  /** Puts the room in the mix for what it hears: its codec, less the slots it feeds. */
  async place(outlet: MixOutlet, excluded: readonly number[]): Promise<void> {
    const slots = new Set(excluded);
    const key = `${outlet.audio.codec}|${[...slots].sort((a, b) => a - b).join(',')}`;
    if (outlet.wantedKey === key) return;
    outlet.wantedKey = key;
    // A slot it now feeds may carry its voice any moment: silence until its own mix sends.
    if (outlet.group && [...slots].some((slot) => !outlet.group?.excluded.has(slot))) outlet.hear(null);
    const group = this.groupFor(key, outlet, slots);
    group.users.add(outlet);
    try {
      await group.ready;
    } catch {
      return; // stopped or died: whoever replaced it moves the room
    }
    if (outlet.wantedKey !== key) return;
    outlet.hear(group);
    this.prune(outlet);
  }

  /** The room's call ended. */
  leave(outlet: MixOutlet): void {
    outlet.wantedKey = '';
    outlet.hear(null);
    this.prune(outlet);
    outlet.close();
  }

  /** The meeting changed what rooms hear (a new chair microphone, slots re-created): every mix follows. */
  follow(): void {
    for (const group of this.groups.values()) {
      group.follow().catch((err: Error) => this.log.warn({ err: err.message }, 'SIP mix could not follow'));
    }
  }

  private groupFor(key: string, outlet: MixOutlet, excluded: ReadonlySet<number>): MixGroup {
    const running = this.groups.get(key);
    if (running) return running;
    const group: MixGroup = new MixGroup({
      meeting: this.meeting,
      codec: outlet.audio.codec,
      excluded,
      ffmpegPath: this.ffmpegPath,
      log: this.log,
      onDied: (detail) => this.died(key, group, detail),
    });
    this.groups.set(key, group);
    group.start().catch((err: Error) => this.died(key, group, err.message));
    return group;
  }

  /** Its rooms are silent for a moment, then placed in a fresh mix. */
  private died(key: string, group: MixGroup, detail: string): void {
    if (this.groups.get(key) !== group) return;
    this.log.warn({ meetingId: this.meeting.id, key, detail }, 'SIP audio mix died; replaced');
    this.groups.delete(key);
    void group.stop();
    const excluded = [...group.excluded];
    for (const outlet of group.users) {
      if (outlet.group === group) outlet.hear(null);
      if (outlet.wantedKey !== key) continue;
      outlet.wantedKey = '';
      setTimeout(() => {
        if (outlet.wantedKey === '' && !outlet.closed) void this.place(outlet, excluded);
      }, RESTART_MS).unref();
    }
  }

  /** Drops the room from every mix it neither wants nor hears; a mix left without rooms stops. */
  private prune(outlet: MixOutlet): void {
    for (const [key, group] of this.groups) {
      if (key === outlet.wantedKey || group === outlet.group) continue;
      group.users.delete(outlet);
      if (group.users.size > 0) continue;
      this.groups.delete(key);
      void group.stop();
    }
  }
}
