import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PresentationState } from '../../contract/presentation.ts';
import { I18nProvider } from '../i18n/index.tsx';
import { PresentationPanel } from './PresentationPanel.tsx';

afterEach(cleanup);

const names: Record<string, string> = { a: 'UBND xã An Bình', b: 'UBND xã Tân Phú', c: 'UBND thị trấn Lợi' };

function renderPanel(presentation: PresentationState | null) {
  const onAnswer = vi.fn();
  const onStop = vi.fn();
  render(
    <I18nProvider lang="vi">
      <PresentationPanel
        presentation={presentation}
        nameOf={(id) => names[id] ?? id}
        onAnswer={onAnswer}
        onStop={onStop}
      />
    </I18nProvider>,
  );
  return { onAnswer, onStop };
}

describe('PresentationPanel', () => {
  it('says nobody presents', () => {
    renderPanel({ presenterSiteId: null, live: false, requests: [] });
    expect(screen.getByText('Không có điểm cầu nào đang trình chiếu.')).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('shows who presents and lets the chair stop it', async () => {
    const user = userEvent.setup();
    const { onStop } = renderPanel({ presenterSiteId: 'a', live: true, requests: [] });
    expect(screen.getByTestId('presenter').textContent).toContain('Đang trình chiếu: UBND xã An Bình');
    await user.click(screen.getByRole('button', { name: 'Dừng trình chiếu của UBND xã An Bình' }));
    expect(onStop).toHaveBeenCalledOnce();
  });

  it('tells an allowed site that has not shared yet apart from one on the air', () => {
    renderPanel({ presenterSiteId: 'a', live: false, requests: [] });
    expect(screen.getByTestId('presenter').textContent).toContain('Được phép trình chiếu, chưa phát: UBND xã An Bình');
  });

  it('lists the requests in order with allow and deny', async () => {
    const user = userEvent.setup();
    const { onAnswer } = renderPanel({ presenterSiteId: 'a', live: true, requests: ['c', 'b'] });
    const rows = screen.getAllByTestId('present-request');
    expect(rows.map((r) => r.textContent?.split(' xin')[0])).toEqual(['UBND thị trấn Lợi', 'UBND xã Tân Phú']);
    await user.click(screen.getAllByRole('button', { name: 'Cho phép' })[1] as HTMLElement);
    await user.click(screen.getAllByRole('button', { name: 'Từ chối' })[0] as HTMLElement);
    expect(onAnswer.mock.calls).toEqual([
      ['b', true],
      ['c', false],
    ]);
  });
});
