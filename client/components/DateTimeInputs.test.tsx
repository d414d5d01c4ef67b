import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { DateInput, TimeInput } from './DateTimeInputs.tsx';

afterEach(cleanup);

function Fields() {
  const [date, setDate] = useState('29/11/2026');
  const [time, setTime] = useState('08:00');
  return (
    <>
      <DateInput aria-label="date" value={date} onChange={setDate} />
      <TimeInput aria-label="time" value={time} onChange={setTime} />
    </>
  );
}

describe('DateInput and TimeInput', () => {
  it('show dd/mm/yyyy and 24-hour time as text, never the browser’s own date widgets', () => {
    render(<Fields />);
    const date = screen.getByRole('textbox', { name: 'date' }) as HTMLInputElement;
    const time = screen.getByRole('textbox', { name: 'time' }) as HTMLInputElement;
    expect([date.type, date.value, date.placeholder]).toEqual(['text', '29/11/2026', 'dd/mm/yyyy']);
    expect([time.type, time.value, time.placeholder]).toEqual(['text', '08:00', 'hh:mm']);
  });

  it('tidy what reads as a date or a time on leaving the field, and keep the rest as typed', async () => {
    render(<Fields />);
    const date = screen.getByRole('textbox', { name: 'date' }) as HTMLInputElement;
    const time = screen.getByRole('textbox', { name: 'time' }) as HTMLInputElement;
    await userEvent.clear(date);
    await userEvent.type(date, '1/2/2026');
    await userEvent.clear(time);
    await userEvent.type(time, '14h30');
    await userEvent.tab();
    expect(date.value).toBe('01/02/2026');
    expect(time.value).toBe('14:30');
    await userEvent.clear(time);
    await userEvent.type(time, '25:00');
    await userEvent.tab();
    expect(time.value).toBe('25:00');
  });
});
