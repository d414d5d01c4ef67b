import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../contract/chat.ts';
import { ChatLog } from './ChatLog.ts';

function message(seq: number, siteId = 'other'): ChatMessage {
  return {
    seq,
    siteId,
    siteName: siteId,
    fromChair: false,
    userId: null,
    privateSiteId: null,
    text: `tin ${seq}`,
    at: new Date(0).toISOString(),
  };
}

describe('ChatLog', () => {
  it('keeps messages once each, in the meeting’s order, whatever order they arrive in', () => {
    const log = new ChatLog(() => 'self');
    expect(log.add([message(2), message(3)])).toHaveLength(2);
    // History after a reconnect repeats what the page already has.
    expect(log.add([message(1), message(2), message(3), message(4)]).map((m) => m.seq)).toEqual([1, 4]);
    expect(log.getSnapshot().messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it('counts messages from others that arrive while the panel is closed; opening reads them', () => {
    const log = new ChatLog(() => 'self');
    log.add([message(1), message(2)], true); // what was said before the page opened
    expect(log.getSnapshot().unread).toBe(0);
    log.add([message(3), message(4, 'self'), message(5)]);
    expect(log.getSnapshot().unread).toBe(2);
    log.setReading(true);
    expect(log.getSnapshot().unread).toBe(0);
    log.add([message(6)]);
    expect(log.getSnapshot().unread).toBe(0);
    log.setReading(false);
    log.add([message(7)]);
    expect(log.getSnapshot().unread).toBe(1);
  });
});
