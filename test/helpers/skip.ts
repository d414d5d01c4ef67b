import fs from 'node:fs';

/**
 * Says why a suite cannot run on this machine: on the console, and in the file
 * the test command's summary lists (so a CI log shows skipped suites at its end).
 */
export function reportSkip(suite: string, reason: string | null): void {
  if (!reason) return;
  console.warn(`[${suite}] skipped: ${reason}`);
  const log = process.env.DIEMCAU_SKIP_LOG;
  if (log) fs.appendFileSync(log, `${suite}: ${reason}\n`);
}
