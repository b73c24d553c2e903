/**
 * Measurement 4a: cold start of each bundle, from spawn to its first byte of output, with inputs
 * that make it answer before any network work (`--version`; an invalid `needs`; post with no
 * saved state). A bare Node printing one byte is the floor no bundle can go below.
 */
import { cleanEnvironment } from '../e2e/action-runner.js';
import type { BenchContext } from './context.js';
import { interleave, type Schedule } from './interleave.js';
import { runProcess, type ProcessRun } from './processes.js';
import { summarise, type Summary } from './stats.js';

export interface ColdStart {
  name: string;
  /** Spawn to first output (to exit, for a process that prints nothing). */
  firstOutputMs: Summary;
  exitMs: Summary;
  /** False when some run printed nothing, so its first-output figure is its exit time. */
  alwaysPrinted: boolean;
}

/** File commands go to /dev/null: the figure is the start-up, not the runner's files. */
const RUNNER_FILES = {
  GITHUB_OUTPUT: '/dev/null',
  GITHUB_STATE: '/dev/null',
  GITHUB_ENV: '/dev/null',
  GITHUB_PATH: '/dev/null',
  GITHUB_STEP_SUMMARY: '/dev/null',
};

interface Probe {
  name: string;
  args: string[];
  env: Record<string, string>;
}

function probes(context: BenchContext): Probe[] {
  const base = { ...cleanEnvironment(), GITHUB_ACTIONS: 'true', ...RUNNER_FILES };
  return [
    { name: 'node printing one byte (reference)', args: ['-e', "process.stdout.write('.')"], env: base },
    { name: 'dist/cli: --version', args: [context.bundles.cli, '--version'], env: base },
    {
      name: 'dist/main: invalid needs',
      args: [context.bundles.main],
      env: { ...base, INPUT_REGISTRY: context.credentials.registryHost, INPUT_USERNAME: 'alice', INPUT_PASSWORD: 'not-a-real-token', INPUT_NEEDS: 'everything' },
    },
    { name: 'dist/post: no saved state', args: [context.bundles.post], env: base },
  ];
}

function summariseProbe(name: string, runs: readonly ProcessRun[]): ColdStart {
  return {
    name,
    firstOutputMs: summarise(runs.map((run) => run.firstOutputMs ?? run.wallMs)),
    exitMs: summarise(runs.map((run) => run.wallMs)),
    alwaysPrinted: runs.every((run) => run.firstOutputMs !== undefined),
  };
}

export async function measureColdStarts(context: BenchContext, schedule: Schedule): Promise<ColdStart[]> {
  const list = probes(context);
  const runs = await interleave(
    list.map((probe) => ({ name: probe.name, run: () => runProcess({ file: process.execPath, args: probe.args, env: probe.env }) })),
    schedule,
  );
  return list.map((probe) => summariseProbe(probe.name, runs.get(probe.name) ?? []));
}
