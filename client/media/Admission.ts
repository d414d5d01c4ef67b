// Getting into the meeting: the first connection to the hub, a fresh token for
// every join, the join request (naming the transports kept from before a drop,
// so the hub may hand their media back), a hub of several pointing the page at
// another hub (MOVE_TO_HUB: reconnect there and ask again, back to the page's
// own address if that hub stays out of reach), and what a refusal means.
// MeetingConnection takes the admitted result from here.
import type { ErrorBody } from '../../contract/errors.ts';
import type { HubRedirect } from '../../contract/hubRedirect.ts';
import type { JoinResult } from '../../contract/signaling.ts';
import { isFinalRefusal, redirectOf } from './joinRefusals.ts';
import type { ConnectionState } from './Recovery.ts';
import { type SignalingChannel, SignalingFailure, type SignalingSocket } from './SignalingChannel.ts';

/** Moves to another hub (MOVE_TO_HUB) one join may make before the refusal is shown: no endless loop. */
const MAX_MOVES = 3;

export interface AdmissionHost {
  signaling: SignalingChannel;
  /** Fetches a fresh join token. */
  getToken(): Promise<string>;
  /** The transports kept from before a drop (their ids), whose media the hub may hand back. */
  keptTransports(): string[];
  /** Routes the hub's events from a socket just opened. */
  route(socket: SignalingSocket): void;
  setState(state: ConnectionState): void;
  /** Shows the error; the state is 'failed'. */
  fail(error: ErrorBody): void;
  /** Left, removed or refused for good: nothing more happens. */
  finished(): boolean;
  closeMedia(): void;
  /** A refusal that retrying cannot change: the connection is over. */
  refusedForGood(): void;
}

export class Admission {
  constructor(private readonly host: AdmissionHost) {}

  /** Opens the signaling to the page's own address and waits for it; a failure is shown and thrown. */
  async connect(): Promise<void> {
    const { signaling } = this.host;
    this.host.route(signaling.open());
    await signaling.firstConnect().catch((err: Error) => {
      this.host.fail({
        code: 'INTERNAL',
        message: `Không có đường tới máy chủ (${err.message}). Kiểm tra mạng rồi thử lại.`,
        messageEn: `No route to the server (${err.message}). Check the network and retry.`,
      });
      throw err;
    });
  }

  /**
   * Joins with a fresh token, asking for the kept transports' media back. A hub of several may point it at
   * another hub (MOVE_TO_HUB): it goes there and joins again. A refusal is shown and thrown.
   */
  async join(moves = 0): Promise<JoinResult> {
    const token = await this.fetchToken();
    const kept = this.host.keptTransports();
    try {
      return await this.host.signaling.request(
        'join',
        kept.length > 0 ? { token, resume: { transportIds: kept } } : { token },
      );
    } catch (err) {
      this.host.closeMedia();
      const redirect = redirectOf(err);
      if (redirect && moves < MAX_MOVES) {
        await this.moveTo(redirect);
        return this.join(moves + 1);
      }
      if (err instanceof SignalingFailure) this.refused(err);
      throw err;
    }
  }

  /** Reconnects the signaling to the hub named, the page's events routed as before. */
  private async moveTo(redirect: HubRedirect): Promise<void> {
    const { signaling } = this.host;
    this.host.setState('moving');
    signaling.close();
    this.host.route(signaling.open(redirect.url, () => this.backToOrigin()));
    try {
      await signaling.firstConnect();
    } catch (err) {
      // Out of reach: socket.io keeps trying it a few times, then the page's own address takes over.
      this.host.setState('reconnecting');
      throw err;
    }
  }

  /** The hub we were moved to stayed out of reach: back to the page's own address (the balancer) to rejoin. */
  private backToOrigin(): void {
    if (this.host.finished()) return;
    this.host.setState('reconnecting');
    this.host.signaling.close();
    this.host.route(this.host.signaling.open());
  }

  private async fetchToken(): Promise<string> {
    try {
      return await this.host.getToken();
    } catch (err) {
      const e = err as { message?: string; messageEn?: string };
      this.host.fail({
        code: 'TOKEN_INVALID',
        message: e.message ?? String(err),
        messageEn: e.messageEn ?? String(err),
      });
      throw err;
    }
  }

  private refused(err: SignalingFailure): void {
    this.host.fail({ code: err.code, message: err.message, messageEn: err.messageEn });
    if (isFinalRefusal(err.code)) this.host.refusedForGood();
  }
}
