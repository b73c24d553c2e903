/**
 * Runs the committed Action bundles (dist/main, then dist/post) as the GitHub runner does, through
 * the end-to-end tests' runner, inside the demo's session: the job's directory is tracked from the
 * moment it exists, and an interrupted demo starts neither the next step nor the post entry.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runJob, type JobResult, type StepResult } from '../e2e/action-runner.js';
import type { DemoSession } from './session.js';
import { readStepLog, type StepLog } from './workflow-commands.js';

export interface ActionRun {
  main: StepResult & { log: StepLog; seconds: number };
  post: StepResult & { log: StepLog };
  outputs: Record<string, string>;
  /** Whatever main left in GITHUB_STATE; empty when it wrote no credentials. */
  state: Record<string, string>;
  /** The job summary markdown main wrote. */
  summary: string;
}

/** A later step of the job, between main and post, given the config.json main wrote. */
export type LaterStep<T> = (dockerConfigJson: string) => Promise<T>;

export async function runActionJob<T = undefined>(
  session: DemoSession,
  inputs: Record<string, string>,
  laterStep?: LaterStep<T>,
): Promise<{ run: ActionRun; later: T | undefined }> {
  session.guard();
  let later: T | undefined;
  let root: string | undefined;
  let mainSeconds = 0;
  const started = performance.now();
  try {
    const result: JobResult = await runJob({
      inputs,
      env: { ...session.sandbox.env },
      prepare: (job) => {
        root = session.track(job.root);
        session.guard();
      },
      afterMain: async ({ job }) => {
        mainSeconds = (performance.now() - started) / 1000;
        session.guard();
        if (laterStep) later = await laterStep(join(job.homeDockerConfig, 'config.json'));
        session.guard();
      },
    });
    return {
      run: {
        main: { ...result.main, log: readStepLog(result.main.stdout), seconds: mainSeconds },
        post: { ...result.post, log: readStepLog(result.post.stdout) },
        outputs: result.outputs,
        state: result.state,
        summary: result.summary,
      },
      later,
    };
  } finally {
    if (root !== undefined) session.release(root);
  }
}
