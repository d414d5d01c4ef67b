// Merging the chosen units into one: an existing active unit, or a new one
// (by default beside the first unit chosen).
import { type FormEvent, useState } from 'react';
import { useI18n } from '../../i18n/index.tsx';
import { ParentSelect, UnitFieldsInputs } from './UnitForm.tsx';
import type { UnitFields, UnitNode } from './unitTreeModel.ts';

export function MergeForm({
  sources,
  units,
  onSubmit,
  onCancel,
}: {
  sources: UnitNode[];
  units: UnitNode[];
  onSubmit: (into: { intoId: string } | { create: UnitFields }) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const first = sources[0] as UnitNode;
  const chosen = new Set(sources.map((s) => s.id));
  const [target, setTarget] = useState<'existing' | 'new'>('new');
  const [intoId, setIntoId] = useState<string | null>(null);
  const [fields, setFields] = useState<UnitFields>({ name: '', code: '', kind: first.kind, parentId: first.parentId });
  const set = (f: Partial<UnitFields>) => setFields((prev) => ({ ...prev, ...f }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (target === 'new') onSubmit({ create: fields });
    else if (intoId) onSubmit({ intoId });
  };

  return (
    <form className="unit-form" onSubmit={submit} aria-label={t('unitsMergeTitle')}>
      <h2>{t('unitsMergeTitle')}</h2>
      <p>{t('unitsMergeSources', { names: sources.map((s) => s.name).join(', ') })}</p>
      <fieldset>
        <legend>{t('unitsMergeInto')}</legend>
        <label>
          <input type="radio" checked={target === 'new'} onChange={() => setTarget('new')} /> {t('unitsMergeNew')}
        </label>
        <label>
          <input type="radio" checked={target === 'existing'} onChange={() => setTarget('existing')} />{' '}
          {t('unitsMergeExisting')}
        </label>
      </fieldset>
      {target === 'new' ? (
        <>
          <UnitFieldsInputs fields={fields} set={set} />
          <ParentSelect
            units={units}
            value={fields.parentId}
            onChange={(parentId) => set({ parentId })}
            exclude={chosen}
            label={t('unitsParent')}
          />
        </>
      ) : (
        <ParentSelect units={units} value={intoId} onChange={setIntoId} exclude={chosen} label={t('unitsMergeInto')} />
      )}
      <button type="submit" disabled={target === 'existing' && !intoId}>
        {t('unitsMergeConfirm')}
      </button>
      <button type="button" onClick={onCancel}>
        {t('cancel')}
      </button>
    </form>
  );
}
