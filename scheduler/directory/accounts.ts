// Directory accounts: the first sign-in creates the account with the role and
// scope the directory maps to; each later sign-in and each re-check brings them
// up to date; a person gone, disabled or unmapped there is deactivated and their
// sessions end.
import type { UserRole } from '../../contract/enums.ts';
import { audit } from '../context.ts';
import type { Db, Tx } from '../db.ts';
import { uniqueViolation } from '../db.ts';
import { ApiError } from '../errors.ts';
import type { User } from '../generated/prisma/client.ts';
import type { DirectoryPerson } from './mapping.ts';

export type DeactivationReason = 'not_found' | 'disabled' | 'no_role' | 'no_unit';

interface Scope {
  unitId: string | null;
  roomId: string | null;
}

/**
 * The account of a person the directory just vouched for (password or provider
 * checked): created, updated or reactivated. Throws, in words, when the person
 * has no role or scope here, or the login is a local account's.
 */
export async function signInDirectoryPerson(db: Db, person: DirectoryPerson, ip: string): Promise<User> {
  try {
    return await upsert(db, person, ip);
  } catch (err) {
    // Two first sign-ins of one person at once: the second finds the account the first created.
    if (uniqueViolation(err)) return upsert(db, person, ip);
    throw err;
  }
}

async function upsert(db: Db, person: DirectoryPerson, ip: string): Promise<User> {
  const existing = await findAccount(db, person);
  if (existing && existing.authSource !== person.source) throw new ApiError(409, 'LOGIN_TAKEN');
  if (existing && !existing.active && !existing.directoryDisabledAt) throw new ApiError(403, 'ACCOUNT_DISABLED');
  if (!person.role) {
    if (existing) await deactivate(db, existing, 'no_role');
    throw new ApiError(403, 'DIRECTORY_NO_ROLE');
  }
  const scope = await scopeOf(db, person.role, person.scopeCode);
  if (!scope) {
    if (existing) await deactivate(db, existing, 'no_unit');
    throw new ApiError(403, 'DIRECTORY_NO_UNIT', undefined, undefined, { code: person.scopeCode });
  }
  const data = { login: person.login, name: person.name, role: person.role, ...scope, externalId: person.externalId };
  if (!existing) {
    const created = await db.user.create({ data: { ...data, authSource: person.source, passwordHash: '' } });
    await audit(db, null, 'directory.user_created', 'user', created.id, describe(person), ip);
    return created;
  }
  const updated = await db.user.update({
    where: { id: existing.id },
    data: { ...data, active: true, directoryDisabledAt: null },
  });
  if (changed(existing, updated)) {
    await audit(db, null, 'directory.user_updated', 'user', existing.id, describe(person), ip);
  }
  return updated;
}

/** By the directory's identifier first (a renamed login keeps its account), then by login. */
async function findAccount(db: Db, person: DirectoryPerson): Promise<User | null> {
  const byId = await db.user.findUnique({
    where: { authSource_externalId: { authSource: person.source, externalId: person.externalId } },
  });
  return byId ?? db.user.findUnique({ where: { login: person.login } });
}

/**
 * Brings a directory account up to date at a re-check (never reactivates: that
 * takes a sign-in). Returns the reason when it had to be deactivated instead.
 */
export async function refreshDirectoryAccount(
  db: Db,
  user: User,
  person: DirectoryPerson,
): Promise<DeactivationReason | null> {
  if (!person.role) return (await deactivate(db, user, 'no_role')) ? 'no_role' : null;
  const scope = await scopeOf(db, person.role, person.scopeCode);
  if (!scope) return (await deactivate(db, user, 'no_unit')) ? 'no_unit' : null;
  const updated = await db.user.update({
    where: { id: user.id },
    data: { name: person.name, role: person.role, ...scope, externalId: person.externalId },
  });
  if (changed(user, updated)) await audit(db, null, 'directory.user_updated', 'user', user.id, describe(person));
  return null;
}

/**
 * Deactivates a directory account and ends its sessions, in one transaction;
 * false when it was already inactive (nothing to record twice).
 */
export async function deactivate(db: Db, user: User, reason: DeactivationReason): Promise<boolean> {
  return db.$transaction(async (tx: Tx) => {
    const { count } = await tx.user.updateMany({
      where: { id: user.id, active: true },
      data: { active: false, directoryDisabledAt: new Date() },
    });
    if (count === 0) return false;
    const sessions = await tx.session.deleteMany({ where: { userId: user.id } });
    await audit(tx, null, 'directory.user_deactivated', 'user', user.id, {
      login: user.login,
      source: user.authSource,
      reason,
      sessionsEnded: sessions.count,
    });
    return true;
  });
}

/** Admins see everything; a room operator acts for the room of that code; others for the unit of that code. */
async function scopeOf(db: Db, role: UserRole, code: string | null): Promise<Scope | null> {
  if (role === 'admin') return { unitId: null, roomId: null };
  if (!code) return null;
  if (role === 'room_operator') {
    const room = await db.endpointRoom.findUnique({ where: { code } });
    return room?.active ? { unitId: room.unitId, roomId: room.id } : null;
  }
  const unit = await db.unit.findUnique({ where: { code } });
  return unit ? { unitId: unit.id, roomId: null } : null;
}

function changed(before: User, after: User): boolean {
  return (
    before.role !== after.role ||
    before.unitId !== after.unitId ||
    before.roomId !== after.roomId ||
    before.name !== after.name ||
    before.login !== after.login ||
    !before.active
  );
}

function describe(p: DirectoryPerson) {
  return { login: p.login, source: p.source, role: p.role, scopeCode: p.scopeCode };
}
