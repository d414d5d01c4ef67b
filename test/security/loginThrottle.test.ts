// Password guessing against a real hub, from several client addresses at once
// (127.0.0.x): concurrent wrong passwords are refused before their check, a
// stranger cannot lock a known account out, one address is limited over all
// logins, many addresses only slow a login down, and old hashes are upgraded.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { hashPassword } from '../../scheduler/auth.ts';
import { LoginThrottle } from '../../scheduler/loginThrottle.ts';
import { type HttpAnswer, httpRequest } from '../helpers/http.ts';
import { startTestHub } from '../helpers/hub.ts';

const PASSWORD = 'mat-khau-rieng-2026';
const REQUESTS_PER_MINUTE = 60;
/** Below the default 30 so the test checks fewer slow scrypt hashes; the rule is the same. */
const FAILURES_PER_ADDRESS = 8;
let hub: Hub;
const ids: Record<string, string> = {};

beforeAll(async () => {
  hub = await startTestHub({
    AUTH_REQUESTS_PER_MINUTE: String(REQUESTS_PER_MINUTE),
    LOGIN_FAILURES_PER_ADDRESS: String(FAILURES_PER_ADDRESS),
  });
  const passwordHash = await hashPassword(PASSWORD);
  for (const login of ['quantri', 'chutri', 'vanphong']) {
    const user = await hub.scheduler.db.user.create({ data: { login, name: login, role: 'admin', passwordHash } });
    ids[login] = user.id;
  }
}, 120_000);

afterAll(async () => {
  await hub?.close();
});

function login(name: string, password: string, from: string): Promise<HttpAnswer> {
  return httpRequest(`${hub.url}/api/auth/login`, { method: 'POST', json: { login: name, password }, from });
}

function failuresChecked(where: { entityId?: string; ip?: string }): Promise<number> {
  return hub.scheduler.db.auditLog.count({ where: { action: 'auth.login_failed', ...where } });
}

const statuses = (answers: HttpAnswer[]) => answers.map((a) => a.status).sort();

// scrypt at N=2^17 takes about 0.4 s a hash on an idle core, several seconds on a loaded CI machine.
describe('login throttling', { timeout: 150_000 }, () => {
  it('30 concurrent wrong passwords: 5 are checked, 25 refused before the check; the user elsewhere still logs in', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => login('quantri', `sai-${i}`, '127.0.0.1')));
    expect(statuses(answers)).toEqual([...Array(5).fill(401), ...Array(25).fill(429)]);
    expect(await failuresChecked({ entityId: ids.quantri })).toBe(5);
    const refused = answers.find((a) => a.status === 429) as HttpAnswer;
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(refused.body.error.message).toContain('thử lại sau');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(800);

    // The lockout holds for the guesser's address and that login only.
    expect((await login('quantri', PASSWORD, '127.0.0.1')).status).toBe(429);
    const real = await login('quantri', PASSWORD, '127.0.0.2');
    expect(real.status).toBe(200);
    expect(real.body.user.login).toBe('quantri');
  });

  it('one address gets LOGIN_FAILURES_PER_ADDRESS failed attempts over any logins, then 429 for every login; other addresses do not', async () => {
    const answers = await Promise.all(
      Array.from({ length: FAILURES_PER_ADDRESS + 4 }, (_, i) => login(`khong-co-${i}`, 'sai', '127.0.0.3')),
    );
    expect(statuses(answers)).toEqual([...Array(FAILURES_PER_ADDRESS).fill(401), ...Array(4).fill(429)]);
    expect(await failuresChecked({ ip: '127.0.0.3' })).toBe(FAILURES_PER_ADDRESS);
    expect((await login('vanphong', PASSWORD, '127.0.0.3')).status).toBe(429);
    expect((await login('vanphong', PASSWORD, '127.0.0.4')).status).toBe(200);
  });

  it('guesses at one login from many addresses never lock it: the real user still logs in', async () => {
    const guessers = Array.from({ length: 6 }, (_, i) => `127.0.1.${i + 1}`);
    const answers = await Promise.all(
      guessers.map(async (from) => [await login('chutri', 'sai-1', from), await login('chutri', 'sai-2', from)]),
    );
    expect(statuses(answers.flat())).toEqual(Array(12).fill(401));
    expect(await failuresChecked({ entityId: ids.chutri })).toBe(12);
    expect((await login('chutri', PASSWORD, '127.0.1.100')).status).toBe(200);
  });

  it('the login and password routes answer 429 past AUTH_REQUESTS_PER_MINUTE from one address, only to it', async () => {
    const answers: HttpAnswer[] = [];
    for (let i = 0; i <= REQUESTS_PER_MINUTE; i++) {
      answers.push(await httpRequest(`${hub.url}/api/auth/login`, { method: 'POST', json: {}, from: '127.0.2.1' }));
    }
    expect(answers.slice(0, REQUESTS_PER_MINUTE).every((a) => a.body.error.code === 'VALIDATION_ERROR')).toBe(true);
    const limited = answers.at(-1) as HttpAnswer;
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const other = await httpRequest(`${hub.url}/api/auth/login`, { method: 'POST', json: {}, from: '127.0.2.2' });
    expect(other.status).toBe(400);
  });

  it('a hash made at the old scrypt settings (N=2^14) is replaced by one at N=2^17 on the next login', async () => {
    const salt = crypto.randomBytes(16);
    const old = crypto.scryptSync(PASSWORD, salt, 32, { N: 16384, r: 8, p: 1 });
    const oldHash = `scrypt$16384$8$1$${salt.toString('base64')}$${old.toString('base64')}`;
    await hub.scheduler.db.user.update({ where: { id: ids.vanphong }, data: { passwordHash: oldHash } });
    expect((await login('vanphong', PASSWORD, '127.0.3.1')).status).toBe(200);
    const { passwordHash } = await hub.scheduler.db.user.findUniqueOrThrow({ where: { id: ids.vanphong } });
    expect(passwordHash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect((await login('vanphong', PASSWORD, '127.0.3.1')).status).toBe(200);
  });
});

describe('LoginThrottle (its clock set by the test)', () => {
  it('slows a login guessed from many addresses by 250 ms per failure past 10, at most 5 s, for 15 minutes', () => {
    let now = 1_000_000;
    const throttle = new LoginThrottle(30, () => now);
    const delays: number[] = [];
    for (let i = 0; i < 40; i++) {
      const gate = throttle.begin('chutri', `10.0.0.${i}`);
      if (!gate.allowed) throw new Error('a fresh address must be let through');
      delays.push(gate.delayMs);
    }
    expect(delays.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(delays.slice(10, 13)).toEqual([250, 500, 750]);
    expect(Math.max(...delays)).toBe(5000);
    now += 15 * 60_000;
    const later = throttle.begin('chutri', '10.0.1.1');
    expect(later).toMatchObject({ allowed: true, delayMs: 0 });
  });

  it('a successful login withdraws its own attempt and forgets its address’s failures for that login', () => {
    const throttle = new LoginThrottle(30, () => 1_000_000);
    for (let i = 0; i < 4; i++) throttle.begin('quantri', '10.0.0.1');
    const right = throttle.begin('quantri', '10.0.0.1');
    if (!right.allowed) throw new Error('the fifth attempt must be checked');
    right.attempt.succeeded();
    for (let i = 0; i < 5; i++) expect(throttle.begin('quantri', '10.0.0.1').allowed).toBe(true);
    expect(throttle.begin('quantri', '10.0.0.1').allowed).toBe(false);
  });
});
