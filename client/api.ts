// Typed client for the scheduler's REST API under /api. Cookie session; every
// write carries the session's CSRF token in x-csrf-token. Errors surface as
// ApiError with the server's Vietnamese and English messages.
// Every route the client uses is listed in ROUTES so the mapping to the
// scheduler (docs/scheduler.md) is in one place. Meetings, invitations and join
// tokens are typed by the scheduler's REST contract (contract/rest/).
import type { AttendanceMark, UnitKind, UserRole } from '../contract/enums.ts';
import type { ApiErrorCode, ErrorBody } from '../contract/errors.ts';
import type { CsvImportResult } from '../contract/rest/csvImport.ts';
import type { HealthReport } from '../contract/rest/health.ts';
import type {
  InviteBody,
  MeetingInvitation,
  MeetingInvitationsResponse,
  RoomInvitation,
  RoomInvitationsResponse,
} from '../contract/rest/invitations.ts';
import type { JoinTokenResponse } from '../contract/rest/joinTokens.ts';
import type {
  CheckConflictsBody,
  CheckConflictsResponse,
  Conflict,
  CreateMeetingResponse,
  Meeting,
  MeetingInput,
  MeetingResponse,
  MeetingsResponse,
  RoomSelection,
  UpdateMeetingResponse,
} from '../contract/rest/meetings.ts';
import type { Recording, RecordingsResponse } from '../contract/rest/recordings.ts';

export interface User {
  id: string;
  login: string;
  name: string;
  role: UserRole;
  /** Signed in with a generated password: the API refuses everything until it is changed. */
  mustChangePassword?: boolean;
  /** Where the password lives: here (local) or in the province's directory (ldap, oidc). */
  authSource?: 'local' | 'ldap' | 'oidc';
  unit: { id: string; name: string; kind: string; code?: string } | null;
  room: { id: string; name: string; unitId: string; unitName?: string } | null;
}

export interface SignInMethods {
  password: true;
  ldap: boolean;
  oidc: boolean;
}

export interface Unit {
  id: string;
  name: string;
  kind: UnitKind | string;
  code?: string;
  parentId: string | null;
  sortOrder?: number;
  /** False for a unit deactivated or merged into another: kept for history, never offered for new choices. */
  active?: boolean;
}

export interface Room {
  id: string;
  unitId: string;
  name: string;
  code?: string;
  active?: boolean;
}

export interface UnitTree {
  units: Unit[];
  rooms: Room[];
}

export interface AttendanceRow {
  roomId: string;
  roomName: string;
  unitId?: string;
  unitName?: string;
  mark: AttendanceMark;
  markReason?: string | null;
  firstJoinedAt?: string | null;
  lastLeftAt?: string | null;
  computed?: string;
  /** A SIP room the hub can call (docs/sip.md): the console offers "Call" while it is away. */
  sipDialOut?: boolean;
}

export const ROUTES = {
  login: '/api/auth/login',
  logout: '/api/auth/logout',
  me: '/api/auth/me',
  password: '/api/auth/password',
  signInMethods: '/api/auth/methods',
  oidcStart: '/api/auth/oidc/start',
  unitTree: '/api/units/tree',
  rooms: '/api/rooms',
  meetings: '/api/meetings',
  meeting: (id: string) => `/api/meetings/${enc(id)}`,
  checkConflicts: '/api/meetings/check-conflicts',
  meetingCancel: (id: string) => `/api/meetings/${enc(id)}/cancel`,
  meetingEnd: (id: string) => `/api/meetings/${enc(id)}/end`,
  meetingInvitations: (id: string) => `/api/meetings/${enc(id)}/invitations`,
  uninvite: (id: string) => `/api/meetings/${enc(id)}/invitations/remove`,
  respond: (id: string, roomId: string) => `/api/meetings/${enc(id)}/invitations/${enc(roomId)}/respond`,
  roomInvitations: '/api/invitations',
  joinToken: (id: string) => `/api/meetings/${enc(id)}/join-token`,
  attendance: (id: string) => `/api/meetings/${enc(id)}/attendance`,
  attendanceCsv: (id: string) => `/api/meetings/${enc(id)}/attendance.csv`,
  attendanceHtml: (id: string) => `/api/meetings/${enc(id)}/attendance.html`,
  chatCsv: (id: string) => `/api/meetings/${enc(id)}/chat.csv`,
  attendanceMark: (id: string, roomId: string) => `/api/meetings/${enc(id)}/attendance/${enc(roomId)}/mark`,
  ics: (id: string) => `/api/meetings/${enc(id)}/calendar.ics`,
  meetingRecordings: (id: string) => `/api/meetings/${enc(id)}/recordings`,
  recording: (id: string) => `/api/recordings/${enc(id)}`,
  /** The MP4: inline for <video>, else as a download. */
  recordingFile: (id: string, inline = false) => `/api/recordings/${enc(id)}/file${inline ? '?inline=true' : ''}`,
  healthReport: '/api/health/report',
  roomsCsv: '/api/rooms.csv',
  roomsImport: '/api/rooms/import',
  room: (id: string) => `/api/rooms/${enc(id)}`,
  roomsOverview: '/api/rooms/overview',
  roomTechCheck: (id: string) => `/api/rooms/${enc(id)}/tech-check`,
  roomSip: (id: string) => `/api/rooms/${enc(id)}/sip`,
  users: '/api/users',
  user: (id: string) => `/api/users/${enc(id)}`,
  userResetPassword: (id: string) => `/api/users/${enc(id)}/reset-password`,
  usersCsv: '/api/users.csv',
  usersImport: '/api/users/import',
} as const;

function enc(s: string): string {
  return encodeURIComponent(s);
}

/** Codes only the client gives: the server was not reached, or answered without the error shape (a proxy). */
export type ClientErrorCode = 'NETWORK' | 'UNEXPECTED_RESPONSE';

/** A refused or failed request, in the one error shape of contract/errors.ts: `message` is Vietnamese. */
export class ApiError extends Error {
  readonly code: ApiErrorCode | ClientErrorCode;
  readonly messageEn: string;
  readonly details?: unknown;

  constructor(
    readonly status: number,
    body: ErrorBody<ApiErrorCode | ClientErrorCode>,
  ) {
    super(body.message);
    this.code = body.code;
    this.messageEn = body.messageEn;
    this.details = body.details;
  }

  static network(): ApiError {
    return new ApiError(0, {
      code: 'NETWORK',
      message: 'Không kết nối được tới máy chủ. Kiểm tra mạng rồi thử lại.',
      messageEn: 'Cannot reach the server. Check the network and retry.',
    });
  }

  /** The error of a non-2xx answer: the server's `{ error }` body, or a plain one when something else answered. */
  static fromResponse(status: number, data: unknown): ApiError {
    const body = (data as { error?: Partial<ErrorBody<ApiErrorCode>> } | null)?.error;
    if (body?.code && body.message) {
      return new ApiError(status, {
        code: body.code,
        message: body.message,
        messageEn: body.messageEn ?? body.message,
        details: body.details,
      });
    }
    return new ApiError(status, {
      code: 'UNEXPECTED_RESPONSE',
      message: `Máy chủ trả lời bất thường (mã ${status}). Hãy thử lại; nếu còn lỗi, báo phòng điều khiển.`,
      messageEn: `The server answered unexpectedly (status ${status}). Retry; if it persists, tell the control room.`,
    });
  }
}

type Json = object;

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
}

export class ApiClient {
  private csrf: string | null = null;
  private readonly base: string;
  private readonly doFetch: typeof fetch;

  constructor(opts: ApiClientOptions = {}) {
    this.base = opts.baseUrl ?? '';
    this.doFetch = opts.fetch ?? ((...a) => fetch(...a));
  }

  async request<T>(method: string, path: string, body?: Json, extraHeaders?: Record<string, string>): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && this.csrf) headers['x-csrf-token'] = this.csrf;
    let res: Response;
    try {
      res = await this.doFetch(this.base + path, {
        method,
        headers,
        credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw ApiError.network();
    }
    const text = await res.text();
    let data: unknown = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = text;
      }
    }
    if (!res.ok) throw ApiError.fromResponse(res.status, data);
    return data as T;
  }

  private rememberCsrf(data: unknown): void {
    const d = data as { csrfToken?: string; session?: { csrfToken?: string } } | null;
    const token = d?.csrfToken ?? d?.session?.csrfToken;
    if (token) this.csrf = token;
  }

  private static userOf(data: unknown): User {
    const d = data as { user?: User } & User;
    return d.user ?? d;
  }

  // Auth -------------------------------------------------------------------
  async login(login: string, password: string): Promise<User> {
    const data = await this.request<unknown>('POST', ROUTES.login, { login, password });
    this.rememberCsrf(data);
    return ApiClient.userOf(data);
  }

  async me(): Promise<User | null> {
    try {
      const data = await this.request<unknown>('GET', ROUTES.me);
      this.rememberCsrf(data);
      return ApiClient.userOf(data);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return null;
      throw err;
    }
  }

  /** Ends the user's other sessions; returns the user, no longer required to change the password. */
  async changePassword(currentPassword: string, newPassword: string): Promise<User> {
    const data = await this.request<unknown>('POST', ROUTES.password, { currentPassword, newPassword });
    return ApiClient.userOf(data);
  }

  /** How one may sign in here: a password (checked here or by the LDAP directory), the province account (OIDC). */
  signInMethods(): Promise<SignInMethods> {
    return this.request<SignInMethods>('GET', ROUTES.signInMethods);
  }

  async logout(): Promise<void> {
    await this.request('POST', ROUTES.logout, {});
    this.csrf = null;
  }

  // Administration -----------------------------------------------------------
  async healthReport(): Promise<HealthReport> {
    return this.request<HealthReport>('GET', ROUTES.healthReport);
  }

  /** A dry run (apply=false) lists every row's outcome; apply writes all rows or none (refused with the same list). */
  async importRooms(csv: string, apply: boolean): Promise<CsvImportResult> {
    return this.request<CsvImportResult>('POST', ROUTES.roomsImport, { csv, apply });
  }

  // Units and rooms ----------------------------------------------------------
  async unitTree(): Promise<UnitTree> {
    const [tree, rooms] = await Promise.all([
      this.request<unknown>('GET', ROUTES.unitTree),
      this.request<{ rooms: Room[] }>('GET', `${ROUTES.rooms}?active=true&limit=2000`),
    ]);
    return { units: normaliseTree(tree).units, rooms: rooms.rooms.map((r) => ({ ...r, unitId: r.unitId })) };
  }

  // Meetings -----------------------------------------------------------------
  /** by: a local date (YYYY-MM-DD) and whether to list that day or its week (Monday to Sunday). */
  async meetings(date: string, span: 'day' | 'week', extra: Record<string, string> = {}): Promise<Meeting[]> {
    const q = new URLSearchParams({ [span]: date, ...extra });
    const data = await this.request<MeetingsResponse>('GET', `${ROUTES.meetings}?${q}`);
    return data.meetings;
  }

  async meeting(id: string): Promise<Meeting> {
    return (await this.request<MeetingResponse>('GET', ROUTES.meeting(id))).meeting;
  }

  async checkConflicts(input: CheckConflictsBody): Promise<Conflict[]> {
    const data = await this.request<CheckConflictsResponse>('POST', ROUTES.checkConflicts, clean(input));
    return data.conflicts;
  }

  /** 409 CONFLICT (error.details.conflicts) unless override. */
  async createMeeting(
    input: MeetingInput,
    roomIds: string[],
    override: boolean,
    idempotencyKey?: string,
  ): Promise<Meeting> {
    const body = { ...clean(input), invite: { roomIds }, override };
    const data = await this.request<CreateMeetingResponse>(
      'POST',
      ROUTES.meetings,
      body,
      idempotencyKey ? { 'idempotency-key': idempotencyKey } : undefined,
    );
    return data.meeting;
  }

  /** Updates the fields, then adds and removes invitations to match roomIds. */
  async updateMeeting(id: string, input: MeetingInput, roomIds: string[], override: boolean): Promise<Meeting> {
    const data = await this.request<UpdateMeetingResponse>('PATCH', ROUTES.meeting(id), { ...clean(input), override });
    const current = new Set((await this.meetingInvitations(id)).map((i) => i.roomId));
    const wanted = new Set(roomIds);
    const add = roomIds.filter((r) => !current.has(r));
    const remove = [...current].filter((r) => !wanted.has(r));
    if (add.length) {
      await this.request('POST', ROUTES.meetingInvitations(id), { roomIds: add, override } satisfies InviteBody);
    }
    if (remove.length) await this.request('POST', ROUTES.uninvite(id), { roomIds: remove } satisfies RoomSelection);
    return data.meeting;
  }

  async cancelMeeting(id: string, reason: string): Promise<void> {
    await this.request('POST', ROUTES.meetingCancel(id), { reason });
  }

  async endMeeting(id: string): Promise<void> {
    await this.request('POST', ROUTES.meetingEnd(id), {});
  }

  async meetingInvitations(id: string): Promise<MeetingInvitation[]> {
    return (await this.request<MeetingInvitationsResponse>('GET', ROUTES.meetingInvitations(id))).invitations;
  }

  // Room operator --------------------------------------------------------------
  async roomInvitations(day?: string): Promise<RoomInvitation[]> {
    const q = day ? `?${new URLSearchParams({ day })}` : '';
    return (await this.request<RoomInvitationsResponse>('GET', `${ROUTES.roomInvitations}${q}`)).invitations;
  }

  async respond(meetingId: string, roomId: string, status: 'accepted' | 'declined', note?: string): Promise<void> {
    await this.request('POST', ROUTES.respond(meetingId, roomId), note ? { status, note } : { status });
  }

  async joinToken(meetingId: string, roomId?: string): Promise<JoinTokenResponse> {
    return this.request<JoinTokenResponse>('POST', ROUTES.joinToken(meetingId), roomId ? { roomId } : {});
  }

  // Attendance -----------------------------------------------------------------
  async attendance(meetingId: string): Promise<AttendanceRow[]> {
    const data = await this.request<{ rows?: AttendanceRow[]; attendance?: AttendanceRow[] } | AttendanceRow[]>(
      'GET',
      ROUTES.attendance(meetingId),
    );
    return Array.isArray(data) ? data : (data.rows ?? data.attendance ?? []);
  }

  // Recordings ------------------------------------------------------------------
  async recordings(meetingId: string): Promise<Recording[]> {
    return (await this.request<RecordingsResponse>('GET', ROUTES.meetingRecordings(meetingId))).recordings;
  }

  async deleteRecording(id: string): Promise<void> {
    await this.request('DELETE', ROUTES.recording(id));
  }

  async setMark(meetingId: string, roomId: string, mark: AttendanceMark, reason?: string | null): Promise<void> {
    await this.request('PUT', ROUTES.attendanceMark(meetingId, roomId), reason ? { mark, reason } : { mark });
  }
}

function clean<T extends object>(input: T): Partial<T> {
  const body = { ...input } as Record<string, unknown>;
  for (const k of Object.keys(body)) if (body[k] === undefined || body[k] === '') delete body[k];
  return body as Partial<T>;
}

interface TreeNode extends Partial<Unit> {
  id: string;
  name: string;
  children?: TreeNode[];
  /** A count (GET /api/units/tree) or, in other shapes, the rooms themselves. */
  rooms?: Room[] | number;
}

/** Accepts the tree either flat ({units, rooms}) or nested (children + rooms). */
export function normaliseTree(data: unknown): UnitTree {
  const d = data as { units?: Unit[] | TreeNode[]; rooms?: Room[]; tree?: TreeNode[]; roots?: TreeNode[] };
  const units: Unit[] = [];
  const rooms: Room[] = [...(d.rooms ?? [])];
  const nested = d.tree ?? d.roots ?? (d.units?.some((u) => 'children' in u) ? (d.units as TreeNode[]) : undefined);
  if (nested) {
    const walk = (n: TreeNode, parentId: string | null) => {
      units.push({
        id: n.id,
        name: n.name,
        kind: n.kind ?? 'other',
        code: n.code,
        parentId,
        sortOrder: n.sortOrder,
        active: n.active,
      });
      if (Array.isArray(n.rooms)) for (const r of n.rooms) rooms.push({ ...r, unitId: r.unitId ?? n.id });
      for (const c of n.children ?? []) walk(c, n.id);
    };
    for (const n of nested) walk(n, null);
  } else {
    units.push(...((d.units ?? []) as Unit[]));
  }
  return { units, rooms };
}

export const api = new ApiClient();
