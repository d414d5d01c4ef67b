// The cascade's configuration refuses what would make a weak or ambiguous
// link, saying which variable is wrong; the credential holds only within its
// window, for the deployment and request it was made for.
import { describe, expect, it } from 'vitest';
import { CredentialCheck, REPLAY_WINDOW_MS, signedHeaders } from '../../hub/cascade/credential.ts';
import { ConfigError, loadConfig } from '../../hub/config.ts';

const SECRET = 'shared-secret-of-the-pair-0123456789';
const base = { HOST: '127.0.0.1', HTTPS: 'false', DATA_DIR: '/tmp/diemcau-cascade-settings', DEMO_DATA: 'false' };
const links = (list: unknown) => JSON.stringify(list);

function refusal(env: Record<string, string>): string {
  try {
    loadConfig({ ...base, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('accepted');
}

describe('cascade settings', () => {
  it('reads the links, and the pipe address falls back to the hub’s', () => {
    const config = loadConfig({
      ...base,
      RTC_ANNOUNCED_ADDRESS: '203.0.113.7',
      CASCADE_NAME: 'tinh-b',
      CASCADE_LINKS: links([{ name: 'quocgia', url: 'https://hop.quocgia.gov.vn:8443', secret: SECRET }]),
    });
    expect(config.CASCADE_LINKS).toEqual([{ name: 'quocgia', url: 'https://hop.quocgia.gov.vn:8443', secret: SECRET }]);
    expect(config.CASCADE_PIPE_ADDRESS).toBe('203.0.113.7');
    expect(loadConfig({ ...base, HUB_PIPE_ADDRESS: '10.0.0.2' }).CASCADE_PIPE_ADDRESS).toBe('10.0.0.2');
    expect(loadConfig(base).CASCADE_LINKS).toEqual([]);
  });

  it('refuses a short secret, bad JSON, a repeated name, links without a name of its own', () => {
    const peer = { name: 'quocgia', url: 'https://hop.quocgia.gov.vn', secret: SECRET };
    expect(refusal({ CASCADE_NAME: 'b', CASCADE_LINKS: links([{ ...peer, secret: 'short' }]) })).toMatch(
      /secret: at least 32 characters/,
    );
    expect(refusal({ CASCADE_NAME: 'b', CASCADE_LINKS: '[{name:' })).toMatch(/CASCADE_LINKS must be a JSON array/);
    expect(refusal({ CASCADE_NAME: 'b', CASCADE_LINKS: links([peer, peer]) })).toMatch(/each name once/);
    expect(refusal({ CASCADE_LINKS: links([peer]) })).toMatch(/CASCADE_LINKS needs CASCADE_NAME/);
    expect(refusal({ CASCADE_NAME: 'quocgia', CASCADE_LINKS: links([peer]) })).toMatch(/own CASCADE_NAME/);
    expect(refusal({ CASCADE_NAME: 'Tỉnh B' })).toMatch(/CASCADE_NAME: lowercase/);
  });
});

describe('the cascade credential', () => {
  const check = () => new CredentialCheck([{ name: 'tinh-b', url: 'http://b.example', secret: SECRET }]);
  const request = { method: 'POST', path: '/api/cascade/relay', body: '{"meetingId":"x"}' };
  const now = Date.parse('2026-11-30T04:00:00Z');

  it('holds once, within the window, for the request it signs', () => {
    const credentials = check();
    const headers = signedHeaders('tinh-b', SECRET, request, now);
    expect(credentials.verify(headers, request, now + REPLAY_WINDOW_MS - 1).ok).toBe(true);
    expect(credentials.verify(headers, request, now)).toMatchObject({ ok: false, messageEn: /replay/ });
  });

  it('refuses another body, an old or future time, an unknown deployment', () => {
    const headers = signedHeaders('tinh-b', SECRET, request, now);
    expect(check().verify(headers, { ...request, body: '{"meetingId":"y"}' }, now)).toMatchObject({
      ok: false,
      messageEn: /Wrong cascade signature/,
    });
    expect(check().verify(headers, { ...request, path: '/api/cascade/close' }, now).ok).toBe(false);
    expect(check().verify(headers, request, now + REPLAY_WINDOW_MS + 1)).toMatchObject({
      ok: false,
      messageEn: /60 s off/,
    });
    expect(check().verify(headers, request, now - REPLAY_WINDOW_MS - 1).ok).toBe(false);
    const stranger = signedHeaders('tinh-c', SECRET, request, now);
    expect(check().verify(stranger, request, now)).toMatchObject({ ok: false, messageEn: /not in this deployment/ });
  });
});
