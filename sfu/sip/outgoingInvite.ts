// The hub's INVITE to a room it calls (dial-out). It carries no offer
// (RFC 3261 §13.2.1): the room offers in its 200 OK and the hub answers in the
// ACK (sfu/sip/SipServer.ts). A room that rings but is not picked up within
// RING_MS is sent a CANCEL; its 487 ends the call attempt like any refusal.
// A room system that challenges incoming calls (401/407) is answered once,
// with the HA1 stored for it in its own realm (SipDialAuth); a second
// challenge, or one without stored credentials, ends the attempt.
import { randomBytes } from 'node:crypto';
import * as sip from 'sip';
import { signRequest } from 'sip/digest.js';
import type { SipDialAuth } from '../../contract/sip.ts';
import { type StackAddress, straightTo } from './dialog.ts';
import type { SipStatus } from './sipStatus.ts';

/** How long the hub lets a room ring before it gives up (a room set to answer by hand, nobody there). */
export const RING_MS = 45_000;

export type InviteResult = { answered: sip.SipResponse } | { refused: SipStatus };

export interface OutgoingInvite {
  /** The INVITE sent last (the one with credentials when the room challenged the first). */
  request(): sip.SipRequest;
  /** The room's first 2xx (its offer), or the final answer that refused the call (408 when nothing came). */
  result: Promise<InviteResult>;
}

/** Sends the INVITE from `hub` (the hub's Contact URI) to `uri`, answering one challenge with `auth`. */
export function sendInvite(
  at: StackAddress,
  hub: string,
  uri: string,
  auth: SipDialAuth | null,
  ringMs = RING_MS,
): OutgoingInvite {
  const fromTag = randomBytes(8).toString('hex');
  const callId = `${randomBytes(12).toString('hex')}@${sip.parseUri(hub).host}`;
  // Built afresh for each send: the stack rewrites a request's URI and Route as it routes it.
  const invite = (seq: number): sip.SipRequest => ({
    method: 'INVITE',
    uri,
    headers: {
      to: { uri, params: {} },
      from: { uri: hub, params: { tag: fromTag } },
      'call-id': callId,
      cseq: { method: 'INVITE', seq },
      contact: [{ uri: hub, params: {} }],
      'max-forwards': 70,
      via: [],
      ...straightTo(at, uri),
    },
  });
  const first = invite(1);
  let request = first;
  const result = new Promise<InviteResult>((resolve) => {
    let settled = false;
    const settle = (value: InviteResult) => {
      clearTimeout(ringing);
      if (settled) return;
      settled = true;
      resolve(value);
    };
    const ringing = setTimeout(() => {
      at.stack.send(cancelOf(request));
      settle({ refused: { status: 408, reason: 'Request Timeout (not answered)' } });
    }, ringMs);
    ringing.unref();
    const onResponse = (response: sip.SipResponse) => {
      if (response.status < 200) return;
      if ((response.status === 401 || response.status === 407) && auth && request === first && !settled) {
        request = invite(2);
        signRequest({}, request, response, { user: auth.user, realm: auth.realm, hash: auth.ha1 });
        at.stack.send(request, onResponse);
        return;
      }
      // A repeated 200 (the ACK still on its way) is the same answer: settle() ignores it.
      // The stack's own 408 (nothing came back) has no reason phrase.
      const reason = response.reason || (response.status === 408 ? 'Request Timeout' : 'No reason given');
      if (response.status >= 300) settle({ refused: { status: response.status, reason } });
      else settle({ answered: response });
    };
    at.stack.send(first, onResponse);
  });
  return { request: () => request, result };
}

/**
 * The CANCEL of a sent INVITE (RFC 3261 §9.1): its Request-URI, Call-ID,
 * From, To, CSeq number and top Via (the stack put its branch there when it sent it).
 */
function cancelOf(invite: sip.SipRequest): sip.SipRequest {
  const { headers } = invite;
  return {
    method: 'CANCEL',
    uri: invite.uri,
    headers: {
      via: headers.via.slice(0, 1),
      to: headers.to,
      from: headers.from,
      'call-id': headers['call-id'],
      cseq: { method: 'CANCEL', seq: headers.cseq.seq },
      'max-forwards': 70,
      ...(headers.route ? { route: headers.route } : {}),
    },
  };
}
