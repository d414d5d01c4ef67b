// A refusal the client can act on: carries a protocol error code and the
// message in Vietnamese (shown first) and English.
import { type ErrorBody, SIGNALING_ERRORS, type SignalingErrorCode } from '../contract/errors.ts';

export class SignalingError extends Error {
  readonly messageEn: string;

  constructor(
    readonly code: SignalingErrorCode,
    message?: string,
    messageEn?: string,
    /** What the client acts on (e.g. a MOVE_TO_HUB refusal's HubRedirect). */
    readonly details?: unknown,
  ) {
    const [vi, en] = SIGNALING_ERRORS[code];
    super(message ?? vi);
    this.messageEn = messageEn ?? (message ? message : en);
  }

  toBody(): ErrorBody<SignalingErrorCode> {
    const body = { code: this.code, message: this.message, messageEn: this.messageEn };
    return this.details === undefined ? body : { ...body, details: this.details };
  }
}
