// Who gets the meeting's audio slots, packet by packet, on a hand-driven clock.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SLOT_SELECTION, type SlotChange, SlotSelector } from '../../sfu/SlotSelector.ts';

const LOUD = 25;
const QUIET = 90;
const PACKET_MS = 20;

function setup(slots = 2) {
  let now = 1000;
  const selector = new SlotSelector({ slots, ...DEFAULT_SLOT_SELECTION, now: () => now });
  const changes: SlotChange[] = [];
  /** `ms` of 20 ms packets from each source at its level (pinned: on stage). */
  const talk = (ms: number, levels: Record<string, number>, pinned: string[] = []) => {
    for (let t = 0; t < ms; t += PACKET_MS) {
      now += PACKET_MS;
      for (const [source, level] of Object.entries(levels)) {
        changes.push(...selector.hear(source, level, pinned.includes(source)));
      }
      changes.push(...selector.tick());
    }
  };
  const holders = () => [0, 1, 2].slice(0, slots).map((i) => selector.holderOf(i));
  return { selector, talk, holders, changes, advance: (ms: number) => (now += ms) };
}

describe('SlotSelector', () => {
  it('gives a free slot on the first loud packet, and keeps quiet sites out', () => {
    const { selector, talk, changes } = setup();
    talk(200, { a: QUIET, b: QUIET });
    expect(changes).toEqual([]);
    expect(selector.hear('c', LOUD, false)).toEqual([{ slot: 0, from: null, to: 'c' }]);
    expect(selector.slotOf('c')).toBe(0);
  });

  it('releases a slot after its holder has been silent for the release time, not before', () => {
    const { selector, talk } = setup();
    talk(500, { a: LOUD });
    talk(DEFAULT_SLOT_SELECTION.releaseAfterMs - 200, { a: QUIET });
    expect(selector.slotOf('a')).toBe(0);
    talk(400, { a: QUIET });
    expect(selector.slotOf('a')).toBeUndefined();
  });

  it('frees the slot of a holder whose packets stopped (paused, link lost)', () => {
    const { selector, talk, advance } = setup();
    talk(300, { a: LOUD });
    advance(DEFAULT_SLOT_SELECTION.releaseAfterMs + 10);
    expect(selector.tick()).toEqual([{ slot: 0, from: 'a', to: null }]);
  });

  it('makes a third speaker wait while both holders talk, then gives it the slot of one that pauses', () => {
    const { selector, talk, holders } = setup(2);
    talk(2000, { a: LOUD, b: LOUD, c: LOUD });
    expect(holders()).toEqual(['a', 'b']);
    expect(selector.slotOf('c')).toBeUndefined();
    // b pauses between sentences: c takes its slot once the pause is long enough.
    talk(DEFAULT_SLOT_SELECTION.yieldAfterMs + 40, { a: LOUD, b: QUIET, c: LOUD });
    expect(holders()).toEqual(['a', 'c']);
  });

  it('lets a clearly louder newcomer displace the quietest holder only after its minimum hold', () => {
    const { selector, talk, holders } = setup(2);
    talk(200, { a: 20, b: 45 });
    // Much louder, but b has held its slot for less than the minimum: no flapping.
    talk(400, { a: 20, b: 45, c: 10 });
    expect(holders()).toEqual(['a', 'b']);
    talk(DEFAULT_SLOT_SELECTION.minHoldMs, { a: 20, b: 45, c: 10 });
    expect(holders()).toEqual(['a', 'c']);
    expect(selector.slotOf('b')).toBeUndefined();
  });

  it('does not let a newcomer only slightly louder displace a talking holder', () => {
    const { talk, holders } = setup(2);
    talk(3000, { a: 30, b: 34, c: 31 });
    expect(holders()).toEqual(['a', 'b']);
  });

  it('gives the staged site a slot at once and never takes it away', () => {
    const { selector, talk, holders } = setup(2);
    talk(300, { a: LOUD, b: LOUD });
    talk(PACKET_MS, { a: LOUD, b: LOUD, s: LOUD }, ['s']);
    expect(selector.slotOf('s')).not.toBeUndefined();
    talk(5000, { a: LOUD, b: LOUD, s: 45, c: 5 }, ['s']);
    expect(holders()).toContain('s');
  });

  it('frees the slot of a site that can no longer be heard, and forgets one that left', () => {
    const { selector, talk } = setup();
    talk(100, { a: LOUD, b: LOUD });
    expect(selector.release('a')).toEqual([{ slot: 0, from: 'a', to: null }]);
    expect(selector.forget('b')).toEqual([{ slot: 1, from: 'b', to: null }]);
    expect(selector.release('nobody')).toEqual([]);
  });
});
