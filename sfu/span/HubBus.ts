// Requests and notices between the hubs of one deployment, carried by
// socket.io's Redis adapter (`serverSideEmit`): every hub hears every message
// and keeps those addressed to it. A request waits for its hub's answer; a
// notice is sent and forgotten. Messages from one hub arrive in the order it
// sent them (one Redis channel), which the meeting's replicas rely on.
import type { Server } from 'socket.io';

/** The server-side event every span message travels as. */
const EVENT = 'diemcau:span';
/** Answered by the bus itself: whether a hub is there to answer. */
const PING = 'ping';

export interface SpanEnvelope {
  to: string;
  from: string;
  meetingId: string;
  type: string;
  body: unknown;
}

type Answer = { ok: unknown } | { error: string } | null;

export type SpanHandler = (message: SpanEnvelope) => Promise<unknown>;

export class HubBus {
  constructor(
    private readonly io: Server,
    readonly hubId: string,
  ) {}

  /** Handles the messages addressed to this hub; a request's answer is the handler's result. */
  listen(handler: SpanHandler): void {
    this.io.on(EVENT, (message: SpanEnvelope, ack?: (answer: Answer) => void) => {
      if (message.to !== this.hubId) {
        ack?.(null); // the sender waits for every hub's answer: say it was not ours
        return;
      }
      if (message.type === PING) {
        ack?.({ ok: true });
        return;
      }
      // A handler that throws at once answers with its error like one that rejects.
      Promise.resolve()
        .then(() => handler(message))
        .then(
          (ok) => ack?.({ ok: ok ?? null }),
          (err: Error) => ack?.({ error: err.message }),
        );
    });
  }

  /** Asks hub `to` and waits for its answer; throws its error, or when it does not answer in time. */
  async request<T>(to: string, meetingId: string, type: string, body: unknown): Promise<T> {
    const message: SpanEnvelope = { to, from: this.hubId, meetingId, type, body };
    // Waits for every hub's answer, within the Redis adapter's request timeout (5 s).
    const answers: Answer[] = await this.io.serverSideEmitWithAck(EVENT, message);
    const answer = answers.find((a) => a !== null);
    if (!answer) throw new Error(`hub ${to} did not answer ${type} for meeting ${meetingId}`);
    if ('error' in answer) throw new Error(`hub ${to}: ${answer.error}`);
    return answer.ok as T;
  }

  /**
   * Whether hub `to` answers now. A hub whose process died is off at once
   * (Redis drops its subscriptions with its connection, and the request waits
   * only for the hubs subscribed); one that hangs is off after the adapter's 5 s.
   */
  async answers(to: string): Promise<boolean> {
    try {
      await this.request(to, '', PING, null);
      return true;
    } catch {
      return false;
    }
  }

  /** Tells hub `to` something; nothing comes back. */
  tell(to: string, meetingId: string, type: string, body: unknown): void {
    const message: SpanEnvelope = { to, from: this.hubId, meetingId, type, body };
    this.io.serverSideEmit(EVENT, message);
  }
}
