/**
 * Secret hygiene of the Action with every debug switch on: ACTIONS_STEP_DEBUG and RUNNER_DEBUG
 * (the runner then shows each ::debug:: line) and NODE_DEBUG for Node's and undici's own
 * network logging, across its success and failure scenarios on every registry face, audit mode,
 * and an unexpected exception. Every stream, output, state, GITHUB_ENV, the step summary and
 * every file left in the job must hold no token, base64(user:token), password, TOTP secret, JWT
 * or opaque registry token. (test/e2e/action*.test.ts run the same canary without the switches.)
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { ACCOUNTS, GHCR_TOKENS, GITLAB_TOKENS, OATS, PATS } from '../sandbox/fixtures.js';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { expectNoSecretLeak } from '../e2e/action-canary.js';
import { FAKE_JOB_TOKEN, runJob, type JobResult } from '../e2e/action-runner.js';
import { Canary, watchFixtureSecrets } from '../support/canary.js';

let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox();
});

afterAll(async () => {
  await sb?.stop();
});

const DEBUG = { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1', NODE_DEBUG: 'http,https,net,tls,undici,fetch,child_process' };

/** What a scenario runs with, and how its main step must end: `ok`, or the `::error` title. */
interface Scenario {
  inputs: Record<string, string>;
  env?: Record<string, string>;
  ends: string;
}

const hub = () => sb.registry.host;
const SCENARIOS: Record<string, () => Scenario> = {
  'Docker Hub push, token data from the management API': () => ({
    inputs: { registry: hub(), username: 'alice', password: PATS.aliceWrite.secret, needs: 'push', repositories: 'alice/app alice/site:pull', 'hub-password': ACCOUNTS.alice.password },
    ends: 'ok',
  }),
  'organization token in an isolated DOCKER_CONFIG': () => ({
    inputs: { registry: hub(), username: 'acme', password: OATS.acmeCi.secret, needs: 'push', repositories: 'acme/app', 'isolate-config': 'true' },
    ends: 'ok',
  }),
  'GHCR with an opaque registry token': () => ({ inputs: { registry: sb.ghcr.host, username: 'dave', password: GHCR_TOKENS.classic.secret, needs: 'push', repositories: 'dave/app' }, ends: 'ok' }),
  'GitLab registry and its token API': () => ({
    inputs: { registry: sb.gitlab.host, username: 'carol', password: GITLAB_TOKENS.registryWrite.secret, needs: 'push', repositories: 'carol/app' },
    env: { CI_API_V4_URL: sb.gitlab.apiUrl },
    ends: 'ok',
  }),
  'audit of a 2FA account with its TOTP secret': () => ({
    inputs: { mode: 'audit', username: 'bob', 'hub-password': ACCOUNTS.bob.password, 'hub-totp-secret': ACCOUNTS.bob.totpSecret ?? '' },
    ends: 'any',
  }),
  'a deleted token': () => ({ inputs: { registry: hub(), username: 'alice', password: PATS.aliceDeleted.secret }, ends: 'bad-credentials' }),
  'a read-only token for a push': () => ({ inputs: { registry: hub(), username: 'alice', password: PATS.aliceRead.secret, needs: 'push', repositories: 'alice/app' }, ends: 'insufficient-scope' }),
  "a 2FA account's password": () => ({ inputs: { registry: hub(), username: 'bob', password: ACCOUNTS.bob.password }, ends: 'password-not-allowed' }),
  'a bad input beside every secret input': () => ({
    inputs: { registry: hub(), username: 'bob', password: PATS.bobWrite.secret, needs: 'fly', 'hub-password': ACCOUNTS.bob.password, 'hub-totp-secret': ACCOUNTS.bob.totpSecret ?? '' },
    ends: 'bad-input',
  }),
  'strict with a warning, after the credential was written': () => ({
    inputs: { registry: hub(), username: 'alice', password: PATS.aliceAdmin.secret, needs: 'pull', repositories: 'alice/app', strict: 'true', 'hub-password': ACCOUNTS.alice.password },
    ends: 'strict',
  }),
  // @actions/core throws when the output file is missing: an exception nobody planned for, after the login.
  'an unexpected exception after the login': () => ({
    inputs: { registry: hub(), username: 'alice', password: PATS.aliceWrite.secret, needs: 'push', repositories: 'alice/app' },
    env: { GITHUB_OUTPUT: join(sb.workDir, 'no-such-dir', 'output') },
    ends: 'unexpected-error',
  }),
};

function endOf(result: JobResult): string {
  const error = result.main.stdout.split('\n').find((line) => line.startsWith('::error'));
  return error === undefined ? 'ok' : (/^::error title=([\w-]+)::/.exec(error)?.[1] ?? 'untitled error');
}

describe('with ACTIONS_STEP_DEBUG, RUNNER_DEBUG and NODE_DEBUG on', () => {
  const results = new Map<string, JobResult>();

  beforeAll(async () => {
    const names = Object.keys(SCENARIOS);
    // Three jobs at a time: each is two node processes, and the sandbox answers them all.
    for (let i = 0; i < names.length; i += 3) {
      await Promise.all(
        names.slice(i, i + 3).map(async (name) => {
          const scenario = SCENARIOS[name]?.();
          if (scenario === undefined) return;
          results.set(name, await runJob({ inputs: scenario.inputs, env: { ...sb.env, ...DEBUG, ...scenario.env } }));
        }),
      );
    }
  }, 120_000);

  afterAll(() => {
    for (const result of results.values()) result.cleanup();
  });

  it.each(Object.keys(SCENARIOS))('%s: ends as expected, with debug logs written', (name) => {
    const result = results.get(name);
    const scenario = SCENARIOS[name]?.();
    if (result === undefined || scenario === undefined) throw new Error(`${name} did not run`);
    if (scenario.ends !== 'any') expect(endOf(result)).toBe(scenario.ends);
    expect(result.post.exitCode).toBe(0);
    // The switches took effect wherever the network was used: the Action's debug lines, and Node's own log.
    if (scenario.ends !== 'bad-input') {
      expect(result.main.stdout).toMatch(/^::debug::/m);
      expect(result.main.stderr).toMatch(/^(UNDICI|FETCH|NET|HTTP) \d+:/m);
    }
  });

  it.each(Object.keys(SCENARIOS))('%s: no secret anywhere the runner shows or keeps', (name) => {
    const result = results.get(name);
    if (result === undefined) throw new Error(`${name} did not run`);
    const known = watchFixtureSecrets(new Canary()).watch(FAKE_JOB_TOKEN).secrets();
    expectNoSecretLeak(result, known);
  });
});
