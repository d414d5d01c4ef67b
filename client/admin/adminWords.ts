// The administrator's screens in words: the unit list as an indented choice,
// a role's name, a room's last technical check.
import type { UserRole } from '../../contract/enums.ts';
import type { TechCheckReport } from '../../contract/rest/techCheck.ts';
import type { Unit } from '../api.ts';
import type { MessageKey, Translate } from '../i18n/index.tsx';
import { ddmmyyyy, hhmm } from '../lib/time.ts';
import { buildTree } from '../lib/tree.ts';

export const ROLE_NAME: Record<UserRole, MessageKey> = {
  admin: 'roleAdmin',
  secretariat: 'roleSecretariat',
  chair: 'roleChair',
  room_operator: 'roleRoomOperator',
};

/** Every unit in tree order, its label indented by its depth (for a <select>). */
export function unitOptions(units: Unit[]): { id: string; label: string }[] {
  const tree = buildTree(units, []);
  const out: { id: string; label: string }[] = [];
  const walk = (u: Unit, depth: number) => {
    out.push({ id: u.id, label: `${'\u00a0\u00a0'.repeat(depth)}${u.name}` });
    for (const c of tree.children.get(u.id) ?? []) walk(c, depth + 1);
  };
  for (const r of tree.roots) walk(r, 0);
  return out;
}

/** "08:15 29/11/2026", or the words for never. */
export function when(t: Translate, iso: string | null): string {
  return iso ? `${hhmm(iso)} ${ddmmyyyy(iso)}` : t('adminNever');
}

/** E.g. "Camera tốt · Micrô không nhận tiếng · Mạng tốt (42 ms) — 08:15 29/11/2026". */
export function techCheckWords(t: Translate, check: TechCheckReport | null): string {
  if (!check) return t('techCheckNone');
  const parts = [
    t(check.camera ? 'techCheckCameraOk' : 'techCheckCameraBad'),
    t(check.microphone ? 'techCheckMicOk' : 'techCheckMicBad'),
    check.network ? t('techCheckNetworkOk', { ms: check.serverRttMs ?? '?' }) : t('techCheckNetworkBad'),
  ];
  return `${parts.join(' · ')} — ${when(t, check.at)}`;
}
