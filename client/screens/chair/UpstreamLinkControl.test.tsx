// The chair's upstream link control: hidden when the hub links with no
// deployment; links the chosen deployment's meeting; shows the link's state,
// and why it was lost, in Vietnamese first; unlinks while open.
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LinkableDeployment, UpstreamLink } from '../../../contract/cascade.ts';
import { I18nProvider } from '../../i18n/index.tsx';
import { UpstreamLinkControl } from './UpstreamLinkControl.tsx';

afterEach(cleanup);

const linkable: LinkableDeployment[] = [
  { name: 'quocgia', displayName: 'Trung ương' },
  { name: 'tinh-ha-nam', displayName: 'Tỉnh Hà Nam' },
];

function link(state: UpstreamLink['state']): UpstreamLink {
  return {
    deployment: 'quocgia',
    displayName: 'Trung ương',
    meetingId: 'hop-toan-quoc',
    state,
    siteId: state === 'live' ? 'cascade-quocgia' : null,
    sendSiteId: 'chair-room',
    message: state === 'lost' ? 'Mất liên lạc với hệ thống cấp trên.' : null,
    messageEn: state === 'lost' ? 'Lost contact with the upstream deployment.' : null,
  };
}

function renderControl(upstream: UpstreamLink | null, deployments = linkable) {
  const onLink = vi.fn();
  const onUnlink = vi.fn();
  render(
    <I18nProvider>
      <UpstreamLinkControl
        upstream={upstream}
        linkable={deployments}
        disabled={false}
        onLink={onLink}
        onUnlink={onUnlink}
      />
    </I18nProvider>,
  );
  return { onLink, onUnlink };
}

describe('UpstreamLinkControl', () => {
  it('is hidden when the hub links with no deployment', () => {
    renderControl(null, []);
    expect(screen.queryByTestId('upstream-link')).toBeNull();
  });

  it('links the chosen deployment’s meeting', async () => {
    const { onLink } = renderControl(null);
    const user = userEvent.setup();
    const button = screen.getByRole('button', { name: 'Liên kết' });
    expect(button).toHaveProperty('disabled', true);
    await user.selectOptions(screen.getByLabelText('Hệ thống cấp trên'), 'tinh-ha-nam');
    await user.type(screen.getByLabelText('Mã cuộc họp bên đó'), ' hop-tinh-01 ');
    await user.click(button);
    expect(onLink).toHaveBeenCalledWith('tinh-ha-nam', 'hop-tinh-01');
  });

  it('shows a live link and unlinks it', async () => {
    const { onUnlink } = renderControl(link('live'));
    expect(screen.getByRole('status').textContent).toBe('Đang tiếp sóng từ Trung ương; điểm cầu chủ trì được gửi lên.');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Ngắt liên kết' }));
    expect(onUnlink).toHaveBeenCalledOnce();
  });

  it('says why a link was lost, and offers to link again', () => {
    renderControl(link('lost'));
    expect(screen.getByRole('status').textContent).toBe(
      'Mất liên kết với Trung ương: Mất liên lạc với hệ thống cấp trên.',
    );
    expect(screen.getByRole('button', { name: 'Liên kết' })).toBeTruthy();
  });
});
