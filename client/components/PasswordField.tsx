// A password input with its label and its own message under it (FieldError):
// the sign-in form and the password change share it.
import { useId } from 'react';
import { FieldError, invalidProps } from './FieldError.tsx';

export function PasswordField({
  label,
  name,
  autoComplete,
  value,
  onChange,
  error,
  autoFocus,
}: {
  label: string;
  name: string;
  autoComplete: 'current-password' | 'new-password';
  value: string;
  onChange: (value: string) => void;
  error?: string;
  autoFocus?: boolean;
}) {
  const id = useId();
  // The message sits after the label, not in it: the field's name stays its label alone.
  return (
    <>
      <label>
        {label}
        <input
          name={name}
          type="password"
          autoComplete={autoComplete}
          {...invalidProps(id, error)}
          // biome-ignore lint/a11y/noAutofocus: only the first field of a page's only form asks for it
          autoFocus={autoFocus}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      </label>
      <FieldError id={id} message={error} />
    </>
  );
}
