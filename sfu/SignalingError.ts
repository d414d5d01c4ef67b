// A refusal the client can act on: carries a protocol error code and the
// message in Vietnamese (shown first) and English.
import { type ErrorBody, SIGNALING_ERRORS, type SignalingErrorCode } from '../contract/errors.ts';

export class SignalingError extends Error {
  readonly messageEn: string;

  constructor(
    readonly code: SignalingErrorCode,
    message?: string,
    messageEn?: string,
  ) {
    const [vi, en] = SIGNALING_ERRORS[code];
    super(message ?? vi);
    this.messageEn = messageEn ?? (message ? message : en);
  }

  toBody(): ErrorBody<SignalingErrorCode> {
    return { code: this.code, message: this.message, messageEn: this.messageEn };
  }
}
