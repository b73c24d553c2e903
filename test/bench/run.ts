/**
 * `npm run bench`: measures docker-pat against the sandbox's real registry, side by side with
 * `docker login` and (given ANCHOR_ACTION_DIR) docker/login-action, prints the tables and writes
 * bench-results/latest.json. It reports; it never fails a build over a figure. Options (see
 * options.ts) make a quick smoke run that writes elsewhere.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSandbox } from '../sandbox/index.js';
import { measureBundleSizes } from './bundle-sizes.js';
import { measureColdStarts } from './cold-start.js';
import { createContext, missingBundles, PROJECT_ROOT, staleBundles } from './context.js';
import { measureFortyRepos } from './forty-repos.js';
import { BenchUsageError, parseBenchOptions, USAGE, type BenchOptions } from './options.js';
import { rssMethod } from './processes.js';
import { renderReport } from './report.js';
import { measureRequests } from './requests.js';
import { writeResults, type BenchResults } from './results.js';
import { evaluateTargets } from './targets.js';
import { measureWholeStep } from './whole-step.js';

const RESULTS_FILE = join(PROJECT_ROOT, 'bench-results/latest.json');

/** Relative to the project when inside it (the default prints as bench-results/latest.json). */
function displayPath(path: string): string {
  const inProject = relative(PROJECT_ROOT, path);
  return inProject.startsWith('..') || isAbsolute(inProject) ? path : inProject;
}

function dockerVersion(): string {
  try {
    return execFileSync('docker', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'docker CLI not found';
  }
}

function readOptions(): BenchOptions | undefined {
  try {
    return parseBenchOptions(process.argv.slice(2), process.cwd(), RESULTS_FILE);
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return undefined;
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  const options = readOptions();
  if (options === undefined) return 2;
  const { schedules } = options;
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
    const wholeStep = await measureWholeStep(context, schedules.wholeStep);
    const requests = await measureRequests(context);
    const fortyRepos = await measureFortyRepos(context, schedules.inProcess, schedules.cli);
    const coldStarts = await measureColdStarts(context, schedules.coldStart);
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
          'whole step': schedules.wholeStep.rounds,
          'in-process check': schedules.inProcess.rounds,
          'CLI check': schedules.cli.rounds,
          'cold start': schedules.coldStart.rounds,
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
  writeResults(options.resultsFile, results);
  console.log(renderReport(results));
  if (options.smokeRun) console.log('Smoke run: no warm-up and few rounds, so these figures are not comparable with a full run.');
  console.log(`Results: ${displayPath(options.resultsFile)}`);
  return 0;
}

process.exitCode = await main();
