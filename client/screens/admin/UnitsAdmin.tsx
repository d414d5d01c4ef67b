// The administrator's unit tree: expand and collapse it, add, rename, move,
// deactivate and reactivate units, tick several and merge them into one; below,
// the units spreadsheet. Every answer of the hub (a refusal included) is shown
// in the user's language.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiClient } from '../../api.ts';
import { useI18n } from '../../i18n/index.tsx';
import { errorText } from '../../lib/errors.ts';
import { CsvImport } from './CsvImport.tsx';
import { MergeForm } from './MergeForm.tsx';
import { UnitForm, type UnitFormMode } from './UnitForm.tsx';
import {
  flatten,
  KIND_LABEL,
  subtreeIds,
  UNITS_CSV,
  type UnitFields,
  type UnitNode,
  unitsApi,
} from './unitTreeModel.ts';

interface RowCtx {
  expanded: ReadonlySet<string>;
  selected: ReadonlySet<string>;
  showInactive: boolean;
  nameOf: (id: string | null) => string;
  toggle: (id: string) => void;
  select: (id: string, on: boolean) => void;
  open: (mode: UnitFormMode) => void;
  setActive: (unit: UnitNode, active: boolean) => void;
}

export function UnitsAdmin({ api }: { api: ApiClient }) {
  const { t, lang } = useI18n();
  const calls = useMemo(() => unitsApi(api), [api]);
  const [roots, setRoots] = useState<UnitNode[]>([]);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [showInactive, setShowInactive] = useState(false);
  const [form, setForm] = useState<UnitFormMode | 'merge' | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const tree = await calls.tree();
    setRoots(tree);
    setExpanded((prev) => (prev.size ? prev : new Set(tree.map((r) => r.id))));
  }, [calls]);

  useEffect(() => {
    load().catch((err) => setError(errorText(err, lang)));
  }, [load, lang]);

  const units = useMemo(() => flatten(roots), [roots]);
  const byId = useMemo(() => new Map(units.map((u) => [u.id, u])), [units]);

  /** Runs a change, then shows what the hub said and the tree as it now is. */
  const act = async (change: () => Promise<string>) => {
    setError(null);
    setMessage(null);
    try {
      const done = await change();
      setForm(null);
      setMessage(done);
      await load();
    } catch (err) {
      setError(errorText(err, lang));
    }
  };

  const save = (mode: UnitFormMode, fields: Partial<UnitFields>) =>
    act(async () => {
      if (mode.kind === 'add') await calls.create(fields as UnitFields);
      else await calls.update(mode.unit.id, fields);
      return t('unitsSaved');
    });

  const merge = (into: { intoId: string } | { create: UnitFields }) =>
    act(async () => {
      const r = await calls.merge([...selected], into);
      setSelected(new Set());
      setExpanded((prev) => new Set([...prev, ...ancestorsOf(byId, into)]));
      return t('unitsMerged', { name: r.into.name, ...r.moved });
    });

  const ctx: RowCtx = {
    expanded,
    selected,
    showInactive,
    nameOf: (id) => (id ? (byId.get(id)?.name ?? '') : ''),
    toggle: (id) =>
      setExpanded((prev) => {
        const next = new Set(prev);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    select: (id, on) =>
      setSelected((prev) => {
        const next = new Set(prev);
        if (on) next.add(id);
        else next.delete(id);
        return next;
      }),
    open: setForm,
    setActive: (unit, active) =>
      act(async () => {
        await calls.setActive(unit.id, active);
        return t('unitsSaved');
      }),
  };

  const sources = [...selected].map((id) => byId.get(id)).filter((u): u is UnitNode => Boolean(u));
  return (
    <>
      <section aria-labelledby="units-title" className="units-admin">
        <h1 id="units-title">{t('unitsTitle')}</h1>
        <p className="muted">{t('unitsHint')}</p>
        <div className="units-admin__bar">
          <label>
            <input type="checkbox" checked={showInactive} onChange={(e) => setShowInactive(e.target.checked)} />{' '}
            {t('unitsShowInactive')}
          </label>
          <button type="button" onClick={() => setForm({ kind: 'add', parent: null })}>
            {t('unitsAdd')}
          </button>
          <button type="button" disabled={sources.length < 1} onClick={() => setForm('merge')}>
            {t('unitsMerge', { count: sources.length })}
          </button>
        </div>
        {error && <p role="alert">{error}</p>}
        {message && <p role="status">{message}</p>}
        {form === 'merge' ? (
          <MergeForm sources={sources} units={units} onSubmit={merge} onCancel={() => setForm(null)} />
        ) : (
          form && (
            <UnitForm
              key={JSON.stringify(form.kind === 'add' ? form.parent?.id : form.unit.id) + form.kind}
              mode={form}
              units={units}
              exclude={form.kind === 'move' ? subtreeIds(form.unit) : undefined}
              onSubmit={(fields) => save(form, fields)}
              onCancel={() => setForm(null)}
            />
          )
        )}
        <ul className="units-tree">
          {roots.map((u) => (
            <UnitRow key={u.id} unit={u} ctx={ctx} />
          ))}
        </ul>
      </section>
      <CsvImport
        id="units-import"
        text={{
          title: t('unitsImportTitle'),
          exportLabel: t('unitsImportExport'),
          codeLabel: t('unitsCode'),
          summary: (counts) => t('unitsImportSummary', counts),
          applied: (counts) => t('unitsImportApplied', counts),
        }}
        exportHref={UNITS_CSV}
        run={async (csv, apply) => {
          const result = await calls.importCsv(csv, apply);
          if (result.applied) await load();
          return result;
        }}
      />
    </>
  );
}

/** The merged unit's ancestors, to open the tree down to it (unknown for a new unit until reloaded). */
function ancestorsOf(byId: Map<string, UnitNode>, into: { intoId: string } | { create: UnitFields }): string[] {
  const out: string[] = [];
  let id = 'intoId' in into ? byId.get(into.intoId)?.parentId : into.create.parentId;
  while (id) {
    out.push(id);
    id = byId.get(id)?.parentId;
  }
  return out;
}

function UnitRow({ unit, ctx }: { unit: UnitNode; ctx: RowCtx }) {
  const { t } = useI18n();
  if (!unit.active && !ctx.showInactive) return null;
  const open = ctx.expanded.has(unit.id);
  const kids = unit.children.filter((c) => c.active || ctx.showInactive);
  return (
    <li
      className={unit.active ? 'units-tree__unit' : 'units-tree__unit units-tree__unit--inactive'}
      data-unit={unit.code}
    >
      <div className="units-tree__row">
        {kids.length > 0 ? (
          <button
            type="button"
            className="units-tree__toggle"
            aria-expanded={open}
            aria-label={t(open ? 'unitsCollapse' : 'unitsExpand', { name: unit.name })}
            onClick={() => ctx.toggle(unit.id)}
          >
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span className="units-tree__toggle" />
        )}
        {unit.active && (
          <input
            type="checkbox"
            aria-label={t('unitsSelect', { name: unit.name })}
            checked={ctx.selected.has(unit.id)}
            onChange={(e) => ctx.select(unit.id, e.target.checked)}
          />
        )}
        <span className="units-tree__name">{unit.name}</span>
        <span className="muted">
          {t(KIND_LABEL[unit.kind])} · {unit.code} · {t('unitsRooms', { rooms: unit.subtreeRooms })}
        </span>
        {!unit.active && (
          <span className="units-tree__badge">
            {unit.mergedIntoId ? t('unitsMergedInto', { name: ctx.nameOf(unit.mergedIntoId) }) : t('unitsInactive')}
          </span>
        )}
        <span className="units-tree__actions">
          {unit.active && (
            <>
              <button type="button" onClick={() => ctx.open({ kind: 'edit', unit })}>
                {t('unitsEdit')}
              </button>
              <button type="button" onClick={() => ctx.open({ kind: 'move', unit })}>
                {t('unitsMove')}
              </button>
              <button type="button" onClick={() => ctx.open({ kind: 'add', parent: unit })}>
                {t('unitsAddChild')}
              </button>
            </>
          )}
          <button type="button" onClick={() => ctx.setActive(unit, !unit.active)}>
            {t(unit.active ? 'unitsDeactivate' : 'unitsReactivate')}
          </button>
        </span>
      </div>
      {open && kids.length > 0 && (
        <ul>
          {kids.map((c) => (
            <UnitRow key={c.id} unit={c} ctx={ctx} />
          ))}
        </ul>
      )}
    </li>
  );
}
