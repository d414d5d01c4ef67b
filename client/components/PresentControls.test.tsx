import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PresentationState } from '../../contract/presentation.ts';
import { I18nProvider } from '../i18n/index.tsx';
import { PresentControls, type PresentControlsProps } from './PresentControls.tsx';

afterEach(cleanup);
beforeEach(() => {
  // jsdom has no display capture; the controls show only where the browser offers it.
  Object.defineProperty(navigator, 'mediaDevices', {
    value: { getDisplayMedia: () => Promise.reject(new Error('not in jsdom')) },
    configurable: true,
  });
});

const nobody: PresentationState = { presenterSiteId: null, live: false, requests: [] };

function renderControls(props: Partial<PresentControlsProps>) {
  const handlers = { onRequest: vi.fn(), onStart: vi.fn(), onStop: vi.fn() };
  render(
    <I18nProvider lang="vi">
      <PresentControls isChair={false} selfId="s1" presentation={nobody} presenting={false} {...handlers} {...props} />
    </I18nProvider>,
  );
  return handlers;
}

describe('PresentControls', () => {
  it('lets a site ask, shows it waiting, and lets it withdraw', async () => {
    const user = userEvent.setup();
    const first = renderControls({});
    await user.click(screen.getByRole('button', { name: 'Xin trình chiếu' }));
    expect(first.onRequest).toHaveBeenCalledWith(true);
    cleanup();
    const waiting = renderControls({ presentation: { ...nobody, requests: ['s1'] } });
    expect(screen.getByRole('status').textContent).toBe('Đang chờ chủ trì cho phép trình chiếu');
    expect(screen.queryByRole('button', { name: 'Trình chiếu' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Rút yêu cầu trình chiếu' }));
    expect(waiting.onRequest).toHaveBeenCalledWith(false);
  });

  it('lets an allowed site, and the chair at any time, present; and stop', async () => {
    const user = userEvent.setup();
    const allowed = renderControls({ presentation: { ...nobody, presenterSiteId: 's1' } });
    expect(screen.getByText('Chủ trì đã cho phép trình chiếu')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Trình chiếu' }));
    expect(allowed.onStart).toHaveBeenCalledOnce();
    cleanup();
    const chair = renderControls({ isChair: true, selfId: 'c', presentation: { ...nobody, presenterSiteId: 's9' } });
    await user.click(screen.getByRole('button', { name: 'Trình chiếu' }));
    expect(chair.onStart).toHaveBeenCalledOnce();
    cleanup();
    const presenting = renderControls({ presenting: true, presentation: { ...nobody, presenterSiteId: 's1' } });
    await user.click(screen.getByRole('button', { name: 'Dừng trình chiếu' }));
    expect(presenting.onStop).toHaveBeenCalledOnce();
  });
});
