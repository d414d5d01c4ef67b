// The hub's SIP user agent (kirm's npm `sip` stack, UDP and TCP on SIP_PORT):
// room systems call `sip:<meeting id>@<hub>`. A call is digest-challenged
// (401), then admitted only for a SIP room invited to that meeting while it is
// open (the schedule's rules, contract/sip.ts), and only if the schedule still
// stands behind it (the check a browser's join makes). Refusals change
// nothing and carry their SIP status (sfu/sip/sipStatus.ts). An admitted call
// becomes a site of the meeting (sfu/sip/SipLeg.ts); its BYE, or the hub's,
// ends it. The hub calls rooms that have a dial-out address (EndpointRoom.sipUri)
// the same way, in reverse: when and again is sfu/sip/RoomCalls.ts's to decide.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import * as sip from 'sip';
import type { JoinClaims, RevocationReason } from '../../contract/joinToken.ts';
import type { KickReason } from '../../contract/signaling.ts';
import type { SipDialTarget, SipDirectory } from '../../contract/sip.ts';
import type { MeetingRegistry } from '../MeetingRegistry.ts';
import { SignalingError } from '../SignalingError.ts';
import { DigestGuard } from './DigestGuard.ts';
import { type Dialog, inDialog, type StackAddress } from './dialog.ts';
import { sendInvite } from './outgoingInvite.ts';
import { type DialOutcome, RoomCalls } from './RoomCalls.ts';
import { SipLeg } from './SipLeg.ts';
import type { SrtpPolicy } from './sdes.ts';
import { readOffer, SdpError, type SipOffer } from './sdpOffer.ts';
import { admissionStatus, badOffer, NO_ADDRESS, refusalStatus, revocationStatus, type SipStatus } from './sipStatus.ts';

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
  /** SRTP-SDES: refused (`off`), taken when offered (`accept`), or the only media taken (`require`). */
  srtp: SrtpPolicy;
  /** Redials of a dropped dialled-out room, and the wait before the first (RoomCalls). */
  redialAttempts: number;
  redialDelayMs: number;
  /** The digest guard's limits (DigestGuard). */
  authFailuresPerAddress: number;
  maxPendingChallenges: number;
  log: Logger;
}

interface Call extends Dialog {
  leg: SipLeg;
}

class Refused extends Error {
  /** `detail`: what the hub's log says beyond the reason phrase. */
  constructor(
    readonly sipStatus: SipStatus,
    readonly detail?: string,
  ) {
    super(sipStatus.reason);
  }
}

export class SipServer {
  private stack?: sip.Stack;
  private readonly guard: DigestGuard;
  private readonly calls = new Map<string, Call>();
  /** The calls the hub places (dial-out): at a meeting's opening, on the chair's request, redials. */
  readonly roomCalls: RoomCalls;

  constructor(private readonly options: SipServerOptions) {
    this.guard = new DigestGuard({
      realm: options.realm,
      maxPending: options.maxPendingChallenges,
      failuresPerAddress: options.authFailuresPerAddress,
    });
    this.roomCalls = new RoomCalls({
      directory: options.directory,
      meetings: options.meetings,
      dial: (target, onDropped) => this.dial(target, onDropped),
      redialAttempts: options.redialAttempts,
      redialDelayMs: options.redialDelayMs,
      log: options.log,
    });
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
      const { claims, offer } = await this.admit(request, remote);
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
          srtp: offer.audio?.srtp?.crypto.suite ?? 'none',
        },
        'SIP room joined',
      );
    } catch (err) {
      const status = statusOf(err);
      if (!status) log.error({ err: (err as Error).message }, 'SIP call failed');
      const refusal = status ?? { status: 500, reason: 'Server Internal Error' };
      const retryAfter =
        refusal.retryAfter === undefined ? undefined : { headers: { 'retry-after': refusal.retryAfter } };
      const response = sip.makeResponse(request, refusal.status, refusal.reason, retryAfter);
      if (refusal.status === 401) this.guard.challenge(request, response);
      else
        log.info(
          {
            status: refusal.status,
            reason: refusal.reason,
            ...(err instanceof Refused && err.detail && { detail: err.detail }),
            from: remote.address,
            uri: request.uri,
          },
          'SIP call refused',
        );
      this.stack?.send(response);
    }
  }

  /** The call as a site of its meeting (opened if it is not yet). */
  private async openLeg(
    claims: JoinClaims,
    offer: SipOffer,
    callId: string,
    onEnded?: (kick: KickReason | null) => void,
  ): Promise<SipLeg> {
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
      ...(onEnded && { onEnded }),
    });
  }

  /** Who calls, into what, with which media: or the status that refuses the call. */
  private async admit(request: sip.SipRequest, remote: sip.Remote): Promise<{ claims: JoinClaims; offer: SipOffer }> {
    const { directory } = this.options;
    const credentials = await this.guard.authenticate(request, remote.address, (user) => directory.credentials(user));
    if ('status' in credentials) throw new Refused(credentials);
    const address = sip.parseUri(request.uri).user;
    if (!address) throw new Refused(NO_ADDRESS);
    const admission = await directory.admission(credentials.roomId, decodeURIComponent(address));
    if ('refusal' in admission) throw new Refused(refusalStatus(admission.refusal));
    const revoked = await this.options.checkGrant?.(admission.claims);
    if (revoked) throw new Refused(revocationStatus(revoked));
    try {
      return { claims: admission.claims, offer: readOffer(request.content ?? '', this.options.srtp) };
    } catch (err) {
      if (err instanceof SdpError) throw new Refused(badOffer(err.hint), err.message);
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
   * Calls the room (RoomCalls decides when): an INVITE without an offer
   * (sfu/sip/outgoingInvite.ts); the room offers in its 200, the hub answers in
   * the ACK — so the call then takes the same path as a room dialling in.
   */
  private async dial(target: SipDialTarget, onDropped: (kick: KickReason | null) => void): Promise<DialOutcome> {
    const at = this.at();
    if (!at) return { refused: { status: 503, reason: 'Service Unavailable (SIP not started)' } };
    const { announcedAddress, port, log } = this.options;
    const invite = sendInvite(at, `sip:diemcau@${announcedAddress}:${port}`, target.uri, target.auth);
    log.info({ meetingId: target.claims.meetingId, siteId: target.roomId, uri: target.uri }, 'calling a SIP room');
    const result = await invite.result;
    if ('refused' in result) return result;
    return this.answered(at, target, invite.request(), result.answered, onDropped);
  }

  /** The room took the call with its offer: it joins like a room that dialled in, the answer goes in the ACK. */
  private async answered(
    at: StackAddress,
    target: SipDialTarget,
    invite: sip.SipRequest,
    response: sip.SipResponse,
    onDropped: (kick: KickReason | null) => void,
  ): Promise<DialOutcome> {
    const callId = invite.headers['call-id'];
    const dialog: Dialog = {
      callId,
      local: invite.headers.from,
      remote: response.headers.to,
      target: response.headers.contact?.[0]?.uri ?? target.uri,
      // The INVITE that was answered: the second one when the room challenged the first.
      cseq: response.headers.cseq.seq,
    };
    try {
      const leg = await this.openLeg(
        target.claims,
        readOffer(response.content ?? '', this.options.srtp),
        callId,
        onDropped,
      );
      this.calls.set(callId, { ...dialog, leg });
      at.stack.send(inDialog(at, dialog, 'ACK', leg.answer));
      this.options.log.info(
        { meetingId: target.claims.meetingId, siteId: target.roomId },
        'SIP room answered and joined',
      );
      return { joined: true };
    } catch (err) {
      // The room answered but cannot join (the meeting filled up, an offer without usable audio): it is told so.
      this.options.log.warn(
        { siteId: target.roomId, err: (err as Error).message },
        'SIP room answered but could not join',
      );
      at.stack.send(inDialog(at, dialog, 'ACK'));
      at.stack.send(inDialog(at, dialog, 'BYE'));
      const status = err instanceof SdpError ? badOffer(err.hint) : statusOf(err);
      return { refused: status ?? { status: 500, reason: 'Server Internal Error' } };
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
    // No redial of the calls hung up here.
    this.roomCalls.close();
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
