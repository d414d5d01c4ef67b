// Date and time fields that show and accept dd/mm/yyyy and 24-hour HH:mm
// whatever the browser's locale (native date and time inputs follow it: an
// English-locale browser shows 11/29/2026 and 08:00 AM). Plain text fields:
// what is typed stays as typed, and is tidied on leaving the field once it
// reads as a date or a time ("1/2/2026" → "01/02/2026", "8h" → "08:00");
// the form's rules say what is wrong with the rest.
import type { InputHTMLAttributes } from 'react';
import { dmyOf, parseClock, parseDmy } from '../lib/time.ts';

type TextProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'> & {
  value: string;
  onChange: (text: string) => void;
};

/** A text field in one fixed format, tidied on leaving it when `tidy` reads what was typed. */
function FormattedInput({
  value,
  onChange,
  placeholder,
  maxLength,
  tidy,
  ...rest
}: TextProps & { placeholder: string; maxLength: number; tidy: (text: string) => string | null }) {
  return (
    <input
      {...rest}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      placeholder={placeholder}
      maxLength={maxLength}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      onBlur={() => {
        const tidied = tidy(value);
        if (tidied) onChange(tidied);
      }}
    />
  );
}

/** A date as dd/mm/yyyy. */
export function DateInput(props: TextProps) {
  return (
    <FormattedInput
      {...props}
      placeholder="dd/mm/yyyy"
      maxLength={10}
      tidy={(text) => {
        const date = parseDmy(text);
        return date ? dmyOf(date) : null;
      }}
    />
  );
}

/** A 24-hour clock time as HH:mm. */
export function TimeInput(props: TextProps) {
  return <FormattedInput {...props} placeholder="hh:mm" maxLength={5} tidy={parseClock} />;
}
