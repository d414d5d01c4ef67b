// Choosing the layout (contract/layout.ts). The chair's picker sets what every
// site shows (a stored decision; the grid takes the first sites it is given).
// A room's picker pins a layout on its own screen only, or follows the chair.
import { LAYOUT_KINDS, type LayoutKind } from '../../contract/layout.ts';
import { type MessageKey, useI18n } from '../i18n/index.tsx';

export const LAYOUT_LABEL: Record<LayoutKind, MessageKey> = {
  speaker: 'layoutSpeaker',
  sideBySide: 'layoutSideBySide',
  content: 'layoutContent',
  grid: 'layoutGrid',
};

const FOLLOW = 'follow';

export interface LayoutPickerProps {
  /** chair: sets every site's layout; room: pins this page's only. */
  scope: 'chair' | 'room';
  /** The chair's current choice (chair), or the room's pin (room; null follows the chair). */
  value: LayoutKind | null;
  onChange: (kind: LayoutKind | null) => void;
  disabled?: boolean;
}

export function LayoutPicker({ scope, value, onChange, disabled }: LayoutPickerProps) {
  const { t } = useI18n();
  return (
    <label className="inline-form layout-picker">
      {t(scope === 'chair' ? 'layoutLabel' : 'layoutPinLabel')}{' '}
      <select
        data-testid={`layout-${scope}`}
        value={value ?? FOLLOW}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value === FOLLOW ? null : (e.target.value as LayoutKind))}
      >
        {scope === 'room' && <option value={FOLLOW}>{t('layoutFollowChair')}</option>}
        {LAYOUT_KINDS.map((kind) => (
          <option key={kind} value={kind}>
            {t(LAYOUT_LABEL[kind])}
          </option>
        ))}
      </select>
    </label>
  );
}
