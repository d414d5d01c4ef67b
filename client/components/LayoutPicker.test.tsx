import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../i18n/index.tsx';
import { LayoutPicker } from './LayoutPicker.tsx';

afterEach(cleanup);

describe('LayoutPicker', () => {
  it('gives the chair the four layouts for every site', async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    render(
      <I18nProvider lang="vi">
        <LayoutPicker scope="chair" value="speaker" onChange={onChange} />
      </I18nProvider>,
    );
    const select = screen.getByLabelText('Bố cục cho các điểm cầu') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual([
      'Người phát biểu',
      'Chủ trì và màn hình chính',
      'Nội dung trình chiếu',
      'Lưới 9 điểm cầu',
    ]);
    await user.selectOptions(select, 'grid');
    expect(onChange).toHaveBeenCalledWith('grid');
  });

  it('lets a room pin a layout for itself, or follow the chair again', async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    render(
      <I18nProvider lang="en">
        <LayoutPicker scope="room" value="grid" onChange={onChange} />
      </I18nProvider>,
    );
    const select = screen.getByLabelText('Shown at this site') as HTMLSelectElement;
    expect(select.value).toBe('grid');
    await user.selectOptions(select, 'As the chair chose');
    expect(onChange).toHaveBeenCalledWith(null);
  });
});
