// Error bodies: { error: { code, message (Vietnamese), messageEn, details? } },
// the one shape of contract/errors.ts, for the scheduler's routes and the hub's own.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { API_ERRORS, type ApiErrorCode, type ErrorBody } from '../contract/errors.ts';
import { describeIssue, type FieldIssue, type RawIssue } from './fieldErrors.ts';

/** A refused request: `message` is Vietnamese, as on a SignalingError; omitted messages are the code's default. */
export class ApiError extends Error {
  readonly messageEn: string;

  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    message?: string,
    messageEn?: string,
    readonly details?: unknown,
  ) {
    const [vi, en] = API_ERRORS[code];
    super(message ?? vi);
    this.messageEn = messageEn ?? en;
  }

  toBody(): ErrorBody<ApiErrorCode> {
    const body: ErrorBody<ApiErrorCode> = { code: this.code, message: this.message, messageEn: this.messageEn };
    if (this.details !== undefined) body.details = this.details;
    return body;
  }
}

export const badRequest = (vi: string, en: string, details?: unknown) =>
  new ApiError(400, 'BAD_REQUEST', vi, en, details);
export const unauthenticated = () => new ApiError(401, 'UNAUTHENTICATED');
export const forbidden = (vi?: string, en?: string) => new ApiError(403, 'FORBIDDEN', vi, en);
export const notFound = (whatVi: string, whatEn: string) =>
  new ApiError(404, 'NOT_FOUND', `Không tìm thấy ${whatVi}.`, `${whatEn} not found.`);
export const conflict = (code: ApiErrorCode, vi: string, en: string, details?: unknown) =>
  new ApiError(409, code, vi, en, details);

export function sendError(reply: FastifyReply, err: ApiError): FastifyReply {
  return reply.code(err.statusCode).type('application/json; charset=utf-8').send({ error: err.toBody() });
}

type Part = 'body' | 'querystring' | 'params' | 'headers';

/** What the client sent at a path of the refused part of the request; unknown when the part is. */
function sent(req: FastifyRequest, part: Part | undefined, path: string[]): { value: unknown } | undefined {
  if (!part) return undefined;
  const root: Record<Part, unknown> = {
    body: req.body,
    querystring: req.query,
    params: req.params,
    headers: req.headers,
  };
  let v = root[part];
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return { value: v };
}

function rawIssues(err: unknown, req: FastifyRequest, part: Part | undefined): RawIssue[] {
  if (err instanceof ZodError) {
    return err.issues.map((i) => {
      const path = i.path.map(String);
      return { ...(i as object), code: i.code, path, message: i.message, sent: sent(req, part, path) };
    });
  }
  const e = err as {
    validation?: Array<{ keyword?: string; instancePath?: string; message?: string; params?: object }>;
  };
  return (e.validation ?? []).map((v) => {
    const path = (v.instancePath ?? '').split('/').filter(Boolean);
    return {
      ...(v.params ?? {}),
      code: v.keyword ?? 'custom',
      path,
      message: v.message ?? '',
      sent: sent(req, part, path),
    };
  });
}

/** One sentence per refused field (the first problem of each), every issue kept for programs. */
function validationError(err: unknown, req: FastifyRequest): ApiError {
  const part = (err as { validationContext?: Part }).validationContext;
  const issues: FieldIssue[] = rawIssues(err, req, part).map((i) => describeIssue(i, part));
  const shown = issues.filter((i, n) => issues.findIndex((j) => j.path === i.path) === n);
  return new ApiError(
    400,
    'VALIDATION_ERROR',
    shown.map((i) => i.message).join(' '),
    shown.map((i) => i.messageEn).join(' '),
    { in: part, issues },
  );
}

/** Maps every error raised in the scheduler's routes to the documented body. */
export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err instanceof ApiError) return sendError(reply, err);
  if (hasZodFastifySchemaValidationErrors(err) || err instanceof ZodError || err.validation) {
    return sendError(reply, validationError(err, req));
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendError(reply, new ApiError(413, 'PAYLOAD_TOO_LARGE'));
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendError(reply, new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE'));
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return sendError(reply, badRequest('Nội dung JSON không hợp lệ.', 'The body is not valid JSON.'));
  }
  if (err.statusCode === 429) {
    return sendError(reply, new ApiError(429, 'RATE_LIMITED'));
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    // Fastify's own refusals are English only; the Vietnamese side says what it is.
    return sendError(reply, new ApiError(err.statusCode, 'BAD_REQUEST', undefined, err.message));
  }
  const storage = storageFailure(err);
  if (storage) {
    req.log.error({ err: err.message, kind: storage }, 'database write refused; nothing was saved');
    return sendError(reply, storageError(storage));
  }
  req.log.error({ err }, 'scheduler route failed');
  return sendError(reply, new ApiError(500, 'INTERNAL'));
}

type StorageFailure = 'busy' | 'full' | 'readonly';

/** Recognises SQLite refusing a write, anywhere in the error's cause chain. */
function storageFailure(err: unknown): StorageFailure | null {
  type Chain = { message?: string; code?: string; cause?: unknown; meta?: unknown } | undefined;
  for (let e = err as Chain, depth = 0; e && depth < 5; depth++) {
    // Prisma puts the driver's SQLite code in meta.driverAdapterError.cause.
    const text = `${e.code ?? ''} ${e.message ?? ''} ${JSON.stringify(e.meta ?? '')}`;
    if (/SQLITE_BUSY|SQLITE_LOCKED|database is locked/i.test(text)) return 'busy';
    if (/SQLITE_FULL|disk is full|database or disk is full/i.test(text)) return 'full';
    if (/SQLITE_READONLY|readonly database|SQLITE_IOERR|disk I\/O error/i.test(text)) return 'readonly';
    e = e.cause as Chain;
  }
  return null;
}

function storageError(kind: StorageFailure): ApiError {
  const what: Record<StorageFailure, [string, string]> = {
    busy: [
      'Cơ sở dữ liệu đang bận nên chưa lưu được. Không có gì bị lưu dở; hãy thử lại sau ít giây.',
      'The database is busy, so nothing was saved (nothing half-saved). Try again in a few seconds.',
    ],
    full: [
      'Máy chủ hết dung lượng đĩa nên chưa lưu được. Không có gì bị lưu dở; hãy báo quản trị hệ thống giải phóng dung lượng rồi thử lại.',
      'The server disk is full, so nothing was saved (nothing half-saved). Ask the administrator to free space, then retry.',
    ],
    readonly: [
      'Máy chủ không ghi được cơ sở dữ liệu nên chưa lưu được. Hãy báo quản trị hệ thống kiểm tra ổ đĩa rồi thử lại.',
      'The server cannot write its database, so nothing was saved. Ask the administrator to check the disk, then retry.',
    ],
  };
  const [vi, en] = what[kind];
  return new ApiError(503, 'STORAGE_UNAVAILABLE', vi, en);
}
