/**
 * Measurement 1: the whole login step, main + post as the runner runs it, side by side with what
 * docker/login-action wraps (`docker login` + `docker logout`) and, when a checkout of it is
 * given, docker/login-action itself.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { actionDefaults, FAKE_JOB_TOKEN } from '../e2e/action-runner.js';
import { runActionStep, runDockerLoginLogout, type StepRun } from './action-step.js';
import type { BenchContext } from './context.js';
import { interleave, type Schedule, type Variant } from './interleave.js';
import { summarise, summariseKnown, tally, type Summary } from './stats.js';

export interface StepSeries {
  wallMs: Summary;
  firstMs: Summary;
  secondMs: Summary;
  firstRssKiB: Summary | undefined;
  secondRssKiB: Summary | undefined;
  /** Per run, the larger of the two processes' peaks. */
  peakRssKiB: Summary | undefined;
  /** Distinct failure reasons with how often each occurred; empty when every run succeeded. */
  failures: Record<string, number>;
}

export interface WholeStepResult {
  dockerPat: StepSeries;
  dockerCli: StepSeries;
  anchor: StepSeries | undefined;
  /** Why the docker/login-action row is missing. */
  anchorNote: string | undefined;
}

const ANCHOR_NOT_SET = 'ANCHOR_ACTION_DIR not set';

function series(runs: readonly StepRun[]): StepSeries {
  return {
    wallMs: summarise(runs.map((run) => run.wallMs)),
    firstMs: summarise(runs.map((run) => run.firstMs)),
    secondMs: summarise(runs.map((run) => run.secondMs)),
    firstRssKiB: summariseKnown(runs.map((run) => run.firstRssKiB)),
    secondRssKiB: summariseKnown(runs.map((run) => run.secondRssKiB)),
    peakRssKiB: summariseKnown(
      runs.map((run) => (run.firstRssKiB === undefined || run.secondRssKiB === undefined ? undefined : Math.max(run.firstRssKiB, run.secondRssKiB))),
    ),
    failures: tally(runs.map((run) => run.failure)),
  };
}

/** The step a workflow would write: push to alice/app, log out at the end of the job. */
export function dockerPatStep(context: BenchContext): () => Promise<StepRun> {
  const { registryHost, username, secret } = context.credentials;
  const inputs = {
    ...actionDefaults(FAKE_JOB_TOKEN),
    registry: registryHost,
    username,
    password: secret,
    needs: 'push',
    repositories: 'alice/app',
    logout: 'true',
  };
  return () => runActionStep(context.bundles, inputs, { ...context.stepEnv, ...context.hubEnv });
}

function anchorStep(context: BenchContext): { run?: () => Promise<StepRun>; note?: string } {
  if (context.anchorDir === undefined) return { note: ANCHOR_NOT_SET };
  const bundle = join(context.anchorDir, 'dist/index.cjs');
  if (!existsSync(bundle)) return { note: `ANCHOR_ACTION_DIR has no dist/index.cjs (${context.anchorDir})` };
  const { registryHost, username, secret } = context.credentials;
  const inputs = { registry: registryHost, username, password: secret, logout: 'true' };
  return { run: () => runActionStep({ main: bundle, post: bundle }, inputs, context.stepEnv) };
}

export async function measureWholeStep(context: BenchContext, schedule: Schedule): Promise<WholeStepResult> {
  const anchor = anchorStep(context);
  const variants: Variant<StepRun>[] = [
    { name: 'docker-pat', run: dockerPatStep(context) },
    { name: 'docker-cli', run: () => runDockerLoginLogout(context.credentials, context.stepEnv) },
  ];
  if (anchor.run !== undefined) variants.push({ name: 'anchor', run: anchor.run });
  const runs = await interleave(variants, schedule);
  const anchorRuns = runs.get('anchor');
  return {
    dockerPat: series(runs.get('docker-pat') ?? []),
    dockerCli: series(runs.get('docker-cli') ?? []),
    anchor: anchorRuns === undefined ? undefined : series(anchorRuns),
    anchorNote: anchor.note,
  };
}
