/**
 * One login step as each tool performs it, timed whole: a JavaScript action's main and post entries
 * run the way the runner runs them (INPUT_* variables, file commands as existing files, the saved
 * state replayed to post as STATE_* variables), or `docker login` plus `docker logout`.
 * Every run gets a fresh DOCKER_CONFIG and HOME, removed afterwards.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFileCommands } from '../e2e/action-files.js';
import { cleanEnvironment, inputVariables } from '../e2e/action-runner.js';
import { runProcess, type ProcessRun } from './processes.js';

export interface StepRun {
  /** main + post (or login + logout), each timed from spawn to exit. */
  wallMs: number;
  firstMs: number;
  secondMs: number;
  /** Peak RSS of each process, in KiB. */
  firstRssKiB: number | undefined;
  secondRssKiB: number | undefined;
  /** Why the step did not succeed; undefined when both processes exited 0. */
  failure: string | undefined;
}

export interface ActionBundles {
  main: string;
  post: string;
}

export interface Credentials {
  registryHost: string;
  username: string;
  secret: string;
}

interface Job {
  root: string;
  env: Record<string, string>;
  stateFile: string;
  exportFile: string;
}

function createJob(extraEnv: Record<string, string>): Job {
  const root = mkdtempSync(join(tmpdir(), 'docker-pat-bench-job-'));
  const dir = (name: string): string => {
    const path = join(root, name);
    mkdirSync(path);
    return path;
  };
  const file = (name: string): string => {
    const path = join(root, name);
    writeFileSync(path, '');
    return path;
  };
  const home = dir('home');
  const env = {
    ...cleanEnvironment(),
    HOME: home,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: dir('workspace'),
    RUNNER_TEMP: dir('runner-temp'),
    DOCKER_CONFIG: dir('docker-config'),
    GITHUB_OUTPUT: file('output'),
    GITHUB_STATE: file('state'),
    GITHUB_ENV: file('env'),
    GITHUB_PATH: file('path'),
    GITHUB_STEP_SUMMARY: file('summary'),
    ...extraEnv,
  };
  return { root, env, stateFile: env.GITHUB_STATE, exportFile: env.GITHUB_ENV };
}

/** The first ::error:: line, or the first line of stderr: enough to say why without dumping logs. */
function failureOf(what: string, run: ProcessRun): string | undefined {
  if (run.exitCode === 0) return undefined;
  const reason = run.stdout.split('\n').find((line) => line.startsWith('::error')) ?? run.stderr.split('\n').find((line) => line.trim() !== '') ?? '';
  return `${what} exited ${run.exitCode}: ${reason.slice(0, 200)}`;
}

function combine(first: ProcessRun, second: ProcessRun, failure: string | undefined): StepRun {
  return {
    wallMs: first.wallMs + second.wallMs,
    firstMs: first.wallMs,
    secondMs: second.wallMs,
    firstRssKiB: first.maxRssKiB,
    secondRssKiB: second.maxRssKiB,
    failure,
  };
}

/**
 * Main, then post with main's state as STATE_* and its exported variables; post gets fresh file
 * commands, as a later step would. Post runs even when main failed, as on the runner.
 */
export async function runActionStep(bundles: ActionBundles, inputs: Record<string, string>, extraEnv: Record<string, string>): Promise<StepRun> {
  const job = createJob({ ...inputVariables(inputs), ...extraEnv });
  try {
    const main = await runProcess({ file: process.execPath, args: [bundles.main], env: job.env, cwd: job.env.GITHUB_WORKSPACE, rss: true });
    const state = parseFileCommands(readFileSync(job.stateFile, 'utf8'));
    const exported = parseFileCommands(readFileSync(job.exportFile, 'utf8'));
    const stateVariables = Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]));
    const postFiles = { GITHUB_OUTPUT: join(job.root, 'post-output'), GITHUB_STATE: join(job.root, 'post-state') };
    for (const path of Object.values(postFiles)) writeFileSync(path, '');
    const post = await runProcess({
      file: process.execPath,
      args: [bundles.post],
      env: { ...job.env, ...exported, ...stateVariables, ...postFiles },
      cwd: job.env.GITHUB_WORKSPACE,
      rss: true,
    });
    return combine(main, post, failureOf('main', main) ?? failureOf('post', post));
  } finally {
    rmSync(job.root, { recursive: true, force: true });
  }
}

/** What docker/login-action wraps: `docker login --password-stdin`, later `docker logout`. */
export async function runDockerLoginLogout(credentials: Credentials, extraEnv: Record<string, string>): Promise<StepRun> {
  const job = createJob(extraEnv);
  try {
    const login = await runProcess({
      file: 'docker',
      args: ['login', credentials.registryHost, '-u', credentials.username, '--password-stdin'],
      env: job.env,
      stdin: credentials.secret,
      rss: true,
    });
    const logout = await runProcess({ file: 'docker', args: ['logout', credentials.registryHost], env: job.env, rss: true });
    return combine(login, logout, failureOf('docker login', login) ?? failureOf('docker logout', logout));
  } finally {
    rmSync(job.root, { recursive: true, force: true });
  }
}
