// The meeting's chat (contract/chat.ts): checks a message (length, rate, the
// chair's switch, who may write privately to whom), stores it with the meeting
// and delivers it to the sites that may see it. Messages are stored and
// delivered one at a time, so every site sees them in the order they are
// numbered; a refused or unsaved message changes nothing. A meeting that
// spans hubs has one chat, its home hub's: an edge hub asks the home for every
// message and history (`atHome`), and the home tells each edge hub the messages
// its sites may see (`onDelivered`, sfu/span/ChatAcrossHubs.ts).
import type { Logger } from 'pino';
import {
  CHAT_HISTORY_LIMIT,
  CHAT_MAX_CHARS,
  type ChatMessage,
  type ChatStore,
  chatVisibleTo,
} from '../contract/chat.ts';
import type { Audience } from './Audience.ts';
import type { ChairDecisions } from './ChairDecisions.ts';
import type { Peer } from './Peer.ts';
import { SerialQueue } from './SerialQueue.ts';
import { SignalingError } from './SignalingError.ts';
import { TokenBucket, type TokenBucketOptions } from './TokenBucket.ts';

/** A site may send 5 messages at once, then one every 2 seconds (hub/config.ts CHAT_BURST, CHAT_RATE_PER_SECOND). */
export const DEFAULT_CHAT_RATE: TokenBucketOptions = { burst: 5, perSecond: 0.5 };

/**
 * The latest messages kept in memory for the sites' history requests; all of
 * them stay in the database (the records, the attendance report).
 */
const KEPT_IN_MEMORY = 10_000;

export interface ChatOptions {
  meetingId: string;
  /** Absent: the messages live only as long as the meeting's room (SFU-only tests, benchmarks). */
  store?: ChatStore;
  /** Messages one site may send: `burst` at once, `perSecond` on average. */
  rate: TokenBucketOptions;
  log: Logger;
}

/** The chat of an edge hub's meeting: the home hub's (sfu/span/ChatAcrossHubs.ts). */
export interface ChatAtHome {
  send(site: Peer, text: string, privateSiteId: string | null): Promise<ChatMessage>;
  history(site: Peer): Promise<ChatMessage[]>;
}

export class Chat {
  /** On an edge hub: the home checks, numbers, stores and delivers every message. */
  atHome: ChatAtHome | null = null;
  /** On a home hub: each message, once delivered here, for the sites of the other hubs. */
  onDelivered: ((message: ChatMessage) => void) | null = null;
  private readonly messages: ChatMessage[] = [];
  /** Stores, the first load too, one at a time: the numbering follows the stored order. */
  private readonly writes = new SerialQueue();
  private loaded = false;
  /** By site id, so a site that reconnects does not get a fresh allowance. */
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly options: ChatOptions,
    private readonly decisions: ChairDecisions,
    private readonly audience: Audience,
  ) {}

  /** Takes back the meeting's stored messages (a room that opens again, after a restart too). */
  async open(): Promise<void> {
    // Storage trouble must not keep sites out of the meeting: the first message tries again.
    await this.writes.run(() => this.load()).catch(() => undefined);
  }

  /**
   * This hub runs the meeting from now on (it was an edge of a home that went
   * away): the messages the old home stored meanwhile are read again, so the
   * numbering goes on after them.
   */
  async takeOver(): Promise<void> {
    await this.writes.run(async () => {
      this.messages.length = 0;
      this.loaded = false;
      await this.load().catch(() => undefined);
    });
  }

  /**
   * Reads the stored messages once. Until it has, nothing is written: the
   * next number would clash with the stored ones (CHAT_NOT_SAVED meanwhile).
   */
  private async load(): Promise<void> {
    const { store, meetingId, log } = this.options;
    if (!store || this.loaded) return;
    try {
      this.messages.push(...(await store.load(meetingId, KEPT_IN_MEMORY)));
      this.loaded = true;
    } catch (err) {
      log.error({ meetingId, err: (err as Error).message }, 'could not load the meeting’s chat');
      throw new SignalingError('CHAT_NOT_SAVED');
    }
  }

  get enabled(): boolean {
    return !this.decisions.chatOff;
  }

  /** The chair lets sites write to the whole meeting, or stops them. */
  setEnabled(enabled: boolean): void {
    this.decisions.chatOff = !enabled;
    this.decisions.save();
    this.audience.announceMeeting();
  }

  /** The latest messages `site` may see, oldest first. */
  async history(site: Peer): Promise<ChatMessage[]> {
    if (this.atHome) return this.atHome.history(site);
    return this.messages.filter((m) => chatVisibleTo(m, site.id, site.isChair)).slice(-CHAT_HISTORY_LIMIT);
  }

  /** Checks, stores and delivers a message from `site`; answers it as delivered. */
  async send(site: Peer, text: string, privateSiteId: string | null): Promise<ChatMessage> {
    if (this.atHome) return this.atHome.send(site, text, privateSiteId);
    this.check(site, text, privateSiteId);
    return this.writes.run(async () => {
      await this.load();
      const message: ChatMessage = {
        seq: (this.messages.at(-1)?.seq ?? 0) + 1,
        siteId: site.id,
        siteName: site.displayName,
        fromChair: site.isChair,
        userId: site.userId,
        privateSiteId,
        text: text.trim(),
        at: new Date().toISOString(),
      };
      await this.store(message);
      this.messages.push(message);
      if (this.messages.length > KEPT_IN_MEMORY) this.messages.shift();
      this.deliver(message);
      this.onDelivered?.(message);
      return message;
    });
  }

  /** Refuses, before anything changes, a message the rules do not allow. */
  private check(site: Peer, text: string, privateSiteId: string | null): void {
    const length = text.trim().length;
    if (length === 0) throw new SignalingError('CHAT_EMPTY');
    if (length > CHAT_MAX_CHARS) {
      throw new SignalingError(
        'CHAT_TOO_LONG',
        `Tin nhắn dài ${length} ký tự, vượt quá giới hạn ${CHAT_MAX_CHARS} ký tự. Hãy rút ngắn hoặc chia thành nhiều tin.`,
        `The message has ${length} characters, over the limit of ${CHAT_MAX_CHARS}. Shorten it or split it.`,
      );
    }
    if (privateSiteId !== null) this.checkPrivate(site, privateSiteId);
    else if (!site.isChair && this.decisions.chatOff) throw new SignalingError('CHAT_OFF');
    if (!this.bucketOf(site.id).take()) throw new SignalingError('CHAT_RATE_LIMITED');
  }

  /** A site writes privately only to the chair (its own conversation); the chair to a site of the meeting. */
  private checkPrivate(site: Peer, privateSiteId: string): void {
    if (!site.isChair) {
      if (privateSiteId === site.id) return;
      throw new SignalingError(
        'FORBIDDEN',
        'Điểm cầu chỉ nhắn riêng được cho chủ trì.',
        'A site can write privately only to the chair.',
      );
    }
    if (privateSiteId === site.id || !this.decisions.admitted.has(privateSiteId)) {
      throw new SignalingError(
        'NOT_FOUND',
        'Điểm cầu này chưa vào cuộc họp nên không nhắn riêng được.',
        'That site has not been in the meeting, so it cannot be written to privately.',
      );
    }
  }

  private bucketOf(siteId: string): TokenBucket {
    let bucket = this.buckets.get(siteId);
    if (!bucket) {
      bucket = new TokenBucket(this.options.rate);
      this.buckets.set(siteId, bucket);
    }
    return bucket;
  }

  private async store(message: ChatMessage): Promise<void> {
    const { store, meetingId, log } = this.options;
    if (!store) return;
    try {
      await store.append(meetingId, message);
    } catch (err) {
      log.error({ meetingId, seq: message.seq, err: (err as Error).message }, 'could not store a chat message');
      throw new SignalingError('CHAT_NOT_SAVED');
    }
  }

  /** To the sites connected to this hub that may see it (a site of another hub gets it from its own). */
  deliver(message: ChatMessage): void {
    for (const site of this.audience.sites.values()) {
      if (site.remote) continue;
      if (chatVisibleTo(message, site.id, site.isChair)) site.connection.notify('chatMessage', { message });
    }
  }
}
