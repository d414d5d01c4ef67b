// The administrator's accounts and rooms screens (client/screens/admin/):
// GET /api/users, POST /api/users/:id/reset-password, POST /api/users/import,
// GET /api/rooms/overview (scheduler/routes/users.ts, accountsCsv.ts, roomOverview.ts).
import type { UserRole } from '../enums.ts';
import type { CsvImportResult } from './csvImport.ts';
import type { TechCheckReport } from './techCheck.ts';

export interface Account {
  id: string;
  login: string;
  name: string;
  role: UserRole;
  unitId: string | null;
  roomId: string | null;
  unit: { name: string; code: string } | null;
  room: { name: string; code: string } | null;
  active: boolean;
  mustChangePassword: boolean;
  /** ISO; null: never logged in. */
  lastLoginAt: string | null;
  createdAt: string;
}

export interface AccountsResponse {
  users: Account[];
}

/** A password the hub generated, shown once to the administrator to hand over; its owner must replace it. */
export interface OneTimePassword {
  login: string;
  name: string;
  password: string;
}

/** POST /api/users answers the account and, when no password was given, the one it generated. */
export interface CreateAccountResponse {
  user: Account;
  password?: string;
}

export interface AccountImportResult extends CsvImportResult {
  /** Only in an applied import: the new accounts' generated passwords. */
  oneTimePasswords: OneTimePassword[];
}

/** A room's SIP account as the administrator sees it: never its password nor its HA1. */
export interface RoomSipAccount {
  user: string;
  /** Where the hub calls the room (dial-out); null: the room dials in. */
  uri: string | null;
}

export interface RoomOverview {
  id: string;
  code: string;
  name: string;
  location: string | null;
  active: boolean;
  unit: { id: string; name: string; code: string };
  operators: { id: string; login: string; name: string; active: boolean }[];
  /** ISO: when the room's site last joined a meeting; null: never. */
  lastJoinedAt: string | null;
  /** Whether the site is in a meeting now (an attendance interval still open). */
  connectedNow: boolean;
  techCheck: TechCheckReport | null;
  /** The room system's SIP account; null: a browser room. */
  sip: RoomSipAccount | null;
}

export interface RoomsOverviewResponse {
  rooms: RoomOverview[];
}
