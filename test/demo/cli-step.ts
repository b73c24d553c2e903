/**
 * Runs the committed CLI bundle (dist/cli/index.js) in a child process with only what a CI job
 * would have: PATH, a home directory of its own and the variables the step gives.
 */
import { performance } from 'node:perf_hooks';
import { baseEnv, cliBundle, runNode } from '../e2e/cli-bundle.js';
import type { DemoSession } from './session.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

export async function runCliCommand(session: DemoSession, args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  const home = session.tempDir('docker-pat-demo-home-');
  try {
    session.guard();
    const started = performance.now();
    const result = await runNode(cliBundle(), args, { env: { ...baseEnv(home), ...session.sandbox.env, ...env } });
    return { code: result.code, stdout: result.stdout, stderr: result.stderr, seconds: (performance.now() - started) / 1000 };
  } finally {
    session.release(home);
  }
}
