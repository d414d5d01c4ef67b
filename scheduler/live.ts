// Live updates over socket.io namespace "/live" (the SFU owns the default
// namespace). A socket authenticates with the session cookie (or
// `auth: { token }` in the handshake) and joins channels:
//   user:<userId>, room:<roomId> (room operators), unit:<scopeUnitId>, all (admins).
// Events are sent to the channels of the rooms and units a change concerns.
import type { Logger } from 'pino';
import type { Server as IoServer, Namespace } from 'socket.io';
import { LIVE_NAMESPACE, type LiveEvent, type LiveEvents } from '../contract/live.ts';
import { cookieValue, principalFromToken, SESSION_COOKIE } from './auth.ts';
import type { Db } from './db.ts';

export interface LiveTarget {
  roomIds?: Iterable<string>;
  /** Unit ids whose channel should hear about it (pass every ancestor). */
  unitIds?: Iterable<string>;
}

/** What the live channels need to know of a meeting: where it is chaired. */
export interface LiveMeeting {
  chairRoomId: string;
  chairUnit: { path: string };
}

export class Live {
  private nsp: Namespace | undefined;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    io?: IoServer,
  ) {
    if (!io) return;
    const nsp = io.of(LIVE_NAMESPACE);
    this.nsp = nsp;
    nsp.use(async (socket, next) => {
      try {
        const auth = socket.handshake.auth as { token?: unknown } | undefined;
        const bearer = typeof auth?.token === 'string' ? auth.token : undefined;
        const token = bearer ?? cookieValue(socket.handshake.headers.cookie, SESSION_COOKIE);
        const p = token ? await principalFromToken(this.db, token, bearer ? 'bearer' : 'cookie') : null;
        if (!p) {
          next(new Error('UNAUTHENTICATED: đăng nhập trước / log in first'));
          return;
        }
        if (p.user.mustChangePassword) {
          next(new Error('PASSWORD_CHANGE_REQUIRED: đặt mật khẩu mới trước / choose a new password first'));
          return;
        }
        socket.data.principal = p;
        const channels = [`user:${p.user.id}`];
        if (p.user.roomId) channels.push(`room:${p.user.roomId}`);
        if (p.user.unitId && p.user.role !== 'room_operator') channels.push(`unit:${p.user.unitId}`);
        if (p.user.role === 'admin') channels.push('all');
        await socket.join(channels);
        next();
      } catch (err) {
        this.log.warn({ err }, 'live: handshake failed');
        next(new Error('UNAUTHENTICATED'));
      }
    });
    nsp.on('connection', (socket) => {
      socket.emit('live:ready', { user: socket.data.principal?.user ?? null });
    });
  }

  emit<E extends LiveEvent>(event: E, payload: LiveEvents[E], target: LiveTarget): void {
    if (!this.nsp) return;
    const channels = new Set<string>(['all']);
    for (const r of target.roomIds ?? []) channels.add(`room:${r}`);
    for (const u of target.unitIds ?? []) channels.add(`unit:${u}`);
    this.nsp.to([...channels]).emit(event, { ...payload, at: new Date().toISOString() });
  }

  /**
   * Tells everyone a change of meeting `m` concerns: the channels of `roomIds`
   * (and of the chair room with `chairRoom`), and of every unit on the paths
   * of those rooms and of the chair unit. Every meeting change goes out here.
   */
  async meetingChanged<E extends LiveEvent>(
    m: LiveMeeting,
    event: E,
    payload: LiveEvents[E],
    to: { roomIds?: readonly string[]; chairRoom?: boolean } = {},
  ): Promise<void> {
    if (!this.nsp) return;
    const roomIds = [...(to.roomIds ?? [])];
    const unitIds = new Set(pathIds(m.chairUnit.path));
    if (roomIds.length) {
      const rooms = await this.db.endpointRoom.findMany({
        where: { id: { in: roomIds } },
        select: { unit: { select: { path: true } } },
      });
      for (const r of rooms) for (const u of pathIds(r.unit.path)) unitIds.add(u);
    }
    this.emit(event, payload, { roomIds: to.chairRoom ? [...roomIds, m.chairRoomId] : roomIds, unitIds });
  }

  async close(): Promise<void> {
    if (!this.nsp) return;
    this.nsp.disconnectSockets(true);
    this.nsp.removeAllListeners();
  }
}

/** Unit ids on a materialized path "/a/b/c/" → ["a","b","c"]. */
export function pathIds(path: string): string[] {
  return path.split('/').filter(Boolean);
}
