// Turns any failure into the message to show, in the current language.
import { ApiError } from '../api.ts';
import { SignalingFailure } from '../media/SignalingChannel.ts';

export function errorText(err: unknown, lang: 'vi' | 'en'): string {
  if (err instanceof ApiError || err instanceof SignalingFailure) {
    return lang === 'en' ? err.messageEn || err.message : err.message;
  }
  if (err && typeof err === 'object' && 'message' in err) {
    const e = err as { message: string; messageEn?: string };
    return lang === 'en' && e.messageEn ? e.messageEn : e.message;
  }
  return lang === 'en' ? 'Something went wrong.' : 'Đã xảy ra lỗi.';
}
