/** Finding processes a test left running, by a path only they would mention. */
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of processes whose command line or environment mentions `path` (e.g. a test's own TMPDIR). */
export function processesUsing(path: string): number[] {
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    for (const file of ['cmdline', 'environ']) {
      try {
        if (readFileSync(`/proc/${pid}/${file}`, 'utf8').includes(path)) {
          found.push(Number(pid));
          break;
        }
      } catch {
        // Gone already, or another user's.
      }
    }
  }
  return found;
}
