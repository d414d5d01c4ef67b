import { describe, expect, it } from 'vitest';
import { MAX_GRID_SITES } from '../../contract/layout.ts';
import { gridOnTurningOn, gridToggled } from './gridPicks.ts';

const sites = Array.from({ length: 12 }, (_, i) => `s${i}`);

describe('the grid the chair picks', () => {
  it('keeps earlier picks that are still online, first, and fills with online sites in board order', () => {
    expect(gridOnTurningOn(['s9', 'gone', 's4'], sites)).toEqual(['s9', 's4', 's0', 's1', 's2', 's3', 's5']);
    expect(gridOnTurningOn([], ['s1', 's2'])).toEqual(['s1', 's2']);
    expect(gridOnTurningOn([], sites)).toHaveLength(MAX_GRID_SITES);
  });

  it('adds and takes out one site, and refuses an eighth', () => {
    expect(gridToggled(['s1', 's2'], 's3')).toEqual(['s1', 's2', 's3']);
    expect(gridToggled(['s1', 's2'], 's1')).toEqual(['s2']);
    const full = sites.slice(0, MAX_GRID_SITES);
    expect(gridToggled(full, 's11')).toBeNull();
    expect(gridToggled(full, 's0')).toEqual(sites.slice(1, MAX_GRID_SITES));
  });
});
