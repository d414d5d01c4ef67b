// HTTP(S) requests as a given client address: node:http with `localAddress`
// (any 127.x.y.z is this machine on Linux), so a test can be two callers at
// once. Accepts the hub's self-signed certificate.
import http from 'node:http';
import https from 'node:https';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: API JSON bodies are loosely typed in tests
  body: any;
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** The client address the request comes from (default: the kernel's choice, 127.0.0.1). */
  from?: string;
}

export function httpRequest(url: string, opts: HttpOptions = {}): Promise<HttpAnswer> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  const payload = opts.json === undefined ? undefined : JSON.stringify(opts.json);
  const headers = { ...(payload ? { 'content-type': 'application/json' } : {}), ...opts.headers };
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      { method: opts.method ?? 'GET', headers, localAddress: opts.from, rejectUnauthorized: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => {
          const json = (res.headers['content-type'] ?? '').includes('json') && text;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: json ? JSON.parse(text) : text });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
