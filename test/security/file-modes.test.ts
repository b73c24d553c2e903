/**
 * Credentials at rest are readable by their owner only: every file a login leaves in the docker
 * config directory (config.json, the backup of an entry it replaced) is 0600, and a directory it
 * creates is 0700, even under a umask of 000 that would make them world-readable. Checked for the
 * Action's default ~/.docker, its isolate-config directory and the CLI's login, between the login
 * and the logout. (The GitLab template's directories: test/e2e/gitlab-login.test.ts, "modes 700 600".)
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PATS } from '../sandbox/fixtures.js';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { runJob } from '../e2e/action-runner.js';
import { baseEnv, cliBundle, runNode } from '../e2e/cli-bundle.js';

let sb: Sandbox;
let cli: string;
let work: string;
let savedUmask: number;

beforeAll(async () => {
  [sb, cli, work] = await Promise.all([startSandbox(), cliBundle(), mkdtemp(join(tmpdir(), 'file-modes-'))]);
});

// Children inherit the umask: 000 would leave every file the code does not protect world-readable.
beforeEach(() => {
  savedUmask = process.umask(0o000);
});

afterEach(() => {
  process.umask(savedUmask);
});

afterAll(async () => {
  await sb?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const TOKEN = PATS.aliceWrite.secret;

/** Every file and directory under `dir` (itself included) as "file 600" or "dir 700". */
function modes(dir: string): Record<string, string> {
  const describe = (path: string) => {
    const stat = statSync(path);
    return `${stat.isDirectory() ? 'dir' : 'file'} ${(stat.mode & 0o777).toString(8)}`;
  };
  const found: Record<string, string> = { '.': describe(dir) };
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) found[entry] = describe(join(dir, entry));
  return found;
}

/**
 * config.json, and whatever the login kept beside it (the record of what it wrote for logout,
 * the backup of an entry it replaced, which holds someone's credential), are private.
 */
function expectPrivate(found: Record<string, string>, withBackup: boolean): void {
  expect(found['config.json']).toBe('file 600');
  expect(Object.keys(found).some((name) => name.startsWith('.docker-pat-backup-'))).toBe(withBackup);
  for (const [name, mode] of Object.entries(found)) expect(`${name}: ${mode}`).toMatch(name === '.' ? /: dir 700$/ : /: file 600$/);
}

describe('the Action', () => {
  it.each([
    ['a ~/.docker it creates', {}],
    ['its isolate-config directory', { 'isolate-config': 'true' }],
  ])('%s: 0700, and config.json 0600', async (_where, extra) => {
    let found: Record<string, string> = {};
    const result = await runJob({
      inputs: { registry: sb.registry.host, username: 'alice', password: TOKEN, needs: 'push', repositories: 'alice/app', ...extra },
      env: sb.env,
      afterMain: async ({ job, exported }) => {
        found = modes(exported.DOCKER_CONFIG ?? job.homeDockerConfig);
      },
    });
    try {
      expect(result.main.exitCode).toBe(0);
      expectPrivate(found, false);
    } finally {
      result.cleanup();
    }
  });

  it('keeps the backup of an entry it replaced 0600 too', async () => {
    let found: Record<string, string> = {};
    const result = await runJob({
      inputs: { registry: sb.registry.host, username: 'alice', password: TOKEN, needs: 'push', repositories: 'alice/app' },
      env: sb.env,
      prepare: (job) => {
        mkdirSync(job.homeDockerConfig, { mode: 0o700 });
        writeFileSync(join(job.homeDockerConfig, 'config.json'), JSON.stringify({ auths: { [sb.registry.host]: { auth: 'b2xkOmNyZWRlbnRpYWw=' } } }), { mode: 0o600 });
      },
      afterMain: async ({ job }) => {
        found = modes(job.homeDockerConfig);
      },
    });
    try {
      expect(result.main.exitCode).toBe(0);
      expectPrivate(found, true);
    } finally {
      result.cleanup();
    }
  });
});

describe('the CLI', () => {
  it.each([
    ['a --docker-config directory it creates', (home: string) => ({ args: ['--docker-config', join(home, 'new', 'docker')], dir: join(home, 'new', 'docker'), env: {} })],
    ['the ~/.docker it creates', (home: string) => ({ args: [], dir: join(home, '.docker'), env: {} })],
    ['a DOCKER_CONFIG it creates', (home: string) => ({ args: [], dir: join(home, 'from-env'), env: { DOCKER_CONFIG: join(home, 'from-env') } })],
  ])('%s: 0700, and config.json 0600', async (_where, place) => {
    const home = await mkdtemp(join(work, 'home-'));
    const { args, dir, env } = place(home);
    const result = await runNode(cli, ['login', '--registry', sb.registry.host, '--username', 'alice', '--needs', 'push', '--repository', 'alice/app', ...args], {
      env: { ...baseEnv(home), ...sb.env, DOCKER_PAT: TOKEN, ...env },
      cwd: home,
    });
    expect(result.code).toBe(0);
    expectPrivate(modes(dir), false);
  });

  it('keeps the backup of an entry it replaced 0600 too', async () => {
    const dir = await mkdtemp(join(work, 'docker-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [sb.registry.host]: { auth: 'b2xkOmNyZWRlbnRpYWw=' } } }), { mode: 0o600 });
    const result = await runNode(cli, ['login', '--registry', sb.registry.host, '--username', 'alice', '--needs', 'push', '--repository', 'alice/app', '--docker-config', dir], {
      env: { ...baseEnv(work), ...sb.env, DOCKER_PAT: TOKEN },
      cwd: work,
    });
    expect(result.code).toBe(0);
    expectPrivate(modes(dir), true);
  });
});
