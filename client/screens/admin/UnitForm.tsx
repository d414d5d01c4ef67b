// Adding, renaming or moving one unit: the fields each needs, and the parent
// chosen among the active units (never the unit itself or one under it).
import { type FormEvent, useState } from 'react';
import { UNIT_KINDS, type UnitKind } from '../../../contract/enums.ts';
import { useI18n } from '../../i18n/index.tsx';
import { KIND_LABEL, type UnitFields, type UnitNode } from './unitTreeModel.ts';

export type UnitFormMode = { kind: 'add'; parent: UnitNode | null } | { kind: 'edit' | 'move'; unit: UnitNode };

/** A parent picker over the active units, indented by depth. */
export function ParentSelect({
  units,
  value,
  onChange,
  exclude,
  label,
}: {
  units: UnitNode[];
  value: string | null;
  onChange: (id: string | null) => void;
  exclude?: ReadonlySet<string>;
  label: string;
}) {
  const { t } = useI18n();
  return (
    <label>
      {label}{' '}
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value || null)}>
        <option value="">{t('unitsNoParent')}</option>
        {units
          .filter((u) => u.active && !exclude?.has(u.id))
          .map((u) => (
            <option key={u.id} value={u.id}>
              {`${'\u00a0\u00a0'.repeat(u.depth)}${u.name} (${u.code})`}
            </option>
          ))}
      </select>
    </label>
  );
}

export function UnitFieldsInputs({ fields, set }: { fields: UnitFields; set: (f: Partial<UnitFields>) => void }) {
  const { t } = useI18n();
  return (
    <>
      <label>
        {t('unitsName')} <input required value={fields.name} onChange={(e) => set({ name: e.target.value })} />
      </label>
      <label>
        {t('unitsCode')} <input required value={fields.code} onChange={(e) => set({ code: e.target.value })} />
      </label>
      <label>
        {t('unitsKind')}{' '}
        <select value={fields.kind} onChange={(e) => set({ kind: e.target.value as UnitKind })}>
          {UNIT_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(KIND_LABEL[k])}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}

export function UnitForm({
  mode,
  units,
  exclude,
  onSubmit,
  onCancel,
}: {
  mode: UnitFormMode;
  units: UnitNode[];
  /** The moved unit's subtree: never its own parent. */
  exclude?: ReadonlySet<string>;
  onSubmit: (fields: Partial<UnitFields>) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const start: UnitFields =
    mode.kind === 'add'
      ? { name: '', code: '', kind: 'commune', parentId: mode.parent?.id ?? null }
      : { name: mode.unit.name, code: mode.unit.code, kind: mode.unit.kind, parentId: mode.unit.parentId };
  const [fields, setFields] = useState(start);
  const set = (f: Partial<UnitFields>) => setFields((prev) => ({ ...prev, ...f }));
  const title =
    mode.kind === 'add' ? t('unitsAdd') : `${t(mode.kind === 'edit' ? 'unitsEdit' : 'unitsMove')}: ${mode.unit.name}`;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (mode.kind === 'move') onSubmit({ parentId: fields.parentId });
    else if (mode.kind === 'edit') onSubmit({ name: fields.name, code: fields.code, kind: fields.kind });
    else onSubmit(fields);
  };

  return (
    <form className="unit-form" onSubmit={submit} aria-label={title}>
      <h2>{title}</h2>
      {mode.kind !== 'move' && <UnitFieldsInputs fields={fields} set={set} />}
      {mode.kind !== 'edit' && (
        <ParentSelect
          units={units}
          value={fields.parentId}
          onChange={(parentId) => set({ parentId })}
          exclude={exclude}
          label={t('unitsParent')}
        />
      )}
      <button type="submit">{t('save')}</button>
      <button type="button" onClick={onCancel}>
        {t('cancel')}
      </button>
    </form>
  );
}
