// Accounts' rules, shared by the administrator's screen (routes/users.ts) and
// the spreadsheet import (csv/accountsCsv.ts): which scope each role takes,
// what an account looks like to the administrator, and that at least one
// active administrator always remains.

import type { UserRole } from '../contract/enums.ts';
import type { Account } from '../contract/rest/accounts.ts';
import type { Tx } from './db.ts';
import { conflict } from './errors.ts';

export const LOGIN_PATTERN = /^[a-zA-Z0-9._@-]+$/;
export const LOGIN_RULE = [
  'Tên đăng nhập chỉ gồm chữ không dấu, số và . _ @ -',
  'A login may only contain letters, digits and . _ @ -',
] as const;

export const accountSelect = {
  id: true,
  login: true,
  name: true,
  role: true,
  unitId: true,
  roomId: true,
  active: true,
  mustChangePassword: true,
  lastLoginAt: true,
  createdAt: true,
  unit: { select: { name: true, code: true } },
  room: { select: { name: true, code: true } },
} as const;

interface SelectedAccount {
  id: string;
  login: string;
  name: string;
  role: string;
  unitId: string | null;
  roomId: string | null;
  active: boolean;
  mustChangePassword: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
  unit: { name: string; code: string } | null;
  room: { name: string; code: string } | null;
}

export function toAccount(u: SelectedAccount): Account {
  return {
    ...u,
    role: u.role as UserRole,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
  };
}

export interface Scope {
  unitId: string | null;
  roomId: string | null;
}

/**
 * The scope a role takes from the unit and room chosen, or what is wrong with the
 * combination: a room operator acts for one room (and takes its unit), the other
 * roles have no room, an administrator no unit, a secretariat or chair a unit.
 */
export function scopeFor(
  role: UserRole,
  unit: { id: string } | null,
  room: { id: string; unitId: string } | null,
): { scope: Scope } | { problem: readonly [vi: string, en: string] } {
  if (role === 'room_operator') {
    if (!room) return { problem: ['Cán bộ kỹ thuật điểm cầu cần một điểm cầu.', 'A room operator needs a room.'] };
    if (unit && unit.id !== room.unitId) {
      return {
        problem: [
          'Điểm cầu không thuộc đơn vị đã chọn (cán bộ điểm cầu nhận đơn vị của điểm cầu).',
          "The room is not in the unit chosen (a room operator takes its room's unit).",
        ],
      };
    }
    return { scope: { unitId: room.unitId, roomId: room.id } };
  }
  if (room) {
    return { problem: ['Chỉ cán bộ kỹ thuật điểm cầu gắn với điểm cầu.', 'Only room operators are tied to a room.'] };
  }
  if (role === 'admin') {
    if (unit) {
      return {
        problem: [
          'Quản trị viên quản lý toàn hệ thống, không gắn với đơn vị.',
          'An administrator manages everything and has no scope unit.',
        ],
      };
    }
    return { scope: { unitId: null, roomId: null } };
  }
  if (!unit) return { problem: ['Vai trò này cần một đơn vị phạm vi.', 'This role needs a scope unit.'] };
  return { scope: { unitId: unit.id, roomId: null } };
}

/**
 * Called in the transaction that changed accounts, after the change: refuses it (the
 * transaction rolls back) when no active administrator would remain. The check
 * reads what this transaction wrote, and transactions run one at a time, so two
 * administrators demoting each other at once cannot both succeed.
 */
export async function assertAdminRemains(tx: Tx): Promise<void> {
  if ((await tx.user.count({ where: { role: 'admin', active: true } })) > 0) return;
  throw conflict(
    'LAST_ADMIN',
    'Không thực hiện: sau thay đổi này sẽ không còn tài khoản quản trị nào hoạt động. Hãy tạo hoặc kích hoạt một quản trị viên khác trước.',
    'Refused: after this change no active administrator would remain. Create or reactivate another administrator first.',
  );
}

/** Whether the change ends the account's sessions: it can no longer act as it did. */
export function endsSessions(
  before: { role: string; unitId: string | null; roomId: string | null; active: boolean },
  after: typeof before,
): boolean {
  return (
    !after.active || before.role !== after.role || before.unitId !== after.unitId || before.roomId !== after.roomId
  );
}
