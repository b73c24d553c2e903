/**
 * Measurement 3: forty repositories checked in one run against one. In process (checkToken
 * alone, no process start) and through the CLI bundle (what a pipeline pays). The names need not
 * exist: the token service grants on names, so every one is a real grant decision.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkToken, parseRegistry, parseRepositoryList, SecretRegistry, type CheckSettings } from '../../src/core/index.js';
import { runCliCheck } from './cli-check.js';
import type { BenchContext } from './context.js';
import { interleave, type Schedule } from './interleave.js';
import { summarise, summariseKnown, tally, type Summary } from './stats.js';

const MANY_REPOSITORIES = 40;

/** alice/app and generated names under alice/. */
function repositoryNames(count: number): string[] {
  return ['alice/app', ...Array.from({ length: count - 1 }, (_, i) => `alice/bench-${String(i + 1).padStart(2, '0')}`)];
}

interface TimedCheck {
  ms: number;
  rssKiB: number | undefined;
  failure: string | undefined;
}

export interface CheckSeries {
  ms: Summary;
  rssKiB: Summary | undefined;
  failures: Record<string, number>;
}

export interface FortyReposResult {
  inProcess: { one: CheckSeries; forty: CheckSeries; requestsOne: number; requestsForty: number };
  cli: { one: CheckSeries; forty: CheckSeries };
}

function series(runs: readonly TimedCheck[]): CheckSeries {
  return {
    ms: summarise(runs.map((run) => run.ms)),
    rssKiB: summariseKnown(runs.map((run) => run.rssKiB)),
    failures: tally(runs.map((run) => run.failure)),
  };
}

function settingsFor(context: BenchContext, names: string[], dockerConfigDir: string): CheckSettings {
  const registry = parseRegistry(context.credentials.registryHost);
  return {
    registry,
    username: context.credentials.username,
    secret: context.credentials.secret,
    needs: ['pull'],
    repositories: parseRepositoryList(names.join('\n'), registry, ['pull']),
    expiryWarningDays: 14,
    unusedWarningDays: 90,
    dryRun: true,
    strict: false,
    dockerConfigDir,
  };
}

async function checkInProcess(context: BenchContext, settings: CheckSettings): Promise<TimedCheck> {
  const started = performance.now();
  const report = await checkToken(settings, { secrets: new SecretRegistry(), env: { ...context.hubEnv } });
  const ms = performance.now() - started;
  const denied = report.repositories.filter((verdict) => !verdict.ok).map((verdict) => verdict.name);
  const failure = report.error !== undefined ? `check failed: ${report.error.code}` : denied.length > 0 ? `denied: ${denied.length} repositories` : undefined;
  return { ms, rssKiB: undefined, failure };
}

async function checkWithCli(context: BenchContext, names: string[], home: string): Promise<TimedCheck> {
  const { run, failure } = await runCliCheck(context, 'pull', names, home);
  return { ms: run.wallMs, rssKiB: run.maxRssKiB, failure };
}

async function requestsFor(context: BenchContext, settings: CheckSettings): Promise<number> {
  context.sandbox.requests.clear();
  await checkInProcess(context, settings);
  const count = context.sandbox.requests.entries().length;
  context.sandbox.requests.clear();
  return count;
}

export async function measureFortyRepos(context: BenchContext, inProcessSchedule: Schedule, cliSchedule: Schedule): Promise<FortyReposResult> {
  const home = mkdtempSync(join(tmpdir(), 'docker-pat-bench-check-'));
  try {
    const one = settingsFor(context, repositoryNames(1), home);
    const forty = settingsFor(context, repositoryNames(MANY_REPOSITORIES), home);
    const inProcess = await interleave(
      [
        { name: 'one', run: () => checkInProcess(context, one) },
        { name: 'forty', run: () => checkInProcess(context, forty) },
      ],
      inProcessSchedule,
    );
    const cli = await interleave(
      [
        { name: 'one', run: () => checkWithCli(context, repositoryNames(1), home) },
        { name: 'forty', run: () => checkWithCli(context, repositoryNames(MANY_REPOSITORIES), home) },
      ],
      cliSchedule,
    );
    return {
      inProcess: {
        one: series(inProcess.get('one') ?? []),
        forty: series(inProcess.get('forty') ?? []),
        requestsOne: await requestsFor(context, one),
        requestsForty: await requestsFor(context, forty),
      },
      cli: { one: series(cli.get('one') ?? []), forty: series(cli.get('forty') ?? []) },
    };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
