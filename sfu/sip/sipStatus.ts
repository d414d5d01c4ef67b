// The SIP status a refused call gets (RFC 3261 §21), for each reason the
// schedule or the meeting gives. The reason phrase is English (the room
// system's display shows it); the hub's log carries the rest.
import type { RevocationReason } from '../../contract/joinToken.ts';
import type { SipRefusal } from '../../contract/sip.ts';
import type { SignalingError } from '../SignalingError.ts';

export interface SipStatus {
  status: number;
  reason: string;
  /** Seconds before the room may try again (a Retry-After header). */
  retryAfter?: number;
}

export const UNAUTHORIZED: SipStatus = { status: 401, reason: 'Unauthorized' };
export const WRONG_CREDENTIALS: SipStatus = { status: 403, reason: 'Forbidden (unknown room or wrong password)' };
export const NO_ADDRESS: SipStatus = { status: 404, reason: 'Not Found (dial the meeting id)' };
/** Too many failed digest answers from the caller's address (DigestGuard): refused without a check. */
export function throttledStatus(retryAfter: number): SipStatus {
  return { status: 403, reason: 'Forbidden (too many failed attempts)', retryAfter };
}
/** An offer the hub cannot answer (sfu/sip/sdpOffer.ts): `hint` says what to offer instead. */
export function badOffer(hint: string): SipStatus {
  return { status: 488, reason: `Not Acceptable Here (${hint})` };
}

export function refusalStatus(refusal: SipRefusal): SipStatus {
  switch (refusal) {
    case 'unknown_meeting':
      return { status: 404, reason: 'Not Found (no such meeting)' };
    case 'not_invited':
      return { status: 403, reason: 'Forbidden (room not invited)' };
    case 'inactive':
      return { status: 403, reason: 'Forbidden (room deactivated)' };
    case 'not_open':
      return { status: 480, reason: 'Temporarily Unavailable (meeting not open now)' };
  }
}

/** The schedule no longer stands behind the call (asked as for a browser's join). */
export function revocationStatus(reason: RevocationReason): SipStatus {
  if (reason === 'ended' || reason === 'cancelled')
    return { status: 480, reason: `Temporarily Unavailable (meeting ${reason})` };
  return { status: 403, reason: `Forbidden (${reason})` };
}

/** The meeting refused the site (sfu/Admission.ts). */
export function admissionStatus(err: SignalingError): SipStatus {
  switch (err.code) {
    case 'MEETING_FULL':
      return { status: 486, reason: 'Busy Here (meeting full)' };
    case 'MEETING_LOCKED':
      return { status: 403, reason: 'Forbidden (meeting locked)' };
    case 'REMOVED':
      return { status: 403, reason: 'Forbidden (removed by the chair)' };
    case 'MEETING_ENDED':
      return { status: 480, reason: 'Temporarily Unavailable (meeting ended)' };
    case 'MEDIA_UNAVAILABLE':
      return { status: 503, reason: 'Service Unavailable' };
    default:
      return { status: 500, reason: 'Server Internal Error' };
  }
}
