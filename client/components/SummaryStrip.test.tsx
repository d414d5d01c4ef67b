// The chair's board at 300+ sites: the summary strip counts every state a
// chair acts on and each count filters the board in one click; the text filter
// reaches unit names; a new filter starts at the top; nothing matching says
// so; problems come first on demand; a reconnecting site's figures are greyed;
// the unit overview colours each district by its worst site.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useSyncExternalStore } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { PeerInfo } from '../../contract/signaling.ts';
import { I18nProvider } from '../i18n/index.tsx';
import { MeetingStore } from '../meeting/MeetingStore.ts';
import { demoProvince } from '../testing/fixtures.ts';
import { ROW_HEIGHT, StatusBoard } from './StatusBoard.tsx';

afterEach(cleanup);

const tree = demoProvince({ districts: 16, communesPerDistrict: 19 });

function peer(id: string, extra: Partial<PeerInfo> = {}): PeerInfo {
  return {
    id,
    displayName: id,
    role: 'site',
    joinedAt: new Date().toISOString(),
    micOn: true,
    cameraOn: true,
    handRaised: false,
    handRaisedAt: null,
    mutedByChair: false,
    canSpeak: true,
    link: { rttMs: 40, lossPct: 0.5, sendKbps: 900, recvKbps: 1200 },
    linkState: 'good',
    connection: 'online',
    alarms: [],
    ...extra,
  };
}

const POOR = { rttMs: 600, lossPct: 12, sendKbps: 100, recvKbps: 150 };

/** 322 invited; 6 online of which one on a poor link, one muted, one without camera, one silent; 2 reconnecting; 1 left. */
function busyStore(): MeetingStore {
  const store = new MeetingStore({ schedule: () => {} });
  store.setInvited(tree.rooms.map((r) => ({ id: r.id, name: r.name, unitId: r.unitId })));
  store.peerJoined(peer('r-d1'));
  store.peerJoined(peer('r-d2-c7', { link: POOR }));
  store.peerJoined(peer('r-d3-c1', { mutedByChair: true, micOn: false, canSpeak: false }));
  store.peerJoined(peer('r-d4-c2', { cameraOn: false }));
  store.peerJoined(peer('r-d5-c3', { micOn: false }));
  store.peerJoined(peer('r-d6-c4', { handRaised: true, handRaisedAt: new Date().toISOString() }));
  store.peerJoined(peer('r-d7-c5', { connection: 'reconnecting', link: POOR }));
  store.peerJoined(peer('r-d8-c6', { connection: 'reconnecting' }));
  store.peerJoined(peer('r-d9-c9'));
  store.peerLeft('r-d9-c9', 'left');
  store.flush();
  return store;
}

function Board({ store, stale }: { store: MeetingStore; stale?: boolean }) {
  const snap = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return (
    <I18nProvider lang="vi">
      <StatusBoard units={tree.units} sites={snap.sites} height={600} stale={stale} />
    </I18nProvider>
  );
}

const siteRows = () =>
  [...document.querySelectorAll('.board__row--site')].map((r) => r.getAttribute('data-site-id') as string);
const strip = (id: string) => screen.getByTestId(`count-${id}`);

describe('the summary strip', () => {
  it('counts every state the chair acts on, reconnecting sites included', () => {
    render(<Board store={busyStore()} />);
    const counts = Object.fromEntries(
      ['online', 'reconnecting', 'not-joined', 'left', 'muted', 'hands', 'poor-link', 'no-video', 'no-sound'].map(
        (id) => [id, strip(id).textContent],
      ),
    );
    expect(counts).toEqual({
      online: '6 Trực tuyến',
      reconnecting: '2 Đang kết nối lại',
      'not-joined': '313 Chưa vào',
      left: '1 Đã rời',
      muted: '1 Bị tắt micrô',
      hands: '1 Xin phát biểu',
      'poor-link': '1 Đường truyền kém',
      'no-video': '1 Không có hình',
      'no-sound': '1 Không có tiếng',
    });
    // Problems stand out; a state nobody is in does not.
    expect(strip('reconnecting').className).toContain('count--hot');
    expect(strip('online').className).not.toContain('count--hot');
  });

  it('filters the board to a state in one click, and back', async () => {
    const user = userEvent.setup();
    render(<Board store={busyStore()} />);
    await user.click(strip('reconnecting'));
    expect(strip('reconnecting').getAttribute('aria-pressed')).toBe('true');
    expect(siteRows()).toEqual(['r-d7-c5', 'r-d8-c6']);
    await user.click(strip('poor-link'));
    expect(siteRows()).toEqual(['r-d2-c7']);
    await user.click(strip('poor-link'));
    expect(screen.getByRole('table').getAttribute('aria-rowcount')).toBe('339');
  });

  it('greys its figures while the chair’s own connection is down', () => {
    render(<Board store={busyStore()} stale />);
    expect(screen.getByTestId('board-counts').className).toContain('is-stale');
  });
});

describe('the board’s filter and order', () => {
  it('matches unit names too: a district and a commune name find the one commune', async () => {
    const user = userEvent.setup();
    render(<Board store={busyStore()} />);
    // Each word starts a word of the site's or its units' names: "2-5" is not "12-5".
    await user.type(screen.getByRole('searchbox', { name: 'Lọc điểm cầu' }), 'long hai 2-5');
    expect(siteRows()).toEqual(['r-d2-c5']);
    await user.clear(screen.getByRole('searchbox'));
    await user.type(screen.getByRole('searchbox'), 'huyen long hai 7');
    // The province, the district and its 20 sites.
    expect(screen.getByRole('table').getAttribute('aria-rowcount')).toBe('22');
  });

  it('starts a new filter’s results at the top, and says when nothing matches', async () => {
    const user = userEvent.setup();
    render(<Board store={busyStore()} />);
    const table = screen.getByRole('table');
    fireEvent.scroll(table, { target: { scrollTop: 200 * ROW_HEIGHT } });
    expect(table.scrollTop).toBe(200 * ROW_HEIGHT);
    await user.type(screen.getByRole('searchbox'), 'kim boi');
    expect(table.scrollTop).toBe(0);
    expect(screen.getByText('Hội trường UBND huyện Kim Bôi')).toBeTruthy();
    await user.type(screen.getByRole('searchbox'), ' khong co xa nay');
    expect(screen.getByRole('status').textContent).toBe('Không có điểm cầu nào khớp bộ lọc.');
  });

  it('puts the sites that need the chair first, each with its district', async () => {
    const user = userEvent.setup();
    render(<Board store={busyStore()} />);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Sắp xếp' }), 'problems');
    const order = siteRows();
    expect(order.slice(0, 5)).toEqual(['r-d7-c5', 'r-d8-c6', 'r-d2-c7', 'r-d4-c2', 'r-d5-c3']);
    const first = document.querySelector('[data-site-id="r-d7-c5"]') as HTMLElement;
    expect(first.textContent).toContain('Huyện Long Hải 7');
  });

  it('greys a reconnecting site’s last link figures instead of grading them', () => {
    render(<Board store={busyStore()} />);
    act(() => {
      fireEvent.scroll(screen.getByRole('table'), { target: { scrollTop: 7 * 20 * ROW_HEIGHT } });
    });
    const row = document.querySelector('[data-site-id="r-d7-c5"]') as HTMLElement;
    const link = row.querySelector('.board__link') as HTMLElement;
    expect(link.className).toContain('link--stale');
    expect(link.textContent).not.toContain('Kém');
    expect(link.title).toMatch(/^Số liệu cuối trước khi mất kết nối/);
    expect(within(row).getByLabelText('Camera bật').className).toContain('stale');
  });

  it('collapses and expands every group at once, departments before districts', async () => {
    const user = userEvent.setup();
    render(<Board store={busyStore()} />);
    await user.click(screen.getByRole('button', { name: 'Thu gọn tất cả' }));
    expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: /Tỉnh Bình Minh/ }));
    const groups = [...document.querySelectorAll('.board__row--group')].map((r) => r.textContent);
    expect(groups[1]).toMatch(/^▸ Huyện Tân Phú/);
    // The department's one room shows as its row, above the districts.
    expect(siteRows()).toEqual(['r-p', 'r-dep-1']);
    await user.click(screen.getByRole('button', { name: 'Mở rộng tất cả' }));
    expect(screen.getByRole('table').getAttribute('aria-rowcount')).toBe('339');
  });
});

describe('the unit overview', () => {
  it('shows one tile per district coloured by its worst site; a click narrows the board to it', async () => {
    const user = userEvent.setup();
    render(<Board store={busyStore()} />);
    await user.click(screen.getByRole('button', { name: 'Theo đơn vị cấp' }));
    const tiles = within(screen.getByTestId('unit-overview')).getAllByRole('button');
    expect(tiles).toHaveLength(17); // the department and 16 districts
    const tile = (name: RegExp) => tiles.find((b) => name.test(b.textContent ?? '')) as HTMLElement;
    expect(tile(/^Huyện Long Hải 7/).dataset.tone).toBe('bad'); // a site reconnecting
    expect(tile(/^Huyện Long Hải(?! \d)/).dataset.tone).toBe('bad'); // a poor link
    expect(tile(/^Sở Y tế/).dataset.tone).toBe('warn'); // its room has not joined
    await user.click(tile(/^Huyện Long Hải(?! \d)/));
    expect(screen.getByRole('table').getAttribute('aria-rowcount')).toBe('22');
    expect(screen.getByText('Trong: Huyện Long Hải')).toBeTruthy();
  });
});
