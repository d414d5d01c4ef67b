// Turns any failure into the message to show, in the current language. What the
// hub refuses arrives in the one shape of contract/errors.ts (message in
// Vietnamese, messageEn in English) whether over REST (ApiError), the socket
// (SignalingFailure) or as a plain ErrorBody.
import type { ErrorBody } from '../../contract/errors.ts';

type Bilingual = Pick<ErrorBody, 'message' | 'messageEn'>;

function isBilingual(err: unknown): err is Bilingual {
  const e = err as Partial<Bilingual> | null;
  return typeof e?.message === 'string' && typeof e.messageEn === 'string';
}

export function errorText(err: unknown, lang: 'vi' | 'en'): string {
  if (isBilingual(err)) return lang === 'en' ? err.messageEn : err.message;
  // Anything else (a browser error) has one message only.
  if (err instanceof Error && err.message) return err.message;
  return lang === 'en' ? 'Something went wrong.' : 'Đã xảy ra lỗi.';
}
