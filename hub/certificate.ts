// The HTTPS certificate the hub serves, and putting a renewed one in service
// without a restart: `systemctl reload diemcau` sends SIGHUP, the hub reads
// TLS_CERT_FILE/TLS_KEY_FILE again and gives the server a new secure context.
// Open connections (the sites' signaling, hence the meetings) keep theirs;
// new ones get the new certificate. A pair that does not load is refused and
// the old one stays in service.
import { X509Certificate } from 'node:crypto';
import type { Server } from 'node:https';
import tls from 'node:tls';
import type { Config } from './config.ts';
import { loadTls, type TlsFiles } from './tls.ts';

export interface CertificateStatus {
  /** The configured file, or null for the self-signed certificate in DATA_DIR/tls. */
  file: string | null;
  selfSigned: boolean;
  subject: string;
  notAfter: string;
  loadedAt: string;
  /** Why the last reload was refused (the previous certificate stayed), cleared by a successful one. */
  reloadError: string | null;
}

export class Certificate {
  private state: CertificateStatus;

  private constructor(
    private readonly config: Config,
    readonly files: TlsFiles,
  ) {
    this.state = { ...describe(files), file: config.TLS_CERT_FILE ?? null, reloadError: null };
  }

  static async load(config: Config): Promise<Certificate> {
    return new Certificate(config, await loadTls(config));
  }

  status(): CertificateStatus {
    return this.state;
  }

  /** Reads the certificate files again and serves them to new connections; throws (keeping the old one) when they do not load. */
  async reload(server: Server): Promise<CertificateStatus> {
    try {
      const files = await loadTls(this.config);
      // Fails on a key that does not match the certificate, or a damaged file, before anything changes.
      tls.createSecureContext({ key: files.key, cert: files.cert });
      server.setSecureContext({ key: files.key, cert: files.cert });
      this.state = { ...describe(files), file: this.state.file, reloadError: null };
      return this.state;
    } catch (err) {
      this.state = { ...this.state, reloadError: (err as Error).message };
      throw err;
    }
  }
}

function describe(files: TlsFiles): Omit<CertificateStatus, 'file' | 'reloadError'> {
  const x509 = new X509Certificate(files.cert);
  return {
    selfSigned: files.selfSigned,
    subject: x509.subject.replaceAll('\n', ', '),
    notAfter: new Date(x509.validTo).toISOString(),
    loadedAt: new Date().toISOString(),
  };
}
