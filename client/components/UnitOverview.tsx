// The board's unit overview: one tile per unit of the chosen level (districts
// and departments by default), coloured by the worst state of the sites under
// it, departments apart from districts. A click narrows the board to the unit.
import { useMemo, useState } from 'react';
import type { Unit } from '../api.ts';
import { type MessageKey, useI18n } from '../i18n/index.tsx';
import { countSites, type SiteStatus } from '../meeting/MeetingStore.ts';
import { problemRank } from '../meeting/siteFilters.ts';

const KIND_LABEL: Record<string, MessageKey> = {
  province: 'kindProvince',
  department: 'kindDepartment',
  district: 'kindDistrict',
  commune: 'kindCommune',
};
const KINDS = ['province', 'department', 'district', 'commune'];

type Tone = 'bad' | 'warn' | 'ok';

/** problemRank's levels: a dropped link, an alarm or a poor link is bad; no picture, no sound, not in is a warning. */
function toneOf(worst: number): Tone {
  if (worst <= 2) return 'bad';
  if (worst <= 5) return 'warn';
  return 'ok';
}

interface Tile {
  unit: Unit;
  tone: Tone;
  online: number;
  invited: number;
  problems: number;
}

export function UnitOverview({
  units,
  sites,
  trails,
  onOpen,
}: {
  units: Unit[];
  sites: SiteStatus[];
  trails: Map<string, Unit[]>;
  onOpen: (unit: Unit) => void;
}) {
  const { t } = useI18n();
  const depth = useMemo(() => Math.max(1, ...[...trails.values()].map((trail) => trail.length - 1)), [trails]);
  const [level, setLevel] = useState(1);
  const tiles = useMemo(() => {
    const byUnit = new Map<string, SiteStatus[]>();
    for (const s of sites) {
      if (s.isChair) continue;
      const unit = trails.get(s.unitId)?.[level];
      if (!unit) continue;
      const list = byUnit.get(unit.id) ?? [];
      list.push(s);
      byUnit.set(unit.id, list);
    }
    const list: Tile[] = [];
    for (const u of units) {
      const under = byUnit.get(u.id);
      if (!under) continue;
      const ranks = under.map((s) => problemRank(s));
      const c = countSites(under);
      list.push({
        unit: u,
        tone: toneOf(Math.min(...ranks)),
        online: c.online,
        invited: c.invited,
        problems: ranks.filter((r) => r < 5).length,
      });
    }
    return list.sort(
      (a, b) => (a.unit.sortOrder ?? 0) - (b.unit.sortOrder ?? 0) || a.unit.name.localeCompare(b.unit.name, 'vi'),
    );
  }, [units, sites, trails, level]);
  const kinds = [...KINDS, ...new Set(tiles.map((x) => x.unit.kind).filter((k) => !KINDS.includes(k)))];

  return (
    <div className="unit-overview" data-testid="unit-overview">
      <label>
        {t('boardLevel')}{' '}
        <select value={level} onChange={(e) => setLevel(Number(e.target.value))}>
          {Array.from({ length: depth }, (_, i) => i + 1).map((n) => (
            <option key={n} value={n}>
              {t('boardLevelN', { level: n })}
            </option>
          ))}
        </select>
      </label>
      {kinds.map((kind) => {
        const ofKind = tiles.filter((x) => x.unit.kind === kind);
        if (ofKind.length === 0) return null;
        const label = KIND_LABEL[kind];
        return (
          <section key={kind} aria-label={label ? t(label) : kind}>
            <h3>{label ? t(label) : t('kindOther')}</h3>
            <ul className="unit-overview__tiles">
              {ofKind.map((x) => (
                <li key={x.unit.id}>
                  <button
                    type="button"
                    className={`unit-tile unit-tile--${x.tone}`}
                    data-tone={x.tone}
                    title={x.unit.name}
                    onClick={() => onOpen(x.unit)}
                  >
                    <span className="unit-tile__name">{x.unit.name}</span>
                    <span className="unit-tile__counts">
                      {t('boardUnitTile', { online: x.online, invited: x.invited, problems: x.problems })}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
