// The health page's line about recordings: how much they take, how much room
// is left on their disk, and before it runs out, what to do about it.
import type { HealthCheck, HealthLevel } from '../../contract/rest/health.ts';
import type { RecordingStorage } from '../../scheduler/recordingArchive.ts';

const GB = 1024 ** 3;
/** Below this, a day of long meetings could fill the disk: time to act before recordings are cut short. */
const WARN_FREE_BYTES = 10 * GB;
/** Below this a recording soon stops for a full disk. */
const FAIL_FREE_BYTES = 2 * GB;

function gb(bytes: number): string {
  return (bytes / GB).toFixed(1);
}

export function recordingsCheck(s: RecordingStorage): HealthCheck {
  const ready = s.byStatus.ready ?? 0;
  const keep =
    s.retentionDays === 0
      ? { vi: 'giữ vĩnh viễn', en: 'kept for ever' }
      : { vi: `giữ ${s.retentionDays} ngày`, en: `kept ${s.retentionDays} days` };
  const state = {
    vi: `${ready} bản sẵn sàng, chiếm ${gb(s.bytes)} GB ở ${s.dir} (${keep.vi}); ổ đĩa còn trống ${gb(s.freeBytes)} GB.`,
    en: `${ready} ready, taking ${gb(s.bytes)} GB in ${s.dir} (${keep.en}); ${gb(s.freeBytes)} GB free on its disk.`,
  };
  const title = { vi: 'Bản ghi hình', en: 'Recordings' };
  if (s.freeBytes >= WARN_FREE_BYTES) return { key: 'recordings', level: 'ok', title, state, todo: null };
  const level: HealthLevel = s.freeBytes < FAIL_FREE_BYTES ? 'fail' : 'warn';
  return {
    key: 'recordings',
    level,
    title,
    state: {
      vi: `${state.vi} Sắp hết chỗ: khi ổ đầy, việc ghi hình dừng lại (cuộc họp vẫn tiếp tục).`,
      en: `${state.en} Running out of space: when the disk is full, recording stops (the meeting goes on).`,
    },
    todo: {
      vi: `Xoá các bản ghi hình không cần giữ (trang chi tiết cuộc họp), hoặc giảm RECORDING_RETENTION_DAYS trong /etc/diemcau/diemcau.env, hoặc chuyển RECORDINGS_DIR sang ổ lớn hơn (chép thư mục bằng rsync -a, đặt RECORDINGS_DIR, rồi sudo systemctl restart diemcau khi không có cuộc họp).`,
      en: `Delete recordings no longer needed (the meeting's details page), or lower RECORDING_RETENTION_DAYS in /etc/diemcau/diemcau.env, or move RECORDINGS_DIR to a larger disk (copy the folder with rsync -a, set RECORDINGS_DIR, then sudo systemctl restart diemcau when no meeting runs).`,
    },
  };
}
