// The meeting archive over HTTP: a meeting's recordings, the MP4 as a download
// or for in-page playback (range requests, so a <video> seeks in a two-hour
// file), and deletion. Downloads and deletions go to the audit log.
import fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { recordingFileQuery, recordingsResponse } from '../../contract/rest/recordings.ts';
import { type Principal, requireUser } from '../auth.ts';
import { byteRange } from '../byteRange.ts';
import { audit, type Ctx } from '../context.ts';
import { fileDisposition } from '../downloads.ts';
import { ApiError } from '../errors.ts';
import { deleteRecording, meetingRecordings, type ReadyFile, readyRecordingFile } from '../recordingArchive.ts';
import { toLocalIso } from '../time.ts';
import { idParams } from './params.ts';

/** A <video> re-reads the start of the file as it plays and seeks: one audit entry per user, file and way per this long. */
const AUDIT_AGAIN_AFTER_MS = 10 * 60_000;

/** "Ghi hình - Họp giao ban - 2026-11-30 08h00.mp4": what the meeting was and when the recording began. */
export function recordingFilename(title: string, startedAt: Date): string {
  const local = toLocalIso(startedAt);
  const cleanTitle = title
    .replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100);
  return `Ghi hình - ${cleanTitle} - ${local.slice(0, 10)} ${local.slice(11, 13)}h${local.slice(14, 16)}.mp4`;
}

export async function recordingRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = ctx;
  const lastAudited = new Map<string, number>();

  /** Decides and remembers in one step (no await between): two parallel requests never both audit. */
  function shouldAudit(key: string, now: number): boolean {
    const last = lastAudited.get(key);
    if (last !== undefined && now - last < AUDIT_AGAIN_AFTER_MS) return false;
    lastAudited.set(key, now);
    for (const [k, at] of lastAudited) if (now - at >= AUDIT_AGAIN_AFTER_MS) lastAudited.delete(k);
    return true;
  }

  async function auditDownload(req: FastifyRequest, p: Principal, f: ReadyFile, inline: boolean, start: number) {
    // Only a read from the start is a new download or playback; later ranges are the same one seeking.
    if (start !== 0) return;
    const action = inline ? 'recording.play' : 'recording.download';
    if (!shouldAudit(`${p.user.id}:${f.recording.id}:${action}`, Date.now())) return;
    await audit(db, p, action, 'meeting', f.meeting.id, { recordingId: f.recording.id }, req.ip);
  }

  function sendFile(req: FastifyRequest, reply: FastifyReply, f: ReadyFile, inline: boolean) {
    const etag = `"${f.size.toString(16)}-${f.mtime.getTime().toString(16)}"`;
    const ifRange = req.headers['if-range'];
    // A Range conditional on an older version of the file gets the whole current one.
    const range = ifRange && ifRange !== etag ? { kind: 'whole' as const } : byteRange(req.headers.range, f.size);
    reply.header('accept-ranges', 'bytes');
    if (range.kind === 'unsatisfiable') {
      reply.header('content-range', `bytes */${f.size}`);
      throw new ApiError(416, 'RANGE_NOT_SATISFIABLE', undefined, undefined, { size: f.size });
    }
    const filename = recordingFilename(f.meeting.title, f.recording.startedAt);
    reply
      .header('etag', etag)
      .header('last-modified', f.mtime.toUTCString())
      .header('cache-control', 'private, no-cache')
      .header('content-disposition', fileDisposition(filename, inline ? 'inline' : 'attachment'))
      .type('video/mp4');
    if (range.kind === 'whole') {
      reply.header('content-length', f.size);
      return { start: 0, send: () => reply.code(200).send(fs.createReadStream(f.path)) };
    }
    reply
      .header('content-range', `bytes ${range.start}-${range.end}/${f.size}`)
      .header('content-length', range.end - range.start + 1);
    return {
      start: range.start,
      send: () => reply.code(206).send(fs.createReadStream(f.path, { start: range.start, end: range.end })),
    };
  }

  r.get(
    '/meetings/:id/recordings',
    {
      schema: {
        tags: ['recordings'],
        summary:
          "A meeting's recordings, newest first: start, duration, size, status (recording, building with progress, ready, failed, deleted), why capture stopped, who started it. 404 for a meeting the user may not see.",
        params: idParams,
        response: { 200: recordingsResponse },
      },
    },
    async (req) => ({ recordings: await meetingRecordings(db, requireUser(req), req.params.id) }),
  );

  r.get(
    '/recordings/:id/file',
    {
      schema: {
        tags: ['recordings'],
        summary:
          'The recording as one MP4 (H.264 + AAC), ready recordings only. Honours a single Range (206 with Content-Range; 416 outside the file) so <video> can seek; inline=true for in-page playback. Audited.',
        params: idParams,
        querystring: recordingFileQuery,
      },
    },
    async (req, reply) => {
      const p = requireUser(req);
      const inline = req.query.inline === 'true';
      const f = await readyRecordingFile(db, config, p, req.params.id);
      const out = sendFile(req, reply, f, inline);
      if (req.method === 'GET') await auditDownload(req, p, f, inline, out.start);
      return out.send();
    },
  );

  r.delete(
    '/recordings/:id',
    {
      schema: {
        tags: ['recordings'],
        summary:
          "Delete a finished recording's files (the chairing unit's secretariat, or an administrator). The list keeps it as deleted, with who and when. Audited.",
        params: idParams,
      },
    },
    async (req) => {
      await deleteRecording(db, config, requireUser(req), req.params.id, req.ip);
      return { ok: true };
    },
  );
}
