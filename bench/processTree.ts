// A process and everything it started, read from /proc: the hub's Node
// process, its mediasoup workers and its FFmpeg children, each with a role
// the benchmark reports on its own line.
import fs from 'node:fs';

export type ProcessRole = 'hub' | 'mediasoup-worker' | 'picture adapter' | 'audio mix' | 'voice in' | 'other';

export interface TreeProcess {
  pid: number;
  role: ProcessRole;
}

function parentOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** What a descendant is, from its command (FFmpeg's by the SDP file the leg wrote for it). */
function roleOf(pid: number): ProcessRole {
  try {
    const comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    if (comm.startsWith('mediasoup')) return 'mediasoup-worker';
    if (comm !== 'ffmpeg') return 'other';
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmdline.includes('diemcau-sip-video')) return 'picture adapter';
    if (cmdline.includes('diemcau-sip-mix')) return 'audio mix';
    if (cmdline.includes('diemcau-sip-up')) return 'voice in';
    return 'other';
  } catch {
    return 'other';
  }
}

/** `root` (role 'hub') and all its descendants alive now. */
export function processTree(root: number): TreeProcess[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const parent = parentOf(pid);
    if (parent === null) continue;
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const tree: TreeProcess[] = [{ pid: root, role: 'hub' }];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    tree.push({ pid, role: roleOf(pid) });
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}
