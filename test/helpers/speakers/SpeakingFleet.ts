// Parent side of the speaking bots: forks their processes, deals the bots out,
// makes a bot speak or fall quiet, and collects what each one heard.
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RequestName, RequestPayload, ResponseMap } from '../../../contract/signaling.ts';
import type { SpeakingBotConfig, SpeakingBotReport } from './SpeakingBot.ts';

const BOT_PROCESS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'speakingBotProcess.ts');

export type ToSpeakers =
  | { type: 'start'; bots: SpeakingBotConfig[] }
  | { type: 'speak'; label: string; loud: boolean }
  | { type: 'resetHeard' }
  | { type: 'share'; seq: number; label: string }
  | { type: 'report'; seq: number }
  | { type: 'request'; seq: number; label: string; name: RequestName; payload: unknown }
  | { type: 'finish' };

export type FromSpeakers =
  | { type: 'ready' }
  | { type: 'report'; seq: number; reports: SpeakingBotReport[] }
  | { type: 'answer'; seq: number; ok: boolean; data: unknown; error: string | null };

export class SpeakingFleet {
  private readonly children: ChildProcess[] = [];
  private readonly waiting = new Map<number, { left: number; reports: SpeakingBotReport[]; done: () => void }>();
  private seq = 0;
  private readonly answers = new Map<number, (answer: { ok: boolean; data: unknown; error: string | null }) => void>();
  private readonly homeOf = new Map<string, ChildProcess>();
  private next = 0;

  static async spawn(count: number): Promise<SpeakingFleet> {
    const fleet = new SpeakingFleet();
    await Promise.all(Array.from({ length: count }, () => fleet.fork()));
    return fleet;
  }

  private fork(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = fork(BOT_PROCESS, [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child.on('message', (message: FromSpeakers) => {
        if (message.type === 'ready') {
          this.children.push(child);
          resolve();
          return;
        }
        if (message.type === 'answer') {
          this.answers.get(message.seq)?.(message);
          this.answers.delete(message.seq);
          return;
        }
        const wait = this.waiting.get(message.seq);
        if (!wait) return;
        wait.reports.push(...message.reports);
        if (--wait.left === 0) wait.done();
      });
      child.once('error', reject);
      child.once('exit', (code) => {
        if (!this.children.includes(child)) reject(new Error(`speaking bot process exited with ${code}`));
      });
    });
  }

  /** Starts the bots, dealt round-robin over the processes. */
  start(bots: SpeakingBotConfig[]): void {
    const shares = new Map<ChildProcess, SpeakingBotConfig[]>();
    for (const bot of bots) {
      const child = this.children[this.next++ % this.children.length] as ChildProcess;
      this.homeOf.set(bot.label, child);
      shares.set(child, [...(shares.get(child) ?? []), bot]);
    }
    for (const [child, share] of shares) child.send({ type: 'start', bots: share } satisfies ToSpeakers);
  }

  speak(label: string, loud: boolean): void {
    this.homeOf.get(label)?.send({ type: 'speak', label, loud } satisfies ToSpeakers);
  }

  /** Bot `label` sends a signaling request (a chair's action); resolves with its answer, rejects on refusal. */
  request<N extends RequestName>(label: string, name: N, payload: RequestPayload<N>): Promise<ResponseMap[N]> {
    const child = this.homeOf.get(label);
    if (!child) return Promise.reject(new Error(`no bot ${label}`));
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.answers.set(seq, ({ ok, data, error }) =>
        ok ? resolve(data as ResponseMap[N]) : reject(new Error(error ?? 'refused')),
      );
      child.send({ type: 'request', seq, label, name, payload } satisfies ToSpeakers);
    });
  }

  /** Bot `label` starts sharing content (the chair allowed it to present); resolves once the hub took it. */
  share(label: string): Promise<void> {
    const child = this.homeOf.get(label);
    if (!child) return Promise.reject(new Error(`no bot ${label}`));
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.answers.set(seq, ({ ok, error }) => (ok ? resolve() : reject(new Error(error ?? 'refused'))));
      child.send({ type: 'share', seq, label } satisfies ToSpeakers);
    });
  }

  resetHeard(): void {
    for (const child of this.children) child.send({ type: 'resetHeard' } satisfies ToSpeakers);
  }

  /** Every bot's report, by label. */
  async reports(): Promise<Map<string, SpeakingBotReport>> {
    const seq = ++this.seq;
    const reports: SpeakingBotReport[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('speaking bots did not report')), 15_000);
      this.waiting.set(seq, {
        left: this.children.length,
        reports,
        done: () => {
          clearTimeout(timer);
          resolve();
        },
      });
      for (const child of this.children) child.send({ type: 'report', seq } satisfies ToSpeakers);
    });
    this.waiting.delete(seq);
    return new Map(reports.map((r) => [r.label, r]));
  }

  /** Waits until `labels` all joined (or one failed, or the time is up); answers the reports. */
  async joined(labels: string[], timeoutMs: number): Promise<Map<string, SpeakingBotReport>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reports = await this.reports();
      const states = labels.map((l) => reports.get(l));
      if (states.every((r) => r?.joined) || states.some((r) => r?.error) || Date.now() > deadline) return reports;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  finish(): void {
    for (const child of this.children) if (child.connected) child.send({ type: 'finish' } satisfies ToSpeakers);
  }

  kill(): void {
    for (const child of this.children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}
