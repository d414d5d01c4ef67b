// `npm start` runs this (after scripts/bootstrap.mjs has installed what is
// missing): read the configuration, start the hub, stop cleanly on a signal.
import fs from 'node:fs';
import { StartRefused } from '../scheduler/accountsAtStart.ts';
import { ConfigError, loadConfig } from './config.ts';
import { startHub } from './Hub.ts';
import { createLogger } from './logger.ts';

if (fs.existsSync('.env')) process.loadEnvFile('.env');

/** A refused configuration is printed as is and ends the process (exit code 1), without a stack trace. */
function refuse(err: unknown): never {
  if (!(err instanceof ConfigError || err instanceof StartRefused)) throw err;
  console.error(err.message);
  process.exit(1);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  refuse(err);
}

const log = createLogger(config.LOG_LEVEL);
const hub = await startHub(config, log).catch(refuse);

// `systemctl reload diemcau` after a certificate renewal: new connections get the new one, meetings go on.
process.on('SIGHUP', () => {
  hub.reloadCertificate().catch((err: Error) => {
    log.error({ err: err.message }, 'the certificate files do not load; the previous certificate stays in service');
  });
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: closing meetings, workers and the database');
    hub.close().then(
      () => process.exit(0),
      (err: Error) => {
        log.error({ err: err.message }, 'unclean shutdown');
        process.exit(1);
      },
    );
  });
}
