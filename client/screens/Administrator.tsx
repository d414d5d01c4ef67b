// The administrator's home: the schedule (as the secretariat sees it) and the
// administration sections, one at a time.
import { useState } from 'react';
import type { ApiClient, User } from '../api.ts';
import { type MessageKey, useI18n } from '../i18n/index.tsx';
import { Accounts } from './admin/Accounts.tsx';
import { AuditLog } from './admin/AuditLog.tsx';
import { HealthPage } from './admin/HealthPage.tsx';
import { Rooms } from './admin/Rooms.tsx';
import { UnitsAdmin } from './admin/UnitsAdmin.tsx';
import { Webhooks } from './admin/Webhooks.tsx';
import { Secretariat } from './Secretariat.tsx';

type Section = 'schedule' | 'accounts' | 'units' | 'rooms' | 'audit' | 'webhooks' | 'health';
const SECTIONS: { id: Section; label: MessageKey }[] = [
  { id: 'schedule', label: 'adminSchedule' },
  { id: 'accounts', label: 'adminAccounts' },
  { id: 'units', label: 'adminUnits' },
  { id: 'rooms', label: 'adminRooms' },
  { id: 'audit', label: 'adminAudit' },
  { id: 'webhooks', label: 'adminWebhooks' },
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
      {section === 'units' && <UnitsAdmin api={api} />}
      {section === 'rooms' && <Rooms api={api} />}
      {section === 'audit' && <AuditLog api={api} />}
      {section === 'webhooks' && <Webhooks api={api} />}
      {section === 'health' && <HealthPage api={api} />}
    </>
  );
}
