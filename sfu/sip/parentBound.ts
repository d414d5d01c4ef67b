// A media process that dies with the hub. An FFmpeg of a SIP leg outlives a
// hub killed outright (SIGKILL, a crash, the OOM killer): nobody is left to
// stop it, and it would go on holding its ports and a share of a core. Linux
// lets a child ask to be signalled when its parent dies (prctl
// PR_SET_PDEATHSIG); Node cannot call prctl without native code, but
// util-linux's `setpriv --pdeathsig KILL` (Debian's util-linux, essential:
// always installed) sets it and then execs FFmpeg in the same process — same
// pid, and the setting survives the exec. Where setpriv is missing (not
// Linux), FFmpeg runs as before and a killed hub leaves it behind.
import fs from 'node:fs';

const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => fs.existsSync(p)) ?? null;

/** The command and arguments that run `command` so that it is killed when this process dies. */
export function boundToParent(command: string, args: readonly string[]): [string, string[]] {
  if (!SETPRIV) return [command, [...args]];
  return [SETPRIV, ['--pdeathsig', 'KILL', '--', command, ...args]];
}
