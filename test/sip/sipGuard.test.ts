// The hub's SIP port before it faces a network, with real SIP messages over
// UDP (test/helpers/sipProbe.ts) against a real hub:
//   failed digest answers are throttled per source address — after
//   SIP_AUTH_FAILURES_PER_ADDRESS of them, even the right password from that
//   address is refused 403 with Retry-After, while another address still gets in;
//   pending challenges are capped (SIP_PENDING_CHALLENGES): past the cap the
//   oldest is dropped, so its answer is challenged afresh (401) while the newest
//   call's answer is checked (404: the credentials held, the meeting does not exist).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { login as apiLogin } from '../helpers/api.ts';
import { DEMO } from '../helpers/browser.ts';
import { startTestHub } from '../helpers/hub.ts';
import { sipPortBlock } from '../helpers/ports.ts';
import { type SipProbe, sipProbe } from '../helpers/sipProbe.ts';

const ports = sipPortBlock();
const FAILURES_PER_ADDRESS = 3;
const PENDING_CHALLENGES = 4;
const NO_MEETING = 'no-such-meeting';

describe('SIP digest guard', () => {
  let hub: Hub;
  const probes: SipProbe[] = [];

  async function probe(from: string): Promise<SipProbe> {
    const p = await sipProbe(ports.hub, NO_MEETING, from);
    probes.push(p);
    return p;
  }

  beforeAll(async () => {
    hub = await startTestHub({
      DEMO_DATA: 'true',
      SIP_PORT: String(ports.hub),
      SIP_AUTH_FAILURES_PER_ADDRESS: String(FAILURES_PER_ADDRESS),
      SIP_PENDING_CHALLENGES: String(PENDING_CHALLENGES),
    });
    const admin = await apiLogin(hub, { login: 'admin', password: 'admin123' });
    for (const [roomId, user] of [
      [DEMO.rooms[0].roomId, 'room1'],
      [DEMO.rooms[1].roomId, 'room2'],
    ]) {
      const set = await admin.call('PUT', `/api/rooms/${roomId}/sip`, { user, password: 'secret123' });
      expect(set.status).toBe(200);
    }
  }, 120_000);

  afterAll(async () => {
    for (const p of probes) p.close();
    await hub?.close();
  });

  it('refuses an address after its failed answers, with Retry-After; another address still gets in', async () => {
    const guesser = await probe('127.0.0.2');
    // Failures under several user names: the limit is the address's, whatever the names.
    for (const user of ['room1', 'room2', 'room1']) {
      const call = await guesser.invite();
      expect(call.response.status).toBe(401);
      const refused = await call.answer(user, 'wrong-password');
      expect(refused.status).toBe(403);
      expect(refused.reason).toMatch(/wrong password/);
    }
    const blocked = await guesser.invite();
    expect(blocked.response.status).toBe(401);
    const answer = await blocked.answer('room1', 'secret123');
    expect(answer.status).toBe(403);
    expect(answer.reason).toMatch(/too many failed attempts/);
    expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);

    // The room itself, from its own address, is not locked out.
    const room = await probe('127.0.0.3');
    const call = await room.invite();
    expect((await call.answer('room1', 'secret123')).status).toBe(404);
  });

  it('keeps at most SIP_PENDING_CHALLENGES challenges, dropping the oldest', async () => {
    const caller = await probe('127.0.0.4');
    const oldest = await caller.invite();
    expect(oldest.response.status).toBe(401);
    const calls = [];
    for (let i = 0; i < PENDING_CHALLENGES; i++) calls.push(await caller.invite());
    // The oldest call's challenge is gone: its (right) answer is challenged again, not admitted.
    const again = await oldest.answer('room2', 'secret123');
    expect(again.status).toBe(401);
    // The newest calls' challenges are kept: their answers are checked.
    const newest = calls.at(-1);
    expect((await newest?.answer('room2', 'secret123'))?.status).toBe(404);
  });
});
