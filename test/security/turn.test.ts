// Sites behind strict NAT: media through a configured TURN server, with
// short-lived per-site credentials.
//
// A local coturn (Debian package coturn) runs on 127.0.0.1 with coturn's
// REST-API shared secret (use-auth-secret); the hub is started with TURN_URLS
// and the same TURN_SECRET and hands each site its own credential
// ("<expiry>:<site id>", HMAC-SHA1) as iceServers, at join and with its join
// token. Without Chromium, TURN Allocate requests from Node show that coturn
// accepts such a credential, refuses it once expired or when it is replayed
// for another site, and that the static TURN_USERNAME/TURN_CREDENTIAL still
// work when no secret is set.
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
import { loadConfig } from '../../hub/config.ts';
import type { Hub } from '../../hub/Hub.ts';
import { turnIceServers } from '../../hub/turn.ts';
import { login } from '../helpers/api.ts';
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
import { type Coturn, startCoturn, TURNSERVER, turnAllocate } from '../helpers/coturn.ts';
import { startTestHub, tokenFor } from '../helpers/hub.ts';
import { relayPortBlock } from '../helpers/ports.ts';
import { SignalingClient } from '../helpers/signalingClient.ts';
import { reportSkip } from '../helpers/skip.ts';

const RELAY_ONLY = `localStorage.setItem('diemcau.iceTransportPolicy', 'relay');`;
const [SITE, OTHER] = DEMO.rooms;
const TURN_SECRET = 'turn-shared-secret-0123456789';

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
    coturn = await startCoturn({ ...relayPortBlock(), secret: TURN_SECRET });
    hub = await startTestHub({ DEMO_DATA: 'true', MEDIASOUP_WORKERS: '1', TURN_URLS: coturn.url, TURN_SECRET }, 3);
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
        const ts = [...(peer()?.transports.keys() ?? [])]
          .map((id) => peer()?.webRtcTransport(id))
          .filter((t) => t !== undefined);
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
    const tuples = [...(peer()?.transports.keys() ?? [])]
      .map((id) => peer()?.webRtcTransport(id))
      .filter((t) => t !== undefined)
      .map((t) => t.iceSelectedTuple);
    expect(tuples).toHaveLength(2);
    for (const tuple of tuples) {
      expect(tuple?.remoteIp).toBe('127.0.0.1');
      expect(tuple?.remotePort).toBeGreaterThanOrEqual(coturn.minPort);
      expect(tuple?.remotePort).toBeLessThanOrEqual(coturn.maxPort);
    }
    // coturn saw the allocation with this site's own time-limited credential.
    expect(coturn.log()).toMatch(new RegExp(`username=<\\d+:${SITE.roomId}>`));
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
    const otherTransports = [...(otherPeer()?.transports.keys() ?? [])]
      .map((id) => otherPeer()?.webRtcTransport(id))
      .filter((t) => t !== undefined);
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

describe.skipIf(!TURNSERVER)('TURN credentials', () => {
  it('each site gets its own credential, which coturn accepts until it expires and not for another site', {
    timeout: 60_000,
  }, async () => {
    const coturn = await startCoturn({ ...relayPortBlock(), secret: TURN_SECRET });
    const hub = await startTestHub(
      { DEMO_DATA: 'true', TURN_URLS: coturn.url, TURN_SECRET, TURN_CREDENTIAL_TTL_SECONDS: '3' },
      3,
    );
    const client = new SignalingClient(hub.url);
    try {
      // At join (signaling) …
      await client.connected();
      const joined = await client.ok('join', { token: await tokenFor(hub, { roomId: 'turn-site' }) });
      const [server] = joined.iceServers;
      if (!server?.username || !server.credential) throw new Error('no TURN credential at join');
      expect(server.urls).toEqual([coturn.url]);
      const [expiry, siteId] = server.username.split(':');
      expect(siteId).toBe('turn-site');
      expect(Number(expiry) - Date.now() / 1000).toBeGreaterThan(1);
      expect(Number(expiry) - Date.now() / 1000).toBeLessThanOrEqual(3);
      const own = { username: server.username, credential: server.credential };
      expect(await turnAllocate(coturn.port, own)).toBe('allocated');
      // … and with a join token (scheduler), for the room asked for.
      const operator = await login(hub, SITE);
      const issued = await operator.call('POST', `/api/meetings/${DEMO.meetingId}/join-token`, {});
      expect(issued.body.iceServers[0].username).toMatch(new RegExp(`^\\d+:${SITE.roomId}$`));
      expect(await turnAllocate(coturn.port, issued.body.iceServers[0])).toBe('allocated');

      // Replayed for another site: refused.
      const replayed = { username: `${expiry}:other-site`, credential: server.credential };
      expect(await turnAllocate(coturn.port, replayed)).toBe(401);
      // Expired: refused.
      await new Promise((r) => setTimeout(r, (Number(expiry) + 1.2) * 1000 - Date.now()));
      expect(await turnAllocate(coturn.port, own)).toBe(401);
      console.log(
        `[turn] per-site credential ${server.username}: allocated while valid; refused for another site and once expired`,
      );
    } finally {
      client.close();
      await hub.close();
      await coturn.stop();
    }
  });

  it('without TURN_SECRET the static user is handed out, and coturn with that user accepts it', async () => {
    const coturn = await startCoturn(relayPortBlock());
    try {
      const config = loadConfig({
        TURN_URLS: coturn.url,
        TURN_USERNAME: coturn.username,
        TURN_CREDENTIAL: coturn.password,
      });
      const servers = turnIceServers(config)('any-site');
      expect(servers).toEqual([{ urls: [coturn.url], username: coturn.username, credential: coturn.password }]);
      const [server] = servers;
      expect(
        await turnAllocate(coturn.port, { username: server?.username ?? '', credential: server?.credential ?? '' }),
      ).toBe('allocated');
      expect(await turnAllocate(coturn.port, { username: coturn.username, credential: 'wrong' })).toBe(401);
    } finally {
      await coturn.stop();
    }
  });
});
