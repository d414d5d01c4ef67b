// A renewed certificate goes into service without a restart (SIGHUP →
// hub.reloadCertificate): a site already in a meeting stays connected and
// keeps working, a new connection gets the new certificate, and a pair that
// does not match is refused while the current one stays in service.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { generate } from 'selfsigned';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { startTestHub, tokenFor } from '../helpers/hub.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-cert-'));
const certFile = path.join(dir, 'fullchain.pem');
const keyFile = path.join(dir, 'privkey.pem');
let hub: Hub | undefined;
let site: Socket | undefined;

afterAll(async () => {
  site?.close();
  await hub?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function certificate(name: string, days: number) {
  return generate([{ name: 'commonName', value: name }], {
    keySize: 2048,
    notAfterDate: new Date(Date.now() + days * 86_400_000),
  });
}

/** The certificate a new TLS connection to the hub is shown. */
function servedCommonName(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: hostname, port: Number(port), rejectUnauthorized: false }, () => {
      resolve(String(socket.getPeerCertificate().subject.CN));
      socket.end();
    });
    socket.on('error', reject);
  });
}

function request(socket: Socket, name: string, payload: unknown): Promise<{ ok: boolean }> {
  return new Promise((resolve) => socket.emit(name, payload, resolve));
}

describe('certificate renewal', () => {
  it('serves the renewed certificate to new connections while the meeting goes on', async () => {
    const first = await certificate('hop-cu.example.gov.vn', 30);
    fs.writeFileSync(certFile, first.cert);
    fs.writeFileSync(keyFile, first.private, { mode: 0o600 });
    hub = await startTestHub({ HTTPS: 'true', TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile });
    expect(await servedCommonName(hub.url)).toBe('hop-cu.example.gov.vn');

    site = io(hub.url, { transports: ['websocket'], reconnection: false, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      site?.once('connect', resolve).once('connect_error', reject);
    });
    const token = await tokenFor(hub, { meetingId: 'tls-renewal', roomId: 'room-1' });
    expect(await request(site, 'join', { token })).toMatchObject({ ok: true });

    const renewed = await certificate('hop-moi.example.gov.vn', 90);
    fs.writeFileSync(certFile, renewed.cert);
    fs.writeFileSync(keyFile, renewed.private);
    const status = await hub.reloadCertificate();
    expect(status.subject).toContain('hop-moi.example.gov.vn');

    expect(await servedCommonName(hub.url)).toBe('hop-moi.example.gov.vn');
    // The site never noticed: same connection, still in the meeting, still answered.
    expect(site.connected).toBe(true);
    expect(await request(site, 'getRouterRtpCapabilities', {})).toMatchObject({ ok: true });
    expect(hub.meetings.get('tls-renewal')?.sites.size).toBe(1);
    // What the health page shows: the expiry of the certificate in service.
    const daysLeft = (Date.parse(hub.certificate?.status().notAfter ?? '') - Date.now()) / 86_400_000;
    expect(Math.round(daysLeft)).toBe(90);
  });

  it('refuses a key that does not match, keeps serving the current certificate, and says so', async () => {
    if (!hub) throw new Error('no hub');
    const other = await certificate('khac.example.gov.vn', 90);
    fs.writeFileSync(keyFile, other.private);
    await expect(hub.reloadCertificate()).rejects.toThrow();
    expect(await servedCommonName(hub.url)).toBe('hop-moi.example.gov.vn');
    expect(hub.certificate?.status()).toMatchObject({ reloadError: expect.any(String) });
    expect(hub.certificate?.status().subject).toContain('hop-moi.example.gov.vn');
  });
});
