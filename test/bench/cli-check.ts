/** `docker-pat check` through the CLI bundle, the way a pipeline runs it: the token in DOCKER_PAT. */
import { cleanEnvironment } from '../e2e/action-runner.js';
import type { BenchContext } from './context.js';
import { runProcess, type ProcessRun } from './processes.js';

export interface CliCheck {
  run: ProcessRun;
  /** Undefined on exit 0 (fits) or 3 (fits, with warnings such as a broader permission than needed). */
  failure: string | undefined;
}

export async function runCliCheck(context: BenchContext, needs: string, repositories: string[], home: string): Promise<CliCheck> {
  const { registryHost, username, secret } = context.credentials;
  const run = await runProcess({
    file: process.execPath,
    args: [context.bundles.cli, 'check', '--registry', registryHost, '--username', username, '--needs', needs, ...repositories.flatMap((name) => ['--repository', name])],
    env: { ...cleanEnvironment(), ...context.hubEnv, HOME: home, DOCKER_CONFIG: home, DOCKER_PAT: secret },
    rss: true,
  });
  const passed = run.exitCode === 0 || run.exitCode === 3;
  const reason = (run.stderr.trim() || run.stdout.trim()).split('\n')[0]?.slice(0, 200);
  return { run, failure: passed ? undefined : `CLI exited ${run.exitCode}: ${reason}` };
}
