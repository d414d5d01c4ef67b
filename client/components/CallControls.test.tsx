import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider, type Lang } from '../i18n/index.tsx';
import { CallControls, type MicLock } from './CallControls.tsx';

afterEach(cleanup);

function Harness({
  lock = null,
  lang = 'vi' as Lang,
  onHand = () => {},
}: {
  lock?: MicLock;
  lang?: Lang;
  onHand?: () => void;
}) {
  const [mic, setMic] = useState(true);
  const [cam, setCam] = useState(true);
  const [hand, setHand] = useState(false);
  return (
    <I18nProvider lang={lang}>
      <CallControls
        micOn={mic}
        cameraOn={cam}
        handRaised={hand}
        micLock={lock}
        onToggleMic={() => setMic(!mic)}
        onToggleCamera={() => setCam(!cam)}
        onToggleHand={() => {
          setHand(!hand);
          onHand();
        }}
      />
    </I18nProvider>
  );
}

describe('CallControls', () => {
  it('toggles the mic and the camera and shows their state', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    const mic = screen.getByRole('button', { name: /Tắt micrô/ });
    expect(mic.getAttribute('aria-pressed')).toBe('true');
    await user.click(mic);
    expect(screen.getByRole('button', { name: /Bật micrô/ }).getAttribute('aria-pressed')).toBe('false');
    await user.click(screen.getByRole('button', { name: /Tắt camera/ }));
    expect(screen.getByRole('button', { name: /Bật camera/ })).toBeTruthy();
  });

  it('locks the mic while the chair has muted the site, with the reason shown', async () => {
    const user = userEvent.setup();
    render(<Harness lock="chair" />);
    const mic = screen.getByRole('button', { name: /Bật micrô/ }) as HTMLButtonElement;
    expect(mic.disabled).toBe(true);
    const reason = screen.getByRole('status');
    expect(reason.textContent).toBe('Chủ trì đã tắt micrô của điểm cầu. Hãy xin phát biểu để được mở.');
    expect(mic.getAttribute('aria-describedby')).toBe(reason.id);
    await user.click(mic);
    expect(screen.getByRole('button', { name: /Bật micrô/ })).toBe(mic);
    // The camera stays usable.
    expect((screen.getByRole('button', { name: /Tắt camera/ }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('explains a mic held by the meeting mode, in English too', () => {
    render(<Harness lock="no-floor" lang="en" />);
    expect((screen.getByRole('button', { name: /Turn mic on/ }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('status').textContent).toBe('The chair has not given you the floor. Raise your hand.');
  });

  it('raises and lowers the hand from the keyboard', async () => {
    const user = userEvent.setup();
    const onHand = vi.fn();
    render(<Harness lock="chair" onHand={onHand} />);
    const hand = screen.getByRole('button', { name: /Xin phát biểu/ });
    hand.focus();
    await user.keyboard('{Enter}');
    expect(onHand).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('button', { name: /Hủy xin phát biểu/ }).getAttribute('aria-pressed')).toBe('true');
  });
});
