import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nProvider } from '../i18n/index.tsx';
import { demoProvince } from '../testing/fixtures.ts';
import { UnitTreePicker } from './UnitTreePicker.tsx';

afterEach(cleanup);

function Harness({
  initial = [] as string[],
  onSelected,
  single,
  inactive = [],
}: {
  initial?: string[];
  onSelected?: (s: Set<string>) => void;
  single?: boolean;
  inactive?: string[];
}) {
  const demo = demoProvince();
  const units = demo.units.map((u) => (inactive.includes(u.id) ? { ...u, active: false } : u));
  const rooms = demo.rooms.filter((r) => !inactive.includes(r.unitId));
  const [sel, setSel] = useState<Set<string>>(new Set(initial));
  return (
    <I18nProvider lang="vi">
      <UnitTreePicker
        units={units}
        rooms={rooms}
        selected={sel}
        single={single}
        onChange={(s) => {
          setSel(s);
          onSelected?.(s);
        }}
      />
    </I18nProvider>
  );
}

describe('UnitTreePicker', () => {
  it('ticking a district ticks its 19 communes and its hall, and shows the counts', async () => {
    const user = userEvent.setup();
    let last = new Set<string>();
    render(<Harness onSelected={(s) => (last = s)} />);
    // 2 province-level rooms + 3 districts × (1 hall + 19 communes) = 62
    expect(screen.getByText('Đã chọn 0/62 điểm cầu')).toBeTruthy();

    await user.click(screen.getByRole('checkbox', { name: 'Huyện Tân Phú' }));

    expect(screen.getByText('Đã chọn 20/62 điểm cầu')).toBeTruthy();
    expect(screen.getByTestId('count-d1').textContent).toBe('20/20 điểm cầu');
    expect(last.size).toBe(20);
    // The province shows a partial selection.
    const province = screen.getByRole('checkbox', { name: 'Tỉnh Bình Minh' }) as HTMLInputElement;
    expect(province.indeterminate).toBe(true);
    expect(province.checked).toBe(false);

    // Open the district: its 19 communes are ticked.
    await user.click(screen.getByRole('button', { name: 'Mở Huyện Tân Phú' }));
    const communes = screen.getAllByRole('checkbox', { name: /^Xã Phú 1-/ }) as HTMLInputElement[];
    expect(communes).toHaveLength(19);
    expect(communes.every((c) => c.checked)).toBe(true);
    expect(screen.getByTestId('count-d1-c7').textContent).toBe('1/1 điểm cầu');

    // Unticking one commune makes the district partial.
    await user.click(screen.getByRole('checkbox', { name: 'Xã Phú 1-7' }));
    expect(screen.getByTestId('count-d1').textContent).toBe('19/20 điểm cầu');
    expect((screen.getByRole('checkbox', { name: 'Huyện Tân Phú' }) as HTMLInputElement).indeterminate).toBe(true);
  });

  it('hides units merged or deactivated: nothing new may be placed in them', async () => {
    const user = userEvent.setup();
    render(<Harness inactive={['d1-c1', 'd1-c2']} />);
    expect(screen.getByText('Đã chọn 0/60 điểm cầu')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Mở Huyện Tân Phú' }));
    expect(screen.getAllByRole('checkbox', { name: /^Xã Phú 1-/ })).toHaveLength(17);
    expect(screen.queryByRole('checkbox', { name: 'Xã Phú 1-1' })).toBeNull();
  });

  it('ticking the province selects every room of every depth', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByRole('checkbox', { name: 'Tỉnh Bình Minh' }));
    expect(screen.getByText('Đã chọn 62/62 điểm cầu')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Bỏ chọn tất cả' }));
    expect(screen.getByText('Đã chọn 0/62 điểm cầu')).toBeTruthy();
  });

  it('searches by name without accents and shows the path to each match', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.type(screen.getByRole('searchbox'), 'long hai');
    const district = screen.getByRole('checkbox', { name: 'Huyện Long Hải' });
    expect(district).toBeTruthy();
    // The matched district shows its whole subtree; other districts are hidden.
    expect(screen.queryByRole('checkbox', { name: 'Huyện Tân Phú' })).toBeNull();
    expect(screen.getAllByRole('checkbox', { name: /^Xã Phú 2-/ })).toHaveLength(19);

    await user.clear(screen.getByRole('searchbox'));
    await user.type(screen.getByRole('searchbox'), 'xã phú 3-12');
    expect(screen.getByRole('checkbox', { name: 'Xã Phú 3-12' })).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: 'UBND xã Phú 3-12' })).toBeTruthy();
    expect(screen.queryByRole('checkbox', { name: 'Xã Phú 3-11' })).toBeNull();
    await user.click(screen.getByRole('checkbox', { name: 'Xã Phú 3-12' }));
    expect(screen.getByText('Đã chọn 1/62 điểm cầu')).toBeTruthy();
  });

  it('is keyboard usable: Tab to a unit checkbox and Space ticks it', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    screen.getByRole('button', { name: 'Thu gọn Tỉnh Bình Minh' }).focus();
    await user.tab(); // province checkbox
    await user.keyboard(' ');
    expect(screen.getByText('Đã chọn 62/62 điểm cầu')).toBeTruthy();
  });

  it('chooses one room in single mode: radios on rooms, found by search, opened on the chosen branch', async () => {
    const user = userEvent.setup();
    let last = new Set<string>();
    render(<Harness single initial={['r-d2-c7']} onSelected={(s) => (last = s)} />);
    expect(screen.getByText('Đã chọn: UBND xã Phú 2-7')).toBeTruthy();
    // The chosen room is in view without opening anything; units have no checkbox.
    expect((screen.getByRole('radio', { name: 'UBND xã Phú 2-7' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.queryAllByRole('checkbox')).toHaveLength(0);

    await user.type(screen.getByRole('searchbox'), 'phu 3-12');
    await user.click(screen.getByRole('radio', { name: 'UBND xã Phú 3-12' }));
    expect([...last]).toEqual(['r-d3-c12']);
    expect(screen.getByText('Đã chọn: UBND xã Phú 3-12')).toBeTruthy();
  });
});
