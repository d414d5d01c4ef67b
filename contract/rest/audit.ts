// GET /api/audit: the audit log for administrators, newest first, filtered by
// user, meeting and action, a page at a time; GET /api/audit/actions: the
// actions it holds (shown by client/screens/admin/AuditLog.tsx).

export interface AuditEntry {
  id: string;
  at: string;
  userId: string | null;
  userLogin: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  /** The meeting's title, for entries about a meeting that still exists. */
  meetingTitle?: string;
  details: unknown;
  ip: string | null;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Entries matching the filter, on every page. */
  total: number;
  offset: number;
  limit: number;
}

export interface AuditActions {
  actions: { action: string; count: number }[];
}
