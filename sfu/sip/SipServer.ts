// The hub's SIP user agent (kirm's npm `sip` stack, UDP and TCP on SIP_PORT):
// room systems call `sip:<meeting id>@<hub>`. A call is digest-challenged
// (401), then admitted only for a SIP room invited to that meeting while it is
// open (the schedule's rules, contract/sip.ts), and only if the schedule still
// stands behind it (the check a browser's join makes). Refusals change
// nothing and carry their SIP status (sfu/sip/sipStatus.ts). An admitted call
// becomes a site of the meeting (sfu/sip/SipLeg.ts); its BYE, or the hub's,
// ends it. When a meeting opens, the hub calls the invited rooms that have a
// dial-out address (EndpointRoom.sipUri) the same way, in reverse.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import * as sip from 'sip';
import type { JoinClaims, RevocationReason } from '../../contract/joinToken.ts';
import type { SipDialTarget, SipDirectory } from '../../contract/sip.ts';
import type { MeetingRegistry } from '../MeetingRegistry.ts';
import { SignalingError } from '../SignalingError.ts';
import { DigestGuard } from './DigestGuard.ts';
import { type Dialog, inDialog, type StackAddress, straightTo } from './dialog.ts';
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

interface Call extends Dialog {
  leg: SipLeg;
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
  /** Rooms the hub is calling now (dial-out), so that a meeting opening twice does not ring them twice. */
  private readonly dialling = new Set<string>();

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

  /** The calls in progress (tests, benchmark): the site each is, its FFmpeg processes (the mix and picture adapter shared), the key frames it was sent. */
  legs(): {
    siteId: string;
    callId: string;
    answer: string;
    pids: number[];
    picture: { ssrc: number | null; keyFramesSent: number };
  }[] {
    return [...this.calls.entries()].map(([callId, { leg }]) => ({
      siteId: leg.siteId,
      callId,
      answer: leg.answer,
      pids: leg.pids(),
      picture: leg.pictureStats,
    }));
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
      case 'INFO':
        // RFC 5168 media control: the room lost its picture and asks for a key frame.
        if (/picture_fast_update/.test(request.content ?? '')) this.calls.get(callId)?.leg.pictureFastUpdate();
        this.reply(request, { status: 200, reason: 'OK' });
        return;
      case 'OPTIONS':
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
      const leg = await this.openLeg(claims, offer, callId);
      this.calls.set(callId, {
        leg,
        callId,
        local: { ...request.headers.to, params: { ...request.headers.to.params, tag: localTag } },
        remote: request.headers.from,
        target: request.headers.contact?.[0]?.uri ?? request.headers.from.uri,
        cseq: 1,
      });
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

  /** The call as a site of its meeting (opened if it is not yet). */
  private async openLeg(claims: JoinClaims, offer: SipOffer, callId: string): Promise<SipLeg> {
    const meeting = await this.options.meetings.open(claims);
    return SipLeg.open({
      meeting,
      claims,
      offer,
      listenIp: this.options.listenIp,
      announcedAddress: this.options.announcedAddress,
      ffmpegPath: this.options.ffmpegPath,
      videoKbps: this.options.videoKbps,
      mediaTimeoutMs: this.options.mediaTimeoutMs,
      log: this.options.log,
      onHangUp: () => this.hangUp(callId),
    });
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
    const at = this.at();
    if (at) at.stack.send(inDialog(at, call, 'BYE'));
    this.options.log.info({ siteId: call.leg.siteId }, 'SIP call hung up by the hub');
  }

  /**
   * The meeting opened: the hub calls its invited SIP rooms that have a
   * dial-out address and are not in it yet. The INVITE carries no offer
   * (RFC 3261 §13.2.1): the room offers in its 200, the hub answers in the ACK —
   * so the call then takes the same path as a room dialling in.
   */
  async callRooms(meetingId: string): Promise<void> {
    try {
      const targets = await this.options.directory.dialTargets(meetingId);
      for (const target of targets) {
        if (this.options.meetings.get(meetingId)?.sites.has(target.roomId) || this.dialling.has(target.roomId))
          continue;
        this.dial(target);
      }
    } catch (err) {
      this.options.log.error({ meetingId, err: (err as Error).message }, 'could not look up the SIP rooms to call');
    }
  }

  private dial(target: SipDialTarget): void {
    const at = this.at();
    if (!at) return;
    const { announcedAddress, port, log } = this.options;
    const callId = `${randomBytes(12).toString('hex')}@${announcedAddress}`;
    const hub = `sip:diemcau@${announcedAddress}:${port}`;
    const invite: sip.SipRequest = {
      method: 'INVITE',
      uri: target.uri,
      headers: {
        to: { uri: target.uri, params: {} },
        from: { uri: hub, params: { tag: randomBytes(8).toString('hex') } },
        'call-id': callId,
        cseq: { method: 'INVITE', seq: 1 },
        contact: [{ uri: hub, params: {} }],
        'max-forwards': 70,
        via: [],
        ...straightTo(at, target.uri),
      },
    };
    this.dialling.add(target.roomId);
    log.info({ meetingId: target.claims.meetingId, siteId: target.roomId, uri: target.uri }, 'calling a SIP room');
    let answered = false;
    at.stack.send(invite, (response) => {
      if (response.status < 200) return;
      if (response.status >= 300) {
        this.dialling.delete(target.roomId);
        log.info(
          { siteId: target.roomId, status: response.status, reason: response.reason },
          'SIP room did not answer',
        );
        return;
      }
      // A repeated 200 (our ACK still on its way) starts nothing new.
      if (answered) return;
      answered = true;
      void this.answered(at, target, invite, response);
    });
  }

  /** The room took the call with its offer: it joins like a room that dialled in, the answer goes in the ACK. */
  private async answered(
    at: StackAddress,
    target: SipDialTarget,
    invite: sip.SipRequest,
    response: sip.SipResponse,
  ): Promise<void> {
    const callId = invite.headers['call-id'];
    const dialog: Dialog = {
      callId,
      local: invite.headers.from,
      remote: response.headers.to,
      target: response.headers.contact?.[0]?.uri ?? target.uri,
      cseq: 1,
    };
    try {
      const leg = await this.openLeg(target.claims, readOffer(response.content ?? ''), callId);
      this.calls.set(callId, { ...dialog, leg });
      at.stack.send(inDialog(at, dialog, 'ACK', leg.answer));
      this.options.log.info(
        { meetingId: target.claims.meetingId, siteId: target.roomId },
        'SIP room answered and joined',
      );
    } catch (err) {
      // The room answered but cannot join (the meeting filled up, an offer without usable audio): it is told so.
      this.options.log.warn(
        { siteId: target.roomId, err: (err as Error).message },
        'SIP room answered but could not join',
      );
      at.stack.send(inDialog(at, dialog, 'ACK'));
      at.stack.send(inDialog(at, dialog, 'BYE'));
    } finally {
      this.dialling.delete(target.roomId);
    }
  }

  /** The stack and the address it listens on, once started. */
  private at(): StackAddress | null {
    return this.stack ? { stack: this.stack, address: this.options.listenIp, port: this.options.port } : null;
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
