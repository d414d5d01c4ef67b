import { describe, expect, it } from 'vitest';
import { parsePortRanges, unreservedEphemeral } from '../../hub/portReservation.ts';

describe('WebRTC ports and the kernel’s ephemeral range', () => {
  const ephemeral = { min: 32768, max: 60999 };

  it('reads the kernel’s formats', () => {
    expect(parsePortRanges('32768-60999')).toEqual([ephemeral]);
    expect(parsePortRanges('40000-40003,50000\n')).toEqual([
      { min: 40000, max: 40003 },
      { min: 50000, max: 50000 },
    ]);
    expect(parsePortRanges('\n')).toEqual([]);
  });

  it('flags the default ports unless they are reserved, and never ports below the range', () => {
    const wanted = { min: 40000, max: 40001 };
    expect(unreservedEphemeral(wanted, ephemeral, [])).toEqual(wanted);
    expect(unreservedEphemeral(wanted, ephemeral, parsePortRanges('40000-40999'))).toBeNull();
    expect(unreservedEphemeral(wanted, ephemeral, parsePortRanges('40001'))).toEqual({ min: 40000, max: 40000 });
    expect(unreservedEphemeral({ min: 20000, max: 20001 }, ephemeral, [])).toBeNull();
  });
});
