/**
 * The same scenarios through @github/local-action, which imports run() from the TypeScript
 * sources, replaces @actions/core with its own stub and keeps state in memory between main and
 * post. Its exit code says little (its wrapper reports a failed step as a crash of its own), so
 * the assertions read the `::error` annotations and the files, as the brief for it says.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { ACCOUNTS, PATS } from '../sandbox/fixtures.js';
import { cleanEnvironment, inputVariables, PROJECT_ROOT } from './action-runner.js';

let sb: Sandbox;
const dirs: string[] = [];

beforeAll(async () => {
  sb = await startSandbox();
});

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

afterAll(async () => {
  await sb.stop();
});

interface LocalRun {
  output: string;
  dockerConfig: string;
}

/** Runs main then post through local-action; must not block the event loop (the sandbox lives here). */
async function localAction(inputs: Record<string, string>, prepare?: (dockerConfig: string) => void): Promise<LocalRun> {
  const dir = mkdtempSync(join(tmpdir(), 'docker-pat-local-'));
  dirs.push(dir);
  const dockerConfig = join(dir, 'docker');
  prepare?.(dockerConfig);
  const variables = { ...inputVariables(inputs), DOCKER_CONFIG: dockerConfig, RUNNER_TEMP: dir, DOCKER_PAT_HUB_API_URL: sb.hubApiUrl };
  writeFileSync(join(dir, '.env'), Object.entries(variables).map(([name, value]) => `${name}="${value}"`).join('\n'));
  const output = await new Promise<string>((resolve) => {
    execFile(
      'npx',
      ['local-action', 'run', '.', 'src/github/run-main.ts', join(dir, '.env'), '--post', 'src/github/run-post.ts'],
      { cwd: PROJECT_ROOT, env: { ...cleanEnvironment(), HOME: dir }, timeout: 90_000, maxBuffer: 16 * 1024 * 1024 },
      (_error, stdout, stderr) => resolve(`${stdout}\n${stderr}`),
    );
  });
  return { output, dockerConfig };
}

function annotations(output: string, kind: 'error' | 'warning'): string[] {
  return output.split('\n').filter((line) => line.startsWith(`::${kind}`));
}

function auths(dockerConfig: string): Record<string, { auth?: string }> | undefined {
  const path = join(dockerConfig, 'config.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { auths?: Record<string, { auth?: string }> }).auths : undefined;
}

function expectNoSecret(output: string, secrets: string[]): void {
  for (const secret of secrets) expect(output.includes(secret)).toBe(false);
  expect(output).not.toMatch(/eyJ[\w-]{4,}\.eyJ[\w-]{4,}\.[\w-]+/);
}

const base64 = (user: string, secret: string) => Buffer.from(`${user}:${secret}`).toString('base64');
const LOCAL_TIMEOUT = 120_000;

describe('through @github/local-action', () => {
  it('logs in, and post (reading state through core.getState) restores the entry that was there before', async () => {
    const previous = { auth: base64('bob', 'an-older-credential') };
    const run = await localAction({ registry: sb.registry.host, username: 'alice', password: PATS.aliceWrite.secret, needs: 'push', repositories: 'alice/app' }, (dockerConfig) => {
      mkdirSync(dockerConfig, { recursive: true });
      writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [sb.registry.host]: previous } }), { mode: 0o600 });
    });
    expect(annotations(run.output, 'error')).toEqual([]);
    expect(run.output).toContain('Logged in as alice');
    expect(run.output).toContain('::set-output name=scope::repo:write');
    expect(run.output).toContain('Logged out');
    expect(auths(run.dockerConfig)?.[sb.registry.host]).toEqual(previous);
    expectNoSecret(run.output, [PATS.aliceWrite.secret, base64('alice', PATS.aliceWrite.secret)]);
  }, LOCAL_TIMEOUT);

  it('leaves working credentials with logout: false (skopeo pushes with them)', async () => {
    const run = await localAction({ registry: sb.registry.host, username: 'alice', password: PATS.aliceWrite.secret, needs: 'push', repositories: 'alice/app', logout: 'false' });
    expect(annotations(run.output, 'error')).toEqual([]);
    expect(auths(run.dockerConfig)?.[sb.registry.host]?.auth).toBe(base64('alice', PATS.aliceWrite.secret));
    await expect(sb.pushImage('alice/app', 'local-action', join(run.dockerConfig, 'config.json'))).resolves.toBeUndefined();
    expectNoSecret(run.output, [PATS.aliceWrite.secret]);
  }, LOCAL_TIMEOUT);

  it.each([
    ['insufficient-scope', { password: PATS.aliceRead.secret, needs: 'push', repositories: 'alice/app' }],
    ['bad-credentials', { password: 'dckr_pat_WrongSecret0000000000000099' }],
    ['expired', { password: PATS.aliceExpired.secret }],
    ['empty-secret', { password: '' }],
  ])('fails with %s and writes nothing', async (code, inputs) => {
    const run = await localAction({ registry: sb.registry.host, username: 'alice', ...inputs });
    expect(annotations(run.output, 'error')).toEqual([expect.stringMatching(new RegExp(`^::error title=${code}::${code}: `))]);
    expect(existsSync(join(run.dockerConfig, 'config.json'))).toBe(false);
    expectNoSecret(run.output, [PATS.aliceRead.secret, PATS.aliceExpired.secret]);
  }, LOCAL_TIMEOUT);

  it('dry-run writes nothing', async () => {
    const run = await localAction({ registry: sb.registry.host, username: 'alice', password: PATS.aliceWrite.secret, needs: 'push', repositories: 'alice/app', 'dry-run': 'true' });
    expect(annotations(run.output, 'error')).toEqual([]);
    expect(run.output).toContain('Dry run');
    expect(existsSync(run.dockerConfig)).toBe(false);
  }, LOCAL_TIMEOUT);

  it('strict fails on a warning', async () => {
    const run = await localAction({ registry: sb.registry.host, username: 'alice', password: PATS.aliceAdmin.secret, needs: 'pull', repositories: 'alice/app', strict: 'true', 'hub-password': ACCOUNTS.alice.password });
    expect(annotations(run.output, 'warning')).toEqual(expect.arrayContaining([expect.stringMatching(/^::warning title=over-privileged::/)]));
    expect(annotations(run.output, 'error')).toEqual([expect.stringMatching(/^::error title=strict::strict: /)]);
    expectNoSecret(run.output, [PATS.aliceAdmin.secret, ACCOUNTS.alice.password]);
  }, LOCAL_TIMEOUT);
});
