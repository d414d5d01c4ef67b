// Sites behind strict NAT: media through a configured TURN server.
//
// A local coturn (Debian package coturn) runs on 127.0.0.1 with one static
// long-term user; the hub is started with TURN_URLS/TURN_USERNAME/
// TURN_CREDENTIAL pointing at it and hands them to clients as iceServers.
// A room's page in Chromium is told to use relay candidates only (localStorage
// 'diemcau.iceTransportPolicy' = 'relay', read by client/media/Transports.ts). The test
// asserts that:
//   - it connects (DTLS connected on both of its transports on the hub) and
//     media flows both ways (it receives the chair's video, the chair receives
//     its video);
//   - the page's selected candidate pairs are relay candidates, and on the hub
//     each transport's selected ICE tuple comes from coturn's relay address
//     (127.0.0.1, a port in coturn's --min-port..--max-port);
//   - with coturn stopped, another relay-only room does NOT connect (so the
//     test would notice a client that ignored the relay-only policy).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import {
  chromiumAvailable,
  DEMO,
  ensureClientBuilt,
  inboundBytes,
  joinAsRoom,
  launchChromium,
  newPage,
  openChairConsole,
  pcStates,
  waitFor,
} from '../helpers/browser.ts';
import { type Coturn, startCoturn, TURNSERVER } from '../helpers/coturn.ts';
import { startTestHub } from '../helpers/hub.ts';
import { relayPortBlock } from '../helpers/ports.ts';
import { reportSkip } from '../helpers/skip.ts';

const RELAY_ONLY = `localStorage.setItem('diemcau.iceTransportPolicy', 'relay');`;
const [SITE, OTHER] = DEMO.rooms;

const missing = !TURNSERVER
  ? 'turnserver is not installed (Debian package coturn)'
  : !chromiumAvailable()
    ? 'Chromium is not installed (/usr/bin/chromium)'
    : null;
reportSkip('TURN relay (test/security/turn.test.ts)', missing);

/** Candidate types (local/remote) of the selected pair of every open peer connection of the page. */
function selectedPairs(page: Page): Promise<{ local: string; remote: string; relayProtocol?: string }[]> {
  return page.evaluate(async () => {
    const out: { local: string; remote: string; relayProtocol?: string }[] = [];
    for (const pc of (window as unknown as { __pcs?: RTCPeerConnection[] }).__pcs ?? []) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats();
      const byId = new Map<string, Record<string, unknown>>();
      report.forEach((s: Record<string, unknown>) => {
        byId.set(s.id as string, s);
      });
      for (const s of byId.values()) {
        if (s.type !== 'transport' || !s.selectedCandidatePairId) continue;
        const pair = byId.get(s.selectedCandidatePairId as string);
        const local = byId.get(pair?.localCandidateId as string);
        const remote = byId.get(pair?.remoteCandidateId as string);
        out.push({
          local: String(local?.candidateType),
          remote: String(remote?.candidateType),
          relayProtocol: local?.relayProtocol as string | undefined,
        });
      }
    }
    return out;
  });
}

describe.skipIf(missing !== null)('TURN relay for sites behind strict NAT', () => {
  let coturn: Coturn;
  let hub: Hub;
  let browser: Browser;

  beforeAll(async () => {
    ensureClientBuilt();
    coturn = await startCoturn(relayPortBlock());
    hub = await startTestHub(
      {
        DEMO_DATA: 'true',
        MEDIASOUP_WORKERS: '1',
        TURN_URLS: coturn.url,
        TURN_USERNAME: coturn.username,
        TURN_CREDENTIAL: coturn.password,
      },
      3,
    );
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await hub?.close();
    await coturn?.stop();
  });

  it('a relay-only client connects through coturn; with coturn down it does not', { timeout: 90_000 }, async () => {
    const url = hub.url;
    const { page: chair } = await newPage(browser, { label: 'chair' });
    await openChairConsole(chair, url, DEMO.chair, DEMO.meetingId);
    await chair.locator('[data-testid=conn-state][data-state=online]').waitFor({ timeout: 30_000 });

    // ---------------------------------------------------------------- relay only, coturn up
    const { page: site } = await newPage(browser, { initScripts: [RELAY_ONLY], label: 'site' });
    await joinAsRoom(site, url, SITE, DEMO.meetingId);
    await site.locator('[data-testid=conn-state][data-state=online]').waitFor({ timeout: 30_000 });

    const peer = () => hub.meetings.get(DEMO.meetingId)?.sites.get(SITE.roomId);
    await waitFor(
      'both of the site’s transports DTLS-connected on the hub',
      async () => {
        const ts = [...(peer()?.transports.values() ?? [])];
        return ts.length === 2 && ts.every((t) => t.dtlsState === 'connected');
      },
      30_000,
    );
    const siteBefore = await inboundBytes(site);
    const chairBefore = await inboundBytes(chair);
    await waitFor(
      'video flowing both ways through the relay',
      async () => {
        const [s, c] = await Promise.all([inboundBytes(site), inboundBytes(chair)]);
        return s.video > siteBefore.video + 20_000 && c.video > chairBefore.video + 20_000;
      },
      30_000,
    );

    // The page uses relay candidates only …
    const pairs = await selectedPairs(site);
    expect(pairs.length).toBeGreaterThanOrEqual(2);
    for (const p of pairs) expect(p.local).toBe('relay');
    // … and on the hub, every transport of the site talks to coturn's relay address.
    const tuples = [...(peer()?.transports.values() ?? [])].map((t) => t.iceSelectedTuple);
    expect(tuples).toHaveLength(2);
    for (const tuple of tuples) {
      expect(tuple?.remoteIp).toBe('127.0.0.1');
      expect(tuple?.remotePort).toBeGreaterThanOrEqual(coturn.minPort);
      expect(tuple?.remotePort).toBeLessThanOrEqual(coturn.maxPort);
    }
    // coturn saw the allocation with our credentials.
    expect(coturn.log()).toMatch(/username=<u>/);
    console.log(
      `[turn] relay-only site connected via coturn 127.0.0.1:${coturn.port}; page pairs ${JSON.stringify(pairs)}; ` +
        `hub tuples ${tuples.map((t) => `${t?.remoteIp}:${t?.remotePort}/${t?.protocol}`).join(', ')} ` +
        `(relay range ${coturn.minPort}-${coturn.maxPort})`,
    );

    // ---------------------------------------------------------------- relay only, coturn down
    await coturn.stop();
    const { page: other } = await newPage(browser, { initScripts: [RELAY_ONLY], label: 'other' });
    await joinAsRoom(other, url, OTHER, DEMO.meetingId);
    const otherPeer = () => hub.meetings.get(DEMO.meetingId)?.sites.get(OTHER.roomId);
    await waitFor('the second site joined with two transports', async () => otherPeer()?.transports.size === 2, 30_000);
    // Long enough for ICE over the host path to have connected many times over (the first site took < 2 s).
    await new Promise((r) => setTimeout(r, 8_000));
    const otherTransports = [...(otherPeer()?.transports.values() ?? [])];
    expect(otherTransports).toHaveLength(2);
    for (const t of otherTransports) {
      expect(t.dtlsState).not.toBe('connected');
      expect(t.iceSelectedTuple).toBeUndefined();
    }
    expect(await pcStates(other)).not.toContain('connected');
    console.log(
      `[turn] with coturn stopped, the relay-only site stays unconnected: page ${JSON.stringify(await pcStates(other))}, ` +
        `hub ICE ${otherTransports.map((t) => t.iceState).join(',')} DTLS ${otherTransports.map((t) => t.dtlsState).join(',')}`,
    );
  });
});
