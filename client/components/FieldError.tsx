// A form field's own message, in the user's language, never the browser's
// bubble: shown under the field, tied to it by aria-describedby, and the first
// field in trouble takes the focus when the form is sent.
import { type RefObject, useEffect } from 'react';

/** Props for the field's input: invalid, described by its message. */
export function invalidProps(id: string, message: string | undefined) {
  return message ? { 'aria-invalid': true as const, 'aria-describedby': id } : {};
}

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <span id={id} className="field-error">
      {message}
    </span>
  );
}

/**
 * After each refused send (`attempt` grows), focuses the first field marked
 * invalid in the form: an input with aria-invalid, or the first input of a
 * group marked data-invalid (a picker).
 */
export function useFocusFirstInvalid(form: RefObject<HTMLElement | null>, attempt: number): void {
  useEffect(() => {
    if (!attempt) return;
    const first = form.current?.querySelector<HTMLElement>('[aria-invalid="true"], [data-invalid="true"]');
    const target = first?.matches('input, select, textarea') ? first : first?.querySelector<HTMLElement>('input');
    target?.focus();
  }, [form, attempt]);
}
