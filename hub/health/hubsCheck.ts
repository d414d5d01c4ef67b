// The health page's line about the deployment's hubs (several hubs on Redis,
// docs/scaling.md): which are live and what each carries; wrong when this hub
// is missing from the directory (Redis out of reach) or a hub is full.
import type { HealthCheck } from '../../contract/rest/health.ts';
import type { HubRecord } from '../cluster/HubDirectory.ts';

const TITLE = { vi: 'Các máy chủ của hệ thống (Redis)', en: 'The deployment’s hubs (Redis)' };

/** `hubs`: the live hubs, or the error reading them. */
export function hubsCheck(hubId: string, hubs: HubRecord[] | Error): HealthCheck {
  if (hubs instanceof Error || !hubs.some((h) => h.id === hubId)) {
    const why = hubs instanceof Error ? hubs.message : 'không có trong danh sách / not listed';
    return {
      key: 'hubs',
      level: 'fail',
      title: TITLE,
      state: {
        vi: `Máy chủ ${hubId} không đăng ký được với Redis (${why}): các máy chủ khác coi nó như đã dừng.`,
        en: `Hub ${hubId} cannot register in Redis (${why}): the other hubs count it as gone.`,
      },
      todo: {
        vi: 'Kiểm tra REDIS_URL và dịch vụ redis-server (systemctl status redis-server), tường lửa tới cổng 6379.',
        en: 'Check REDIS_URL and the redis-server service (systemctl status redis-server), the firewall to port 6379.',
      },
    };
  }
  const list = (unit: string) => hubs.map((h) => `${h.id}: ${h.sites} ${unit}`).join(', ');
  const state = {
    vi: `${hubs.length} máy chủ đang chạy — ${list('điểm cầu')}.`,
    en: `${hubs.length} hubs running — ${list('sites')}.`,
  };
  const full = hubs.filter((h) => h.maxSites > 0 && h.sites >= h.maxSites).map((h) => h.id);
  if (full.length === 0) return { key: 'hubs', level: 'ok', title: TITLE, state, todo: null };
  return {
    key: 'hubs',
    level: 'warn',
    title: TITLE,
    state: {
      vi: `${state.vi} Đủ tải (MAX_SITES_PER_HUB): ${full.join(', ')}; điểm cầu mới được chuyển sang máy chủ khác.`,
      en: `${state.en} Full (MAX_SITES_PER_HUB): ${full.join(', ')}; new sites are sent to other hubs.`,
    },
    todo: {
      vi: 'Thêm một máy chủ vào hệ thống, hoặc tăng MAX_SITES_PER_HUB nếu máy còn sức.',
      en: 'Add a hub to the deployment, or raise MAX_SITES_PER_HUB if the machines can take more.',
    },
  };
}
