import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../contract/chat.ts';
import { I18nProvider, type Lang } from '../../i18n/index.tsx';
import { SignalingFailure } from '../../media/SignalingChannel.ts';
import { ChatPanel, type ChatPanelProps } from './ChatPanel.tsx';

afterEach(cleanup);

function message(seq: number, text: string, extra: Partial<ChatMessage> = {}): ChatMessage {
  return {
    seq,
    siteId: 'xa-tan-phu',
    siteName: 'UBND xã Tân Phú',
    fromChair: false,
    userId: null,
    privateSiteId: null,
    text,
    at: '2026-11-29T01:05:00.000Z',
    ...extra,
  };
}

function panel(props: Partial<ChatPanelProps> & { lang?: Lang } = {}) {
  const sent: { text: string; privateSiteId?: string }[] = [];
  const { lang = 'vi', ...rest } = props;
  const view = render(
    <I18nProvider lang={lang}>
      <ChatPanel
        messages={[]}
        selfId="xa-tan-phu"
        isChair={false}
        enabled
        sites={[]}
        nameOf={(id) => id}
        onSend={async (text, privateSiteId) => {
          sent.push({ text, privateSiteId });
        }}
        sound
        onSound={() => {}}
        onClose={() => {}}
        {...rest}
      />
    </I18nProvider>,
  );
  return { sent, view };
}

describe('ChatPanel', () => {
  it('shows markup and links as plain text, with the time in 24-hour Vietnam time', () => {
    const { view } = panel({
      messages: [
        message(1, '<script>alert("x")</script>'),
        message(2, 'Xem https://example.org/bao-cao', { siteId: 'other', siteName: 'Sở Tài chính' }),
      ],
    });
    const lines = screen.getAllByTestId('chat-message');
    expect(lines.map((l) => l.querySelector('.chat-line__text')?.textContent)).toEqual([
      '<script>alert("x")</script>',
      'Xem https://example.org/bao-cao',
    ]);
    expect(view.container.querySelector('script')).toBeNull();
    expect(view.container.querySelector('a')).toBeNull();
    expect(lines[0]?.textContent).toContain('08:05');
  });

  it('refuses a message over the limit before sending, naming its length; the draft stays', async () => {
    const { sent } = panel();
    const box = screen.getByRole('textbox');
    await userEvent.click(box);
    await userEvent.paste('a'.repeat(10_000));
    expect(screen.getByTestId('chat-count').textContent).toBe('10000/2000');
    await userEvent.click(screen.getByRole('button', { name: 'Gửi' }));
    expect(screen.getByTestId('chat-error').textContent).toBe(
      'Tin nhắn dài 10000 ký tự, vượt quá giới hạn 2000 ký tự. Hãy rút ngắn hoặc chia thành nhiều tin.',
    );
    expect(sent).toEqual([]);
    expect((box as HTMLTextAreaElement).value).toHaveLength(10_000);
  });

  it('shows the hub’s refusal in the page’s language and keeps the draft; a sent message clears it', async () => {
    let refuse = true;
    panel({
      lang: 'en',
      onSend: async () => {
        if (refuse)
          throw new SignalingFailure({
            code: 'CHAT_RATE_LIMITED',
            message: 'Điểm cầu gửi tin nhắn quá nhanh.',
            messageEn: 'This site is sending messages too fast.',
          });
      },
    });
    const box = screen.getByRole('textbox') as HTMLTextAreaElement;
    await userEvent.type(box, 'Xin chào{Enter}');
    expect(screen.getByTestId('chat-error').textContent).toBe('This site is sending messages too fast.');
    expect(box.value).toBe('Xin chào');
    refuse = false;
    await userEvent.type(box, '{Enter}');
    expect(box.value).toBe('');
    expect(screen.queryByTestId('chat-error')).toBeNull();
  });

  it('a site whose chat to everyone is off writes privately to the chair', async () => {
    const { sent } = panel({ enabled: false });
    expect(screen.getByText('Chủ trì đã tắt trao đổi chung; bạn vẫn nhắn riêng được cho chủ trì.')).toBeTruthy();
    const to = screen.getByTestId('chat-to') as HTMLSelectElement;
    expect(to.value).toBe('xa-tan-phu');
    expect((screen.getByRole('option', { name: 'Cả cuộc họp' }) as HTMLOptionElement).disabled).toBe(true);
    await userEvent.type(screen.getByRole('textbox'), 'Câu hỏi{Enter}');
    expect(sent).toEqual([{ text: 'Câu hỏi', privateSiteId: 'xa-tan-phu' }]);
  });

  it('the chair writes privately to a chosen site and sees whose conversation a message belongs to', async () => {
    const { sent } = panel({
      isChair: true,
      selfId: 'chair-room',
      sites: [{ id: 'xa-tan-phu', name: 'UBND xã Tân Phú' }],
      nameOf: (id) => (id === 'xa-tan-phu' ? 'UBND xã Tân Phú' : id),
      messages: [message(1, 'Riêng', { privateSiteId: 'xa-tan-phu' })],
      onSetEnabled: async () => {},
    });
    expect(screen.getByTestId('chat-message').textContent).toContain('Riêng với UBND xã Tân Phú');
    expect(screen.getByRole('checkbox', { name: 'Cho phép điểm cầu trao đổi chung' })).toBeTruthy();
    await userEvent.selectOptions(screen.getByTestId('chat-to'), 'xa-tan-phu');
    await userEvent.type(screen.getByRole('textbox'), 'Trả lời{Enter}');
    expect(sent).toEqual([{ text: 'Trả lời', privateSiteId: 'xa-tan-phu' }]);
  });
});
