// What the schedule tells the live meetings (a meeting ended or cancelled by
// the secretariat, a room uninvited, a room or user disabled) reaches the hub
// whose API took the change; the sites it concerns may be on any hub of the
// deployment. That hub acts on its own sites at once and tells every other
// hub over socket.io's Redis adapter (`serverSideEmit`), which act on theirs:
// each hub revokes only the sites connected to it (sfu/MeetingRoom.ts revoke),
// and ends its own copy of the meeting (a home ending it tells its edges too).
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import type { SiteRevocation } from '../../contract/joinToken.ts';
import type { MeetingRegistry } from '../../sfu/MeetingRegistry.ts';

/** The server-side event the notices travel as. */
const EVENT = 'diemcau:schedule';

type ScheduleNotice = { kind: 'revoked'; revocation: SiteRevocation } | { kind: 'ended'; meetingId: string };

export interface ScheduleNotices {
  /** The schedule withdrew sites: they leave their meetings, on every hub. */
  revoke(revocation: SiteRevocation): void;
  /** The schedule ended (or cancelled) the meeting: its media closes on every hub. */
  end(meetingId: string): void;
}

/** Notices for this hub's meetings and, when `io` spans hubs (the Redis adapter), every other hub's. */
export function scheduleNotices(meetings: () => MeetingRegistry, io: Server | null, log: Logger): ScheduleNotices {
  const apply = (notice: ScheduleNotice) => {
    if (notice.kind === 'revoked') meetings().revoke(notice.revocation);
    else meetings().get(notice.meetingId)?.end(null);
  };
  io?.on(EVENT, (notice: ScheduleNotice) => {
    log.info({ notice: notice.kind }, 'schedule notice from another hub');
    apply(notice);
  });
  const tell = (notice: ScheduleNotice) => {
    apply(notice);
    io?.serverSideEmit(EVENT, notice);
  };
  return {
    revoke: (revocation) => tell({ kind: 'revoked', revocation }),
    end: (meetingId) => tell({ kind: 'ended', meetingId }),
  };
}
