// The unit tree as the administrator's screens read it (GET /api/units/tree,
// scheduler/units/tree.ts), and the calls that change it.
import type { UnitKind } from '../../../contract/enums.ts';
import type { CsvImportResult } from '../../../contract/rest/csvImport.ts';
import type { ApiClient } from '../../api.ts';
import type { MessageKey } from '../../i18n/index.tsx';

export interface UnitNode {
  id: string;
  name: string;
  kind: UnitKind;
  code: string;
  parentId: string | null;
  depth: number;
  active: boolean;
  mergedIntoId: string | null;
  rooms: number;
  subtreeRooms: number;
  children: UnitNode[];
}

export interface UnitFields {
  name: string;
  code: string;
  kind: UnitKind;
  parentId: string | null;
}

export interface MergeOutcome {
  into: { id: string; name: string };
  moved: { rooms: number; users: number; units: number; meetings: number };
}

export const KIND_LABEL: Record<UnitKind, MessageKey> = {
  province: 'kindProvince',
  department: 'kindDepartment',
  district: 'kindDistrict',
  commune: 'kindCommune',
  other: 'kindOther',
};

export const UNITS_CSV = '/api/units.csv';

/** Every unit, depth-first in tree order. */
export function flatten(roots: UnitNode[]): UnitNode[] {
  const out: UnitNode[] = [];
  const walk = (n: UnitNode) => {
    out.push(n);
    for (const c of n.children) walk(c);
  };
  for (const r of roots) walk(r);
  return out;
}

/** The ids of a unit and everything under it. */
export function subtreeIds(node: UnitNode): Set<string> {
  return new Set(flatten([node]).map((n) => n.id));
}

export const unitsApi = (api: ApiClient) => ({
  tree: async () => (await api.request<{ tree: UnitNode[] }>('GET', '/api/units/tree')).tree,
  create: (fields: UnitFields) => api.request('POST', '/api/units', fields),
  update: (id: string, fields: Partial<UnitFields>) => api.request('PATCH', `/api/units/${id}`, fields),
  setActive: (id: string, active: boolean) =>
    api.request('POST', `/api/units/${id}/${active ? 'reactivate' : 'deactivate'}`),
  merge: (sourceIds: string[], into: { intoId: string } | { create: UnitFields }) =>
    api.request<MergeOutcome>('POST', '/api/units/merge', { sourceIds, ...into }),
  importCsv: (csv: string, apply: boolean) => api.request<CsvImportResult>('POST', '/api/units/import', { csv, apply }),
});
