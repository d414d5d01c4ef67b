// The HTTPS certificate: the configured pair, else a self-signed one generated
// on first run into DATA_DIR/tls (browsers warn once; camera and microphone then work).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';
import { PRIVATE_DIR, PRIVATE_FILE } from '../scheduler/privateFiles.ts';
import type { Config } from './config.ts';

export interface TlsFiles {
  cert: string;
  key: string;
  selfSigned: boolean;
}

function hostAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flatMap((list) => list ?? [])
    .map((a) => a.address);
}

export async function loadTls(config: Config): Promise<TlsFiles> {
  if (config.TLS_CERT_FILE && config.TLS_KEY_FILE) {
    return {
      cert: fs.readFileSync(config.TLS_CERT_FILE, 'utf8'),
      key: fs.readFileSync(config.TLS_KEY_FILE, 'utf8'),
      selfSigned: false,
    };
  }
  const dir = path.join(config.DATA_DIR, 'tls');
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    return { cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8'), selfSigned: true };
  }
  const now = new Date();
  const pems = await generate([{ name: 'commonName', value: os.hostname() }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(now.getTime() + 825 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 2, value: os.hostname() },
          ...hostAddresses().map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  fs.writeFileSync(certFile, pems.cert);
  fs.writeFileSync(keyFile, pems.private, { mode: PRIVATE_FILE });
  return { cert: pems.cert, key: pems.private, selfSigned: true };
}
