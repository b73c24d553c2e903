/**
 * Runs the committed bundles the way the GitHub runner does: every action.yml default and the
 * step's `with:` values as INPUT_* variables (hyphens kept), the file commands as existing files,
 * a fresh RUNNER_TEMP, then the post entry with the saved state replayed as STATE_* variables and
 * the exported variables (GITHUB_ENV) applied.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { parseFileCommands } from './action-files.js';

export const PROJECT_ROOT = resolve(new URL('../..', import.meta.url).pathname);
const MAIN_BUNDLE = join(PROJECT_ROOT, 'dist/main/index.js');
const POST_BUNDLE = join(PROJECT_ROOT, 'dist/post/index.js');
const STEP_TIMEOUT_MS = 45_000;

interface ActionYaml {
  inputs: Record<string, { default?: string }>;
}

/** Inputs with a default, as the runner fills them in (the github-token expression becomes a fake job token). */
export function actionDefaults(jobToken: string): Record<string, string> {
  const action = parse(readFileSync(join(PROJECT_ROOT, 'action.yml'), 'utf8')) as ActionYaml;
  const defaults: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    if (spec.default === undefined) continue;
    defaults[name] = spec.default === '${{ github.token }}' ? jobToken : spec.default;
  }
  return defaults;
}

export function inputVariables(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]));
}

/** The environment of a runner step, with nothing inherited that could steer the Action. */
export function cleanEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  const steering = /^(INPUT_|STATE_|GITHUB_|RUNNER_|ACTIONS_|DOCKER_|HTTPS?_PROXY$|NO_PROXY$|ALL_PROXY$|ACT$)/i;
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !steering.test(key) && key !== 'NODE_OPTIONS') env[key] = value;
  }
  return env;
}

export interface StepResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

function runBundle(bundle: string, env: Record<string, string>, cwd: string): Promise<StepResult> {
  return new Promise((resolvePromise) => {
    execFile(process.execPath, [bundle], { env, cwd, timeout: STEP_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolvePromise({ exitCode: code, stdout, stderr });
    });
  });
}

export interface JobOptions {
  inputs: Record<string, string>;
  /** Extra environment of the step (DOCKER_PAT_HUB_API_URL, ACT...). */
  env?: Record<string, string>;
  /** Runs before main, e.g. to put a prior credential into ~/.docker/config.json. */
  prepare?: (job: Job) => void;
  /** Later steps of the job, between main and post (a push with the written credentials...). */
  afterMain?: (result: Omit<JobResult, 'post' | 'masked'>) => Promise<void>;
}

export interface Job {
  root: string;
  home: string;
  runnerTemp: string;
  workspace: string;
  files: { output: string; state: string; env: string; path: string; summary: string };
  /** The default docker config directory of this job (HOME/.docker). */
  homeDockerConfig: string;
}

export interface JobResult {
  job: Job;
  main: StepResult;
  post: StepResult;
  outputs: Record<string, string>;
  state: Record<string, string>;
  exported: Record<string, string>;
  summary: string;
  /** Secrets the Action registered (::add-mask:: values) in main and post. */
  masked: string[];
  cleanup(): void;
}

function createJob(): Job {
  const root = mkdtempSync(join(tmpdir(), 'docker-pat-job-'));
  const dirs = { home: join(root, 'home'), runnerTemp: join(root, 'runner-temp'), workspace: join(root, 'workspace'), files: join(root, 'files') };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const files = {
    output: join(dirs.files, 'output'),
    state: join(dirs.files, 'state'),
    env: join(dirs.files, 'env'),
    path: join(dirs.files, 'path'),
    summary: join(dirs.files, 'summary'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  return { root, home: dirs.home, runnerTemp: dirs.runnerTemp, workspace: dirs.workspace, files, homeDockerConfig: join(dirs.home, '.docker') };
}

function maskedValues(stdout: string): string[] {
  return stdout
    .split(/\r?\n/)
    .filter((line) => line.startsWith('::add-mask::'))
    .map((line) => line.slice('::add-mask::'.length).replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%'));
}

export const FAKE_JOB_TOKEN = 'ghs_e2eFakeJobToken00000000000000000001';

export async function runJob(options: JobOptions): Promise<JobResult> {
  const job = createJob();
  options.prepare?.(job);
  const inputs = { ...actionDefaults(FAKE_JOB_TOKEN), ...options.inputs };
  const stepEnv = {
    ...cleanEnvironment(),
    HOME: job.home,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: job.workspace,
    GITHUB_REPOSITORY: 'octo/infra',
    RUNNER_TEMP: job.runnerTemp,
    GITHUB_OUTPUT: job.files.output,
    GITHUB_STATE: job.files.state,
    GITHUB_ENV: job.files.env,
    GITHUB_PATH: job.files.path,
    GITHUB_STEP_SUMMARY: job.files.summary,
    ...inputVariables(inputs),
    ...options.env,
  };
  const main = await runBundle(MAIN_BUNDLE, stepEnv, job.workspace);
  const state = parseFileCommands(readFileSync(job.files.state, 'utf8'));
  const outputs = parseFileCommands(readFileSync(job.files.output, 'utf8'));
  const exported = parseFileCommands(readFileSync(job.files.env, 'utf8'));
  const cleanup = () => rmSync(job.root, { recursive: true, force: true });
  const afterMain = { job, main, outputs, state, exported, summary: readFileSync(job.files.summary, 'utf8'), cleanup };
  await options.afterMain?.(afterMain);
  // Post gets the job's exported variables and main's state; its own file commands are fresh.
  const postFiles = { output: join(job.root, 'files', 'post-output'), state: join(job.root, 'files', 'post-state') };
  for (const file of Object.values(postFiles)) writeFileSync(file, '');
  const stateVariables = Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]));
  const post = await runBundle(POST_BUNDLE, { ...stepEnv, ...exported, ...stateVariables, GITHUB_OUTPUT: postFiles.output, GITHUB_STATE: postFiles.state }, job.workspace);
  return { ...afterMain, post, masked: [...maskedValues(main.stdout), ...maskedValues(post.stdout)] };
}

/** Every file under `dir` whose content contains `needle`. */
export function filesContaining(dir: string, needle: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const stat = statSync(path);
    if (stat.isDirectory()) found.push(...filesContaining(path, needle));
    else if (stat.isFile() && readFileSync(path, 'utf8').includes(needle)) found.push(path);
  }
  return found;
}

/** What the runner would show or keep: every stream and file except the ::add-mask:: commands themselves. */
export function visibleTexts(result: JobResult): Record<string, string> {
  const withoutMasks = (text: string) => text.split(/\r?\n/).filter((line) => !line.startsWith('::add-mask::')).join('\n');
  return {
    'main stdout': withoutMasks(result.main.stdout),
    'main stderr': result.main.stderr,
    'post stdout': withoutMasks(result.post.stdout),
    'post stderr': result.post.stderr,
    outputs: readFileSync(result.job.files.output, 'utf8'),
    state: readFileSync(result.job.files.state, 'utf8'),
    'GITHUB_ENV': readFileSync(result.job.files.env, 'utf8'),
    'GITHUB_PATH': readFileSync(result.job.files.path, 'utf8'),
    summary: result.summary,
  };
}
