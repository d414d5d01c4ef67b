// `sudo node scripts/install-service.mjs` (or `sudo npm run install-service`)
// installs the hub as a systemd service on Debian 12, from this checkout
// (clone it to /opt/diemcau first: the service user must be able to read it):
//   - the system user `diemcau`, data in /var/lib/diemcau (0700), backups in /var/lib/diemcau/backups;
//   - /etc/diemcau/diemcau.env, the configuration (kept when it exists: re-running upgrades the rest);
//   - /etc/systemd/system/diemcau.service (restart on failure, logs to journald, `systemctl reload` = new certificate);
//   - /etc/sysctl.d/60-diemcau.conf reserving the WebRTC ports (ip_local_reserved_ports);
//   - /usr/local/bin/diemcau, to run create-admin, backup and restore as the service user;
//   - /etc/diemcau/firewall-ports.txt, the ports to open (also printed).
// `--root DIR` writes the same files under DIR and changes nothing else (no user,
// no sysctl, no systemctl): for a test or to review the files first.
// Plain Node with no dependencies, like bootstrap.mjs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = 'Usage: sudo node scripts/install-service.mjs [--root DIR] [--user diemcau] [--no-start]';

const { values: args } = parseArgs({
  options: {
    root: { type: 'string' },
    user: { type: 'string', default: 'diemcau' },
    'no-start': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const root = args.root ? path.resolve(args.root) : '/';
const real = !args.root;
const user = args.user;
const at = (p) => path.join(root, p);

const DATA_DIR = '/var/lib/diemcau';
const ENV_FILE = '/etc/diemcau/diemcau.env';
const UNIT_FILE = '/etc/systemd/system/diemcau.service';
const SYSCTL_FILE = '/etc/sysctl.d/60-diemcau.conf';
const WRAPPER = '/usr/local/bin/diemcau';
const FIREWALL_FILE = '/etc/diemcau/firewall-ports.txt';
const CACHE_DIR = '/var/cache/diemcau';

function fail(message) {
  console.error(`[install-service] ERROR: ${message}`);
  process.exit(1);
}

function log(message) {
  console.log(`[install-service] ${message}`);
}

function run(cmd, cmdArgs, env = {}) {
  const result = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) fail(`${cmd} ${cmdArgs.join(' ')} failed (exit ${result.status ?? result.signal}).`);
}

function write(file, content, mode) {
  fs.mkdirSync(path.dirname(at(file)), { recursive: true });
  fs.writeFileSync(at(file), content, { mode });
  fs.chmodSync(at(file), mode);
  log(`wrote ${at(file)}`);
}

/** KEY=VALUE lines of an existing env file (comments and blanks skipped). */
function readEnv(file) {
  if (!fs.existsSync(file)) return {};
  const entries = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line))
    .filter(Boolean)
    .map((m) => [m[1], m[2].replace(/^"(.*)"$/, '$1')]);
  return Object.fromEntries(entries);
}

function envFileContent() {
  return `# diemcau hub configuration, read by the service (systemctl restart diemcau after a change).
# Every variable, its default and meaning: ${APP_DIR}/.env.example. Operating guide: ${APP_DIR}/docs/operations.md.
HOST=0.0.0.0
PORT=443
DATA_DIR=${DATA_DIR}
BACKUP_DIR=${DATA_DIR}/backups
BACKUP_DAILY_AT=02:30
BACKUP_KEEP=14
DEMO_DATA=false
LOG_LEVEL=info
# The address sites reach this server at (public or LAN); empty: this host's first IPv4 address.
RTC_ANNOUNCED_ADDRESS=
RTC_PORT_BASE=40000
RTC_TRANSPORT_PORT_MIN=40100
RTC_TRANSPORT_PORT_MAX=40999
# The certificate (e.g. Let's Encrypt); unset, a self-signed one is made in ${DATA_DIR}/tls.
# After renewal: systemctl reload diemcau (meetings go on). The key must be readable by the user ${user}.
# TLS_CERT_FILE=/etc/diemcau/tls/fullchain.pem
# TLS_KEY_FILE=/etc/diemcau/tls/privkey.pem
# TURN_URLS=turn:turn.example.gov.vn:3478?transport=udp
# TURN_SECRET=
`;
}

function unitContent(workerBin) {
  return `[Unit]
Description=diemcau video-conferencing hub (điểm cầu)
Documentation=file://${APP_DIR}/docs/operations.md
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=${user}
Group=${user}
WorkingDirectory=${APP_DIR}
EnvironmentFile=${ENV_FILE}
Environment=MEDIASOUP_WORKER_BIN=${workerBin}
ExecStart=${process.execPath} --import tsx hub/main.ts
# A renewed certificate: the hub reads TLS_CERT_FILE/TLS_KEY_FILE again, open connections stay.
ExecReload=/bin/kill -HUP $MAINPID
Restart=on-failure
RestartSec=5s
# Closing meetings, workers and the database takes a few seconds.
TimeoutStopSec=30s
StandardOutput=journal
StandardError=journal
SyslogIdentifier=diemcau
LimitNOFILE=65536
UMask=0077
# Port 443 without root.
AmbientCapabilities=CAP_NET_BIND_SERVICE
CapabilityBoundingSet=CAP_NET_BIND_SERVICE
NoNewPrivileges=true
ProtectSystem=strict
ReadWritePaths=${DATA_DIR}
PrivateTmp=true
ProtectKernelTunables=true
ProtectControlGroups=true

[Install]
WantedBy=multi-user.target
`;
}

function wrapperContent() {
  return `#!/bin/sh
# diemcau create-admin|backup|restore [options]: runs a hub command as the service
# user with the service's configuration (${ENV_FILE}). Written by install-service.mjs.
set -e
case "$1" in
  create-admin) script=hub/createAdmin.ts ;;
  backup) script=hub/backupCommand.ts ;;
  restore) script=hub/restoreCommand.ts ;;
  *) echo "Usage: diemcau create-admin --login <name> | backup | restore <backup folder>|--latest" >&2; exit 2 ;;
esac
shift
exec systemd-run --quiet --pipe --wait --collect --uid=${user} --gid=${user} \\
  --property=EnvironmentFile=${ENV_FILE} --property=WorkingDirectory=${APP_DIR} --property=UMask=0077 \\
  ${process.execPath} --import tsx "$script" "$@"
`;
}

/** The WebRTC ports: worker i listens on RTC_PORT_BASE + i; pipe transports use the transport range. */
function portsOf(env) {
  const workers = Number(env.MEDIASOUP_WORKERS || os.availableParallelism());
  const base = Number(env.RTC_PORT_BASE || 40000);
  const min = Number(env.RTC_TRANSPORT_PORT_MIN || 40100);
  const max = Number(env.RTC_TRANSPORT_PORT_MAX || 40999);
  return { https: Number(env.PORT || 443), base, last: base + workers - 1, min, max };
}

function firewallContent(p) {
  return `# Ports to open for diemcau (written by install-service.mjs; re-run it after changing the ports).
# From every site (browsers of the endpoint rooms, secretariats, chairs):
tcp ${p.https}            HTTPS: pages, API and signaling
udp ${p.base}-${p.last}      WebRTC media (one port per mediasoup worker)
tcp ${p.base}-${p.last}      WebRTC media over TCP, for sites whose network blocks UDP
# Only between hub servers, when there are several (pipe transports); nothing to open on a single server:
udp ${p.min}-${p.max}
# A TURN server on this host (coturn) also needs udp+tcp 3478 and tcp 5349, and its relay range.
#
# ufw:  ufw allow ${p.https}/tcp && ufw allow ${p.base}:${p.last}/udp && ufw allow ${p.base}:${p.last}/tcp
# nft:  nft add rule inet filter input tcp dport { ${p.https}, ${p.base}-${p.last} } accept
#       nft add rule inet filter input udp dport ${p.base}-${p.last} accept
`;
}

function sysctlContent(p) {
  return `# diemcau: keep the WebRTC ports out of the ephemeral range, so an outgoing
# connection never takes a port a mediasoup worker must listen on.
net.ipv4.ip_local_reserved_ports = ${Math.min(p.base, p.min)}-${Math.max(p.last, p.max)}
`;
}

/** The Prisma client, mediasoup worker and web client, built as bootstrap.mjs does, into a cache the service can read. */
function prepare() {
  log('installing what the hub needs (Debian packages, npm packages, mediasoup worker, web client)…');
  run(process.execPath, [path.join(APP_DIR, 'scripts', 'bootstrap.mjs'), 'prepare'], { DIEMCAU_CACHE_DIR: CACHE_DIR });
}

async function workerBinary() {
  process.env.DIEMCAU_CACHE_DIR = CACHE_DIR;
  const { workerBinaryPath } = await import('./mediasoup-worker/build.mjs');
  return workerBinaryPath();
}

function createUser() {
  const exists = spawnSync('id', ['-u', user], { stdio: 'ignore' }).status === 0;
  if (exists) return log(`system user ${user} exists`);
  run('useradd', ['--system', '--home-dir', DATA_DIR, '--no-create-home', '--shell', '/usr/sbin/nologin', user]);
  log(`created system user ${user}`);
}

function makeDataDir() {
  fs.mkdirSync(path.dirname(at(DATA_DIR)), { recursive: true });
  for (const dir of [DATA_DIR, path.join(DATA_DIR, 'backups')]) {
    fs.mkdirSync(at(dir), { recursive: true, mode: 0o700 });
    fs.chmodSync(at(dir), 0o700);
    if (real) run('chown', [`${user}:${user}`, dir]);
  }
  log(`data in ${at(DATA_DIR)} (0700)`);
}

function checkReadable() {
  for (let dir = APP_DIR; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if ((fs.statSync(dir).mode & 0o005) !== 0o005) {
      fail(
        `${dir} is not readable by other users, so the service user cannot read ${APP_DIR}: clone diemcau to /opt/diemcau.`,
      );
    }
  }
}

function verifyUnit() {
  const probe = spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' });
  if (probe.status !== 0) return log('systemd-analyze not found: unit file not verified');
  const verified = spawnSync('systemd-analyze', ['verify', at(UNIT_FILE)], { encoding: 'utf8' });
  const problems = `${verified.stdout}${verified.stderr}`.trim();
  if (verified.status !== 0) fail(`systemd-analyze verify rejects ${at(UNIT_FILE)}:\n${problems}`);
  log(`systemd-analyze verify: ok${problems ? ` (${problems})` : ''}`);
}

if (real && process.getuid?.() !== 0)
  fail(`run as root (sudo), or with --root DIR to write the files elsewhere.\n${USAGE}`);
if (real && !fs.existsSync('/run/systemd/system')) fail('systemd is not running on this machine.');
if (real) {
  checkReadable();
  prepare();
  createUser();
}
makeDataDir();
if (fs.existsSync(at(ENV_FILE))) log(`kept ${at(ENV_FILE)} (your configuration)`);
else write(ENV_FILE, envFileContent(), 0o640);
if (real) run('chown', [`root:${user}`, ENV_FILE]);
const ports = portsOf(readEnv(at(ENV_FILE)));
write(UNIT_FILE, unitContent(await workerBinary()), 0o644);
write(SYSCTL_FILE, sysctlContent(ports), 0o644);
write(WRAPPER, wrapperContent(), 0o755);
write(FIREWALL_FILE, firewallContent(ports), 0o644);
verifyUnit();
if (real) {
  run('sysctl', ['-p', SYSCTL_FILE]);
  run('systemctl', ['daemon-reload']);
  run('systemctl', args['no-start'] ? ['enable', 'diemcau'] : ['enable', '--now', 'diemcau']);
}
console.log(`
Installed. Open these ports in the firewall (also in ${at(FIREWALL_FILE)}):
${firewallContent(ports)
  .split('\n')
  .filter((l) => /^(tcp|udp) /.test(l))
  .map((l) => `  ${l}`)
  .join('\n')}
Next:
  1. Edit ${ENV_FILE} (RTC_ANNOUNCED_ADDRESS, the certificate), then: sudo systemctl restart diemcau
  2. The first administrator: sudo diemcau create-admin --login <name>
  3. Logs: journalctl -u diemcau -f      Health: the administration page, or curl -k https://localhost:${ports.https}/api/health
`);
