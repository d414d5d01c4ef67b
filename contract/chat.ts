// The meeting's chat (trao đổi): messages to the whole meeting, and private
// conversations between one site and the chair. The hub stores every message
// with the meeting (scheduler/chat.ts), numbers them in order and hands a
// site back the ones it may see when it asks (after a reload or reconnect).
// Text only: clients render it as text, never as HTML.

/** Longest message, in characters; a longer one is refused (CHAT_TOO_LONG), not cut. */
export const CHAT_MAX_CHARS = 2000;

/** How many of the latest messages a site gets back when it asks for the history. */
export const CHAT_HISTORY_LIMIT = 1000;

export interface ChatMessage {
  /** The message's place in the meeting's chat: 1, 2, 3… Every site sees the messages in this order. */
  seq: number;
  /** The sending site (its room's id) and its name when it sent. */
  siteId: string;
  siteName: string;
  /** True when the chair sent it. */
  fromChair: boolean;
  /** The user who asked for the sender's join token; null when it named none. */
  userId: string | null;
  /**
   * The site whose private conversation with the chair this belongs to; null
   * for a message to the whole meeting. Only that site and the chair see it.
   */
  privateSiteId: string | null;
  text: string;
  /** When the hub accepted it (ISO 8601, UTC). */
  at: string;
}

/** Whether `viewer` (a site's id, chair or not) may see the message. */
export function chatVisibleTo(message: ChatMessage, viewerId: string, viewerIsChair: boolean): boolean {
  return message.privateSiteId === null || viewerIsChair || message.privateSiteId === viewerId;
}

/** Where the hub keeps the meetings' messages (scheduler/chat.ts), as the SFU uses it (sfu/Chat.ts). */
export interface ChatStore {
  /** The meeting's `latest` stored messages, oldest first. */
  load(meetingId: string, latest: number): Promise<ChatMessage[]>;
  /** Stores one message; throws when it could not. */
  append(meetingId: string, message: ChatMessage): Promise<void>;
}
