/**
 * Faults through the front ends as users run them: the Action's committed bundles (main, then
 * post, as the runner runs them) and the CLI's bundle, side by side against one sandbox. Each
 * fault ends in its error code (the `::error` title, the CLI's ERROR line), exit code 1, within
 * the front ends' whole-check deadline, with a config.json that was there left byte-identical.
 *
 * The bundles' timeouts are fixed (request 10 s, whole check 30 s) and cannot be set from the
 * environment, so the hang costs one request timeout; both front ends wait it out together.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PATS } from '../sandbox/fixtures.js';
import { startSandbox, type Fault, type Sandbox } from '../sandbox/index.js';
import { expectNoSecretLeak } from '../e2e/action-canary.js';
import { runJob, visibleTexts, type JobResult } from '../e2e/action-runner.js';
import { baseEnv, cliBundle, runNode, type CliResult } from '../e2e/cli-bundle.js';
import { Canary } from '../support/canary.js';
import { startTlsFront, type TlsFront } from '../support/tls-front.js';

/** The front ends' own bound on a whole check (HttpOptions.deadlineMs default), plus process start. */
const WHOLE_CHECK_BOUND_MS = 30_000 + 5_000;
const PREVIOUS = `${JSON.stringify({ auths: { 'other.example': { auth: 'b3RoZXI6eA==' } }, credHelpers: {}, psFormat: 'table' }, null, 2)}\n`;
const TOKEN = PATS.aliceWrite.secret;

let sb: Sandbox;
let cli: string;
let work: string;
const jobs: JobResult[] = [];
const canary = new Canary().watch(TOKEN, 'alice', 'the token');

beforeAll(async () => {
  [sb, cli, work] = await Promise.all([startSandbox(), cliBundle(), mkdtemp(join(tmpdir(), 'front-end-faults-'))]);
});

afterEach(() => {
  sb.clearFaults();
  for (const job of jobs.splice(0)) job.cleanup();
});

afterAll(async () => {
  await sb?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

interface Outcome {
  /** The error code the front end reported, or undefined for success. */
  code: string | undefined;
  exitCode: number | null;
  elapsedMs: number;
  config: { before: string; after: string };
}

const configFile = (dir: string) => join(dir, 'config.json');

async function throughAction(registry: string, env: Record<string, string> = {}): Promise<Outcome> {
  const started = Date.now();
  const job = await runJob({
    inputs: { registry, username: 'alice', password: TOKEN, needs: 'push', repositories: 'alice/app' },
    env: { ...sb.env, ...env },
    prepare: (j) => {
      mkdirSync(j.homeDockerConfig, { recursive: true, mode: 0o700 });
      writeFileSync(configFile(j.homeDockerConfig), PREVIOUS, { mode: 0o600 });
    },
  });
  jobs.push(job);
  const elapsedMs = Date.now() - started;
  for (const [where, text] of Object.entries(visibleTexts(job))) canary.recordAs(`Action ${where}`, text);
  expectNoSecretLeak(job, [TOKEN]);
  const errors = job.main.stdout.split('\n').filter((line) => line.startsWith('::error'));
  expect(errors.length).toBeLessThanOrEqual(1);
  return {
    code: /^::error title=([\w-]+)::\1: /.exec(errors[0] ?? '')?.[1],
    exitCode: job.main.exitCode,
    elapsedMs,
    config: { before: PREVIOUS, after: await readFile(configFile(job.job.homeDockerConfig), 'utf8') },
  };
}

async function throughCli(registry: string, env: Record<string, string> = {}): Promise<Outcome> {
  const dir = await mkdtemp(join(work, 'docker-'));
  await writeFile(configFile(dir), PREVIOUS, { mode: 0o600 });
  const started = Date.now();
  const result: CliResult = await runNode(cli, ['login', '--registry', registry, '--username', 'alice', '--needs', 'push', '--repository', 'alice/app', '--docker-config', dir], {
    env: { ...baseEnv(work), ...sb.env, DOCKER_PAT: TOKEN, ...env },
    cwd: work,
  });
  const elapsedMs = Date.now() - started;
  canary.recordAs('CLI stdout', result.stdout);
  canary.recordAs('CLI stderr', result.stderr);
  return {
    code: /^ERROR ([\w-]+): /m.exec(result.stdout)?.[1],
    exitCode: result.code,
    elapsedMs,
    config: { before: PREVIOUS, after: await readFile(configFile(dir), 'utf8') },
  };
}

function expectFailure(outcome: Outcome, code: string): void {
  expect({ code: outcome.code, exitCode: outcome.exitCode }).toEqual({ code, exitCode: 1 });
  expect(outcome.elapsedMs).toBeLessThan(WHOLE_CHECK_BOUND_MS);
  expect(outcome.config.after).toBe(outcome.config.before);
}

describe.each<[string, Fault, string]>([
  ['a registry that never answers', { kind: 'hang' }, 'timeout'],
  ['a burst of 503s longer than the retries', { kind: '5xx', status: 503 }, 'registry-error'],
])('%s', (_name, fault, code) => {
  it(`ends the Action step and the CLI with ${code}, exit 1, config.json untouched`, async () => {
    sb.injectFault('registry', fault, { times: 100 });
    const [action, command] = await Promise.all([throughAction(sb.registry.host), throughCli(sb.registry.host)]);
    expectFailure(action, code);
    expectFailure(command, code);
  }, 60_000);
});

describe('a registry whose certificate comes from an unknown CA', () => {
  let front: TlsFront;
  beforeAll(async () => {
    front = await startTlsFront(sb.registry.host);
  });
  afterAll(async () => {
    await front?.stop();
  });

  it('fails both front ends with tls, config.json untouched; NODE_EXTRA_CA_CERTS then lets both log in', async () => {
    const registry = `https://${front.host}`;
    const [action, command] = await Promise.all([throughAction(registry), throughCli(registry)]);
    expectFailure(action, 'tls');
    expectFailure(command, 'tls');
    const trusted = { NODE_EXTRA_CA_CERTS: front.caFile };
    const [actionTrusted, commandTrusted] = await Promise.all([throughAction(registry, trusted), throughCli(registry, trusted)]);
    expect({ code: actionTrusted.code, exitCode: actionTrusted.exitCode }).toEqual({ code: undefined, exitCode: 0 });
    expect({ code: commandTrusted.code, exitCode: commandTrusted.exitCode }).toEqual({ code: undefined, exitCode: 0 });
    // The CLI's login stays; post removed the Action's, and both kept every other entry.
    expect(JSON.parse(commandTrusted.config.after)).toMatchObject({ ...JSON.parse(PREVIOUS), auths: { 'other.example': {}, [front.host]: {} } });
    expect(JSON.parse(actionTrusted.config.after)).toEqual(JSON.parse(PREVIOUS));
  }, 60_000);
});

describe('everything the front ends printed under these faults', () => {
  it('holds no token, base64(user:token) or JWT', () => {
    // Four Action jobs (nine texts each) and four CLI runs (two streams each).
    expect(canary.recorded).toBe(4 * 9 + 4 * 2);
    canary.expectNoLeak();
  });
});
