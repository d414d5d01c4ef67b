import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api.ts';
import { I18nProvider, type Lang } from '../../i18n/index.tsx';
import { RoomSipAccount, type RoomSipAccountProps } from './RoomSipAccount.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function renderAccount(props: Partial<RoomSipAccountProps>, lang: Lang = 'vi') {
  const handlers = {
    onSave: vi.fn<RoomSipAccountProps['onSave']>(async () => {}),
    onRemove: vi.fn<RoomSipAccountProps['onRemove']>(async () => {}),
  };
  render(
    <I18nProvider lang={lang}>
      <RoomSipAccount roomName="UBND xã Tân Phú" account={null} {...handlers} {...props} />
    </I18nProvider>,
  );
  return handlers;
}

const sipRoom = { user: 'xa-tan-phu', uri: 'sip:phonghop@10.1.2.3:5060' };

describe('RoomSipAccount', () => {
  it('a browser room says it has no SIP account and offers to set one, not to remove one', () => {
    renderAccount({});
    expect(screen.getByText('Chưa có tài khoản SIP: điểm cầu họp bằng trình duyệt.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Đặt tài khoản SIP' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Gỡ tài khoản SIP' })).toBeNull();
  });

  it('a SIP room shows its user name and dial-out address; changing it starts from them, passwords empty', async () => {
    const user = userEvent.setup();
    renderAccount({ account: sipRoom });
    expect(screen.getByText('xa-tan-phu')).toBeTruthy();
    expect(screen.getByText('Hệ thống gọi tới sip:phonghop@10.1.2.3:5060')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Đổi tài khoản SIP' }));
    expect((screen.getByLabelText('Tên SIP') as HTMLInputElement).value).toBe('xa-tan-phu');
    expect((screen.getByLabelText('Địa chỉ hệ thống gọi tới thiết bị') as HTMLInputElement).value).toBe(sipRoom.uri);
    expect((screen.getByLabelText('Mật khẩu SIP') as HTMLInputElement).value).toBe('');
    expect((screen.getByLabelText('Nhập lại mật khẩu SIP') as HTMLInputElement).value).toBe('');
  });

  it('two different passwords are refused here, naming the problem; the same ones are sent, an empty address as null', async () => {
    const user = userEvent.setup();
    const { onSave } = renderAccount({});
    await user.click(screen.getByRole('button', { name: 'Đặt tài khoản SIP' }));
    await user.type(screen.getByLabelText('Tên SIP'), ' xa-tan-phu ');
    await user.type(screen.getByLabelText('Mật khẩu SIP'), 'mat-khau-1');
    await user.type(screen.getByLabelText('Nhập lại mật khẩu SIP'), 'mat-khau-2');
    await user.click(screen.getByRole('button', { name: 'Lưu tài khoản SIP' }));
    expect(screen.getByText('Hai lần nhập mật khẩu không khớp nhau.')).toBeTruthy();
    expect(screen.getByLabelText('Nhập lại mật khẩu SIP').getAttribute('aria-invalid')).toBe('true');
    expect(onSave).not.toHaveBeenCalled();

    await user.clear(screen.getByLabelText('Nhập lại mật khẩu SIP'));
    await user.type(screen.getByLabelText('Nhập lại mật khẩu SIP'), 'mat-khau-1');
    await user.click(screen.getByRole('button', { name: 'Lưu tài khoản SIP' }));
    expect(onSave).toHaveBeenCalledWith({ user: 'xa-tan-phu', password: 'mat-khau-1', uri: null });
    expect(screen.getByRole('status').textContent).toBe('Đã lưu tài khoản SIP xa-tan-phu.');
    expect(screen.queryByRole('form')).toBeNull();
  });

  it('the hub’s refusal is shown in the reader’s language and the form stays open', async () => {
    const refusal = ApiError.fromResponse(400, {
      error: {
        code: 'VALIDATION_ERROR',
        message: 'Mật khẩu: cần ít nhất 8 ký tự.',
        messageEn: 'Password: use at least 8 characters.',
      },
    });
    for (const [lang, shown, set, save] of [
      ['vi', 'Mật khẩu: cần ít nhất 8 ký tự.', 'Đặt tài khoản SIP', 'Lưu tài khoản SIP'],
      ['en', 'Password: use at least 8 characters.', 'Set a SIP account', 'Save the SIP account'],
    ] as const) {
      const user = userEvent.setup();
      const onSave = vi.fn(() => Promise.reject(refusal));
      renderAccount({ onSave }, lang);
      await user.click(screen.getByRole('button', { name: set }));
      await user.click(screen.getByRole('button', { name: save }));
      expect(onSave).toHaveBeenCalledOnce();
      expect(screen.getByRole('alert').textContent).toBe(shown);
      expect(screen.getByRole('button', { name: save })).toBeTruthy();
      cleanup();
    }
  });

  it('removing asks first: declined, nothing happens; confirmed, the account is removed', async () => {
    const user = userEvent.setup();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    const { onRemove } = renderAccount({ account: sipRoom });
    await user.click(screen.getByRole('button', { name: 'Gỡ tài khoản SIP' }));
    expect(confirm).toHaveBeenCalledWith(
      'Gỡ tài khoản SIP của UBND xã Tân Phú? Thiết bị của điểm cầu sẽ không gọi vào được nữa; điểm cầu họp bằng trình duyệt.',
    );
    expect(onRemove).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Gỡ tài khoản SIP' }));
    expect(onRemove).toHaveBeenCalledOnce();
    expect(screen.getByRole('status').textContent).toBe('Đã gỡ tài khoản SIP.');
  });
});
