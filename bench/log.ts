/** A progress line of the load benchmark on stdout, stamped with the time of day. */
export function log(line: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
}
