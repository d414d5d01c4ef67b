// The hub's SIP user agent (kirm's npm `sip` stack, UDP and TCP on SIP_PORT):
// room systems call `sip:<meeting id>@<hub>`. A call is digest-challenged
// (401), then admitted only for a SIP room invited to that meeting while it is
// open (the schedule's rules, contract/sip.ts), and only if the schedule still
// stands behind it (the check a browser's join makes). Refusals change
// nothing and carry their SIP status (sfu/sip/sipStatus.ts). An admitted call
// becomes a site of the meeting (sfu/sip/SipLeg.ts); its BYE, or the hub's,
// ends it.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import * as sip from 'sip';
import type { JoinClaims, RevocationReason } from '../../contract/joinToken.ts';
import type { SipDirectory } from '../../contract/sip.ts';
import type { MeetingRegistry } from '../MeetingRegistry.ts';
import { SignalingError } from '../SignalingError.ts';
import { DigestGuard } from './DigestGuard.ts';
import { SipLeg } from './SipLeg.ts';
import { readOffer, SdpError, type SipOffer } from './sdpOffer.ts';
import {
  admissionStatus,
  BAD_OFFER,
  NO_ADDRESS,
  refusalStatus,
  revocationStatus,
  type SipStatus,
  UNAUTHORIZED,
  WRONG_CREDENTIALS,
} from './sipStatus.ts';

export interface SipServerOptions {
  port: number;
  listenIp: string;
  /** The address the room systems reach the hub at (Contact, SDP). */
  announcedAddress: string;
  realm: string;
  directory: SipDirectory;
  meetings: MeetingRegistry;
  /** Whether the schedule still stands behind the claims (the join check of sfu/signaling.ts). */
  checkGrant?(claims: JoinClaims): Promise<RevocationReason | null>;
  ffmpegPath: string;
  videoKbps: number;
  mediaTimeoutMs: number;
  log: Logger;
}

interface Call {
  leg: SipLeg;
  /** The INVITE that opened it: the dialog's identifiers and the room's Contact. */
  invite: sip.SipRequest;
  localTag: string;
  cseq: number;
}

class Refused extends Error {
  constructor(readonly sipStatus: SipStatus) {
    super(sipStatus.reason);
  }
}

export class SipServer {
  private stack?: sip.Stack;
  private readonly guard: DigestGuard;
  private readonly calls = new Map<string, Call>();

  constructor(private readonly options: SipServerOptions) {
    this.guard = new DigestGuard(options.realm);
  }

  start(): void {
    const { port, listenIp, announcedAddress, log } = this.options;
    this.stack = sip.create(
      {
        port,
        address: listenIp,
        publicAddress: announcedAddress,
        logger: { error: (err) => log.warn({ err: String(err) }, 'SIP stack error') },
      },
      (request, remote) => this.onRequest(request, remote),
    );
    log.info({ port, address: listenIp }, 'SIP user agent listening');
  }

  /** The calls in progress (tests, benchmark): the site each is and its FFmpeg processes. */
  legs(): { siteId: string; pids: number[] }[] {
    return [...this.calls.values()].map(({ leg }) => ({ siteId: leg.siteId, pids: leg.pids() }));
  }

  private onRequest(request: sip.SipRequest, remote: sip.Remote): void {
    const callId = request.headers['call-id'];
    switch (request.method) {
      case 'INVITE':
        if (request.headers.to.params.tag) this.reInvite(request);
        else void this.invite(request, remote);
        return;
      case 'ACK':
        return;
      case 'BYE': {
        const call = this.calls.get(callId);
        this.reply(request, call ? { status: 200, reason: 'OK' } : { status: 481, reason: 'Call Does Not Exist' });
        if (call) this.forget(callId, call);
        void call?.leg.end('left');
        return;
      }
      case 'OPTIONS':
      case 'INFO':
      case 'CANCEL':
        this.reply(request, { status: 200, reason: 'OK' });
        return;
      default:
        this.reply(request, { status: 405, reason: 'Method Not Allowed' });
    }
  }

  private async invite(request: sip.SipRequest, remote: sip.Remote): Promise<void> {
    const { log } = this.options;
    this.reply(request, { status: 100, reason: 'Trying' });
    try {
      const { claims, offer } = await this.admit(request);
      const localTag = randomBytes(8).toString('hex');
      const callId = request.headers['call-id'];
      const meeting = await this.options.meetings.open(claims);
      const leg = await SipLeg.open({
        meeting,
        claims,
        offer,
        listenIp: this.options.listenIp,
        announcedAddress: this.options.announcedAddress,
        ffmpegPath: this.options.ffmpegPath,
        videoKbps: this.options.videoKbps,
        mediaTimeoutMs: this.options.mediaTimeoutMs,
        log,
        onHangUp: () => this.hangUp(callId),
      });
      this.calls.set(callId, { leg, invite: request, localTag, cseq: 1 });
      this.stack?.send(
        sip.makeResponse(request, 200, 'OK', {
          headers: {
            to: { ...request.headers.to, params: { ...request.headers.to.params, tag: localTag } },
            contact: [{ uri: `sip:diemcau@${this.options.announcedAddress}:${this.options.port}`, params: {} }],
            'content-type': 'application/sdp',
          },
          content: leg.answer,
        }),
      );
      log.info(
        {
          meetingId: claims.meetingId,
          siteId: claims.roomId,
          from: remote.address,
          audio: offer.audio?.codec,
          video: offer.video ? 'H.264' : 'none',
        },
        'SIP room joined',
      );
    } catch (err) {
      const status = statusOf(err);
      if (!status) log.error({ err: (err as Error).message }, 'SIP call failed');
      const refusal = status ?? { status: 500, reason: 'Server Internal Error' };
      const response = sip.makeResponse(request, refusal.status, refusal.reason);
      if (refusal.status === 401) this.guard.challenge(request, response);
      else
        log.info(
          { status: refusal.status, reason: refusal.reason, from: remote.address, uri: request.uri },
          'SIP call refused',
        );
      this.stack?.send(response);
    }
  }

  /** Who calls, into what, with which media: or the status that refuses the call. */
  private async admit(request: sip.SipRequest): Promise<{ claims: JoinClaims; offer: SipOffer }> {
    const { directory } = this.options;
    const user = this.guard.userOf(request);
    if (user === null) throw new Refused(UNAUTHORIZED);
    const credentials = await directory.credentials(user);
    if (!this.guard.verify(request, credentials?.ha1 ?? '') || !credentials) throw new Refused(WRONG_CREDENTIALS);
    const address = sip.parseUri(request.uri).user;
    if (!address) throw new Refused(NO_ADDRESS);
    const admission = await directory.admission(credentials.roomId, decodeURIComponent(address));
    if ('refusal' in admission) throw new Refused(refusalStatus(admission.refusal));
    const revoked = await this.options.checkGrant?.(admission.claims);
    if (revoked) throw new Refused(revocationStatus(revoked));
    try {
      return { claims: admission.claims, offer: readOffer(request.content ?? '') };
    } catch (err) {
      if (err instanceof SdpError) throw new Refused(BAD_OFFER);
      throw err;
    }
  }

  /** A session refresh or hold within the call: the media stay as answered. */
  private reInvite(request: sip.SipRequest): void {
    const call = this.calls.get(request.headers['call-id']);
    if (!call) {
      this.reply(request, { status: 481, reason: 'Call Does Not Exist' });
      return;
    }
    this.stack?.send(
      sip.makeResponse(request, 200, 'OK', {
        headers: { 'content-type': 'application/sdp' },
        content: call.leg.answer,
      }),
    );
  }

  /** The hub ends the call: a BYE to the room's Contact. */
  private hangUp(callId: string): void {
    const call = this.calls.get(callId);
    if (!call) return;
    this.forget(callId, call);
    const { invite, localTag } = call;
    const target = invite.headers.contact?.[0]?.uri ?? invite.headers.from.uri;
    this.stack?.send({
      method: 'BYE',
      uri: target,
      headers: {
        to: invite.headers.from,
        from: { ...invite.headers.to, params: { ...invite.headers.to.params, tag: localTag } },
        'call-id': callId,
        cseq: { method: 'BYE', seq: ++call.cseq },
        via: [],
      },
    });
    this.options.log.info({ siteId: call.leg.siteId }, 'SIP call hung up by the hub');
  }

  private forget(callId: string, call: Call): void {
    if (this.calls.get(callId) === call) this.calls.delete(callId);
  }

  private reply(request: sip.SipRequest, { status, reason }: SipStatus): void {
    this.stack?.send(sip.makeResponse(request, status, reason));
  }

  /** Hangs every call up and stops listening. */
  async close(): Promise<void> {
    const calls = [...this.calls.entries()];
    for (const [callId] of calls) this.hangUp(callId);
    await Promise.all(calls.map(([, call]) => call.leg.end('left')));
    this.stack?.destroy();
  }
}

function statusOf(err: unknown): SipStatus | null {
  if (err instanceof Refused) return err.sipStatus;
  if (err instanceof SignalingError) return admissionStatus(err);
  return null;
}
