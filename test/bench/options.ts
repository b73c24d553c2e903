/**
 * The bench's command line. With no option it is the full benchmark; `--rounds N` or `--quick`
 * (one round) with no warm-up make a smoke run that proves the bench still works end to end in a
 * few seconds, whose figures mean nothing; `--out FILE` writes the results elsewhere than
 * bench-results/latest.json, so such a run leaves the recorded figures alone.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Schedule } from './interleave.js';

export interface Schedules {
  wholeStep: Schedule;
  inProcess: Schedule;
  cli: Schedule;
  coldStart: Schedule;
}

/** Sized so the whole bench stays well under two minutes on two shared cores. */
const DEFAULT_SCHEDULES: Schedules = {
  wholeStep: { warmups: 2, rounds: 21 },
  inProcess: { warmups: 3, rounds: 21 },
  cli: { warmups: 1, rounds: 11 },
  coldStart: { warmups: 1, rounds: 11 },
};

export const USAGE = `Usage: npm run bench [-- [--rounds N | --quick] [--out FILE]]
  --rounds N   N rounds per measurement and no warm-up (a smoke run: its figures mean nothing)
  --quick      the same as --rounds 1
  --out FILE   write the results to FILE instead of bench-results/latest.json`;

export interface BenchOptions {
  schedules: Schedules;
  /** Absolute path of the results file. */
  resultsFile: string;
  /** True when the rounds were cut short: the report says its figures are not comparable. */
  smokeRun: boolean;
}

export class BenchUsageError extends Error {}

function parseRounds(value: string): number {
  if (!/^[1-9]\d{0,3}$/.test(value)) throw new BenchUsageError(`--rounds takes a whole number from 1 to 9999, not "${value}"`);
  return Number(value);
}

function cutSchedules(rounds: number): Schedules {
  const schedule = { warmups: 0, rounds };
  return { wholeStep: schedule, inProcess: schedule, cli: schedule, coldStart: schedule };
}

/** `cwd` resolves a relative --out, as a shell user expects; `defaultResultsFile` is absolute. */
export function parseBenchOptions(args: string[], cwd: string, defaultResultsFile: string): BenchOptions {
  let values: { rounds?: string; quick?: boolean; out?: string };
  try {
    ({ values } = parseArgs({ args, options: { rounds: { type: 'string' }, quick: { type: 'boolean' }, out: { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new BenchUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.quick === true && values.rounds !== undefined) throw new BenchUsageError('--quick is --rounds 1: give one or the other');
  if (values.out === '') throw new BenchUsageError('--out needs a file path');
  const rounds = values.quick === true ? 1 : values.rounds === undefined ? undefined : parseRounds(values.rounds);
  return {
    schedules: rounds === undefined ? DEFAULT_SCHEDULES : cutSchedules(rounds),
    resultsFile: values.out === undefined ? defaultResultsFile : resolve(cwd, values.out),
    smokeRun: rounds !== undefined,
  };
}
