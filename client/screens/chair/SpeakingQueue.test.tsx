// The speaking queue: hands in the order they went up (not by unit, not by
// name), the floor holder on top with how long it has spoken, "give floor to
// next" asking the hub for the first hand.
import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LAYOUT } from '../../../contract/layout.ts';
import type { MeetingState, PeerInfo } from '../../../contract/signaling.ts';
import { I18nProvider } from '../../i18n/index.tsx';
import { MeetingStore } from '../../meeting/MeetingStore.ts';
import { demoProvince } from '../../testing/fixtures.ts';
import { formatDuration, SpeakingQueue } from './SpeakingQueue.tsx';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const tree = demoProvince({ districts: 3, communesPerDistrict: 19 });
const T0 = Date.parse('2026-11-30T08:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

function peer(id: string, raisedAt: number | null): PeerInfo {
  return {
    id,
    displayName: id,
    role: 'site',
    joinedAt: at(0),
    micOn: false,
    cameraOn: true,
    handRaised: raisedAt !== null,
    handRaisedAt: raisedAt === null ? null : at(raisedAt),
    mutedByChair: false,
    canSpeak: false,
    link: null,
    linkState: 'good',
    connection: 'online',
    alarms: [],
  };
}

function meeting(floorSince: Record<string, string>): MeetingState {
  return {
    meetingId: 'm',
    mode: 'briefing',
    locked: false,
    stageSiteId: null,
    floor: Object.keys(floorSince),
    floorSince,
    muteNewSites: false,
    presentation: { presenterSiteId: null, live: false, requests: [] },
    layout: DEFAULT_LAYOUT,
    chairSiteId: null,
    maxSites: 400,
    connectedSites: 20,
    chatEnabled: true,
    recording: null,
    upstream: null,
    linkable: [],
  };
}

/** 14 hands raised in the reverse of tree order, and r-d1 holding the floor since T0 + 60 s. */
function sites() {
  const store = new MeetingStore({ schedule: () => {} });
  store.setInvited(tree.rooms.map((r) => ({ id: r.id, name: r.name, unitId: r.unitId })));
  const raising = tree.rooms.slice(2, 16).reverse();
  const peers = [peer('r-d1', null), ...raising.map((r, i) => peer(r.id, 100 + i))];
  store.reset(meeting({ 'r-d1': at(60) }), peers, []);
  store.flush();
  return { sites: store.getSnapshot().sites, raising };
}

describe('SpeakingQueue', () => {
  it('lists the hands in the order raised and the speaker with its floor time', () => {
    vi.useFakeTimers({ now: T0 + 60_000 + 154_000, toFake: ['Date', 'setInterval'] });
    const { sites: list, raising } = sites();
    render(
      <I18nProvider lang="vi">
        <SpeakingQueue sites={list} disabled={false} onNext={() => {}} onFloor={() => {}} />
      </I18nProvider>,
    );
    const hands = within(screen.getByRole('list', { name: 'Xin phát biểu' })).getAllByRole('listitem');
    expect(hands.map((li) => li.dataset.siteId)).toEqual(raising.map((r) => r.id));
    const speaking = within(screen.getByRole('list', { name: 'Đang phát biểu' })).getAllByRole('listitem');
    expect(speaking.map((li) => li.dataset.siteId)).toEqual(['r-d1']);
    expect(screen.getByTestId('floor-time').textContent).toBe('đã nói 2:34');
    act(() => {
      vi.advanceTimersByTime(3000);
    });
    expect(screen.getByTestId('floor-time').textContent).toBe('đã nói 2:37');
  });

  it('asks for the next speaker, or gives the floor to one hand', async () => {
    const user = userEvent.setup();
    const onNext = vi.fn();
    const onFloor = vi.fn();
    const { sites: list, raising } = sites();
    render(
      <I18nProvider lang="en">
        <SpeakingQueue sites={list} disabled={false} onNext={onNext} onFloor={onFloor} />
      </I18nProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Give floor to next' }));
    expect(onNext).toHaveBeenCalledTimes(1);
    const third = raising[2];
    await user.click(screen.getByRole('button', { name: `Give the floor: ${third?.name}` }));
    expect(onFloor).toHaveBeenCalledWith(third?.id, true);
  });

  it('cannot call a next speaker when no hand is up', () => {
    render(
      <I18nProvider lang="vi">
        <SpeakingQueue sites={[]} disabled={false} onNext={() => {}} onFloor={() => {}} />
      </I18nProvider>,
    );
    expect((screen.getByRole('button', { name: 'Cho người tiếp theo phát biểu' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
    expect(screen.getByText('Chưa có điểm cầu nào xin phát biểu.')).toBeTruthy();
  });

  it('formats floor times', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65_400)).toBe('1:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });
});
