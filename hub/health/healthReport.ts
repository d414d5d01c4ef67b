// The health page in words, for the province's IT staff: each part of the
// hub, how it is, and when it is wrong what to do, in Vietnamese and English
// (the tone of the provinces' operating guides: what you see, what to check).
import fs from 'node:fs';
import type { HealthCheck, HealthReport, HealthLevel as Level, Words } from '../../contract/rest/health.ts';
import type { RecordingStorage } from '../../scheduler/recordingArchive.ts';
import type { BackupStatus } from '../backup/dailyBackups.ts';
import type { CertificateStatus } from '../certificate.ts';
import type { HubRecord } from '../cluster/HubDirectory.ts';
import type { Config } from '../config.ts';
import { portReservationWarning } from '../portReservation.ts';
import { VERSION } from '../version.ts';
import { hubsCheck } from './hubsCheck.ts';
import { recordingsCheck } from './recordingsCheck.ts';
import { probeTurn, turnTarget } from './turnProbe.ts';

export interface HealthInputs {
  config: Config;
  workers: { alive: number; expected: number };
  database: { ok: boolean; detail: string };
  backup: BackupStatus;
  certificate: CertificateStatus | null;
  recordings: RecordingStorage;
  /** Several hubs: this hub's id and the live hubs (or why they cannot be read); null: a hub alone. */
  cluster: { hubId: string; hubs: HubRecord[] | Error } | null;
  uptimeSec: number;
  now: Date;
}

const GB = 1024 ** 3;
const DAY_MS = 86_400_000;
/** A certificate closer to its expiry than this is a warning: renewal (certbot) should have happened. */
const CERT_WARN_DAYS = 14;
const DISK_WARN_BYTES = 5 * GB;
const DISK_FAIL_BYTES = 1 * GB;
const LOGS = { vi: 'Xem nhật ký: journalctl -u diemcau -n 200.', en: 'See the log: journalctl -u diemcau -n 200.' };

export async function healthReport(input: HealthInputs): Promise<HealthReport> {
  const checks = [
    workers(input),
    database(input),
    ...(input.cluster ? [hubsCheck(input.cluster.hubId, input.cluster.hubs)] : []),
    disk(input.config),
    recordingsCheck(input.recordings),
    certificate(input),
    await turn(input.config),
    ports(input.config),
    backup(input),
    version(input),
  ];
  const level: Level = checks.some((c) => c.level === 'fail')
    ? 'fail'
    : checks.some((c) => c.level === 'warn')
      ? 'warn'
      : 'ok';
  return { level, checks };
}

function check(
  key: HealthCheck['key'],
  title: Words,
  level: Level,
  state: Words,
  todo: Words | null = null,
): HealthCheck {
  return { key, level, title, state, todo };
}

function workers({ workers: w }: HealthInputs): HealthCheck {
  const title = { vi: 'Bộ xử lý truyền thông (mediasoup)', en: 'Media workers (mediasoup)' };
  if (w.alive >= w.expected) {
    return check('workers', title, 'ok', {
      vi: `${w.alive}/${w.expected} đang chạy.`,
      en: `${w.alive}/${w.expected} running.`,
    });
  }
  return check(
    'workers',
    title,
    'fail',
    {
      vi: `Chỉ ${w.alive}/${w.expected} đang chạy: các điểm cầu trên bộ đã dừng đang kết nối lại.`,
      en: `Only ${w.alive}/${w.expected} running: the sites on the stopped one are reconnecting.`,
    },
    {
      vi: `Hub tự khởi động lại bộ đã dừng. Nếu con số không trở lại sau một phút: sudo systemctl restart diemcau (các cuộc họp kết nối lại). ${LOGS.vi}`,
      en: `The hub restarts a stopped worker itself. If the count does not recover within a minute: sudo systemctl restart diemcau (meetings reconnect). ${LOGS.en}`,
    },
  );
}

function database({ database: db, config }: HealthInputs): HealthCheck {
  const title = { vi: 'Cơ sở dữ liệu', en: 'Database' };
  if (db.ok)
    return check('database', title, 'ok', {
      vi: `Đọc ghi bình thường (${db.detail}).`,
      en: `Reads and writes normally (${db.detail}).`,
    });
  return check(
    'database',
    title,
    'fail',
    { vi: `Không đọc được: ${db.detail}`, en: `Cannot be read: ${db.detail}` },
    {
      vi: `Kiểm tra ổ đĩa còn trống và quyền của thư mục ${config.DATA_DIR} (chủ sở hữu diemcau, 0700). Nếu tệp bị hỏng: dừng dịch vụ, khôi phục bản sao lưu gần nhất (sudo diemcau restore --latest). ${LOGS.vi}`,
      en: `Check free disk space and the permissions of ${config.DATA_DIR} (owner diemcau, 0700). If the file is damaged: stop the service and restore the latest backup (sudo diemcau restore --latest). ${LOGS.en}`,
    },
  );
}

function disk(config: Config): HealthCheck {
  const title = { vi: 'Dung lượng ổ đĩa', en: 'Disk space' };
  const stat = fs.statfsSync(config.DATA_DIR);
  const free = stat.bavail * stat.bsize;
  const words = {
    vi: `Còn trống ${(free / GB).toFixed(1)} GB ở ${config.DATA_DIR}.`,
    en: `${(free / GB).toFixed(1)} GB free at ${config.DATA_DIR}.`,
  };
  if (free >= DISK_WARN_BYTES) return check('disk', title, 'ok', words);
  return check('disk', title, free < DISK_FAIL_BYTES ? 'fail' : 'warn', words, {
    vi: `Giải phóng ổ đĩa: giảm BACKUP_KEEP hoặc đặt BACKUP_DIR sang ổ khác, xoá các thư mục before-restore-… và tệp *.before-… cũ trong ${config.DATA_DIR}; nhật ký: journalctl --vacuum-size=500M.`,
    en: `Free some space: lower BACKUP_KEEP or move BACKUP_DIR to another disk, delete old before-restore-… folders and *.before-… files in ${config.DATA_DIR}; logs: journalctl --vacuum-size=500M.`,
  });
}

function certificate({ config, certificate: cert, now }: HealthInputs): HealthCheck {
  const title = { vi: 'Chứng chỉ HTTPS', en: 'HTTPS certificate' };
  if (!cert) {
    return check(
      'certificate',
      title,
      'warn',
      { vi: 'HTTPS đang tắt (chỉ dùng được trên máy này).', en: 'HTTPS is off (usable from this machine only).' },
      {
        vi: 'Bỏ HTTPS=false trong /etc/diemcau/diemcau.env rồi khởi động lại dịch vụ.',
        en: 'Remove HTTPS=false from /etc/diemcau/diemcau.env and restart the service.',
      },
    );
  }
  const days = Math.floor((Date.parse(cert.notAfter) - now.getTime()) / DAY_MS);
  const until = cert.notAfter.slice(0, 10);
  const renew = {
    vi: `Gia hạn chứng chỉ (certbot renew), rồi: sudo systemctl reload diemcau — các cuộc họp không bị ngắt.`,
    en: `Renew the certificate (certbot renew), then: sudo systemctl reload diemcau — meetings are not interrupted.`,
  };
  if (days < 0)
    return check(
      'certificate',
      title,
      'fail',
      {
        vi: `Đã hết hạn ngày ${until}: trình duyệt từ chối kết nối.`,
        en: `Expired on ${until}: browsers refuse to connect.`,
      },
      renew,
    );
  if (cert.reloadError) {
    return check(
      'certificate',
      title,
      'warn',
      {
        vi: `Tệp chứng chỉ mới không dùng được (${cert.reloadError}); vẫn dùng chứng chỉ cũ, hạn đến ${until}.`,
        en: `The new certificate files do not load (${cert.reloadError}); the previous one, valid until ${until}, stays in use.`,
      },
      {
        vi: `Kiểm tra ${config.TLS_CERT_FILE} và ${config.TLS_KEY_FILE} (đúng cặp, người dùng diemcau đọc được), rồi: sudo systemctl reload diemcau.`,
        en: `Check ${config.TLS_CERT_FILE} and ${config.TLS_KEY_FILE} (a matching pair, readable by the user diemcau), then: sudo systemctl reload diemcau.`,
      },
    );
  }
  if (cert.selfSigned) {
    return check(
      'certificate',
      title,
      'warn',
      {
        vi: `Chứng chỉ tự ký (hạn đến ${until}): trình duyệt cảnh báo ở lần mở đầu.`,
        en: `Self-signed certificate (valid until ${until}): browsers warn on first visit.`,
      },
      {
        vi: 'Cài chứng chỉ của tên miền: đặt TLS_CERT_FILE và TLS_KEY_FILE trong /etc/diemcau/diemcau.env, rồi khởi động lại dịch vụ.',
        en: "Install the domain's certificate: set TLS_CERT_FILE and TLS_KEY_FILE in /etc/diemcau/diemcau.env, then restart the service.",
      },
    );
  }
  const state = {
    vi: `${cert.subject}, còn ${days} ngày (đến ${until}).`,
    en: `${cert.subject}, ${days} days left (until ${until}).`,
  };
  return check(
    'certificate',
    title,
    days < CERT_WARN_DAYS ? 'warn' : 'ok',
    state,
    days < CERT_WARN_DAYS ? renew : null,
  );
}

async function turn(config: Config): Promise<HealthCheck> {
  const title = { vi: 'Máy chủ TURN', en: 'TURN server' };
  if (config.TURN_URLS.length === 0) {
    return check(
      'turn',
      title,
      'warn',
      {
        vi: 'Chưa cấu hình: điểm cầu sau tường lửa chặn UDP và cổng truyền thông sẽ không vào được.',
        en: 'None configured: sites behind firewalls that block UDP and the media ports cannot connect.',
      },
      {
        vi: 'Cài coturn và đặt TURN_URLS, TURN_SECRET trong /etc/diemcau/diemcau.env (docs/operations.md).',
        en: 'Install coturn and set TURN_URLS and TURN_SECRET in /etc/diemcau/diemcau.env (docs/operations.md).',
      },
    );
  }
  const results = await Promise.all(
    config.TURN_URLS.map(async (url) => {
      const target = turnTarget(url);
      return {
        url,
        result: target ? await probeTurn(target) : ({ ok: false, reason: 'not a turn: or turns: URL' } as const),
      };
    }),
  );
  const failed = results.filter((r) => !r.result.ok);
  const list = results
    .map((r) => (r.result.ok ? `${r.url} (${r.result.ms} ms)` : `${r.url}: ${r.result.reason}`))
    .join('; ');
  if (failed.length === 0) return check('turn', title, 'ok', { vi: `Trả lời: ${list}.`, en: `Answering: ${list}.` });
  return check(
    'turn',
    title,
    failed.length === results.length ? 'fail' : 'warn',
    { vi: `Không trả lời: ${list}.`, en: `Not answering: ${list}.` },
    {
      vi: 'Kiểm tra dịch vụ coturn (systemctl status coturn) và tường lửa giữa hub và máy TURN (UDP/TCP 3478, TCP 5349).',
      en: 'Check the coturn service (systemctl status coturn) and the firewall between the hub and the TURN server (UDP/TCP 3478, TCP 5349).',
    },
  );
}

function ports(config: Config): HealthCheck {
  const title = { vi: 'Cổng truyền thông WebRTC', en: 'WebRTC ports' };
  const min = config.RTC_PORT_BASE;
  const max = config.RTC_PORT_BASE + config.MEDIASOUP_WORKERS - 1;
  const warning = portReservationWarning({ min, max });
  if (!warning)
    return check('ports', title, 'ok', {
      vi: `Cổng ${min}-${max} được giữ riêng cho hub.`,
      en: `Ports ${min}-${max} are kept for the hub.`,
    });
  return check(
    'ports',
    title,
    'warn',
    {
      vi: `Cổng ${min}-${max} chưa được giữ riêng: khi khởi động lại, một bộ xử lý có thể không mở được cổng của nó.`,
      en: warning,
    },
    {
      vi: `Chạy: sudo sysctl -w net.ipv4.ip_local_reserved_ports=${min}-${config.RTC_TRANSPORT_PORT_MAX} (bộ cài đặt dịch vụ ghi sẵn tệp /etc/sysctl.d/60-diemcau.conf).`,
      en: `Run: sudo sysctl -w net.ipv4.ip_local_reserved_ports=${min}-${config.RTC_TRANSPORT_PORT_MAX} (the service install writes /etc/sysctl.d/60-diemcau.conf).`,
    },
  );
}

function backup({ backup: b, now }: HealthInputs): HealthCheck {
  const title = { vi: 'Sao lưu', en: 'Backups' };
  const runNow = { vi: 'Sao lưu ngay: sudo diemcau backup.', en: 'Back up now: sudo diemcau backup.' };
  if (b.lastError) {
    return check(
      'backup',
      title,
      'fail',
      {
        vi: `Lần sao lưu theo lịch gần nhất bị lỗi: ${b.lastError}`,
        en: `The last scheduled backup failed: ${b.lastError}`,
      },
      {
        vi: `Kiểm tra chỗ trống và quyền ghi của ${b.backupDir}, rồi ${runNow.vi.toLowerCase()}`,
        en: `Check free space and write permission of ${b.backupDir}, then ${runNow.en.toLowerCase()}`,
      },
    );
  }
  if (!b.last) return check('backup', title, 'warn', { vi: 'Chưa có bản sao lưu nào.', en: 'No backup yet.' }, runNow);
  const size = `${(b.last.sizeBytes / 1e6).toFixed(1)} MB`;
  const when = b.last.at.replace('T', ' ').slice(0, 16);
  if (!b.last.verified) {
    return check(
      'backup',
      title,
      'fail',
      {
        vi: `Bản gần nhất (${when}, ${size}) KHÔNG qua kiểm tra: ${b.last.problems.join('; ')}`,
        en: `The latest backup (${when}, ${size}) FAILED its check: ${b.last.problems.join('; ')}`,
      },
      {
        vi: `Cơ sở dữ liệu đang chạy có thể bị hỏng. ${runNow.vi} Nếu vẫn lỗi, liên hệ nhóm phát triển. ${LOGS.vi}`,
        en: `The live database may be damaged. ${runNow.en} If it fails again, contact the developers. ${LOGS.en}`,
      },
    );
  }
  const ageDays = (now.getTime() - Date.parse(b.last.at)) / DAY_MS;
  const state = {
    vi: `Bản gần nhất ${when} UTC, ${size}, đã kiểm tra. ${b.dailyAt ? `Hằng ngày lúc ${b.dailyAt}, giữ ${b.keep} bản, ở ${b.backupDir}.` : 'Sao lưu theo lịch đang tắt.'}`,
    en: `Latest ${when} UTC, ${size}, verified. ${b.dailyAt ? `Daily at ${b.dailyAt}, keeping ${b.keep}, in ${b.backupDir}.` : 'Scheduled backups are off.'}`,
  };
  if (!b.dailyAt)
    return check('backup', title, 'warn', state, {
      vi: 'Bật sao lưu hằng ngày: đặt BACKUP_DAILY_AT=02:30.',
      en: 'Turn daily backups on: set BACKUP_DAILY_AT=02:30.',
    });
  if (ageDays > 1.5) return check('backup', title, 'warn', state, runNow);
  return check('backup', title, 'ok', state);
}

function version({ uptimeSec }: HealthInputs): HealthCheck {
  const hours = (uptimeSec / 3600).toFixed(1);
  return check('version', { vi: 'Phiên bản', en: 'Version' }, 'ok', {
    vi: `diemcau ${VERSION}, đã chạy ${hours} giờ, Node ${process.versions.node}.`,
    en: `diemcau ${VERSION}, up ${hours} h, Node ${process.versions.node}.`,
  });
}
