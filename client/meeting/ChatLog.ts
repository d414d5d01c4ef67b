// The meeting's chat as this page knows it: the history the hub handed back
// and the messages pushed since, merged by their number (seq) so a message
// heard twice (history after a reconnect, then its event) shows once and in
// the meeting's order. Counts what arrived from others while the panel was
// closed (the unread badge). No React: screens read it through subscribe.
import type { ChatMessage } from '../../contract/chat.ts';

export interface ChatSnapshot {
  messages: readonly ChatMessage[];
  unread: number;
}

export class ChatLog {
  private bySeq = new Map<number, ChatMessage>();
  private snapshot: ChatSnapshot = { messages: [], unread: 0 };
  private readonly listeners = new Set<() => void>();
  private seen = 0;
  private reading = false;

  constructor(
    /** This page's own site: its own messages are never unread. */
    private readonly selfId: () => string | null,
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ChatSnapshot => this.snapshot;

  /** Messages from the hub (history or events), `read` already or not; answers the ones new to this page. */
  add(messages: readonly ChatMessage[], read = false): ChatMessage[] {
    const fresh = messages.filter((m) => !this.bySeq.has(m.seq));
    if (fresh.length === 0) return [];
    for (const m of fresh) this.bySeq.set(m.seq, m);
    if (this.reading || read) this.seen = this.lastSeq();
    this.publish();
    return fresh;
  }

  /** The panel is open (everything shown counts as read) or closed. */
  setReading(reading: boolean): void {
    this.reading = reading;
    if (reading) this.seen = this.lastSeq();
    this.publish();
  }

  private lastSeq(): number {
    let last = 0;
    for (const seq of this.bySeq.keys()) last = Math.max(last, seq);
    return last;
  }

  private publish(): void {
    const messages = [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
    const self = this.selfId();
    const unread = messages.filter((m) => m.seq > this.seen && m.siteId !== self).length;
    this.snapshot = { messages, unread };
    for (const listener of this.listeners) listener();
  }
}
