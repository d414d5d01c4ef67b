import { describe, expect, it } from 'vitest';
import { SpeakerDetector } from '../../sfu/SpeakerDetector.ts';

describe('SpeakerDetector', () => {
  function detector() {
    let now = 0;
    const d = new SpeakerDetector(800, () => now);
    return { d, advance: (ms: number) => (now += ms) };
  }

  it('names the first site heard at once, then a new speaker only after it stays loudest', () => {
    const { d, advance } = detector();
    expect(d.report(0, [{ peerId: 'a', volume: -30 }]).dominant).toBe('a');
    advance(400);
    expect(d.report(0, [{ peerId: 'b', volume: -20 }]).dominant).toBeUndefined();
    advance(400);
    expect(d.report(0, [{ peerId: 'b', volume: -20 }]).dominant).toBeUndefined();
    advance(400);
    expect(d.report(0, [{ peerId: 'b', volume: -20 }]).dominant).toBe('b');
  });

  it('a cough does not switch the speaker, and silence keeps the last one', () => {
    const { d, advance } = detector();
    d.report(0, [{ peerId: 'a', volume: -30 }]);
    advance(400);
    expect(d.report(0, [{ peerId: 'b', volume: -10 }]).dominant).toBeUndefined();
    advance(400);
    expect(d.report(0, [{ peerId: 'a', volume: -30 }]).dominant).toBeUndefined();
    advance(400);
    expect(d.report(0, []).dominant).toBeUndefined();
    advance(2000);
    expect(d.report(0, [{ peerId: 'a', volume: -40 }]).dominant).toBeUndefined();
  });

  it('merges every router’s report into one list, loudest first', () => {
    const { d } = detector();
    d.report(0, [{ peerId: 'a', volume: -40 }]);
    const { levels } = d.report(1, [
      { peerId: 'b', volume: -20 },
      { peerId: 'c', volume: -60 },
    ]);
    expect(levels.map((l) => l.peerId)).toEqual(['b', 'a', 'c']);
    expect(d.report(0, []).levels.map((l) => l.peerId)).toEqual(['b', 'c']);
    d.forgetPlane(1);
    expect(d.report(0, []).levels).toEqual([]);
  });

  it('a site that leaves is dropped from the list and can be replaced at once', () => {
    const { d } = detector();
    d.report(0, [
      { peerId: 'a', volume: -20 },
      { peerId: 'b', volume: -30 },
    ]);
    d.forgetPeer('a');
    const update = d.report(1, []);
    expect(update.levels.map((l) => l.peerId)).toEqual(['b']);
  });
});
