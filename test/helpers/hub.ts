// Starts a real hub (workers, HTTP, socket.io, SQLite file in a temp dir) on
// loopback for a test, and signs join tokens the way the scheduler does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Logger, pino } from 'pino';
import { type JoinClaims, signJoinToken } from '../../contract/joinToken.ts';
import { loadConfig } from '../../hub/config.ts';
import { type Hub, startHub } from '../../hub/Hub.ts';
import { rtcPortBlock } from './ports.ts';

export async function startTestHub(env: Record<string, string> = {}, portOffset = 0, log?: Logger): Promise<Hub> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-test-'));
  const ports = rtcPortBlock(portOffset);
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    HTTPS: 'false',
    DATA_DIR: dataDir,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
    MEDIASOUP_WORKERS: '2',
    RTC_PORT_BASE: String(ports.base),
    RTC_TRANSPORT_PORT_MIN: String(ports.transportMin),
    RTC_TRANSPORT_PORT_MAX: String(ports.transportMax),
    RTC_LISTEN_IP: '127.0.0.1',
    RTC_ANNOUNCED_ADDRESS: '127.0.0.1',
    ...env,
  });
  const hub = await startHub(config, log ?? pino({ level: config.LOG_LEVEL }));
  const close = hub.close;
  hub.close = async () => {
    await close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return hub;
}

export function claims(overrides: Partial<JoinClaims> = {}): JoinClaims {
  return {
    meetingId: 'meeting-1',
    roomId: 'room-1',
    role: 'site',
    displayName: 'UBND xã Tân Phú',
    maxSites: 50,
    mode: 'discussion',
    ...overrides,
  };
}

export function tokenFor(hub: Hub, overrides: Partial<JoinClaims> = {}, ttlSeconds = 600): Promise<string> {
  return signJoinToken(claims(overrides), hub.secret, ttlSeconds);
}
