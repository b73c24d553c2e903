/**
 * The processes this process started that are still running, read from /proc. The demo ends
 * them by id when it is interrupted: the Action runner it reuses starts its bundles without
 * handing back their ids, and an interrupted step must not leave one running.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Field 4 of /proc/PID/stat, after the command name in parentheses (which may itself hold ')'). */
function parentOf(pid: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return undefined;
  }
}

/** Ids of the running children of `parent`; empty where /proc does not exist. */
function childPids(parent: number = process.pid): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries.filter((name) => /^\d+$/.test(name) && parentOf(name) === parent).map(Number);
}

/** Sends SIGTERM to each child except those in `spare`; a child that already exited is skipped. */
export function terminateChildren(spare: readonly number[] = []): void {
  for (const pid of childPids()) {
    if (spare.includes(pid)) continue;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // It exited between the listing and the signal.
    }
  }
}
