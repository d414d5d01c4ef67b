// The adapted pictures of one meeting's room systems: one FFmpeg adapter
// (sfu/sip/PictureAdapter.ts) per source picture that some room shows and
// cannot take as it is — however many rooms show it. The first room that
// needs a picture starts its adapter; it stops when the last room leaves it
// (shows something else, or its call ends). Every adapter makes the same
// H.264 profile (constrained baseline, ADAPTED_PROFILE), so the source alone
// tells adapters apart.
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import type { MeetingRoom } from '../MeetingRoom.ts';
import type { ProducerAppData } from '../Peer.ts';
import { PictureAdapter } from './PictureAdapter.ts';

/** A dead adapter's legs ask again after this long (not in a tight loop if FFmpeg keeps failing). */
const RESTART_MS = 1000;

interface Shared {
  adapter?: PictureAdapter;
  started: Promise<void>;
  /** The legs showing it (their site ids). */
  users: Set<string>;
  /** Told when the adapter died: they ask again and get a fresh one. */
  lost: Set<() => void>;
  /** The worker it runs on (its source's). */
  workerIndex: number;
}

export class MeetingPictures {
  private readonly shared = new Map<string, Shared>();

  constructor(
    private readonly meeting: MeetingRoom,
    private readonly ffmpegPath: string,
    private readonly kbps: number,
    private readonly log: Logger,
  ) {}

  /** The adapters running now (tests, benchmark). */
  get count(): number {
    return this.shared.size;
  }

  pidOf(sourceId: string): number | undefined {
    return this.shared.get(sourceId)?.adapter?.pid;
  }

  /**
   * The adapted picture of `source` for leg `userId`, started if nobody shows it yet;
   * `onLost` runs if its FFmpeg dies. Resolves with its producer and the worker it lives on.
   */
  async acquire(
    source: types.Producer<ProducerAppData>,
    userId: string,
    onLost: () => void,
  ): Promise<{ adapter: PictureAdapter; producer: types.Producer; workerIndex: number }> {
    let entry = this.shared.get(source.id);
    if (!entry) entry = this.start(source);
    entry.users.add(userId);
    entry.lost.add(onLost);
    await entry.started;
    const { adapter, workerIndex } = entry;
    if (!adapter?.producer || adapter.producer.closed) throw new Error('the adapted picture is gone');
    return { adapter, producer: adapter.producer, workerIndex };
  }

  /** Leg `userId` no longer shows `sourceId`; the adapter stops with its last leg. */
  release(sourceId: string, userId: string, onLost: () => void): void {
    const entry = this.shared.get(sourceId);
    // Not its user (the one it held died and was replaced): nothing to let go.
    if (!entry?.users.has(userId)) return;
    entry.users.delete(userId);
    entry.lost.delete(onLost);
    if (entry.users.size > 0) return;
    this.shared.delete(sourceId);
    void entry.adapter?.stop();
  }

  private start(source: types.Producer<ProducerAppData>): Shared {
    const owner = this.meeting.sites.get(source.appData.peerId);
    const workerIndex = owner?.workerIndex ?? this.meeting.planes.homeIndex;
    const entry: Shared = {
      started: Promise.resolve(),
      users: new Set(),
      lost: new Set(),
      workerIndex,
    };
    entry.started = (async () => {
      const router = owner ? (await this.meeting.planes.of(owner)).router : await this.meeting.planes.homeRouter();
      entry.adapter = new PictureAdapter({
        router,
        source,
        ffmpegPath: this.ffmpegPath,
        kbps: this.kbps,
        onDied: (detail) => this.died(source.id, entry, detail),
      });
      await entry.adapter.start();
    })();
    this.shared.set(source.id, entry);
    entry.started.catch((err: Error) => this.died(source.id, entry, err.message));
    return entry;
  }

  private died(sourceId: string, entry: Shared, detail: string): void {
    if (this.shared.get(sourceId) !== entry) return;
    this.log.warn({ meetingId: this.meeting.id, sourceId, detail }, 'SIP picture adapter died');
    this.shared.delete(sourceId);
    void entry.adapter?.stop();
    setTimeout(() => {
      for (const onLost of entry.lost) onLost();
    }, RESTART_MS).unref();
  }
}
