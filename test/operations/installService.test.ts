// The service install, run in a throwaway root: the files it writes, their
// modes, a unit systemd accepts (systemd-analyze verify, when present), the
// ports reserved and listed, a configuration the hub accepts; a second run
// keeps the administrator's configuration and follows its ports.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../hub/config.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-install-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const at = (p: string) => path.join(root, p);
const mode = (p: string) => fs.statSync(at(p)).mode & 0o777;
const read = (p: string) => fs.readFileSync(at(p), 'utf8');

function install(): string {
  const run = spawnSync(process.execPath, ['scripts/install-service.mjs', '--root', root], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

function envOf(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .map((l) => /^([A-Z0-9_]+)=(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1] as string, m[2] as string]),
  );
}

describe('install-service --root', () => {
  it('writes the data directory, configuration, unit, reserved ports, command and firewall list', () => {
    const output = install();
    expect(mode('var/lib/diemcau')).toBe(0o700);
    expect(mode('var/lib/diemcau/backups')).toBe(0o700);
    expect(mode('var/lib')).toBe(0o755);
    expect(mode('etc/diemcau/diemcau.env')).toBe(0o640);

    const unit = read('etc/systemd/system/diemcau.service');
    for (const line of [
      'User=diemcau',
      'EnvironmentFile=/etc/diemcau/diemcau.env',
      'Restart=on-failure',
      'StandardOutput=journal',
      'StandardError=journal',
      'ExecReload=/bin/kill -HUP $MAINPID',
      'ReadWritePaths=/var/lib/diemcau',
      `WorkingDirectory=${process.cwd()}`,
      'WantedBy=multi-user.target',
    ]) {
      expect(unit).toContain(`\n${line}\n`);
    }
    const hasSystemd = spawnSync('systemd-analyze', ['--version']).status === 0;
    if (hasSystemd) expect(output).toContain('systemd-analyze verify: ok');

    expect(read('etc/sysctl.d/60-diemcau.conf')).toContain('net.ipv4.ip_local_reserved_ports = 40000-40999');
    const workers = os.availableParallelism();
    const firewall = read('etc/diemcau/firewall-ports.txt');
    expect(firewall).toMatch(/^tcp 443 /m);
    expect(firewall).toContain(`udp 40000-${40000 + workers - 1} `);
    expect(output).toContain('tcp 443');
    expect(mode('usr/local/bin/diemcau')).toBe(0o755);
    expect(read('usr/local/bin/diemcau')).toContain('--property=EnvironmentFile=/etc/diemcau/diemcau.env');

    // The configuration written is one the hub accepts, with data where the unit lets it write.
    const config = loadConfig(envOf(read('etc/diemcau/diemcau.env')));
    expect(config).toMatchObject({ HOST: '0.0.0.0', PORT: 443, DATA_DIR: '/var/lib/diemcau', DEMO_DATA: false });
    expect(config.BACKUP_DIR).toBe('/var/lib/diemcau/backups');
  });

  it('a second run keeps the edited configuration and reserves its ports', () => {
    const env = at('etc/diemcau/diemcau.env');
    const edited = read('etc/diemcau/diemcau.env')
      .replace('RTC_PORT_BASE=40000', 'RTC_PORT_BASE=50000')
      .replace('RTC_TRANSPORT_PORT_MIN=40100', 'RTC_TRANSPORT_PORT_MIN=50100')
      .replace('RTC_TRANSPORT_PORT_MAX=40999', 'RTC_TRANSPORT_PORT_MAX=50999')
      .replace('PORT=443', 'PORT=8443');
    fs.writeFileSync(env, edited);
    const output = install();
    expect(output).toContain('kept');
    expect(read('etc/diemcau/diemcau.env')).toBe(edited);
    expect(read('etc/sysctl.d/60-diemcau.conf')).toContain('= 50000-50999');
    expect(read('etc/diemcau/firewall-ports.txt')).toMatch(/^tcp 8443 /m);
  });
});
