// The meetings' chat as stored (prisma ChatMessage): the SFU's store for it
// (sfu/Chat.ts loads a meeting's messages when its room opens and appends each
// one before delivering it), and the transcript that goes with the attendance
// report. The SFU stores a meeting's messages one at a time, in order.
import type { ChatMessage, ChatStore } from '../contract/chat.ts';
import type { Db } from './db.ts';

type Row = Awaited<ReturnType<Db['chatMessage']['findMany']>>[number];

function toMessage(row: Row): ChatMessage {
  return {
    seq: row.seq,
    siteId: row.roomId,
    siteName: row.roomName,
    fromChair: row.fromChair,
    userId: row.userId,
    privateSiteId: row.privateRoomId,
    text: row.text,
    at: row.at.toISOString(),
  };
}

/** The meeting's messages, oldest first. */
export async function chatMessages(db: Db, meetingId: string): Promise<ChatMessage[]> {
  const rows = await db.chatMessage.findMany({ where: { meetingId }, orderBy: { seq: 'asc' } });
  return rows.map(toMessage);
}

export function chatStore(db: Db): ChatStore {
  /** Meetings the schedule holds; meetings signed outside it (tests, benchmarks) keep their chat in memory only. */
  const known = new Map<string, boolean>();
  const holds = async (meetingId: string) => {
    let held = known.get(meetingId);
    if (held === undefined) {
      held = (await db.meeting.findUnique({ where: { id: meetingId }, select: { id: true } })) !== null;
      known.set(meetingId, held);
    }
    return held;
  };
  return {
    async load(meetingId, latest) {
      const rows = await db.chatMessage.findMany({ where: { meetingId }, orderBy: { seq: 'desc' }, take: latest });
      return rows.reverse().map(toMessage);
    },
    async append(meetingId, m) {
      if (!(await holds(meetingId))) return;
      await db.chatMessage.create({
        data: {
          meetingId,
          seq: m.seq,
          roomId: m.siteId,
          roomName: m.siteName,
          fromChair: m.fromChair,
          userId: m.userId,
          privateRoomId: m.privateSiteId,
          text: m.text,
          at: new Date(m.at),
        },
      });
    },
  };
}
