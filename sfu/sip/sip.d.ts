// The parts of kirm's `sip` stack (npm sip, no types of its own) the hub's user agent uses.
declare module 'sip' {
  export interface SipUri {
    schema: string;
    user?: string;
    host: string;
    port?: number;
    params: Record<string, string | null | undefined>;
  }

  export interface NameAddr {
    name?: string;
    uri: string;
    params: Record<string, string | null | undefined>;
  }

  export interface SipHeaders {
    via: Record<string, unknown>[];
    to: NameAddr;
    from: NameAddr;
    'call-id': string;
    cseq: { seq: number; method: string };
    contact?: NameAddr[];
    authorization?: Record<string, string>[];
    'content-type'?: string;
    [name: string]: unknown;
  }

  export interface SipRequest {
    method: string;
    uri: string;
    version?: string;
    headers: SipHeaders;
    content?: string;
  }

  export interface SipResponse {
    status: number;
    reason: string;
    version?: string;
    headers: SipHeaders;
    content?: string;
  }

  export type SipMessage = SipRequest | SipResponse;

  export interface Remote {
    protocol: string;
    address: string;
    port: number;
  }

  export interface StackOptions {
    port?: number;
    address?: string;
    publicAddress?: string;
    hostname?: string;
    udp?: boolean;
    tcp?: boolean;
    logger?: {
      error?(err: unknown): void;
      send?(m: SipMessage, target: Remote): void;
      recv?(m: SipMessage, remote: Remote): void;
    };
  }

  export interface Flow {
    protocol: string;
    address: string;
    port: number;
    local: { address: string; port: number };
  }

  export interface Stack {
    send(message: SipMessage, callback?: (response: SipResponse) => void): void;
    /** A URI on this stack's own host that makes a request go out over `flow`. */
    encodeFlowUri(flow: Flow): SipUri;
    destroy(): void;
  }

  export function create(options: StackOptions, onRequest: (request: SipRequest, remote: Remote) => void): Stack;
  export function makeResponse(
    request: SipRequest,
    status: number,
    reason: string,
    extension?: { headers?: Record<string, unknown>; content?: string },
  ): SipResponse;
  export function parseUri(uri: string | SipUri): SipUri;
  /** One message from its text; undefined when it is not SIP. */
  export function parse(data: string): SipMessage | undefined;
  export function stringify(message: SipMessage): string;
  export function stringifyUri(uri: SipUri): string;
  export function generateBranch(): string;
}

declare module 'sip/digest.js' {
  import type { SipRequest, SipResponse } from 'sip';

  export interface DigestContext {
    realm: string;
    qop?: string;
    nonce?: string;
    [key: string]: unknown;
  }
  export function challenge(ctx: DigestContext, response: SipResponse): SipResponse;
  export function authenticateRequest(
    ctx: DigestContext,
    request: SipRequest,
    creds: { hash: string } | { user: string; password: string },
  ): boolean;
  /** Adds to `request` the Authorization answering `challenge` (a 401) as `creds` (a caller's side). */
  export function signRequest(
    ctx: Record<string, unknown>,
    request: SipRequest,
    challenge: SipResponse,
    creds: { user: string; realm?: string; password?: string; hash?: string },
  ): unknown;
}
