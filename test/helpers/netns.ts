// A test "site host": a Linux network namespace joined to this host by a veth
// pair (iproute2), so a browser started inside it reaches the hub across a
// link the test can cut (`ip link set … down`) like a commune's line dropping.
// Needs root (CAP_NET_ADMIN) and `ip`; `netnsUnavailable()` says why not.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM } from './browser.ts';

const IP = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((p) => fs.existsSync(p)) ?? 'ip';

function ip(...args: string[]): string {
  return execFileSync(IP, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs `ip`, ignoring a failure: for removing what may already be gone. */
function ipQuiet(...args: string[]): void {
  try {
    ip(...args);
  } catch {
    // already gone, or never made
  }
}

/**
 * Null when network namespaces and veth pairs can be made here (tried for
 * real: a probe namespace and veth are created and removed), else the reason.
 */
export function netnsUnavailable(): string | null {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return 'network namespaces need root (CAP_NET_ADMIN); run the test as root';
  }
  const probe = `dcprobe${process.pid}`;
  try {
    ip('netns', 'add', probe);
  } catch (err) {
    return `"ip netns add" failed (is iproute2 installed, and CAP_SYS_ADMIN/CAP_NET_ADMIN allowed?): ${errText(err)}`;
  }
  try {
    ip('link', 'add', `${probe}a`, 'type', 'veth', 'peer', 'name', `${probe}b`);
    ip('link', 'set', `${probe}b`, 'netns', probe);
    ip('link', 'del', `${probe}a`);
    return null;
  } catch (err) {
    return `veth pairs cannot be made here: ${errText(err)}`;
  } finally {
    ipQuiet('netns', 'del', probe);
  }
}

function errText(err: unknown): string {
  const e = err as { stderr?: Buffer | string; message?: string };
  return String(e.stderr ?? e.message ?? err).trim();
}

export interface SiteNetns {
  name: string;
  /** Address of this host on the veth link (the hub's address as the site sees it). */
  hostIp: string;
  /** Address of the site inside the namespace. */
  siteIp: string;
  hostIf: string;
  siteIf: string;
  /** Executable that runs Chromium inside the namespace (for playwright's executablePath). */
  chromiumWrapper: string;
  /** The site's line drops: its interface goes down (the host side sees no carrier). */
  linkDown(): void;
  linkUp(): void;
  /**
   * The line goes dark further upstream: interfaces stay up, but every packet
   * between the site and this host is discarded (blackhole routes both ways).
   */
  blackholeOn(): void;
  blackholeOff(): void;
  destroy(): void;
}

/**
 * Makes the namespace with lo up and a /30 veth link to this host; `subnet` is the third octet in 10.213.x.0.
 * Its default route goes through this host: other namespaces are reachable once forwarding is on
 * (`hostForwarding`).
 */
export function createSiteNetns(subnet: number): SiteNetns {
  // The subnet in the name too: one test may make several (a hub per namespace); at most 15 characters.
  const tag = `dc${process.pid % 100000}s${subnet}`;
  const name = `${tag}ns`;
  const hostIf = `${tag}h`;
  const siteIf = `${tag}n`;
  const hostIp = `10.213.${subnet}.1`;
  const siteIp = `10.213.${subnet}.2`;
  // Leftovers of an earlier run with the same pid.
  ipQuiet('netns', 'del', name);
  ipQuiet('link', 'del', hostIf);
  ip('netns', 'add', name);
  ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', siteIf);
  ip('link', 'set', siteIf, 'netns', name);
  ip('addr', 'add', `${hostIp}/30`, 'dev', hostIf);
  ip('link', 'set', hostIf, 'up');
  ip('-n', name, 'addr', 'add', `${siteIp}/30`, 'dev', siteIf);
  ip('-n', name, 'link', 'set', siteIf, 'up');
  ip('-n', name, 'link', 'set', 'lo', 'up');
  ip('-n', name, 'route', 'add', 'default', 'via', hostIp);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-netns-'));
  const chromiumWrapper = path.join(dir, 'chromium-in-netns');
  fs.writeFileSync(chromiumWrapper, `#!/bin/sh\nexec ${IP} netns exec ${name} ${CHROMIUM} "$@"\n`, { mode: 0o755 });

  return {
    name,
    hostIp,
    siteIp,
    hostIf,
    siteIf,
    chromiumWrapper,
    linkDown: () => void ip('-n', name, 'link', 'set', siteIf, 'down'),
    linkUp: () => {
      ip('-n', name, 'link', 'set', siteIf, 'up');
      // Bringing the link down dropped the default route with it.
      ipQuiet('-n', name, 'route', 'replace', 'default', 'via', hostIp);
    },
    blackholeOn: () => {
      ip('-n', name, 'route', 'add', 'blackhole', `${hostIp}/32`);
      ip('route', 'add', 'blackhole', `${siteIp}/32`);
    },
    blackholeOff: () => {
      ipQuiet('-n', name, 'route', 'del', 'blackhole', `${hostIp}/32`);
      ipQuiet('route', 'del', 'blackhole', `${siteIp}/32`);
    },
    destroy: () => {
      ipQuiet('route', 'del', 'blackhole', `${siteIp}/32`);
      ipQuiet('netns', 'del', name);
      ipQuiet('link', 'del', hostIf);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const FORWARDING = '/proc/sys/net/ipv4/ip_forward';

/**
 * Lets this host route between its namespaces (one hub's namespace reaching another's); returns what puts
 * the setting back as it was.
 */
export function hostForwarding(): () => void {
  const before = fs.readFileSync(FORWARDING, 'utf8').trim();
  if (before !== '1') fs.writeFileSync(FORWARDING, '1');
  return () => {
    if (before !== '1') fs.writeFileSync(FORWARDING, before);
  };
}
