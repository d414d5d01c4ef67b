// The administrator's calls for accounts and rooms (routes in ROUTES, client/api.ts),
// and the room operator's report of its pre-join check.
import type { UserRole } from '../../contract/enums.ts';
import type {
  Account,
  AccountImportResult,
  AccountsResponse,
  CreateAccountResponse,
  RoomOverview,
  RoomsOverviewResponse,
} from '../../contract/rest/accounts.ts';
import type { TechCheckResult } from '../../contract/rest/techCheck.ts';
import type { RoomSip } from '../../contract/sip.ts';
import { type ApiClient, ROUTES } from '../api.ts';

export interface AccountFilter {
  q?: string;
  role?: UserRole | '';
  unitId?: string;
  active?: '' | 'true' | 'false';
}

export interface AccountInput {
  login?: string;
  name?: string;
  role?: UserRole;
  unitId?: string | null;
  roomId?: string | null;
  active?: boolean;
}

export interface RoomInput {
  name?: string;
  code?: string;
  unitId?: string;
  location?: string | null;
  active?: boolean;
}

export async function listAccounts(api: ApiClient, filter: AccountFilter): Promise<Account[]> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v) q.set(k, v);
  return (await api.request<AccountsResponse>('GET', `${ROUTES.users}?${q}`)).users;
}

/** Without a password the hub generates a one-time one, answered here once. */
export function createAccount(api: ApiClient, input: AccountInput): Promise<CreateAccountResponse> {
  return api.request<CreateAccountResponse>('POST', ROUTES.users, input);
}

export async function updateAccount(api: ApiClient, id: string, input: AccountInput): Promise<Account> {
  return (await api.request<{ user: Account }>('PATCH', ROUTES.user(id), input)).user;
}

export async function resetPassword(api: ApiClient, id: string): Promise<string> {
  return (await api.request<{ password: string }>('POST', ROUTES.userResetPassword(id), {})).password;
}

export function importAccounts(api: ApiClient, csv: string, apply: boolean): Promise<AccountImportResult> {
  return api.request<AccountImportResult>('POST', ROUTES.usersImport, { csv, apply });
}

export async function roomsOverview(api: ApiClient): Promise<RoomOverview[]> {
  return (await api.request<RoomsOverviewResponse>('GET', ROUTES.roomsOverview)).rooms;
}

export async function createRoom(api: ApiClient, input: RoomInput): Promise<void> {
  await api.request('POST', ROUTES.rooms, input);
}

export async function updateRoom(api: ApiClient, id: string, input: RoomInput): Promise<void> {
  await api.request('PATCH', ROUTES.room(id), input);
}

/** Makes the room a SIP room system, or changes its account (docs/sip.md). */
export async function setRoomSip(api: ApiClient, roomId: string, sip: RoomSip): Promise<void> {
  await api.request('PUT', ROUTES.roomSip(roomId), sip);
}

/** Makes a SIP room a browser-only room again. */
export async function removeRoomSip(api: ApiClient, roomId: string): Promise<void> {
  await api.request('DELETE', ROUTES.roomSip(roomId));
}

/** The room operator's browser tells the hub how its last device check went (shown on the rooms screen). */
export async function reportTechCheck(api: ApiClient, roomId: string, result: TechCheckResult): Promise<void> {
  await api.request('POST', ROUTES.roomTechCheck(roomId), result);
}
