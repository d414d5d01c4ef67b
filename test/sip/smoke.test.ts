import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { login } from '../helpers/api.ts';
import { startBaresip } from '../helpers/baresip.ts';
import { DEMO, waitFor } from '../helpers/browser.ts';
import { startTestHub } from '../helpers/hub.ts';
import { sipPortBlock } from '../helpers/ports.ts';

const ports = sipPortBlock();
describe('smoke', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startTestHub({ DEMO_DATA: 'true', SIP_PORT: String(ports.hub), LOG_LEVEL: 'info' });
  }, 60_000);
  afterAll(async () => hub?.close());
  it('joins', { timeout: 60_000 }, async () => {
    const admin = await login(hub, { login: 'admin', password: 'admin123' });
    const roomId = DEMO.rooms[0].roomId;
    const set = await admin.call('PUT', `/api/rooms/${roomId}/sip`, { user: 'room1', password: 'secret123' });
    expect(set.status).toBe(200);
    const bs = startBaresip({
      sipPort: ports.endpoints[0] as number,
      user: 'room1',
      password: 'secret123',
      dial: `sip:${DEMO.meetingId}@127.0.0.1:${ports.hub}`,
    });
    try {
      await waitFor('joined', async () => hub.meetings.get(DEMO.meetingId)?.sites.has(roomId), 20_000);
      await new Promise((r) => setTimeout(r, 8000));
      const site = hub.meetings.get(DEMO.meetingId)?.sites.get(roomId);
      console.log(JSON.stringify(site?.info(true)));
      for (const p of site?.producers.values() ?? [])
        console.log(
          p.kind,
          JSON.stringify((await p.getStats()).map((s) => ({ bytes: s.byteCount, packets: s.packetCount }))),
        );
    } finally {
      console.log(bs.output().slice(-3000));
      await bs.stop();
    }
  });
});
