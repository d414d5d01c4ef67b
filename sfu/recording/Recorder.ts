// One recording of a running meeting: it keeps a capture (an FFmpeg process,
// sfu/recording/Capture.ts) per track that matters — the audio slots for the
// whole recording, and the main picture, its inset, the chair's microphone and
// the content's sound for as long as each has the same source. Each source
// change ends that track's raw file and starts a new one (a new segment). It
// looks at the meeting a few times a second and writes what changed to the
// timeline, so the recording follows the meeting without the meeting's parts
// knowing about it.
import fs from 'node:fs';
import path from 'node:path';
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import type { RecordingFault } from '../../contract/liveRecording.ts';
import { recordingRawDir, recordingTimeline } from '../../scheduler/recordingFiles.ts';
import { SerialQueue } from '../SerialQueue.ts';
import { Capture, type CaptureEnd } from './Capture.ts';
import { type MeetingView, type PictureRole, pictureOf, type TrackSource } from './Picture.ts';
import { Timeline, type TrackRole } from './Timeline.ts';

/** How often the recorder compares what it records with what the meeting shows. */
const LOOK_MS = 250;
/** Longest an old picture is kept waiting for the new one's first frame. */
const RETIRE_MAX_MS = 5000;

export interface RecorderOptions {
  recordingId: string;
  meetingId: string;
  /** Epoch ms the recording started at: the raw files' timestamps and the timeline count from it. */
  startedAt: number;
  recordingsDir: string;
  ffmpegPath: string;
  log: Logger;
  view(): MeetingView;
  /** Who feeds the audio slots now (the speakers heard). */
  speakers(): string[];
  slotProducerIds(): string[];
  homeRouter(): Promise<types.Router>;
  /** Makes a site's producer consumable on the home router (piped from its worker). */
  toHome(source: TrackSource): Promise<void>;
  /** A capture ended by itself: the recording must stop (what was written stays). */
  onFault(fault: RecordingFault, detail: string): void;
}

export interface RunningCapture {
  role: TrackRole;
  file: string;
  pid: number | null;
}

interface Running {
  capture: Capture;
  file: string;
  /** What it records: the producer (or the slots' producers) it consumes. */
  key: string;
}

export class Recorder {
  private readonly running = new Map<TrackRole, Running>();
  /** Old pictures still recorded until their successors show something. */
  private readonly retiring = new Set<Running>();
  private readonly queue = new SerialQueue();
  private readonly timeline: Timeline;
  private readonly rawDir: string;
  private ticker?: NodeJS.Timeout;
  private segments = 0;
  private stopped = false;
  private faulted = false;
  private noted: { stage?: string | null; content?: string | null; speakers?: string } = {};

  constructor(private readonly options: RecorderOptions) {
    this.rawDir = recordingRawDir(options.recordingsDir, options.recordingId);
    this.timeline = new Timeline(recordingTimeline(options.recordingsDir, options.recordingId), options.startedAt);
  }

  /** The captures running now: what each records, its file and its FFmpeg process (benchmark, fault tests). */
  captures(): RunningCapture[] {
    return [...this.running.entries()].map(([role, r]) => ({ role, file: r.file, pid: r.capture.pid ?? null }));
  }

  async start(): Promise<void> {
    fs.mkdirSync(this.rawDir, { recursive: true });
    this.timeline.note({
      type: 'started',
      at: new Date(this.options.startedAt).toISOString(),
      meetingId: this.options.meetingId,
    });
    await this.look();
    this.ticker = setInterval(() => void this.look(), LOOK_MS);
    this.ticker.unref();
  }

  /** Ends every capture so that its file is complete, and closes the timeline. */
  /** The recording ends `at` (now by default), however long FFmpeg then takes to finish its files. */
  stop(reason: string, at = Date.now()): Promise<void> {
    this.stopped = true;
    clearInterval(this.ticker);
    return this.queue.run(async () => {
      const ending = [...this.running.values(), ...this.retiring];
      this.running.clear();
      this.retiring.clear();
      await Promise.all(ending.map((running) => this.end(running, at)));
      this.timeline.note({ type: 'stopped', reason }, at);
    });
  }

  private look(): Promise<void> {
    return this.queue.run(async () => {
      if (this.stopped) return;
      const view = this.options.view();
      this.noteChanges(view);
      const picture = pictureOf(view);
      const slots = this.options.slotProducerIds();
      await this.keep('slots', slots.length > 0 ? slots : undefined, 'audio', null, 'slots');
      for (const role of ['main', 'inset', 'chairMic', 'contentAudio'] as const satisfies PictureRole[]) {
        const source = picture[role];
        const kind = role === 'main' || role === 'inset' ? 'video' : 'audio';
        await this.keep(role, source ? [source.producerId] : undefined, kind, source ?? null, source?.source ?? '');
      }
    });
  }

  private noteChanges(view: MeetingView): void {
    if (this.noted.stage !== view.stageSiteId) {
      this.noted.stage = view.stageSiteId;
      this.timeline.note({ type: 'stage', siteId: view.stageSiteId });
    }
    const presenting =
      view.presenterSiteId && view.producerOf(view.presenterSiteId, 'screen') ? view.presenterSiteId : null;
    if (this.noted.content !== presenting) {
      this.noted.content = presenting;
      this.timeline.note({ type: 'content', siteId: presenting });
    }
    const speakers = this.options.speakers();
    if (this.noted.speakers !== speakers.join(',')) {
      this.noted.speakers = speakers.join(',');
      this.timeline.note({ type: 'speakers', siteIds: speakers });
    }
  }

  /** Makes `role` record `producerIds` (nothing when undefined), starting a new segment if that changed. */
  private async keep(
    role: TrackRole,
    producerIds: string[] | undefined,
    kind: types.MediaKind,
    owner: TrackSource | null,
    source: string,
  ): Promise<void> {
    const key = producerIds?.join(',');
    const current = this.running.get(role);
    if (current?.key === key) return;
    // Make before break: a new picture replaces the old one once it shows something.
    const next = producerIds && key ? await this.open(role, producerIds, key, kind, owner, source) : undefined;
    if (next) this.running.set(role, next);
    else this.running.delete(role);
    if (!current) return;
    if (next && kind === 'video') this.retireWhenShown(current, next);
    else await this.end(current);
  }

  private async open(
    role: TrackRole,
    producerIds: string[],
    key: string,
    kind: types.MediaKind,
    owner: TrackSource | null,
    source: string,
  ): Promise<Running | undefined> {
    const file = path.join(this.rawDir, `${role}-${++this.segments}.mkv`);
    try {
      if (owner) await this.options.toHome(owner);
      const capture = await Capture.start({
        router: await this.options.homeRouter(),
        kind,
        producerIds,
        file,
        startedAt: this.options.startedAt,
        ffmpegPath: this.options.ffmpegPath,
        log: this.options.log,
        onEnd: (end, detail) => this.ended(role, capture, end, detail),
      });
      this.timeline.note({
        type: 'segment',
        file: path.basename(file),
        role,
        kind,
        siteId: owner?.siteId ?? null,
        source,
      });
      return { capture, file, key };
    } catch (err) {
      // The source went away while the capture was set up: the next look tries what is there then.
      this.options.log.warn(
        { meetingId: this.options.meetingId, role, err: (err as Error).message },
        'could not start recording a track',
      );
      return undefined;
    }
  }

  /** The old picture stays until the new one's first frame (a key frame can take a moment), at most a few seconds. */
  private retireWhenShown(old: Running, next: Running): void {
    this.retiring.add(old);
    const shown = new Promise((resolve) => setTimeout(resolve, RETIRE_MAX_MS).unref());
    void Promise.race([next.capture.firstFrame, shown]).then(() => {
      if (this.retiring.delete(old)) void this.end(old);
    });
  }

  /** Ends a segment: it stopped being shown `at` (now by default). */
  private async end(running: Running, at = Date.now()): Promise<void> {
    this.timeline.note({ type: 'segmentEnd', file: path.basename(running.file) }, at);
    await running.capture.stop();
  }

  private ended(role: TrackRole, capture: Capture, end: CaptureEnd, detail: string): void {
    if (end === 'stopped' || this.faulted) return;
    const running = this.running.get(role);
    if (running?.capture === capture) {
      this.running.delete(role);
      this.timeline.note({ type: 'segmentEnd', file: path.basename(running.file) });
    }
    this.faulted = true;
    this.options.onFault(end === 'disk_full' ? 'disk_full' : 'recorder_died', detail);
  }
}
