import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useSyncExternalStore } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PeerInfo } from '../../contract/signaling.ts';
import { I18nProvider } from '../i18n/index.tsx';
import { type InvitedSite, MeetingStore } from '../meeting/MeetingStore.ts';
import { demoProvince } from '../testing/fixtures.ts';
import { ROW_HEIGHT, StatusBoard } from './StatusBoard.tsx';

afterEach(cleanup);

// 16 districts × (1 hall + 19 communes) + 2 = 322 rooms.
const tree = demoProvince({ districts: 16, communesPerDistrict: 19 });
const invited: InvitedSite[] = tree.rooms.map((r) => ({ id: r.id, name: r.name, unitId: r.unitId }));

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

function Board({ store, onMark }: { store: MeetingStore; onMark?: (id: string, m: string) => void }) {
  const snap = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return (
    <I18nProvider lang="vi">
      <StatusBoard units={tree.units} sites={snap.sites} height={600} onMark={onMark} />
    </I18nProvider>
  );
}

function makeStore(): MeetingStore {
  const store = new MeetingStore({ schedule: () => {} }); // flushed by hand
  store.setInvited(invited);
  store.flush();
  return store;
}

describe('StatusBoard', () => {
  it('shows the counts of a 322-site meeting but renders only the rows in view', () => {
    const store = makeStore();
    render(<Board store={store} />);
    const counts = screen.getByTestId('board-counts');
    expect(counts.textContent).toContain('322');
    const table = screen.getByRole('table', { name: 'Trạng thái các điểm cầu' });
    // 322 sites + the province and 16 district groups (a commune with one room is shown as that room)
    expect(table.getAttribute('aria-rowcount')).toBe('339');
    const rendered = within(table).getAllByRole('row');
    const inView = Math.ceil(600 / ROW_HEIGHT);
    expect(rendered.length).toBeLessThanOrEqual(inView + 12);
    expect(rendered.length).toBeGreaterThanOrEqual(inView);
    expect(screen.queryByText('UBND xã Phú 16-19')).toBeNull();

    // Scrolling to the end brings the last communes into view and drops the first rows.
    fireEvent.scroll(table, { target: { scrollTop: 339 * ROW_HEIGHT - 600 } });
    expect(screen.getByText('UBND xã Phú 16-19')).toBeTruthy();
    expect(screen.queryByText('Phòng họp UBND tỉnh')).toBeNull();
    expect(within(table).getAllByRole('row').length).toBeLessThanOrEqual(inView + 12);
  });

  it('groups by the unit tree with per-group counts and per-site state', () => {
    const store = makeStore();
    store.peerJoined(peer('r-d1'));
    store.peerJoined(peer('r-d1-c1', { handRaised: true }));
    store.peerJoined(peer('r-d1-c2', { link: null })); // signalling only: still connecting
    store.peerJoined(peer('r-d1-c3', { connection: 'reconnecting' })); // its link dropped; the hub waits for it
    store.peerJoined(peer('r-d1-c4', { micOn: false, mutedByChair: true }));
    store.flush();
    render(<Board store={store} />);
    const group = screen.getByRole('button', { name: /Huyện Tân Phú/ }).closest('[role=row]') as HTMLElement;
    expect(group.textContent).toContain('4/20 trực tuyến · 1 xin phát biểu');
    const row = (id: string) => document.querySelector(`[data-site-id="${id}"]`) as HTMLElement;
    expect(row('r-d1').textContent).toContain('Trực tuyến');
    expect(row('r-d1').textContent).toContain('Tốt · 40 ms · 0.5%');
    expect(row('r-d1').querySelector('[title^="RTT"]')?.getAttribute('title')).toBe(
      'RTT 40 ms · mất gói 0.5% · 2100 kbps',
    );
    expect(within(row('r-d1-c1')).getByLabelText('Đang xin phát biểu')).toBeTruthy();
    expect(row('r-d1-c2').textContent).toContain('Đang kết nối');
    expect(row('r-d1-c3').textContent).toContain('Đang kết nối lại');
    expect(within(row('r-d1-c4')).getByLabelText('Chủ trì đã tắt micrô')).toBeTruthy();
    expect(row('r-d1-c5').textContent).toContain('Chưa vào');
    expect(screen.getByTestId('board-counts').textContent).toMatch(/1\s*Xin phát biểu/);
  });

  it('shows who is speaking from the hub’s audio levels, and marks the active speaker', () => {
    const store = makeStore();
    for (const id of ['r-d1', 'r-d1-c1', 'r-d1-c2']) store.peerJoined(peer(id));
    store.setLevels([
      { peerId: 'r-d1-c1', volume: -20 },
      { peerId: 'r-d1-c2', volume: -65 }, // room noise, not speech
    ]);
    store.setActiveSpeaker('r-d1-c1');
    store.flush();
    render(<Board store={store} />);
    const row = (id: string) => document.querySelector(`[data-site-id="${id}"]`) as HTMLElement;
    expect(within(row('r-d1-c1')).getByLabelText('Đang nói')).toBeTruthy();
    expect(row('r-d1-c1').textContent).toContain('Đang phát biểu');
    expect(row('r-d1-c1').className).toContain('is-speaker');
    expect(within(row('r-d1-c2')).getByLabelText('Micrô bật')).toBeTruthy();
    expect(row('r-d1').textContent).not.toContain('Đang phát biểu');

    // Silence: nobody is speaking, the last speaker stays marked until another takes over.
    act(() => {
      store.setLevels([]);
      store.setActiveSpeaker('r-d1-c2');
      store.flush();
    });
    expect(within(row('r-d1-c1')).getByLabelText('Micrô bật')).toBeTruthy();
    expect(row('r-d1-c1').className).not.toContain('is-speaker');
    expect(row('r-d1-c2').textContent).toContain('Đang phát biểu');
  });

  it('collapses a unit and filters to raised hands', async () => {
    const user = userEvent.setup();
    const store = makeStore();
    store.peerJoined(peer('r-d2-c5', { handRaised: true }));
    store.flush();
    render(<Board store={store} />);
    await user.click(screen.getByRole('button', { name: /Xin phát biểu/ }));
    const rows = within(screen.getByRole('table')).getAllByRole('row');
    // province, district 2 and the site itself
    expect(rows).toHaveLength(3);
    expect(screen.getByText('UBND xã Phú 2-5')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: /Huyện Long Hải/ }));
    expect(screen.queryByText('UBND xã Phú 2-5')).toBeNull();
  });

  it('batches many status updates into one render', () => {
    let scheduled: (() => void) | null = null;
    const schedule = vi.fn((f: () => void) => {
      scheduled = f;
    });
    const store = new MeetingStore({ schedule });
    store.setInvited(invited);
    (scheduled as unknown as () => void)();
    schedule.mockClear();
    let renders = 0;
    store.subscribe(() => renders++);
    for (const s of invited) store.peerJoined(peer(s.id));
    for (const s of invited) store.peerUpdated(peer(s.id, { handRaised: true }));
    expect(schedule).toHaveBeenCalledTimes(1);
    expect(renders).toBe(0);
    act(() => (scheduled as unknown as () => void)());
    expect(renders).toBe(1);
    const snap = store.getSnapshot();
    expect(snap.sites.filter((s) => s.handRaised)).toHaveLength(322);
    // An update that changes nothing keeps each site object (rows stay memoised).
    const before = snap.byId.get('r-d3-c3');
    store.peerUpdated(peer('r-d3-c3', { handRaised: true }));
    store.flush();
    expect(store.getSnapshot().byId.get('r-d3-c3')).toBe(before);
  });

  it('counts connection and roll-call apart: a site not yet joined is not absent', () => {
    const store = makeStore();
    store.peerJoined(peer('r-d1'));
    store.peerJoined(peer('r-d1-c1'));
    store.peerLeft('r-d1-c1', 'left');
    store.setMark('r-d1-c2', 'absent', 'Mất điện');
    store.setMark('r-d1', 'present_online');
    store.flush();
    render(<Board store={store} />);
    const count = (id: string) => screen.getByTestId(`count-${id}`).textContent;
    expect(count('invited')).toBe('322 Được mời');
    expect(count('online')).toBe('1 Trực tuyến');
    expect(count('not-joined')).toBe('320 Chưa vào');
    expect(count('left')).toBe('1 Đã rời');
    expect(count('absent')).toBe('1 Vắng mặt');
    expect(count('present')).toBe('1 Có mặt');
    expect(count('unmarked')).toBe('320 Chưa điểm danh');
    expect(screen.getByTestId('board-counts').textContent).not.toMatch(/\bVắng\b(?! mặt)/);
  });

  it('shows the roll-call read-only without onMark (the room’s technician)', () => {
    render(<Board store={makeStore()} />);
    const select = screen.getByRole('combobox', { name: 'Điểm danh: Phòng họp UBND tỉnh' }) as HTMLSelectElement;
    expect(select.disabled).toBe(true);
    expect(select.title).toBe('Chủ trì hoặc văn phòng điểm danh');
  });

  it('takes the roll-call from the row', async () => {
    const user = userEvent.setup();
    const marks: [string, string][] = [];
    const store = makeStore();
    render(<Board store={store} onMark={(id, m) => marks.push([id, m])} />);
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Điểm danh: Phòng họp UBND tỉnh' }),
      'Có mặt tại phòng',
    );
    expect(marks).toEqual([['r-p', 'present_in_room']]);
  });
});
