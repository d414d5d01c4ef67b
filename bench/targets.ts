// The SFUs a benchmark phase measures: our hub, or bare mediasoup
// (bench/bare/bareSfu.ts), each with the join tokens its bots need.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../hub/config.ts';
import { type Hub, startHub } from '../hub/Hub.ts';
import { createLogger } from '../hub/logger.ts';
import { bareToken, startBareSfu } from './bare/bareSfu.ts';
import { log } from './log.ts';
import type { LoadOptions } from './options.ts';
import { type BenchTokens, schedulerTokens, signedTokens } from './tokens.ts';

export interface Target {
  url: string;
  workerPids: number[];
  tokens: BenchTokens;
  /** Our hub, for benchmarks that drive it from inside (bench/recording.ts); null for bare mediasoup. */
  hub: Hub | null;
  close(): Promise<void>;
}

// Benchmark ports sit below the ephemeral range (32768–60999): hundreds of bot
// sockets take ephemeral ports and must never collide with the SFU's.
/** Tokens for the meeting's sites and the extra joins after the window. */
const siteCount = (options: LoadOptions) => options.sites + options.extraJoins;

export async function startDiemcau(options: LoadOptions): Promise<Target> {
  const sites = siteCount(options);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-bench-'));
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    HTTPS: 'false',
    DATA_DIR: dataDir,
    DEMO_DATA: 'true',
    LOG_LEVEL: 'warn',
    MEDIASOUP_WORKERS: String(options.workers),
    RTC_PORT_BASE: '30000',
    RTC_TRANSPORT_PORT_MIN: '30100',
    RTC_TRANSPORT_PORT_MAX: '30399',
    RTC_LISTEN_IP: '127.0.0.1',
    RTC_ANNOUNCED_ADDRESS: '127.0.0.1',
    MAX_SITES_PER_MEETING: String(Math.max(500, sites + 10)),
    JOIN_TOKEN_TTL_SECONDS: '3600',
  });
  const hub: Hub = await startHub(config, createLogger('warn'));
  let tokens: BenchTokens;
  if (options.tokens === 'signed') {
    tokens = await signedTokens(hub, sites, options.mode, '--tokens signed was given');
  } else {
    try {
      tokens = await schedulerTokens(hub, sites, options.mode);
    } catch (err) {
      log(`scheduler tokens failed (${(err as Error).message}); signing tokens with the hub secret`);
      tokens = await signedTokens(
        hub,
        sites,
        options.mode,
        `the scheduler could not issue them: ${(err as Error).message}`,
      );
    }
  }
  return {
    url: hub.url,
    workerPids: hub.pool.summaries().map((w) => w.pid),
    tokens,
    hub,
    async close() {
      await hub.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startBare(options: LoadOptions): Promise<Target> {
  const bare = await startBareSfu({ workers: options.workers, portBase: 30500, listenIp: '127.0.0.1' });
  const siteTokens = Array.from({ length: siteCount(options) }, (_, i) => ({
    roomId: `bare-${i}`,
    token: bareToken('site', `bare-${i}`),
  }));
  return {
    url: bare.url,
    workerPids: bare.workerPids,
    tokens: {
      meetingId: 'bare',
      chair: { roomId: 'bare-chair', token: bareToken('chair', 'bare-chair') },
      sites: siteTokens,
      source: 'signed',
      notes: [],
    },
    hub: null,
    close: () => bare.close(),
  };
}
