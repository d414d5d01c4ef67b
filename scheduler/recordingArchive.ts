// The meeting archive, read side and deletion: a meeting's recordings for a
// user who may see that meeting, the ready MP4 to hand over, deleting one
// (files gone, row kept as "deleted" with who and when), the daily retention
// sweep and the storage figures. The capture and the build write the rows
// (scheduler/recordingStatus.ts); the files are laid out by scheduler/recordingFiles.ts.
// Audit entries are the meeting's (entity "meeting", details.recordingId), so the
// meeting's audit trail shows who downloaded or deleted its recordings.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Recording as RecordingView } from '../contract/rest/recordings.ts';
import type { Principal } from './auth.ts';
import { audit } from './context.ts';
import type { Db } from './db.ts';
import { ApiError, conflict, forbidden, notFound } from './errors.ts';
import type { Recording } from './generated/prisma/client.ts';
import { canManage, loadVisibleMeeting, type MeetingWithRefs } from './meetings.ts';
import { recordingDir, recordingMp4 } from './recordingFiles.ts';

const DAY_MS = 86_400_000;
/** Only finished recordings may be deleted or expire: capture and build own the others' files. */
const FINISHED = ['ready', 'failed'];

export interface ArchiveConfig {
  RECORDINGS_DIR: string;
  /** 0: keep for ever. */
  RECORDING_RETENTION_DAYS: number;
}

function recordingNotFound(): ApiError {
  return notFound('bản ghi hình', 'Recording');
}

async function namesOf(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((i): i is string => i !== null))];
  if (wanted.length === 0) return new Map();
  const users = await db.user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(users.map((u) => [u.id, u.name]));
}

function capturedMs(r: Recording, now: Date): number | null {
  if (r.durationMs !== null) return r.durationMs;
  if (r.status === 'recording') return now.getTime() - r.startedAt.getTime();
  return r.stoppedAt ? r.stoppedAt.getTime() - r.startedAt.getTime() : null;
}

/** A meeting's recordings, newest first, for a user who may see the meeting (404 otherwise). */
export async function meetingRecordings(db: Db, p: Principal, meetingId: string): Promise<RecordingView[]> {
  const m = await loadVisibleMeeting(db, p, meetingId);
  const rows = await db.recording.findMany({ where: { meetingId }, orderBy: { startedAt: 'desc' } });
  const names = await namesOf(
    db,
    rows.flatMap((r) => [r.startedById, r.deletedById]),
  );
  const person = (id: string | null) => (id ? { id, name: names.get(id) ?? id } : null);
  const now = new Date();
  const mayDelete = canManage(p, m);
  return rows.map((r) => ({
    id: r.id,
    meetingId: r.meetingId,
    status: r.status as RecordingView['status'],
    startedAt: r.startedAt.toISOString(),
    stoppedAt: r.stoppedAt?.toISOString() ?? null,
    durationMs: capturedMs(r, now),
    sizeBytes: r.status === 'ready' && r.sizeBytes !== null ? Number(r.sizeBytes) : null,
    buildProgress: r.buildProgress,
    stopReason: r.stopReason,
    error: r.error,
    startedBy: person(r.startedById),
    deletedAt: r.deletedAt?.toISOString() ?? null,
    deletedBy: person(r.deletedById),
    canDelete: mayDelete && FINISHED.includes(r.status),
  }));
}

/** A recording and its meeting, for a user who may see the meeting; 404 for anyone else, as if it did not exist. */
async function loadVisibleRecording(
  db: Db,
  p: Principal,
  recordingId: string,
): Promise<{ recording: Recording; meeting: MeetingWithRefs }> {
  const recording = await db.recording.findUnique({ where: { id: recordingId } });
  if (!recording) throw recordingNotFound();
  try {
    return { recording, meeting: await loadVisibleMeeting(db, p, recording.meetingId) };
  } catch (err) {
    if (err instanceof ApiError && err.statusCode === 404) throw recordingNotFound();
    throw err;
  }
}

export interface ReadyFile {
  recording: Recording;
  meeting: MeetingWithRefs;
  path: string;
  size: number;
  mtime: Date;
}

/** The MP4 of a ready recording the user may see. */
export async function readyRecordingFile(
  db: Db,
  config: ArchiveConfig,
  p: Principal,
  recordingId: string,
): Promise<ReadyFile> {
  const { recording, meeting } = await loadVisibleRecording(db, p, recordingId);
  if (recording.status !== 'ready') throw conflict('RECORDING_NOT_READY', ...notReadyWords(recording.status));
  const file = recordingMp4(config.RECORDINGS_DIR, recording.id);
  const stat = await fs.promises.stat(file).catch(() => null);
  if (!stat?.isFile()) {
    throw new ApiError(
      404,
      'NOT_FOUND',
      `Không tìm thấy tệp của bản ghi hình trong ${config.RECORDINGS_DIR}; báo quản trị viên.`,
      `The recording's file is missing from ${config.RECORDINGS_DIR}; tell the administrator.`,
    );
  }
  return { recording, meeting, path: file, size: stat.size, mtime: stat.mtime };
}

function notReadyWords(status: string): [string, string] {
  if (status === 'deleted') return ['Bản ghi hình đã bị xoá.', 'The recording was deleted.'];
  if (status === 'failed') return ['Dựng tệp bản ghi hình bị lỗi.', 'Building the recording failed.'];
  return ['Bản ghi hình đang được ghi hoặc dựng, chưa tải được.', 'The recording is still being made.'];
}

/** Marks a finished recording deleted (who, when) and removes its files; the chairing unit's secretariat or an administrator. */
export async function deleteRecording(
  db: Db,
  config: ArchiveConfig,
  p: Principal,
  recordingId: string,
  ip: string,
): Promise<void> {
  const { recording, meeting } = await loadVisibleRecording(db, p, recordingId);
  if (!canManage(p, meeting)) {
    throw forbidden(
      'Chỉ văn phòng của đơn vị chủ trì (hoặc quản trị) được xoá bản ghi hình.',
      "Only the chairing unit's secretariat (or an administrator) may delete a recording.",
    );
  }
  await db.$transaction(async (tx) => {
    // The status is re-checked in the write itself: a build finishing meanwhile is never deleted half-way.
    const marked = await tx.recording.updateMany({
      where: { id: recording.id, status: { in: FINISHED } },
      data: { status: 'deleted', deletedAt: new Date(), deletedById: p.user.id },
    });
    if (marked.count === 0) throw conflict('RECORDING_NOT_READY', ...notDeletableWords(recording.status));
    await audit(
      tx,
      p,
      'recording.delete',
      'meeting',
      meeting.id,
      { recordingId: recording.id, was: recording.status },
      ip,
    );
  });
  await removeFiles(config.RECORDINGS_DIR, recording.id);
}

function notDeletableWords(status: string): [string, string] {
  if (status === 'deleted') return ['Bản ghi hình đã bị xoá.', 'The recording was already deleted.'];
  return [
    'Bản ghi hình đang được ghi hoặc dựng; xoá được khi đã xong.',
    'The recording is still being made; it can be deleted once finished.',
  ];
}

async function removeFiles(recordingsDir: string, recordingId: string): Promise<void> {
  await fs.promises.rm(recordingDir(recordingsDir, recordingId), { recursive: true, force: true });
}

/** Deletes finished recordings older than the retention (by their start); never one being recorded or built. */
export async function sweepRecordings(db: Db, config: ArchiveConfig, now: Date, log: Logger): Promise<number> {
  if (config.RECORDING_RETENTION_DAYS === 0) return 0;
  const before = new Date(now.getTime() - config.RECORDING_RETENTION_DAYS * DAY_MS);
  const due = await db.recording.findMany({
    where: { status: { in: FINISHED }, startedAt: { lt: before } },
    select: { id: true, meetingId: true, status: true },
  });
  let deleted = 0;
  for (const r of due) {
    const marked = await db.$transaction(async (tx) => {
      const { count } = await tx.recording.updateMany({
        where: { id: r.id, status: { in: FINISHED } },
        data: { status: 'deleted', deletedAt: now, deletedById: null },
      });
      if (count === 1) {
        const details = { recordingId: r.id, retentionDays: config.RECORDING_RETENTION_DAYS };
        await audit(tx, null, 'recording.expire', 'meeting', r.meetingId, details);
      }
      return count === 1;
    });
    if (!marked) continue;
    await removeFiles(config.RECORDINGS_DIR, r.id);
    deleted++;
  }
  if (deleted > 0) log.info({ deleted, retentionDays: config.RECORDING_RETENTION_DAYS }, 'recordings: retention sweep');
  return deleted;
}

export interface RecordingStorage {
  dir: string;
  /** Bytes on disk under RECORDINGS_DIR (MP4s and any raw tracks kept). */
  bytes: number;
  /** Free bytes on the disk that holds RECORDINGS_DIR. */
  freeBytes: number;
  /** Recordings by status (deleted ones included: the list still shows them). */
  byStatus: Record<string, number>;
  retentionDays: number;
}

async function bytesUnder(dir: string): Promise<number> {
  const entries = await fs.promises.readdir(dir, { withFileTypes: true }).catch(() => []);
  let total = 0;
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) total += await bytesUnder(full);
    else if (e.isFile()) total += (await fs.promises.stat(full).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

/** The nearest folder that exists: RECORDINGS_DIR is only made when the first recording starts. */
function existingAncestor(dir: string): string {
  let d = dir;
  while (!fs.existsSync(d) && path.dirname(d) !== d) d = path.dirname(d);
  return d;
}

export async function recordingStorage(db: Db, config: ArchiveConfig): Promise<RecordingStorage> {
  const [bytes, groups] = await Promise.all([
    bytesUnder(config.RECORDINGS_DIR),
    db.recording.groupBy({ by: ['status'], _count: { _all: true } }),
  ]);
  const stat = await fs.promises.statfs(existingAncestor(config.RECORDINGS_DIR));
  return {
    dir: config.RECORDINGS_DIR,
    bytes,
    freeBytes: stat.bavail * stat.bsize,
    byStatus: Object.fromEntries(groups.map((g) => [g.status, g._count._all])),
    retentionDays: config.RECORDING_RETENTION_DAYS,
  };
}
