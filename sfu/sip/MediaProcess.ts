// One supervised FFmpeg process of a SIP leg: started with its arguments,
// its last words kept, its death reported (the leg decides what follows),
// stopped on demand, and killed by the kernel if the hub dies first
// (sfu/sip/parentBound.ts).
import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { boundToParent } from './parentBound.ts';

export interface MediaProcessOptions {
  ffmpegPath: string;
  args: string[];
  /** Extra pipes FFmpeg writes to (fd 3, 4, …): one readable per entry, in order. */
  extraPipes?: number;
  /** FFmpeg exited although nobody stopped it; `detail` is the end of its log. */
  onDied(detail: string): void;
}

export class MediaProcess {
  private readonly child: ChildProcess;
  private stopping = false;
  private stderrTail = '';
  private readonly exited: Promise<void>;

  constructor(private readonly options: MediaProcessOptions) {
    const extra = Array.from({ length: options.extraPipes ?? 0 }, () => 'pipe' as const);
    const [command, args] = boundToParent(options.ffmpegPath, options.args);
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe', ...extra] });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
    });
    // Writes after FFmpeg died are dropped; its death is reported below.
    this.child.stdin?.on('error', () => {});
    this.exited = new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.once('error', (err) => {
        this.stderrTail += err.message;
        resolve();
      });
    });
    void this.exited.then(() => {
      if (!this.stopping) this.options.onDied(this.detail());
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** FFmpeg's standard output (pipe:1). */
  get stdout(): Readable {
    return this.child.stdout as Readable;
  }

  /** The extra pipe `index` (0 is fd 3). */
  pipe(index: number): Readable {
    return this.child.stdio[3 + index] as Readable;
  }

  /** The end of FFmpeg's log, for the hub's log. */
  detail(): string {
    return this.stderrTail.trim().split('\n').slice(-3).join(' | ');
  }

  /**
   * Ends FFmpeg at once: it writes only RTP, nothing to finish (unlike the
   * recorder's files), and one waiting on an input that went quiet ignores
   * SIGTERM for as long as it stays quiet.
   */
  async stop(): Promise<void> {
    if (this.stopping) return this.exited;
    this.stopping = true;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
