// The meeting's chat on this page: what it sends (to the whole meeting, or
// privately between a site and the chair), what it hears pushed, and the
// history it catches up on after every (re)join, all kept in one ChatLog.
import type { ChatMessage } from '../../contract/chat.ts';
import { ChatLog } from '../meeting/ChatLog.ts';
import type { SignalingChannel } from './SignalingChannel.ts';

export interface MeetingChatHost {
  signaling: SignalingChannel;
  /** This page's own site: its own messages are never unread. */
  selfId: () => string | null;
  /** Messages new to this page, in order (for the chime). */
  heard: (fresh: ChatMessage[]) => void;
}

export class MeetingChat {
  readonly log: ChatLog;
  private loaded = false;

  constructor(private readonly host: MeetingChatHost) {
    this.log = new ChatLog(host.selfId);
  }

  /** A message to the whole meeting, or into `privateSiteId`'s private conversation with the chair. */
  async send(text: string, privateSiteId?: string): Promise<void> {
    const { message } = await this.host.signaling.request(
      'sendChat',
      privateSiteId ? { text, privateSiteId } : { text },
    );
    this.hear([message]);
  }

  /** Messages pushed by the hub (or our own, acknowledged). */
  hear(messages: ChatMessage[]): void {
    const fresh = this.log.add(messages);
    if (fresh.length > 0) this.host.heard(fresh);
  }

  /**
   * The history this site may see, after every (re)join: messages may have
   * come while it was away. What was said before the page opened is shown as
   * read, without a sound.
   */
  async catchUp(): Promise<void> {
    const { messages } = await this.host.signaling.request('chatHistory', {});
    if (this.loaded) this.hear(messages);
    else this.log.add(messages, true);
    this.loaded = true;
  }
}
