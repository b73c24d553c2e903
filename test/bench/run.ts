/**
 * `npm run bench`: measures docker-pat against the sandbox's real registry, side by side with
 * `docker login` and (given ANCHOR_ACTION_DIR) docker/login-action, prints the tables and writes
 * bench-results/latest.json. It reports; it never fails a build over a figure.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSandbox } from '../sandbox/index.js';
import { measureBundleSizes } from './bundle-sizes.js';
import { measureColdStarts } from './cold-start.js';
import { createContext, missingBundles, PROJECT_ROOT, staleBundles } from './context.js';
import { measureFortyRepos } from './forty-repos.js';
import { rssMethod } from './processes.js';
import { renderReport } from './report.js';
import { measureRequests } from './requests.js';
import { writeResults, type BenchResults } from './results.js';
import { evaluateTargets } from './targets.js';
import { measureWholeStep } from './whole-step.js';

/** Sized so the whole bench stays well under two minutes on two shared cores. */
const SCHEDULES = {
  wholeStep: { warmups: 2, rounds: 21 },
  inProcess: { warmups: 3, rounds: 21 },
  cli: { warmups: 1, rounds: 11 },
  coldStart: { warmups: 1, rounds: 11 },
};

const RESULTS_FILE = join(PROJECT_ROOT, 'bench-results/latest.json');

function dockerVersion(): string {
  try {
    return execFileSync('docker', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'docker CLI not found';
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  const missing = missingBundles();
  if (missing.length > 0) {
    console.error(`Missing bundles: ${missing.map((path) => relative(PROJECT_ROOT, path)).join(', ')}. Run 'npm run build' first.`);
    return 1;
  }
  for (const path of staleBundles()) console.error(`warning: ${relative(PROJECT_ROOT, path)} is older than the newest file in src/; run 'npm run build' for current figures.`);

  const sandbox = await startSandbox();
  const context = createContext(sandbox, process.env);
  let results: BenchResults;
  try {
    const wholeStep = await measureWholeStep(context, SCHEDULES.wholeStep);
    const requests = await measureRequests(context);
    const fortyRepos = await measureFortyRepos(context, SCHEDULES.inProcess, SCHEDULES.cli);
    const coldStarts = await measureColdStarts(context, SCHEDULES.coldStart);
    const bundleSizes = measureBundleSizes(PROJECT_ROOT);
    results = {
      environment: {
        date: new Date().toISOString(),
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
        dockerCli: dockerVersion(),
        rssMethod: rssMethod(),
        rounds: {
          'whole step': SCHEDULES.wholeStep.rounds,
          'in-process check': SCHEDULES.inProcess.rounds,
          'CLI check': SCHEDULES.cli.rounds,
          'cold start': SCHEDULES.coldStart.rounds,
        },
      },
      wholeStep,
      requests,
      fortyRepos,
      coldStarts,
      bundleSizes,
      targets: evaluateTargets({ wholeStep, requests, fortyRepos, bundleSizes }),
      durationMs: 0,
    };
  } finally {
    context.dispose();
    await sandbox.stop();
  }
  results.durationMs = performance.now() - started;
  writeResults(RESULTS_FILE, results);
  console.log(renderReport(results));
  console.log(`Results: ${relative(PROJECT_ROOT, RESULTS_FILE)}`);
  return 0;
}

process.exitCode = await main();
