// The administrator's home: the schedule (as the secretariat sees it) and the
// administration sections, one at a time.
import { useState } from 'react';
import type { ApiClient, User } from '../api.ts';
import { type MessageKey, useI18n } from '../i18n/index.tsx';
import { Accounts } from './admin/Accounts.tsx';
import { HealthPage } from './admin/HealthPage.tsx';
import { Rooms } from './admin/Rooms.tsx';
import { Secretariat } from './Secretariat.tsx';

type Section = 'schedule' | 'accounts' | 'rooms' | 'health';
const SECTIONS: { id: Section; label: MessageKey }[] = [
  { id: 'schedule', label: 'adminSchedule' },
  { id: 'accounts', label: 'adminAccounts' },
  { id: 'rooms', label: 'adminRooms' },
  { id: 'health', label: 'adminHealth' },
];

export function Administrator({ api, user }: { api: ApiClient; user: User }) {
  const { t } = useI18n();
  const [section, setSection] = useState<Section>('schedule');
  return (
    <>
      <nav className="admin-sections" aria-label={t('adminSections')}>
        {SECTIONS.map((s) => (
          <button
            key={s.id}
            type="button"
            aria-current={section === s.id ? 'page' : undefined}
            onClick={() => setSection(s.id)}
          >
            {t(s.label)}
          </button>
        ))}
      </nav>
      {section === 'schedule' && <Secretariat api={api} user={user} />}
      {section === 'accounts' && <Accounts api={api} user={user} />}
      {section === 'rooms' && <Rooms api={api} />}
      {section === 'health' && <HealthPage api={api} />}
    </>
  );
}
