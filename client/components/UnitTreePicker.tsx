// Picks endpoint rooms from the unit tree (any depth): tick a unit to take its
// whole subtree, see selected/total room counts per unit, search by name
// (accent-insensitive). Plain checkboxes and buttons, so it is keyboard usable.
// With `single`, it chooses one room (radio buttons on rooms, none on units),
// opened on the chosen room's branch: the chairing room of a meeting.
import { memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { Room, Unit } from '../api.ts';
import { useI18n } from '../i18n/index.tsx';
import { buildTree, fold, type TreeIndex } from '../lib/tree.ts';

export interface UnitTreePickerProps {
  units: Unit[];
  rooms: Room[];
  selected: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
  /** Units expanded at first render; defaults to the roots. */
  initiallyExpanded?: string[];
  disabled?: boolean;
  /** One room at most: `selected` holds the chosen room. */
  single?: boolean;
  /** Label of the search box (default: search units or rooms). */
  searchLabel?: string;
  className?: string;
}

export function UnitTreePicker({
  units,
  rooms,
  selected,
  onChange,
  initiallyExpanded,
  disabled,
  single = false,
  searchLabel,
  className,
}: UnitTreePickerProps) {
  const { t } = useI18n();
  // Inactive units (deactivated, merged) are history: nothing new may be placed in them.
  const tree = useMemo(
    () =>
      buildTree(
        units.filter((u) => u.active !== false),
        rooms,
      ),
    [units, rooms],
  );
  const [expanded, setExpanded] = useState<Set<string>>(() => {
    const open = new Set(initiallyExpanded ?? tree.roots.map((r) => r.id));
    if (single) for (const id of selected) for (const u of branchOf(tree, id)) open.add(u);
    return open;
  });
  const [query, setQuery] = useState('');
  const searchId = useId();
  const radioName = useId();

  const match = useMemo(() => (query.trim() ? visibleForQuery(tree, fold(query.trim())) : null), [tree, query]);

  const toggleExpanded = (id: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const setMany = (ids: string[], on: boolean) => {
    const next = new Set(selected);
    for (const id of ids) {
      if (on) next.add(id);
      else next.delete(id);
    }
    onChange(next);
  };

  const choose = (id: string) => onChange(new Set([id]));

  const total = tree.rooms.size;
  const chosen = [...selected].filter((id) => tree.rooms.has(id));
  const summary = !single
    ? t('treeSelected', { selected: chosen.length, total })
    : chosen[0]
      ? t('treeChosen', { name: tree.rooms.get(chosen[0])?.name ?? '' })
      : t('treeNoneChosen');
  const ctx: NodeCtx = {
    tree,
    selected,
    expanded,
    match,
    toggleExpanded,
    setMany,
    choose: single ? { name: radioName, pick: choose } : null,
    disabled: Boolean(disabled),
  };
  const search = searchLabel ?? t('treeSearch');

  return (
    <div className={`tree-picker${single ? ' tree-picker--single' : ''}${className ? ` ${className}` : ''}`}>
      <div className="tree-picker__bar">
        <label htmlFor={searchId} className="visually-hidden">
          {search}
        </label>
        <input
          id={searchId}
          type="search"
          placeholder={search}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <output className="tree-picker__summary" aria-live="polite">
          {summary}
        </output>
        {!single && (
          <button type="button" onClick={() => onChange(new Set())} disabled={disabled || chosen.length === 0}>
            {t('treeClear')}
          </button>
        )}
      </div>
      <ul className="tree-picker__list">
        {tree.roots.map((u) => (
          <UnitNode key={u.id} unit={u} ctx={ctx} />
        ))}
        {tree.orphanRooms.map((r) => (
          <RoomNode key={r.id} room={r} ctx={ctx} />
        ))}
      </ul>
      {match && match.units.size === 0 && match.rooms.size === 0 && <p className="muted">{t('treeNoMatch')}</p>}
    </div>
  );
}

interface NodeCtx {
  tree: TreeIndex;
  selected: ReadonlySet<string>;
  expanded: Set<string>;
  match: QueryMatch | null;
  toggleExpanded: (id: string) => void;
  setMany: (ids: string[], on: boolean) => void;
  /** Single choice: the radio group's name and the pick. */
  choose: { name: string; pick: (roomId: string) => void } | null;
  disabled: boolean;
}

/** The units from the root down to a room's unit. */
function branchOf(tree: TreeIndex, roomId: string): string[] {
  const out: string[] = [];
  let cur = tree.units.get(tree.rooms.get(roomId)?.unitId ?? '');
  while (cur) {
    out.push(cur.id);
    cur = cur.parentId ? tree.units.get(cur.parentId) : undefined;
  }
  return out;
}

interface QueryMatch {
  /** Units shown (matching, or on the path to a match). */
  units: Set<string>;
  /** Units whose whole subtree is shown (the unit itself matched). */
  whole: Set<string>;
  rooms: Set<string>;
}

function visibleForQuery(tree: TreeIndex, q: string): QueryMatch {
  const units = new Set<string>();
  const whole = new Set<string>();
  const rooms = new Set<string>();
  const showPath = (unitId: string | null) => {
    let cur = unitId ? tree.units.get(unitId) : undefined;
    while (cur && !units.has(cur.id)) {
      units.add(cur.id);
      cur = cur.parentId ? tree.units.get(cur.parentId) : undefined;
    }
  };
  for (const u of tree.units.values()) {
    if (fold(u.name).includes(q)) {
      whole.add(u.id);
      showPath(u.id);
    }
  }
  for (const r of tree.rooms.values()) {
    if (fold(r.name).includes(q)) {
      rooms.add(r.id);
      showPath(r.unitId);
    }
  }
  return { units, whole, rooms };
}

function underWhole(tree: TreeIndex, match: QueryMatch, unitId: string): boolean {
  let cur = tree.units.get(unitId);
  while (cur) {
    if (match.whole.has(cur.id)) return true;
    cur = cur.parentId ? tree.units.get(cur.parentId) : undefined;
  }
  return false;
}

const UnitNode = memo(function UnitNode({ unit, ctx }: { unit: Unit; ctx: NodeCtx }) {
  const { t } = useI18n();
  const { tree, selected, match } = ctx;
  const ids = tree.subtreeRooms.get(unit.id) ?? [];
  let count = 0;
  for (const id of ids) if (selected.has(id)) count++;
  const all = ids.length > 0 && count === ids.length;
  const some = count > 0 && !all;
  const boxRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (boxRef.current) boxRef.current.indeterminate = some;
  }, [some]);

  const inWhole = match ? underWhole(tree, match, unit.id) : false;
  if (match && !match.units.has(unit.id) && !inWhole) return null;
  const open = match ? true : ctx.expanded.has(unit.id);
  const kids = tree.children.get(unit.id) ?? [];
  const rooms = tree.roomsOf.get(unit.id) ?? [];
  const hasChildren = kids.length + rooms.length > 0;

  return (
    <li className="tree-node">
      <div className="tree-node__row">
        {hasChildren ? (
          <button
            type="button"
            className="tree-node__toggle"
            aria-expanded={open}
            aria-label={open ? t('treeCollapse', { name: unit.name }) : t('treeExpand', { name: unit.name })}
            onClick={() => ctx.toggleExpanded(unit.id)}
            disabled={Boolean(match)}
          >
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span className="tree-node__toggle" aria-hidden="true" />
        )}
        {ctx.choose ? (
          <span className="tree-node__name tree-node__name--unit">{unit.name}</span>
        ) : (
          <>
            <label className="tree-node__label">
              <input
                ref={boxRef}
                type="checkbox"
                checked={all}
                aria-checked={some ? 'mixed' : all}
                disabled={ctx.disabled || ids.length === 0}
                onChange={() => ctx.setMany(ids, !all)}
              />
              <span className="tree-node__name">{unit.name}</span>
            </label>
            <span className="tree-node__count" data-testid={`count-${unit.id}`}>
              {t('treeRooms', { selected: count, total: ids.length })}
            </span>
          </>
        )}
      </div>
      {open && hasChildren && (
        <ul>
          {rooms
            .filter((r) => !match || inWhole || match.rooms.has(r.id))
            .map((r) => (
              <RoomNode key={r.id} room={r} ctx={ctx} />
            ))}
          {kids.map((k) => (
            <UnitNode key={k.id} unit={k} ctx={ctx} />
          ))}
        </ul>
      )}
    </li>
  );
});

function RoomNode({ room, ctx }: { room: Room; ctx: NodeCtx }) {
  const on = ctx.selected.has(room.id);
  const choose = ctx.choose;
  return (
    <li className="tree-node tree-node--room">
      <div className="tree-node__row">
        <span className="tree-node__toggle" aria-hidden="true" />
        <label className="tree-node__label">
          <input
            type={choose ? 'radio' : 'checkbox'}
            name={choose?.name}
            value={room.id}
            checked={on}
            disabled={ctx.disabled}
            onChange={() => (choose ? choose.pick(room.id) : ctx.setMany([room.id], !on))}
          />
          <span className="tree-node__name">{room.name}</span>
        </label>
      </div>
    </li>
  );
}
