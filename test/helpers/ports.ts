// Test files run in parallel forks: each fork gets its own block of RTC ports
// so two hubs never race for the same WebRtcServer port. The blocks sit below
// Linux's ephemeral range (32768–60999 by default): a port in that range can be
// taken at any moment by an outgoing socket of another test (socket.io clients,
// Chromium, bots), which made WebRtcServer's listen fail at random in CI.
//
// TEST_PORT_SLOT (0–6, default 0) moves every block when test runs of several
// checkouts share one machine: each run's forks number from 1 again.
const poolId = Number(process.env.VITEST_POOL_ID ?? '1') + 4 * Number(process.env.TEST_PORT_SLOT ?? '0');
const FIRST_BLOCK = 20000;
const PORTS_PER_FORK = 400;
const BLOCKS = 28;

export function rtcPortBlock(offset = 0): { base: number; transportMin: number; transportMax: number } {
  const base = FIRST_BLOCK + (poolId % BLOCKS) * PORTS_PER_FORK + offset * 100;
  return { base, transportMin: base + 20, transportMax: base + 99 };
}

/** Relay ports for a test's coturn, clear of every fork's RTC block and of the ephemeral range. */
export function relayPortBlock(): { minPort: number; maxPort: number } {
  const minPort = FIRST_BLOCK + BLOCKS * PORTS_PER_FORK + (poolId % BLOCKS) * 50;
  return { minPort, maxPort: minPort + 49 };
}

/** A fixed HTTP port for a test that restarts a hub on the same address. */
export function fixedHttpPort(): number {
  return FIRST_BLOCK + BLOCKS * PORTS_PER_FORK + BLOCKS * 50 + (poolId % BLOCKS);
}

/** A port for a test's own redis-server, clear of the blocks above and of the ephemeral range. */
export function redisPort(): number {
  return FIRST_BLOCK + BLOCKS * PORTS_PER_FORK + BLOCKS * 50 + BLOCKS + (poolId % BLOCKS);
}

/**
 * SIP ports for a test, in the fork's second RTC block: the hub's SIP port
 * (above the WebRtcServer ports), six endpoints' SIP ports, and for each endpoint a
 * range of eight RTP/RTCP ports (in that block's transport range, which a
 * test hub on the first block leaves free).
 */
export function sipPortBlock(): { hub: number; endpoints: number[]; endpointRtp: [number, number][] } {
  const base = rtcPortBlock(1).base;
  // baresip listens for TLS on its SIP port + 1: endpoints are two apart.
  const endpoints = Array.from({ length: 6 }, (_, i) => base + 11 + 2 * i);
  const endpointRtp = endpoints.map((_, i): [number, number] => [base + 30 + i * 8, base + 37 + i * 8]);
  return { hub: base + 10, endpoints, endpointRtp };
}
