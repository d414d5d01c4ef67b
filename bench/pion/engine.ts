// Node's side of the Go media engine (engine/*.go): spawns the binary and
// speaks its line protocol (engine/protocol.go) — commands in, events out.
import { type ChildProcess, spawn } from 'node:child_process';
import readline from 'node:readline';
import type { DtlsFingerprint, IceCandidate, IceParameters } from 'mediasoup-client/types';
import type { VideoLayer } from './types.ts';

export type EngineCommand =
  | {
      op: 'connect';
      transport: string;
      ice: IceParameters;
      candidates: IceCandidate[];
      fingerprints: DtlsFingerprint[];
    }
  | { op: 'close'; transport: string }
  | {
      op: 'send';
      transport: string;
      stream: string;
      kind: 'audio';
      payloadType: number;
      ssrc: number;
      audioLevelId: number;
      level: number;
    }
  | {
      op: 'send';
      transport: string;
      stream: string;
      kind: 'video';
      payloadType: number;
      layers: (VideoLayer & { ssrc: number })[];
      keyFrameEverySec: number;
    }
  | { op: 'pause'; stream: string; paused: boolean }
  | { op: 'maxLayer'; stream: string; layer: number }
  | { op: 'level'; stream: string; level: number }
  | { op: 'receive'; transport: string; receiver: string; ssrc: number }
  | { op: 'stats'; seq: number }
  | { op: 'exit' };

/** Per stream: [sent, bytes, skipped, keyRequests]; per receiver: [packets, bytes, expected, duplicates]. */
export interface EngineStats {
  streams: Record<string, [number, number, number, number]>;
  receivers: Record<string, [number, number, number, number]>;
  goroutines: number;
  /** Packets of SSRCs no receiver was opened for, and packets failing SRTP authentication. */
  unknownPackets: number;
  decryptErrors: number;
}

type EngineEvent =
  | { event: 'ready'; pid: number; fingerprints: DtlsFingerprint[] }
  | { event: 'state'; transport: string; state: 'connected' | 'failed'; error?: string }
  | { event: 'receiving'; receiver: string }
  | { event: 'first'; receiver: string }
  | ({ event: 'stats'; seq: number } & EngineStats)
  | { event: 'error'; message: string; transport?: string }
  | { event: 'fatal'; message: string };

export interface EngineListener {
  onTransportState(transportId: string, state: 'connected' | 'failed', error?: string): void;
  /** The engine counts the receiver's SSRC from now on: resume the consumer. */
  onReceiving(receiverId: string): void;
  onFirstPacket(receiverId: string): void;
  onError(message: string, transportId?: string): void;
  /** The engine process ended without being asked to. */
  onExit(code: number | null, signal: string | null): void;
}

export class Engine {
  private seq = 0;
  private readonly waiting = new Map<number, (s: EngineStats) => void>();
  private exited: Promise<void>;
  private stopping = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
    /** The DTLS certificate every transport of this engine presents. */
    readonly fingerprints: DtlsFingerprint[],
    lines: readline.Interface,
    listener: EngineListener,
  ) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        if (!this.stopping) listener.onExit(code, signal);
        resolve();
      }),
    );
    lines.on('line', (line) => this.onLine(line, listener));
  }

  /** Starts the binary and waits for its ready event. */
  static start(binary: string, listener: EngineListener, env: NodeJS.ProcessEnv = {}): Promise<Engine> {
    const child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`Pion engine exited with ${code} before it was ready`));
      child.once('error', reject);
      child.once('exit', onExit);
      lines.once('line', (line) => {
        child.off('exit', onExit);
        const ready = JSON.parse(line) as EngineEvent;
        if (ready.event !== 'ready') {
          reject(new Error(`Pion engine did not start: ${line}`));
          return;
        }
        resolve(new Engine(child, ready.pid, ready.fingerprints, lines, listener));
      });
    });
  }

  private onLine(line: string, listener: EngineListener): void {
    if (process.env.PION_DEBUG && !line.startsWith('{"event":"stats"'))
      console.error(`[pion engine ${this.pid}] ${line}`);
    const e = JSON.parse(line) as EngineEvent;
    switch (e.event) {
      case 'state':
        listener.onTransportState(e.transport, e.state, e.error);
        break;
      case 'receiving':
        listener.onReceiving(e.receiver);
        break;
      case 'first':
        listener.onFirstPacket(e.receiver);
        break;
      case 'stats': {
        const { event: _, seq, ...stats } = e;
        this.waiting.get(seq)?.(stats);
        this.waiting.delete(seq);
        break;
      }
      case 'error':
      case 'fatal':
        listener.onError(e.message, e.event === 'error' ? e.transport : undefined);
        break;
    }
  }

  send(command: EngineCommand): void {
    if (process.env.PION_DEBUG && command.op !== 'stats')
      console.error(`[pion engine ${this.pid}] < ${JSON.stringify(command)}`);
    if (this.child.stdin?.writable) this.child.stdin.write(`${JSON.stringify(command)}\n`);
  }

  stats(timeoutMs = 10_000): Promise<EngineStats> {
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(seq);
        reject(new Error(`Pion engine ${this.pid} did not answer stats`));
      }, timeoutMs);
      this.waiting.set(seq, (s) => {
        clearTimeout(timer);
        resolve(s);
      });
      this.send({ op: 'stats', seq });
    });
  }

  /** Asks the engine to close everything and leave; kills it if it has not within `timeoutMs`. */
  async stop(timeoutMs = 3000): Promise<void> {
    this.stopping = true;
    this.send({ op: 'exit' });
    this.child.stdin?.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  kill(): void {
    this.stopping = true;
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
