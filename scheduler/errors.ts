// Error bodies: { error: { code, message (Vietnamese), messageEn, details? } }.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError, z } from 'zod';

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    readonly messageVi: string,
    readonly messageEn: string,
    readonly details?: unknown,
  ) {
    super(messageEn);
  }
}

export const badRequest = (vi: string, en: string, details?: unknown) =>
  new ApiError(400, 'BAD_REQUEST', vi, en, details);
export const unauthenticated = () => new ApiError(401, 'UNAUTHENTICATED', 'Bạn cần đăng nhập.', 'You need to log in.');
export const forbidden = (vi = 'Bạn không có quyền thực hiện thao tác này.', en = 'You are not allowed to do this.') =>
  new ApiError(403, 'FORBIDDEN', vi, en);
export const notFound = (whatVi: string, whatEn: string) =>
  new ApiError(404, 'NOT_FOUND', `Không tìm thấy ${whatVi}.`, `${whatEn} not found.`);
export const conflict = (code: string, vi: string, en: string, details?: unknown) =>
  new ApiError(409, code, vi, en, details);

interface Issue {
  path: string;
  message: string;
  messageVi: string;
}

const vi = z.locales.vi();

/** Custom refinements write "Vietnamese | English". */
function split(msg: string): [string, string] {
  const i = msg.indexOf(' | ');
  return i < 0 ? [msg, msg] : [msg.slice(0, i), msg.slice(i + 3)];
}

function describe(raw: { code: string; path: PropertyKey[]; message: string } & Record<string, unknown>): Issue {
  const path = raw.path.map(String).join('.');
  if (raw.code === 'custom') {
    const [v, e] = split(raw.message);
    return { path, message: e, messageVi: v };
  }
  let v = raw.message;
  try {
    const out = vi.localeError(raw as never);
    const text = typeof out === 'string' ? out : out?.message;
    if (text) v = text.replace(/, nhận được undefined$/, '');
  } catch {
    // keep the English text
  }
  return { path, message: raw.message, messageVi: v };
}

function issuesOf(err: unknown): Issue[] {
  if (err instanceof ZodError) return err.issues.map((i) => describe(i as never));
  const e = err as {
    validation?: Array<{ keyword?: string; instancePath?: string; message?: string; params?: object }>;
  };
  return (e.validation ?? []).map((v) =>
    describe({
      ...(v.params ?? {}),
      code: v.keyword ?? 'custom',
      path: (v.instancePath ?? '').split('/').filter(Boolean),
      message: v.message ?? 'invalid',
    }),
  );
}

export function sendError(reply: FastifyReply, err: ApiError): FastifyReply {
  const body: { error: Record<string, unknown> } = {
    error: { code: err.code, message: err.messageVi, messageEn: err.messageEn },
  };
  if (err.details !== undefined) body.error.details = err.details;
  return reply.code(err.statusCode).type('application/json; charset=utf-8').send(body);
}

/** Maps every error raised in the scheduler's routes to the documented body. */
export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err instanceof ApiError) return sendError(reply, err);
  if (hasZodFastifySchemaValidationErrors(err) || err instanceof ZodError || err.validation) {
    const issues = issuesOf(err);
    const where = (err as { validationContext?: string }).validationContext;
    const en = issues.map((i) => `${i.path || where || 'body'}: ${i.message}`).join('; ');
    const vn = issues.map((i) => `${i.path || where || 'body'}: ${i.messageVi}`).join('; ');
    return sendError(
      reply,
      new ApiError(400, 'VALIDATION_ERROR', `Dữ liệu không hợp lệ: ${vn}`, `Invalid input: ${en}`, {
        in: where,
        issues,
      }),
    );
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendError(
        reply,
        new ApiError(413, 'PAYLOAD_TOO_LARGE', 'Dữ liệu gửi lên quá lớn.', 'Request body is too large.'),
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendError(
        reply,
        new ApiError(
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          'Chỉ chấp nhận dữ liệu JSON.',
          'Only application/json bodies are accepted.',
        ),
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return sendError(reply, badRequest('Nội dung JSON không hợp lệ.', 'The body is not valid JSON.'));
  }
  if (err.statusCode === 429) {
    return sendError(
      reply,
      new ApiError(429, 'RATE_LIMITED', 'Quá nhiều yêu cầu, vui lòng thử lại sau.', 'Too many requests, retry later.'),
    );
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return sendError(reply, new ApiError(err.statusCode, 'BAD_REQUEST', err.message, err.message));
  }
  const storage = storageFailure(err);
  if (storage) {
    req.log.error({ err: err.message, kind: storage }, 'database write refused; nothing was saved');
    return sendError(reply, storageError(storage));
  }
  req.log.error({ err }, 'scheduler route failed');
  return sendError(
    reply,
    new ApiError(500, 'INTERNAL', 'Lỗi hệ thống, vui lòng thử lại.', 'Internal error, please retry.'),
  );
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
