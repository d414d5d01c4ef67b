// A SIP dialog as the hub sends requests in it (RFC 3261 §12): its own end
// (with its tag), the room's end, the room's Contact, the next CSeq — and how
// such a request reaches an IP-literal target.
import net from 'node:net';
import * as sip from 'sip';

export interface Dialog {
  callId: string;
  local: sip.NameAddr;
  remote: sip.NameAddr;
  /** The room's Contact: where requests in the dialog go. */
  target: string;
  cseq: number;
}

/** Where the hub's stack listens: the `local` end of the flows it sends on. */
export interface StackAddress {
  stack: sip.Stack;
  address: string;
  port: number;
}

/** A BYE or an ACK (with the answer, for a call the hub placed) in `dialog`. */
export function inDialog(at: StackAddress, dialog: Dialog, method: 'BYE' | 'ACK', sdp?: string): sip.SipRequest {
  return {
    method,
    uri: dialog.target,
    headers: {
      to: dialog.remote,
      from: dialog.local,
      'call-id': dialog.callId,
      // An ACK takes the INVITE's number (the dialog's current one); a BYE the next one.
      cseq: { method, seq: method === 'ACK' ? dialog.cseq : ++dialog.cseq },
      via: [],
      ...(sdp && { 'content-type': 'application/sdp' }),
      ...straightTo(at, dialog.target),
    },
    ...(sdp && { content: sdp }),
  };
}

/**
 * A route that sends a request the hub originates straight to `target` when
 * it names an IP address. The stack takes any URI on its own host for one of
 * its flow tokens, so a room on the hub's address (tests, a gateway on the
 * same machine) would be unreachable; the flow URI of the target makes it go
 * out as addressed. A DNS name is resolved by the stack as usual.
 */
export function straightTo(at: StackAddress, target: string): { route?: sip.NameAddr[] } {
  const hop = sip.parseUri(target);
  if (net.isIP(hop.host) === 0) return {};
  const flow = {
    protocol: String(hop.params.transport ?? 'udp').toUpperCase(),
    address: hop.host,
    port: hop.port ?? 5060,
    local: { address: at.address, port: at.port },
  };
  return { route: [{ uri: sip.stringifyUri(at.stack.encodeFlowUri(flow)), params: {} }] };
}
