import { describe, expect, it } from 'vitest';
import { DEFAULT_LINK_GUARD, LinkGuard } from '../../sfu/LinkGuard.ts';

describe('LinkGuard', () => {
  it('steps a poor link down layer by layer to audio only, then probes video and climbs back', () => {
    const guard = new LinkGuard();
    let t = 0;
    const feed = (score: number, times: number) => {
      const changes = [];
      for (let i = 0; i < times; i++) {
        t += 1000;
        const d = guard.sample(score, t);
        if (d) changes.push(d);
      }
      return changes;
    };
    expect(guard.decision).toEqual({ state: 'good', spatialCap: 2 });
    // One bad sample is noise; two in a row step down.
    expect(feed(3, 1)).toEqual([]);
    expect(feed(3, 1)).toEqual([{ state: 'degraded', spatialCap: 1 }]);
    expect(feed(2, 4)).toEqual([
      { state: 'degraded', spatialCap: 0 },
      { state: 'audio-only', spatialCap: null },
    ]);
    // In audio only, video is retried at the lowest layer after the probe delay.
    expect(guard.tick(t + DEFAULT_LINK_GUARD.audioOnlyProbeMs - 1)).toBeNull();
    t += DEFAULT_LINK_GUARD.audioOnlyProbeMs;
    expect(guard.tick(t)).toEqual({ state: 'degraded', spatialCap: 0 });
    // A link that holds good climbs one layer per recovery period.
    const up = feed(10, 20);
    expect(up).toEqual([
      { state: 'degraded', spatialCap: 1 },
      { state: 'good', spatialCap: 2 },
    ]);
  });

  it('does not recover on middling scores', () => {
    const guard = new LinkGuard();
    guard.sample(1, 1000);
    guard.sample(1, 2000);
    expect(guard.decision.state).toBe('degraded');
    for (let t = 3000; t < 60_000; t += 1000) guard.sample(6, t);
    expect(guard.decision).toEqual({ state: 'degraded', spatialCap: 1 });
  });
});
