/**
 * Secret hygiene of the CLI bundle with Node's and undici's own debug logging on (NODE_DEBUG,
 * the nearest the CLI has to a debug mode; GitLab's CI_DEBUG_TRACE is warned about, never
 * protected), in GitLab and on a plain terminal, across login, check, logout and audit on every
 * registry face, their --json documents and --dotenv reports, and their failures. Then an
 * exception nobody planned for, carrying the token in its message, through the CLI's own error
 * path. Nothing may show a token, base64(user:token), a password, a TOTP secret, a JWT or an
 * opaque registry token. (test/e2e/cli*.test.ts and gitlab*.test.ts run the same canary.)
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runCli } from '../../src/cli/run.js';
import { ACCOUNTS, GHCR_TOKENS, GITLAB_TOKENS, OATS, PATS } from '../sandbox/fixtures.js';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { baseEnv, cliBundle, runNode, type CliResult } from '../e2e/cli-bundle.js';
import { Canary, watchFixtureSecrets } from '../support/canary.js';

let sb: Sandbox;
let cli: string;
let work: string;
const canary = watchFixtureSecrets(new Canary());

beforeAll(async () => {
  [sb, cli, work] = await Promise.all([startSandbox(), cliBundle(), mkdtemp(join(tmpdir(), 'cli-hygiene-'))]);
});

afterAll(async () => {
  await sb?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const DEBUG = { NODE_DEBUG: 'http,https,net,tls,undici,fetch,child_process' };

interface Run {
  args: string[];
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  /** The exit code this run must end with. */
  exit: number;
}

/** Runs the bundle in its own directory, recording every stream and every file it left there. */
async function dockerPat(name: string, run: Run): Promise<CliResult> {
  const dir = await mkdtemp(join(work, 'run-'));
  const dockerConfig = run.args[0] === 'audit' ? [] : ['--docker-config', join(dir, 'docker')];
  const result = await runNode(cli, [...run.args, ...dockerConfig], {
    env: { ...baseEnv(dir), ...sb.env, ...DEBUG, ...run.env },
    stdin: run.stdin,
    cwd: dir,
  });
  canary.recordAs(`${name}: stdout`, result.stdout);
  canary.recordAs(`${name}: stderr`, result.stderr);
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    // config.json holds the credential by design; everything else must not.
    if (entry.isFile() && entry.name !== 'config.json') canary.recordAs(`${name}: ${entry.name}`, await readFile(join(entry.parentPath, entry.name), 'utf8'));
  }
  return result;
}

const hub = () => ['--registry', sb.registry.host];
const REPORTS = ['--json', '--dotenv', 'report.env'];

const RUNS: Record<string, () => Run> = {
  'login with token data from the management API': () => ({
    args: ['login', ...hub(), '--username', 'alice', '--needs', 'push', '--repository', 'alice/app', ...REPORTS],
    env: { DOCKER_PAT: PATS.aliceExpiresSoon.secret, DOCKER_PAT_HUB_PASSWORD: ACCOUNTS.alice.password },
    exit: 3,
  }),
  'login in GitLab with a token on stdin': () => ({
    args: ['login', ...hub(), '--username', 'acme', '--needs', 'push', '--repository', 'acme/app', '--password-stdin'],
    env: { GITLAB_CI: 'true' },
    stdin: `${OATS.acmeCi.secret}\n`,
    exit: 0,
  }),
  'check on GHCR (opaque registry token)': () => ({
    args: ['check', '--registry', sb.ghcr.host, '--username', 'dave', '--needs', 'push', '--repository', 'dave/app', ...REPORTS],
    env: { DOCKER_PAT: GHCR_TOKENS.classic.secret },
    // GitHub's expiry header says 10 days: expires-soon.
    exit: 3,
  }),
  'check on the GitLab registry and its API': () => ({
    args: ['check', '--registry', sb.gitlab.host, '--username', 'carol', '--needs', 'push', '--repository', 'carol/app', '--token-env', 'GITLAB_PAT', '--dotenv', 'report.env'],
    env: { GITLAB_PAT: GITLAB_TOKENS.registryWrite.secret, CI_API_V4_URL: sb.gitlab.apiUrl },
    exit: 0,
  }),
  'audit of a 2FA account': () => ({
    args: ['audit', '--username', 'bob', '--json'],
    env: { DOCKER_PAT_HUB_PASSWORD: ACCOUNTS.bob.password, DOCKER_PAT_HUB_TOTP_SECRET: ACCOUNTS.bob.totpSecret },
    exit: 0,
  }),
  'audit that finds errors': () => ({ args: ['audit', '--username', 'alice'], env: { DOCKER_PAT_HUB_PASSWORD: ACCOUNTS.alice.password }, exit: 1 }),
  'check with a deleted token': () => ({ args: ['check', ...hub(), '--username', 'alice', ...REPORTS], env: { DOCKER_PAT: PATS.aliceDeleted.secret }, exit: 1 }),
  'login with a read-only token for a push': () => ({
    args: ['login', ...hub(), '--username', 'alice', '--needs', 'push', '--repository', 'alice/app', '--dotenv', 'report.env'],
    env: { DOCKER_PAT: PATS.aliceRead.secret },
    exit: 1,
  }),
  "login with a 2FA account's password": () => ({ args: ['login', ...hub(), '--username', 'bob', '--json'], env: { DOCKER_PAT: ACCOUNTS.bob.password }, exit: 1 }),
  'login --strict with a warning (stored, then removed)': () => ({
    args: ['login', ...hub(), '--username', 'alice', '--repository', 'alice/app', '--strict', ...REPORTS],
    env: { DOCKER_PAT: PATS.aliceAdmin.secret },
    exit: 1,
  }),
  'a usage error with every secret in the environment': () => ({
    args: ['login', ...hub(), '--username', 'bob', '--needs', 'fly'],
    env: { DOCKER_PAT: PATS.bobWrite.secret, DOCKER_PAT_HUB_PASSWORD: ACCOUNTS.bob.password, DOCKER_PAT_HUB_TOTP_SECRET: ACCOUNTS.bob.totpSecret },
    exit: 2,
  }),
  'GitLab debug tracing on': () => ({ args: ['check', ...hub(), '--username', 'alice', '--repository', 'alice/site'], env: { DOCKER_PAT: PATS.aliceRead.secret, CI_DEBUG_TRACE: 'true' }, exit: 0 }),
  'logout of a registry never logged into': () => ({ args: ['logout', ...hub(), '--json'], exit: 0 }),
};

describe('the CLI bundle with NODE_DEBUG on', () => {
  const results = new Map<string, CliResult>();

  beforeAll(async () => {
    const names = Object.keys(RUNS);
    for (let i = 0; i < names.length; i += 4) {
      await Promise.all(
        names.slice(i, i + 4).map(async (name) => {
          const run = RUNS[name]?.();
          if (run !== undefined) results.set(name, await dockerPat(name, run));
        }),
      );
    }
  }, 120_000);

  it.each(Object.keys(RUNS))('%s: ends with its exit code', (name) => {
    expect(results.get(name)?.code).toBe(RUNS[name]?.().exit);
  });

  it('wrote Node and undici debug logs, which were searched too', () => {
    const debugged = [...results.values()].filter((result) => /^(UNDICI|FETCH|NET) \d+:/m.test(result.stderr));
    expect(debugged.length).toBeGreaterThanOrEqual(Object.keys(RUNS).length - 2);
  });
});

describe('an exception nobody planned for', () => {
  it("goes through the CLI's redacting error path: the message says what broke, never the token in it", async () => {
    const token = PATS.aliceWrite.secret;
    let stderr = '';
    const code = await runCli({
      argv: ['check', '--registry', '127.0.0.1:1', '--username', 'alice'],
      env: { DOCKER_PAT: token },
      homedir: work,
      stdout: {
        write: () => {
          throw new Error(`the output stream failed while holding ${token} and ${Buffer.from(`alice:${token}`).toString('base64')}`);
        },
      },
      stderr: { write: (text: string) => (stderr += text) },
      stdin: Readable.from([]),
    });
    canary.recordAs('unexpected exception: stderr', stderr);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^ERROR unexpected: the output stream failed while holding \*\*\* and \*\*\*\n/);
  });
});

describe('everything the CLI printed or left behind', () => {
  it('holds no secret, no base64(user:secret), no JWT and no opaque registry token', () => {
    expect(canary.recorded).toBeGreaterThanOrEqual(2 * Object.keys(RUNS).length + 1);
    canary.expectNoLeak();
  });
});
