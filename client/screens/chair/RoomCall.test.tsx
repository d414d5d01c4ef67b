// The "Call" button on an away SIP room's board row: it asks once and is
// disabled while the call rings; the row says how the hub's call goes —
// ringing, a redial, not answered with the room's SIP answer (the full
// message, with what to check, as the tooltip), waiting to call again.
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RoomCallProgress } from '../../../contract/sip.ts';
import { I18nProvider } from '../../i18n/index.tsx';
import type { SiteStatus } from '../../meeting/MeetingStore.ts';
import { RoomCallButton } from './RoomCall.tsx';

afterEach(cleanup);

const site = { id: 'xa-tan-phu', name: 'Xã Tân Phú', state: 'left' } as SiteStatus;

function progress(state: RoomCallProgress['state'], more: Partial<RoomCallProgress> = {}): RoomCallProgress {
  return { siteId: site.id, state, attempt: 1, sipStatus: null, sipReason: null, nextAt: null, error: null, ...more };
}

function renderButton(p: RoomCallProgress | undefined, onCall = vi.fn(() => Promise.resolve())) {
  render(
    <I18nProvider>
      <RoomCallButton site={site} progress={p} disabled={false} onCall={onCall} />
    </I18nProvider>,
  );
  return { onCall, button: screen.getByRole('button', { name: 'Gọi: Xã Tân Phú' }) };
}

describe('RoomCallButton', () => {
  it('asks the hub to call once, and is disabled while the call rings', async () => {
    let placed!: () => void;
    const onCall = vi.fn(() => new Promise<void>((resolve) => (placed = resolve)));
    const { button } = renderButton(undefined, onCall);
    expect(screen.queryByRole('status')).toBeNull();
    await userEvent.setup().click(button);
    expect(onCall).toHaveBeenCalledTimes(1);
    expect(button).toHaveProperty('disabled', true);
    expect(screen.getByRole('status').textContent).toBe('Đang gọi…');
    placed();
    await vi.waitFor(() => expect(button).toHaveProperty('disabled', false));
  });

  it('shows a redial ringing', () => {
    const { button } = renderButton(progress('calling', { attempt: 3 }));
    expect(button).toHaveProperty('disabled', true);
    expect(screen.getByRole('status').textContent).toBe('Đang gọi lại (lần 2)…');
  });

  it('shows a failed call with the room’s SIP answer and what to do as the tooltip', () => {
    const error = { code: 'CALL_FAILED' as const, message: 'Không gọi được… (486 Busy Here)', messageEn: 'x' };
    const { button } = renderButton(progress('failed', { sipStatus: 486, sipReason: 'Busy Here', error }));
    expect(button).toHaveProperty('disabled', false);
    const status = screen.getByRole('status');
    expect(status.textContent).toBe('Không trả lời: 486 Busy Here');
    expect(status.getAttribute('title')).toBe(error.message);
  });

  it('shows when a dropped call is called again', () => {
    const nextAt = new Date(2026, 10, 30, 10, 42, 5).toISOString();
    renderButton(progress('waiting', { nextAt }));
    expect(screen.getByRole('status').textContent).toMatch(/^Cuộc gọi bị ngắt; gọi lại lúc .*42/);
  });
});
