// The credential between two linked deployments (docs/cascade.md): every
// request one sends the other carries its deployment's name, the time, and an
// HMAC-SHA256 of both with the request's method, path and body, keyed with the
// secret the pair shares (CASCADE_LINKS). The receiver accepts it within a
// short window around its own clock, and each signature once.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CascadeLinkSetting } from '../settings/cascade.ts';

export const CASCADE_HEADERS = {
  deployment: 'x-cascade-deployment',
  timestamp: 'x-cascade-timestamp',
  signature: 'x-cascade-signature',
} as const;

/** How far a request's time may be from the receiver's clock (both ways). */
export const REPLAY_WINDOW_MS = 60_000;

export interface SignedRequest {
  method: string;
  path: string;
  body: string;
}

function signatureOf(secret: string, deployment: string, timestamp: string, request: SignedRequest): string {
  return createHmac('sha256', secret)
    .update(`${deployment}\n${timestamp}\n${request.method.toUpperCase()} ${request.path}\n${request.body}`)
    .digest('hex');
}

/** The headers that authenticate `request` from deployment `from`. */
export function signedHeaders(
  from: string,
  secret: string,
  request: SignedRequest,
  now = Date.now(),
): Record<string, string> {
  const timestamp = String(now);
  return {
    [CASCADE_HEADERS.deployment]: from,
    [CASCADE_HEADERS.timestamp]: timestamp,
    [CASCADE_HEADERS.signature]: signatureOf(secret, from, timestamp, request),
  };
}

export type Verdict = { ok: true; link: CascadeLinkSetting } | { ok: false; message: string; messageEn: string };

const refused = (message: string, messageEn: string): Verdict => ({ ok: false, message, messageEn });

/** Checks the credential of requests from linked deployments, and refuses a signature seen before. */
export class CredentialCheck {
  private readonly links: Map<string, CascadeLinkSetting>;
  /** Signatures accepted within the window, with when they may be forgotten. */
  private readonly seen = new Map<string, number>();

  constructor(links: readonly CascadeLinkSetting[]) {
    this.links = new Map(links.map((link) => [link.name, link]));
  }

  verify(headers: Record<string, string | string[] | undefined>, request: SignedRequest, now = Date.now()): Verdict {
    const header = (name: string) => {
      const value = headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    const deployment = header(CASCADE_HEADERS.deployment);
    const timestamp = header(CASCADE_HEADERS.timestamp);
    const signature = header(CASCADE_HEADERS.signature);
    if (!deployment || !timestamp || !signature) {
      return refused(
        'Thiếu chữ ký liên kết giữa hai hệ thống (X-Cascade-Deployment, X-Cascade-Timestamp, X-Cascade-Signature).',
        'Missing the cascade credential (X-Cascade-Deployment, X-Cascade-Timestamp, X-Cascade-Signature).',
      );
    }
    const link = this.links.get(deployment);
    if (!link) {
      return refused(
        `Hệ thống "${deployment}" không có trong danh sách liên kết (CASCADE_LINKS) của hệ thống này.`,
        `Deployment "${deployment}" is not in this deployment's CASCADE_LINKS.`,
      );
    }
    const at = Number(timestamp);
    if (!/^\d{1,15}$/.test(timestamp) || Math.abs(now - at) > REPLAY_WINDOW_MS) {
      return refused(
        'Thời điểm của yêu cầu lệch quá 60 giây; kiểm tra đồng hồ (NTP) của hai hệ thống.',
        "The request's time is more than 60 s off; check both deployments' clocks (NTP).",
      );
    }
    const expected = Buffer.from(signatureOf(link.secret, deployment, timestamp, request), 'hex');
    const given = Buffer.from(/^[0-9a-f]{64}$/.test(signature) ? signature : '', 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return refused(
        'Chữ ký liên kết không đúng: khóa chung (secret trong CASCADE_LINKS) của hai hệ thống khác nhau.',
        "Wrong cascade signature: the two deployments' shared secrets (CASCADE_LINKS) differ.",
      );
    }
    this.forgetOld(now);
    if (this.seen.has(signature)) {
      return refused('Yêu cầu này đã được gửi một lần (phát lại).', 'This request was already received (a replay).');
    }
    this.seen.set(signature, at + REPLAY_WINDOW_MS);
    return { ok: true, link };
  }

  private forgetOld(now: number): void {
    for (const [signature, until] of this.seen) if (until < now) this.seen.delete(signature);
  }
}
