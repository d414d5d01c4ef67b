// Accounts as a spreadsheet: the export (never a password), and an import
// planned row by row (csvImport.ts) with the same role and scope rules as the
// accounts screen (accounts.ts). New accounts get a generated one-time
// password, listed once in the apply's answer; their owners must change it.
import { USER_ROLES, type UserRole } from '../../contract/enums.ts';
import type { OneTimePassword } from '../../contract/rest/accounts.ts';
import { endsSessions, LOGIN_PATTERN, LOGIN_RULE, scopeFor } from '../accounts.ts';
import { generatePassword, hashPassword } from '../auth.ts';
import type { Db, Tx } from '../db.ts';
import {
  addRow,
  checkDuplicate,
  emptyPlan,
  finishPlan,
  type ImportPlan,
  readRecords,
  startRow,
  yesNo,
} from './csvImport.ts';
import { formatCsv } from './csvText.ts';

export const ACCOUNT_COLUMNS = ['Tên đăng nhập', 'Họ tên', 'Vai trò', 'Mã đơn vị', 'Mã điểm cầu', 'Hoạt động'] as const;

interface AccountValues {
  login: string;
  name: string;
  role: UserRole;
  unitId: string | null;
  roomId: string | null;
  active: boolean;
}

export type AccountImportPlan = ImportPlan<AccountValues>;

export async function exportAccounts(db: Db): Promise<string> {
  const users = await db.user.findMany({
    include: { unit: { select: { code: true } }, room: { select: { code: true } } },
    orderBy: { login: 'asc' },
  });
  return formatCsv([
    [...ACCOUNT_COLUMNS],
    ...users.map((u) => [u.login, u.name, u.role, u.unit?.code ?? '', u.room?.code ?? '', u.active ? 'có' : 'không']),
  ]);
}

export async function planAccountImport(db: Db | Tx, text: string): Promise<AccountImportPlan> {
  const plan = emptyPlan<AccountValues>();
  const records = readRecords(plan, text, ACCOUNT_COLUMNS);
  if (!records) return plan;
  const [units, rooms, users] = await Promise.all([
    db.unit.findMany({ select: { id: true, code: true, active: true } }),
    db.endpointRoom.findMany({ select: { id: true, code: true, unitId: true } }),
    db.user.findMany(),
  ]);
  const unitByCode = new Map(units.map((u) => [u.code, u]));
  const roomByCode = new Map(rooms.map((r) => [r.code, r]));
  const userByLogin = new Map(users.map((u) => [u.login, u]));
  const firstLineOf = new Map<string, number>();
  for (const record of records) {
    const { row, fail, fields } = startRow(record, ACCOUNT_COLUMNS);
    const [login = '', name = '', roleWord = '', unitCode = '', roomCode = '', activeWord = ''] = fields;
    checkDuplicate(login, record.line, firstLineOf, fail);
    if (!login) fail('Thiếu tên đăng nhập.', 'The login is missing.');
    else if (login.length < 2 || login.length > 100) {
      fail('Tên đăng nhập cần từ 2 đến 100 ký tự.', 'A login has 2 to 100 characters.');
    } else if (!LOGIN_PATTERN.test(login)) fail(`${LOGIN_RULE[0]}.`, `${LOGIN_RULE[1]}.`);
    if (!name) fail('Thiếu họ tên.', 'The name is missing.');
    else if (name.length > 200) fail('Họ tên dài quá 200 ký tự.', 'The name is longer than 200 characters.');
    const role = USER_ROLES.find((r) => r === roleWord) ?? null;
    if (!role) {
      fail(
        `Vai trò "${roleWord}" không có; dùng một trong: ${USER_ROLES.join(', ')}.`,
        `No role "${roleWord}"; use one of: ${USER_ROLES.join(', ')}.`,
      );
    }
    const unit = unitCode ? (unitByCode.get(unitCode) ?? null) : null;
    if (unitCode && !unit) fail(`Không có đơn vị mã "${unitCode}".`, `No unit has the code "${unitCode}".`);
    if (unit && !unit.active) {
      fail(`Đơn vị mã "${unitCode}" đã ngừng hoạt động.`, `The unit with code "${unitCode}" is inactive.`);
    }
    const room = roomCode ? (roomByCode.get(roomCode) ?? null) : null;
    if (roomCode && !room) fail(`Không có điểm cầu mã "${roomCode}".`, `No room has the code "${roomCode}".`);
    const shape = role && (!unitCode || unit) && (!roomCode || room) ? scopeFor(role, unit, room) : null;
    if (shape && 'problem' in shape) fail(shape.problem[0], shape.problem[1]);
    const active = yesNo(activeWord, 'Hoạt động', fail);
    const values =
      shape && 'scope' in shape && role && active !== null ? { login, name, role, active, ...shape.scope } : null;
    const existing = userByLogin.get(login);
    addRow(plan, row, values, !existing ? 'create' : values && same(existing, values) ? 'unchanged' : 'update');
  }
  return finishPlan(plan);
}

function same(user: Omit<AccountValues, 'role'> & { role: string }, values: AccountValues): boolean {
  return (
    user.name === values.name &&
    user.role === values.role &&
    user.unitId === values.unitId &&
    user.roomId === values.roomId &&
    user.active === values.active
  );
}

/** A new account's one-time password and its hash, made before the write transaction (hashing is the slow part). */
export interface NewPassword {
  password: string;
  hash: string;
}

/**
 * 99 random bits need no slow hash to resist guessing, so the import hashes them at the
 * cheap level the demo passwords use (auth.ts): a few hundred accounts then take
 * seconds, not minutes. Their owners replace them at the first login.
 */
export async function newPasswords(plan: AccountImportPlan): Promise<Map<string, NewPassword>> {
  const made = new Map<string, NewPassword>();
  for (const row of plan.rows) {
    if (row.outcome !== 'create') continue;
    made.set(row.code, await makePassword());
  }
  return made;
}

async function makePassword(): Promise<NewPassword> {
  const password = generatePassword();
  return { password, hash: await hashPassword(password, true) };
}

export interface AppliedAccounts {
  oneTimePasswords: OneTimePassword[];
  /** Accounts whose sessions ended (deactivated, or given another role or scope). */
  ended: { id: string; active: boolean }[];
}

/** Writes a plan without errors in `tx`, with the passwords made for its new accounts (more made if it changed). */
export async function applyAccountImport(
  tx: Tx,
  plan: AccountImportPlan,
  passwords: Map<string, NewPassword>,
): Promise<AppliedAccounts> {
  const applied: AppliedAccounts = { oneTimePasswords: [], ended: [] };
  for (const row of plan.rows) {
    const values = plan.values.get(row.line);
    if (!values || row.outcome === 'unchanged') continue;
    const existing = await tx.user.findUnique({ where: { login: values.login } });
    if (existing) {
      await tx.user.update({ where: { id: existing.id }, data: values });
      if (endsSessions(existing, values)) {
        await tx.session.deleteMany({ where: { userId: existing.id } });
        applied.ended.push({ id: existing.id, active: values.active });
      }
      continue;
    }
    const made = passwords.get(values.login) ?? (await makePassword());
    await tx.user.create({ data: { ...values, passwordHash: made.hash, mustChangePassword: true } });
    applied.oneTimePasswords.push({ login: values.login, name: values.name, password: made.password });
  }
  return applied;
}
