// What a meeting needs to link with other deployments: who they are and how
// to reach them (the hub signs and sends the requests: hub/cascade/dial.ts),
// the address its cascade pipes announce, and how long a silent link lives.
import type { PipeAddress } from '../RemotePipe.ts';
import type { RelayAnswer, RelayRequest, SyncAnswer, SyncRequest } from './wire.ts';

/** A refusal or failure from the other deployment, said to the chair as it is. */
export class DialError extends Error {
  constructor(
    readonly messageVi: string,
    readonly messageEn: string,
  ) {
    super(messageEn);
  }
}

/** The hub's side of the requests to other deployments; every method throws DialError when they fail. */
export interface CascadeDialer {
  /** The deployments this one links with: name → how they are shown. */
  readonly peers: ReadonlyMap<string, string>;
  open(deployment: string, request: RelayRequest): Promise<RelayAnswer>;
  /** Whether the other side still carries the link, and what it sends now. */
  sync(deployment: string, request: SyncRequest): Promise<SyncAnswer>;
  close(deployment: string, linkId: string): Promise<void>;
}

export interface CascadeSetup {
  dialer: CascadeDialer;
  address: PipeAddress;
  /** A link not confirmed by the other side for this long is lost. */
  lostAfterMs: number;
}

/** A linked deployment's site id in a meeting. */
export function cascadeSiteId(deployment: string): string {
  return `cascade-${deployment}`;
}

/**
 * A voice relayed in one of the upstream meeting's audio slots, as this
 * meeting's slots know it: the linked site's id, then the stream's producer.
 */
export function relayedSpeakerId(siteId: string, producerId: string): string {
  return `${siteId}#${producerId}`;
}

/** The site a speaker of the audio slots is: itself, or the linked site relaying it. */
export function siteOfSpeaker(speakerId: string): string {
  const mark = speakerId.indexOf('#');
  return mark < 0 ? speakerId : speakerId.slice(0, mark);
}
