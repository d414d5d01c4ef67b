// Test files run in parallel forks: each fork gets its own block of RTC ports
// so two hubs never race for the same WebRtcServer port.
const poolId = Number(process.env.VITEST_POOL_ID ?? '1');

export function rtcPortBlock(offset = 0): { base: number; transportMin: number; transportMax: number } {
  const base = 42000 + poolId * 400 + offset * 100;
  return { base, transportMin: base + 20, transportMax: base + 99 };
}
