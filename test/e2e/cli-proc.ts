/**
 * Samples every process's command line (/proc/<pid>/cmdline) while a command runs, to prove no
 * secret ever travels in argv, where any user of the machine can read it.
 */
import { readdir, readFile } from 'node:fs/promises';

async function snapshot(into: Map<number, Set<string>>): Promise<void> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  await Promise.all(
    pids.map(async (pid) => {
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      if (cmdline === '') return;
      const seen = into.get(Number(pid)) ?? new Set<string>();
      seen.add(cmdline.split('\0').join(' ').trim());
      into.set(Number(pid), seen);
    }),
  );
}

/** Every command line seen, by pid, from now until `work` settles. */
export async function sampleCommandLines<T>(work: Promise<T>): Promise<{ result: T; commandLines: Map<number, Set<string>> }> {
  const commandLines = new Map<number, Set<string>>();
  let done = false;
  const settled = work.finally(() => {
    done = true;
  });
  while (!done) await snapshot(commandLines);
  return { result: await settled, commandLines };
}

export function allCommandLines(sampled: Map<number, Set<string>>): string[] {
  return [...sampled.values()].flatMap((set) => [...set]);
}
