// A recording's row as it moves recording → building → ready | failed
// (prisma/schema.prisma Recording), with the audit entries of its start and
// stop naming who did it (the user behind the chair's join token; none when
// the hub did it). The archive's reads and deletions are scheduler/recordingArchive.ts.
import type { ChairActor } from '../contract/chairActions.ts';
import type { StopReason } from '../contract/liveRecording.ts';
import { chairAuditor } from './chairActions.ts';
import type { Db } from './db.ts';
import { queueRecordingReady } from './outbox/webhooks.ts';

async function audit(
  db: Db,
  meetingId: string,
  action: 'recording.start' | 'recording.stop',
  by: ChairActor | null,
  at: Date,
  details: Record<string, unknown>,
): Promise<void> {
  const who = by ? await chairAuditor(db, by) : { userId: null, userLogin: null };
  await db.auditLog.create({
    data: {
      at,
      ...who,
      action,
      entity: 'meeting',
      entityId: meetingId,
      details: JSON.stringify({ by: by ? 'chair-site' : 'hub', ...(by ? { roomId: by.roomId } : {}), ...details }),
    },
  });
}

/** A recording starts: its row (status recording) and the audit entry. Returns its id. */
export async function recordingStarted(db: Db, meetingId: string, by: ChairActor | null, at: Date): Promise<string> {
  const who = by ? await chairAuditor(db, by) : { userId: null };
  const row = await db.recording.create({ data: { meetingId, startedAt: at, startedById: who.userId } });
  await audit(db, meetingId, 'recording.start', by, at, { recordingId: row.id });
  return row.id;
}

/** Capture ended: the row waits for its MP4 (status building). */
export async function recordingStopped(
  db: Db,
  recordingId: string,
  reason: StopReason,
  by: ChairActor | null,
  at: Date,
): Promise<void> {
  const who = by ? await chairAuditor(db, by) : { userId: null };
  const row = await db.recording.update({
    where: { id: recordingId },
    data: { status: 'building', stopReason: reason, stoppedAt: at, stoppedById: who.userId, buildProgress: 0 },
  });
  await audit(db, row.meetingId, 'recording.stop', by, at, { recordingId, reason });
}

export async function recordingProgress(db: Db, recordingId: string, progress: number): Promise<void> {
  await db.recording.updateMany({
    where: { id: recordingId, status: 'building' },
    data: { buildProgress: Math.max(0, Math.min(1, progress)) },
  });
}

/** The MP4 is built and verified; webhooks hear of it (the outbox's next round delivers it). */
export async function recordingReady(
  db: Db,
  recordingId: string,
  durationMs: number,
  sizeBytes: number,
): Promise<void> {
  await db.$transaction(async (tx) => {
    const ready = await tx.recording.update({
      where: { id: recordingId },
      data: { status: 'ready', buildProgress: 1, durationMs, sizeBytes: BigInt(sizeBytes), error: null },
    });
    await queueRecordingReady(tx, ready);
  });
}

/** The build failed: what went wrong, in words (the raw tracks are kept). */
export async function recordingFailed(db: Db, recordingId: string, error: string): Promise<void> {
  await db.recording.update({ where: { id: recordingId }, data: { status: 'failed', error } });
}

/**
 * At hub start: recordings the last run left capturing were cut by its stop
 * (hub_restart) and are built from what was written; those it left building
 * are built again from scratch. Returns the ids to build, oldest first.
 */
export async function recordingsInterrupted(db: Db, now: Date): Promise<string[]> {
  await db.recording.updateMany({
    where: { status: 'recording', deletedAt: null },
    data: { status: 'building', stopReason: 'hub_restart', stoppedAt: now, buildProgress: 0 },
  });
  await db.recording.updateMany({ where: { status: 'building', deletedAt: null }, data: { buildProgress: 0 } });
  const rows = await db.recording.findMany({
    where: { status: 'building', deletedAt: null },
    orderBy: { startedAt: 'asc' },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/** When the hub should start recording a meeting by itself: its start time, if it asks for that and was never recorded. */
export async function autoRecordAt(db: Db, meetingId: string): Promise<Date | null> {
  const meeting = await db.meeting.findUnique({
    where: { id: meetingId },
    select: { autoRecord: true, startAt: true, status: true, _count: { select: { recordings: true } } },
  });
  if (!meeting?.autoRecord || meeting._count.recordings > 0) return null;
  if (meeting.status === 'ended' || meeting.status === 'cancelled') return null;
  return meeting.startAt;
}
