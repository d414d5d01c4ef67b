// Whether a meeting is being recorded, and the one door to change it: the
// chair starts and stops it (sfu/signaling.ts), the hub starts it at the
// meeting's start time when the secretariat asked for that (Meeting.autoRecord),
// and stops it when the meeting ends, everyone leaves, the hub stops or the
// recorder fails. Starts and stops run one at a time, so two starts at once
// make one recording. The rows and the audit trail are the scheduler's
// (RecordingStore); the files are the Recorder's.
import type { Logger } from 'pino';
import type { ChairActor } from '../../contract/chairActions.ts';
import {
  type LiveRecording,
  RECORDING_FAULTS,
  type RecordingFault,
  type StopReason,
} from '../../contract/liveRecording.ts';
import { SerialQueue } from '../SerialQueue.ts';
import { SignalingError } from '../SignalingError.ts';
import { Recorder, type RecorderOptions, type RunningCapture } from './Recorder.ts';

/** The scheduler's side of recordings (scheduler/recordingStatus.ts through the hub). */
export interface RecordingStore {
  /** Creates the recording's row (status recording) and its audit entry; its id names its folder. */
  started(meetingId: string, by: ChairActor | null, at: Date): Promise<string>;
  /** Capture ended: the row goes to building (audit entry), and its MP4 is built. */
  stopped(recordingId: string, reason: StopReason, by: ChairActor | null, at: Date): Promise<void>;
  /** When the hub should start recording by itself (the meeting's start time), or null. */
  autoRecordAt(meetingId: string): Promise<Date | null>;
}

/** What every meeting of the hub records with. */
export interface RecordingSetup {
  store: RecordingStore;
  recordingsDir: string;
  ffmpegPath: string;
}

/** The meeting as its recorder sees it (sfu/MeetingRoom.ts wires it). */
export type RecordedMeeting = Pick<RecorderOptions, 'view' | 'speakers' | 'slotProducerIds' | 'homeRouter' | 'toHome'>;

export interface MeetingRecordingOptions {
  meetingId: string;
  setup: RecordingSetup | undefined;
  meeting: RecordedMeeting;
  log: Logger;
  /** The recording started or stopped: every site is told (meetingUpdated). */
  announce(): void;
  /** The chair is told why the recording stopped by itself. */
  tellChair(fault: RecordingFault): void;
}

export class MeetingRecording {
  private current: { recorder: Recorder; live: LiveRecording } | null = null;
  private readonly queue = new SerialQueue();
  private autoTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: MeetingRecordingOptions) {}

  /** On an edge hub (sfu/span/): the recording its home hub makes, which this hub's sites are shown. */
  private followed: LiveRecording | null = null;

  /** The recording running now, as every site sees it. */
  state(): LiveRecording | null {
    return this.current?.live ?? this.followed;
  }

  /** An edge hub shows its sites the home's recording (null: none, or this hub becomes home). */
  follow(live: LiveRecording | null): void {
    this.followed = live;
  }

  /** The captures of the running recording (their files and FFmpeg processes). */
  captures(): RunningCapture[] {
    return this.current?.recorder.captures() ?? [];
  }

  /** The chair (`by`) or the hub (null) starts recording. */
  start(by: ChairActor | null): Promise<LiveRecording> {
    return this.queue.run(async () => {
      if (this.current) throw new SignalingError('RECORDING_ALREADY');
      const { setup, meetingId, log } = this.options;
      if (!setup || this.closed) throw new SignalingError('RECORDING_FAILED');
      const startedAt = new Date();
      const recordingId = await setup.store.started(meetingId, by, startedAt);
      const recorder = new Recorder({
        ...this.options.meeting,
        recordingId,
        meetingId,
        startedAt: startedAt.getTime(),
        recordingsDir: setup.recordingsDir,
        ffmpegPath: setup.ffmpegPath,
        log,
        onFault: (fault) => this.fault(fault),
      });
      try {
        await recorder.start();
      } catch (err) {
        log.error({ meetingId, recordingId, err: (err as Error).message }, 'could not start recording');
        await recorder.stop('recorder_died');
        await setup.store.stopped(recordingId, 'recorder_died', null, new Date());
        throw new SignalingError('RECORDING_FAILED');
      }
      const live = { recordingId, startedAt: startedAt.toISOString() };
      this.current = { recorder, live };
      log.info({ meetingId, recordingId, by: by?.userId ?? 'hub' }, 'recording started');
      this.options.announce();
      return live;
    });
  }

  /** The chair stops the recording. */
  async stop(by: ChairActor): Promise<void> {
    if (!(await this.stopIfRunning('chair', by))) throw new SignalingError('RECORDING_NOT_RUNNING');
  }

  /** Stops the recording if one runs; false when none did. */
  stopIfRunning(reason: StopReason, by: ChairActor | null = null): Promise<boolean> {
    return this.queue.run(async () => {
      const current = this.current;
      if (!current) return false;
      this.current = null;
      // The row's stop time is the timeline's: the moment it was asked, not when FFmpeg finished its files.
      const at = new Date();
      if (!this.closed) this.options.announce();
      await current.recorder.stop(reason, at.getTime());
      const { meetingId, log, setup } = this.options;
      log.info({ meetingId, recordingId: current.live.recordingId, reason }, 'recording stopped');
      await setup?.store.stopped(current.live.recordingId, reason, by, at);
      return true;
    });
  }

  /** Starts recording at the meeting's start time if the secretariat asked for it. */
  async scheduleAuto(): Promise<void> {
    const at = await this.options.setup?.store.autoRecordAt(this.options.meetingId);
    if (!at || this.closed) return;
    this.autoTimer = setTimeout(
      () => {
        this.start(null).catch((err: Error) => {
          this.options.log.warn(
            { meetingId: this.options.meetingId, err: err.message },
            'automatic recording did not start',
          );
        });
      },
      Math.max(0, at.getTime() - Date.now()),
    );
    this.autoTimer.unref();
  }

  private fault(fault: RecordingFault): void {
    this.options.tellChair(fault);
    void this.stopIfRunning(fault).catch((err: Error) => {
      this.options.log.error(
        { meetingId: this.options.meetingId, err: err.message },
        'could not stop a failed recording',
      );
    });
  }

  /** The meeting closes: a running recording stops for `reason`. */
  close(reason: StopReason): Promise<boolean> {
    this.closed = true;
    clearTimeout(this.autoTimer);
    return this.stopIfRunning(reason);
  }
}

/** The chair's words for a recording that stopped by itself. */
export function faultMessage(fault: RecordingFault): { reason: RecordingFault; message: string; messageEn: string } {
  const [message, messageEn] = RECORDING_FAULTS[fault];
  return { reason: fault, message, messageEn };
}
