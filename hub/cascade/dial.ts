// The downstream side's requests to linked deployments (deployment B): open a
// relay of one of their meetings, sync it, close it; each signed with the
// pair's secret (hub/cascade/credential.ts). A refusal comes back to the chair
// in the other deployment's own words.
import { type CascadeDialer, DialError } from '../../sfu/cascade/CascadeSetup.ts';
import {
  type RelayAnswer,
  type RelayRequest,
  relayAnswer,
  type SyncAnswer,
  type SyncRequest,
  syncAnswer,
} from '../../sfu/cascade/wire.ts';
import type { CascadeLinkSetting } from '../settings/cascade.ts';
import { CASCADE_PATHS } from './cascadeRoutes.ts';
import { signedHeaders } from './credential.ts';

/** How long one request to the other deployment may take. */
const REQUEST_TIMEOUT_MS = 10_000;

export class HttpDialer implements CascadeDialer {
  readonly peers: ReadonlyMap<string, string>;
  private readonly links: Map<string, CascadeLinkSetting>;

  constructor(
    /** This deployment's CASCADE_NAME. */
    private readonly self: string,
    links: readonly CascadeLinkSetting[],
  ) {
    this.links = new Map(links.map((link) => [link.name, link]));
    this.peers = new Map(links.map((link) => [link.name, link.displayName ?? link.name]));
  }

  async open(deployment: string, request: RelayRequest): Promise<RelayAnswer> {
    return this.answer(relayAnswer, await this.post(deployment, CASCADE_PATHS.relay, request));
  }

  async sync(deployment: string, request: SyncRequest): Promise<SyncAnswer> {
    return this.answer(syncAnswer, await this.post(deployment, CASCADE_PATHS.sync, request));
  }

  private answer<T>(
    schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
    body: unknown,
  ): T {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new DialError(
        'Hệ thống cấp trên trả lời không đúng giao thức liên kết.',
        'The upstream deployment answered outside the cascade protocol.',
      );
    }
    return parsed.data;
  }

  async close(deployment: string, linkId: string): Promise<void> {
    await this.post(deployment, CASCADE_PATHS.close, { linkId });
  }

  private async post(deployment: string, path: string, payload: unknown): Promise<unknown> {
    const link = this.links.get(deployment);
    if (!link) throw new DialError(`Không có liên kết "${deployment}".`, `No link named "${deployment}".`);
    const body = JSON.stringify(payload);
    const url = new URL(path, link.url);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signedHeaders(this.self, link.secret, { method: 'POST', path, body }),
        },
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      throw new DialError(
        `Không liên lạc được với hệ thống "${link.displayName ?? deployment}" (${url.origin}): ${detail}`,
        `Could not reach deployment "${link.displayName ?? deployment}" (${url.origin}): ${detail}`,
      );
    }
    const answer = (await response.json().catch(() => null)) as {
      error?: { message?: string; messageEn?: string };
    } | null;
    if (response.ok) return answer;
    const name = link.displayName ?? deployment;
    throw new DialError(
      `Hệ thống "${name}" từ chối (${response.status}): ${answer?.error?.message ?? ''}`.trim(),
      `Deployment "${name}" refused (${response.status}): ${answer?.error?.messageEn ?? ''}`.trim(),
    );
  }
}
