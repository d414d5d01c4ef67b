// A bare SIP caller for tests: INVITEs over UDP from a chosen loopback address
// (real SIP messages, made and read with the npm `sip` package's parser and
// digest code), each answered with the hub's final response — to see what the
// hub's digest guard does with a call, not to carry media.
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import * as sip from 'sip';
import { signRequest } from 'sip/digest.js';

export interface SipProbe {
  /** A new call's first INVITE to `sip:<user>@hub`: the hub's final response (401 with its challenge, normally). */
  invite(callId?: string): Promise<ProbeCall>;
  close(): void;
}

export interface ProbeCall {
  callId: string;
  response: sip.SipResponse;
  /** The same call's INVITE again, answering `challenge` (default: this call's 401) as `user` with `password`. */
  answer(user: string, password: string, challenge?: sip.SipResponse): Promise<sip.SipResponse>;
}

/** Calls meeting address `address` at the hub's `hubPort` on 127.0.0.1, from `from` (a 127.x address). */
export async function sipProbe(hubPort: number, address: string, from = '127.0.0.1'): Promise<SipProbe> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, from, resolve));
  const port = socket.address().port;
  const waiting = new Map<string, (response: sip.SipResponse) => void>();
  socket.on('message', (data) => {
    const message = sip.parse(data.toString('binary')) as sip.SipMessage | undefined;
    if (!message || !('status' in message) || message.status < 200) return;
    const key = `${message.headers['call-id']}/${message.headers.cseq.seq}`;
    waiting.get(key)?.(message);
    waiting.delete(key);
    // Every final answer to an INVITE is ACKed (RFC 3261 §17.1.1.3), or the hub would repeat it.
    send(ackOf(message));
  });
  const uri = `sip:${address}@127.0.0.1:${hubPort}`;
  const send = (message: sip.SipMessage) =>
    socket.send(Buffer.from(sip.stringify(message), 'binary'), hubPort, '127.0.0.1');

  function request(callId: string, seq: number, fromTag: string): sip.SipRequest {
    return {
      method: 'INVITE',
      uri,
      headers: {
        via: [{ version: '2.0', protocol: 'UDP', host: from, port, params: { branch: sip.generateBranch() } }],
        to: { uri, params: {} },
        from: { uri: `sip:probe@${from}:${port}`, params: { tag: fromTag } },
        'call-id': callId,
        cseq: { method: 'INVITE', seq },
        contact: [{ uri: `sip:probe@${from}:${port}`, params: {} }],
        'max-forwards': 70,
      },
    };
  }

  function exchange(message: sip.SipRequest): Promise<sip.SipResponse> {
    const key = `${message.headers['call-id']}/${message.headers.cseq.seq}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no final answer to ${key}`)), 10_000);
      waiting.set(key, (response) => {
        clearTimeout(timer);
        resolve(response);
      });
      send(message);
    });
  }

  return {
    async invite(callId = `${randomBytes(8).toString('hex')}@${from}`) {
      const fromTag = randomBytes(4).toString('hex');
      const first = request(callId, 1, fromTag);
      const response = await exchange(first);
      return {
        callId,
        response,
        answer(user, password, challenge = response) {
          const retry = request(callId, 2, fromTag);
          signRequest({}, retry, challenge, { user, password });
          return exchange(retry);
        },
      };
    },
    close: () => socket.close(),
  };
}

/** The ACK of a final non-2xx answer: the INVITE's Via, From, Call-ID and number, the answer's To. */
function ackOf(response: sip.SipResponse): sip.SipRequest {
  return {
    method: 'ACK',
    uri: response.headers.to.uri,
    headers: {
      via: response.headers.via,
      to: response.headers.to,
      from: response.headers.from,
      'call-id': response.headers['call-id'],
      cseq: { method: 'ACK', seq: response.headers.cseq.seq },
      'max-forwards': 70,
    },
  };
}
