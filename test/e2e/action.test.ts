/**
 * The committed dist/ bundles, run as the runner runs them, against the sandbox: a real registry
 * behind a fake Docker Hub. Every scenario also runs the canary: no secret outside config.json.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { ACCOUNTS, GHCR_TOKENS, OATS, PATS } from '../sandbox/fixtures.js';
import { expectNoSecretLeak } from './action-canary.js';
import { runJob, type JobOptions, type JobResult } from './action-runner.js';

let sb: Sandbox;
const results: JobResult[] = [];

beforeAll(async () => {
  sb = await startSandbox();
});

afterEach(() => {
  sb.clearFaults();
  for (const result of results.splice(0)) result.cleanup();
});

afterAll(async () => {
  await sb.stop();
});

async function job(options: JobOptions): Promise<JobResult> {
  const result = await runJob({ ...options, env: { ...sb.env, ...options.env } });
  results.push(result);
  return result;
}

function base64(username: string, secret: string): string {
  return Buffer.from(`${username}:${secret}`).toString('base64');
}

interface DockerConfigFile {
  auths?: Record<string, { auth?: string }>;
}

function readConfig(dir: string): DockerConfigFile | undefined {
  const path = join(dir, 'config.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as DockerConfigFile) : undefined;
}

interface PushResult {
  ok: boolean;
  /** skopeo's words when the push was refused. */
  message: string;
}

/** A later step of the job pushing with whatever config.json the Action left. */
function push(repository: string, tag: string, configPath: string): Promise<PushResult> {
  return sb.pushImage(repository, tag, configPath).then(
    () => ({ ok: true, message: '' }),
    (error: unknown) => ({ ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
}

function errorLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith('::error'));
}

describe('a token that fits the job', () => {
  it.each([
    ['repo:public_read', PATS.alicePublicRead, 'pull', 'alice/site', { 'alice/site': ['pull'] }],
    ['repo:read', PATS.aliceRead, 'pull', 'alice/app', { 'alice/app': ['pull'] }],
    ['repo:write', PATS.aliceWrite, 'push', 'alice/app', { 'alice/app': ['pull', 'push'] }],
    ['repo:admin', PATS.aliceAdmin, 'delete', 'alice/app', { 'alice/app': ['pull', 'delete'] }],
  ])('%s logs in, reports what it proved, and is logged out by post', async (level, pat, needs, repository, granted) => {
    const result = await job({ inputs: { registry: sb.registry.host, username: 'alice', password: pat.secret, needs, repositories: repository } });
    expect(errorLines(result.main.stdout)).toEqual([]);
    expect(result.main.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ registry: sb.registry.host, 'token-type': 'pat', scope: level, granted: JSON.stringify(granted), 'docker-config': result.job.homeDockerConfig });
    expect(result.state.credential).toBeDefined();
    // After main, config.json holds the credential as `docker login` writes it.
    expect(result.main.stdout).toContain('Logged in as alice');
    expect(result.summary).toContain(`| Permission level | ${level} |`);
    // Post removed exactly that entry.
    expect(result.post.exitCode).toBe(0);
    expect(result.post.stdout).toContain('Logged out');
    expect(readConfig(result.job.homeDockerConfig)?.auths?.[sb.registry.host]).toBeUndefined();
    expectNoSecretLeak(result, [pat.secret, base64('alice', pat.secret)]);
  });

  it('writes config.json as docker login would, and skopeo pushes with it', async () => {
    const seen: { push?: PushResult; auth?: string } = {};
    const result = await job({
      inputs: { registry: sb.registry.host, username: 'alice', password: PATS.aliceWrite.secret, needs: 'push', repositories: 'alice/app' },
      afterMain: async ({ job: j }) => {
        seen.auth = readConfig(j.homeDockerConfig)?.auths?.[sb.registry.host]?.auth;
        seen.push = await push('alice/app', 'from-action', join(j.homeDockerConfig, 'config.json'));
      },
    });
    expect(result.main.exitCode).toBe(0);
    expect(seen.auth).toBe(base64('alice', PATS.aliceWrite.secret));
    expect(seen.push).toEqual({ ok: true, message: '' });
    expectNoSecretLeak(result, [PATS.aliceWrite.secret, base64('alice', PATS.aliceWrite.secret)]);
  });

  it('passes a read-only token for needs: pull, and a push with it then fails', async () => {
    const seen: { push?: PushResult } = {};
    const result = await job({
      inputs: { registry: sb.registry.host, username: 'alice', password: PATS.aliceRead.secret, needs: 'pull', repositories: 'alice/app' },
      afterMain: async ({ job: j }) => {
        seen.push = await push('alice/app', 'must-not-land', join(j.homeDockerConfig, 'config.json'));
      },
    });
    expect(result.main.exitCode).toBe(0);
    expect(seen.push?.ok).toBe(false);
    expect(seen.push?.message).toMatch(/denied|unauthorized/);
    expectNoSecretLeak(result, [PATS.aliceRead.secret]);
  });

  it('logs an organization access token in with the organization name', async () => {
    const result = await job({ inputs: { registry: sb.registry.host, username: 'acme', password: OATS.acmeCi.secret, needs: 'push', repositories: 'acme/app' } });
    expect(result.main.exitCode).toBe(0);
    expect(result.outputs['token-type']).toBe('oat');
    expectNoSecretLeak(result, [OATS.acmeCi.secret, base64('acme', OATS.acmeCi.secret)]);
  });

  it('reads expiry from the management API when the account password is given, and warns before it runs out', async () => {
    const result = await job({
      inputs: { registry: sb.registry.host, username: 'alice', password: PATS.aliceExpiresSoon.secret, needs: 'push', repositories: 'alice/app', 'hub-password': ACCOUNTS.alice.password },
    });
    expect(result.main.exitCode).toBe(0);
    expect(Number(result.outputs['days-until-expiry'])).toBeGreaterThanOrEqual(2);
    expect(Number(result.outputs['days-until-expiry'])).toBeLessThanOrEqual(3);
    expect(result.outputs['expires-at']).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(JSON.parse(result.outputs.warnings ?? '')).toContain('expires-soon');
    expect(result.main.stdout).toMatch(/^::warning title=expires-soon::expires-soon: /m);
    expect(result.summary).toMatch(/\| Expiry \| \d{4}-\d{2}-\d{2}, [23] days left \(from Docker Hub's management API\) \|/);
    expectNoSecretLeak(result, [PATS.aliceExpiresSoon.secret, ACCOUNTS.alice.password]);
  });

  it('warns that an account password is less safe than a token', async () => {
    const result = await job({ inputs: { registry: sb.registry.host, username: 'alice', password: ACCOUNTS.alice.password, needs: 'pull', repositories: 'alice/app' } });
    expect(result.main.exitCode).toBe(0);
    expect(result.outputs['token-type']).toBe('password');
    expect(result.main.stdout).toMatch(/^::warning title=password-instead-of-token::/m);
    expectNoSecretLeak(result, [ACCOUNTS.alice.password, base64('alice', ACCOUNTS.alice.password)]);
  });

  it('says a registry that reports no grants was checked for authentication only', async () => {
    const result = await job({ inputs: { registry: sb.ghcr.host, username: 'dave', password: GHCR_TOKENS.classic.secret } });
    expect(result.main.exitCode).toBe(0);
    expect(result.outputs.scope).toBe('');
    expect(result.outputs.granted).toBe('');
    expect(result.summary).toContain('checked for authentication only');
    expectNoSecretLeak(result, [GHCR_TOKENS.classic.secret, base64('dave', GHCR_TOKENS.classic.secret)]);
  });

  it('strips a trailing newline from the secret with a notice', async () => {
    const result = await job({ inputs: { registry: sb.registry.host, username: 'alice', password: `${PATS.aliceRead.secret}\n`, repositories: 'alice/app' } });
    expect(result.main.exitCode).toBe(0);
    expect(result.main.stdout).toMatch(/^::notice title=password::password: surrounding whitespace/m);
    expectNoSecretLeak(result, [PATS.aliceRead.secret]);
  });

  it('behaves the same under act', async () => {
    const result = await job({ inputs: { registry: sb.registry.host, username: 'alice', password: PATS.aliceWrite.secret, needs: 'push', repositories: 'alice/app' }, env: { ACT: 'true' } });
    expect(result.main.exitCode).toBe(0);
    expect(result.post.stdout).toContain('Logged out');
    expectNoSecretLeak(result, [PATS.aliceWrite.secret]);
  });
});

describe('a token that does not fit the job', () => {
  const bad = 'dckr_pat_WrongSecret0000000000000099';
  // Every row has its hint ('' for none): a fourth argument jest does not receive is taken for `done`.
  it.each<[string, string, () => JobOptions, string]>([
    ['bad-input', 'bad needs', () => ({ inputs: { registry: sb.registry.host, username: 'alice', password: PATS.aliceWrite.secret, needs: 'fly' } }), ''],
    ['empty-secret', 'empty password', () => ({ inputs: { registry: sb.registry.host, username: 'alice', password: '' } }), 'Dependabot'],
    ['bad-credentials', 'wrong secret', () => ({ inputs: { registry: sb.registry.host, username: 'alice', password: bad } }), ''],
    ['bad-credentials', 'OAT with a personal username', () => ({ inputs: { registry: sb.registry.host, username: 'alice', password: OATS.acmeCi.secret } }), 'organization'],
    ['expired', 'expired token', () => ({ inputs: { registry: sb.registry.host, username: 'alice', password: PATS.aliceExpired.secret } }), ''],
    ['password-not-allowed', '2FA account password', () => ({ inputs: { registry: sb.registry.host, username: 'bob', password: ACCOUNTS.bob.password } }), ''],
    ['insufficient-scope', 'read-only token for a push', () => ({ inputs: { registry: sb.registry.host, username: 'alice', password: PATS.aliceRead.secret, needs: 'push', repositories: 'alice/app' } }), ''],
    ['insufficient-scope', 'read-only level for needs: push', () => ({ inputs: { registry: sb.registry.host, username: 'alice', password: PATS.aliceRead.secret, needs: 'push' } }), ''],
    ['unreachable', 'nothing listening', () => ({ inputs: { registry: '127.0.0.1:1', username: 'alice', password: PATS.aliceWrite.secret } }), ''],
    ['tls', 'https to a plain-http registry', () => ({ inputs: { registry: `https://${sb.registry.host}`, username: 'alice', password: PATS.aliceWrite.secret } }), ''],
  ])('%s (%s) fails the step with the code, and writes nothing', async (code, _name, options, hint) => {
    const result = await job(options());
    expect(result.main.exitCode).toBe(1);
    const errors = errorLines(result.main.stdout);
    expect(errors).toEqual([expect.stringMatching(new RegExp(`^::error title=${code}::${code}: `))]);
    expect(errors[0]).toContain(hint);
    expect(result.state).toEqual({});
    expect(existsSync(join(result.job.homeDockerConfig, 'config.json'))).toBe(false);
    expect(result.post.exitCode).toBe(0);
    expect(result.post.stdout).not.toMatch(/^::(warning|error)/m);
    expectNoSecretLeak(result, [PATS.aliceWrite.secret, PATS.aliceRead.secret, PATS.aliceExpired.secret, OATS.acmeCi.secret, ACCOUNTS.bob.password, bad]);
  });

  it('inactive: a deactivated token', async () => {
    sb.configure({ inactiveTokenMessage: 'personal access token is inactive' });
    try {
      const result = await job({ inputs: { registry: sb.registry.host, username: 'alice', password: PATS.aliceInactive.secret } });
      expect(result.main.exitCode).toBe(1);
      expect(errorLines(result.main.stdout)).toEqual([expect.stringMatching(/^::error title=inactive::inactive: /)]);
      expectNoSecretLeak(result, [PATS.aliceInactive.secret]);
    } finally {
      sb.configure({ inactiveTokenMessage: 'incorrect username or password' });
    }
  });

  it('rate-limited: the token service keeps answering 429', async () => {
    sb.injectFault('auth', { kind: '429', retryAfter: 0 }, { times: 10 });
    const result = await job({ inputs: { registry: sb.registry.host, username: 'alice', password: PATS.aliceWrite.secret, needs: 'push', repositories: 'alice/app' } });
    expect(result.main.exitCode).toBe(1);
    expect(errorLines(result.main.stdout)).toEqual([expect.stringMatching(/^::error title=rate-limited::rate-limited: /)]);
    expectNoSecretLeak(result, [PATS.aliceWrite.secret]);
  });

  it('registry-error: the token service answers garbage', async () => {
    sb.injectFault('auth', { kind: 'malformed-json' }, { times: 10 });
    const result = await job({ inputs: { registry: sb.registry.host, username: 'alice', password: PATS.aliceWrite.secret, needs: 'push', repositories: 'alice/app' } });
    expect(result.main.exitCode).toBe(1);
    expect(errorLines(result.main.stdout)).toEqual([expect.stringMatching(/^::error title=registry-error::registry-error: /)]);
    expectNoSecretLeak(result, [PATS.aliceWrite.secret]);
  });
});

describe('options', () => {
  it('dry-run checks everything and writes nothing', async () => {
    const result = await job({ inputs: { registry: sb.registry.host, username: 'alice', password: PATS.aliceWrite.secret, needs: 'push', repositories: 'alice/app', 'dry-run': 'true' } });
    expect(result.main.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ scope: 'repo:write', granted: '{"alice/app":["pull","push"]}', 'docker-config': '' });
    expect(result.main.stdout).toContain('Dry run');
    expect(result.summary).toContain('none written (dry run)');
    expect(result.state).toEqual({});
    expect(existsSync(result.job.homeDockerConfig)).toBe(false);
    expectNoSecretLeak(result, [PATS.aliceWrite.secret]);
  });

  it('dry-run still fails a token that does not fit', async () => {
    const result = await job({ inputs: { registry: sb.registry.host, username: 'alice', password: PATS.aliceRead.secret, needs: 'push', 'dry-run': 'true' } });
    expect(result.main.exitCode).toBe(1);
    expect(errorLines(result.main.stdout)).toEqual([expect.stringMatching(/^::error title=insufficient-scope::/)]);
  });

  it('isolate-config keeps the credential in a private DOCKER_CONFIG under RUNNER_TEMP, exported to later steps', async () => {
    const seen: { push?: PushResult } = {};
    const result = await job({
      inputs: { registry: sb.registry.host, username: 'alice', password: PATS.aliceWrite.secret, needs: 'push', repositories: 'alice/app', 'isolate-config': 'true' },
      afterMain: async ({ exported }) => {
        seen.push = await push('alice/app', 'isolated', join(exported.DOCKER_CONFIG ?? '', 'config.json'));
      },
    });
    expect(result.main.exitCode).toBe(0);
    const dir = result.exported.DOCKER_CONFIG ?? '';
    expect(dir.startsWith(`${result.job.runnerTemp}/docker-pat-`)).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(result.outputs['docker-config']).toBe(dir);
    expect(existsSync(result.job.homeDockerConfig)).toBe(false);
    expect(seen.push?.ok).toBe(true);
    expect(readConfig(dir)?.auths?.[sb.registry.host]).toBeUndefined();
    expectNoSecretLeak(result, [PATS.aliceWrite.secret, base64('alice', PATS.aliceWrite.secret)]);
  });

  it('strict turns warnings into a failure; without it they only warn', async () => {
    const inputs = { registry: sb.registry.host, username: 'alice', password: PATS.aliceAdmin.secret, needs: 'pull', repositories: 'alice/app', 'hub-password': ACCOUNTS.alice.password };
    const lenient = await job({ inputs });
    expect(lenient.main.exitCode).toBe(0);
    expect(lenient.main.stdout).toMatch(/^::warning title=over-privileged::over-privileged: /m);
    expect(errorLines(lenient.main.stdout)).toEqual([]);

    const strict = await job({ inputs: { ...inputs, strict: 'true' } });
    expect(strict.main.exitCode).toBe(1);
    expect(strict.main.stdout).toMatch(/^::warning title=over-privileged::/m);
    expect(errorLines(strict.main.stdout)).toEqual([expect.stringMatching(/^::error title=strict::strict: .*over-privileged/)]);
    // A step that strict mode fails writes no credential, so post has nothing to undo.
    expect(strict.post.stdout).toContain('No credentials were written by this step');
    expect(strict.post.stdout).not.toContain('Logged out');
    expect(existsSync(join(strict.job.homeDockerConfig, 'config.json'))).toBe(false);
    expectNoSecretLeak(strict, [PATS.aliceAdmin.secret, ACCOUNTS.alice.password]);
  });

  it('post restores the entry that was there before, and keeps every other key', async () => {
    const previous = { auth: base64('bob', 'an-older-credential') };
    const other = { auth: base64('carol', 'unrelated-credential') };
    const result = await job({
      inputs: { registry: sb.registry.host, username: 'alice', password: PATS.aliceWrite.secret, needs: 'push', repositories: 'alice/app' },
      prepare: (j) => {
        mkdirSync(j.homeDockerConfig, { recursive: true });
        writeFileSync(join(j.homeDockerConfig, 'config.json'), JSON.stringify({ auths: { [sb.registry.host]: previous, 'other.example': other }, psFormat: 'table' }), { mode: 0o600 });
      },
      afterMain: async ({ job: j }) => {
        expect(readConfig(j.homeDockerConfig)?.auths?.[sb.registry.host]?.auth).toBe(base64('alice', PATS.aliceWrite.secret));
      },
    });
    expect(result.main.exitCode).toBe(0);
    expect(result.post.exitCode).toBe(0);
    const config = readConfig(result.job.homeDockerConfig) as DockerConfigFile & { psFormat?: string };
    expect(config.auths?.[sb.registry.host]).toEqual(previous);
    expect(config.auths?.['other.example']).toEqual(other);
    expect(config.psFormat).toBe('table');
    // The restored entry is a credential again, so config.json may hold it; ours must be gone everywhere.
    expectNoSecretLeak(result, [PATS.aliceWrite.secret, base64('alice', PATS.aliceWrite.secret)], [join(result.job.homeDockerConfig, 'config.json')]);
    expect(readFileSync(join(result.job.homeDockerConfig, 'config.json'), 'utf8')).not.toContain(base64('alice', PATS.aliceWrite.secret));
  });

  it('logout: false leaves the credential for later jobs on the runner', async () => {
    const result = await job({ inputs: { registry: sb.registry.host, username: 'alice', password: PATS.aliceRead.secret, repositories: 'alice/app', logout: 'false' } });
    expect(result.main.exitCode).toBe(0);
    expect(result.post.stdout).toContain('logout is false');
    expect(readConfig(result.job.homeDockerConfig)?.auths?.[sb.registry.host]?.auth).toBe(base64('alice', PATS.aliceRead.secret));
    expectNoSecretLeak(result, [PATS.aliceRead.secret, base64('alice', PATS.aliceRead.secret)], [join(result.job.homeDockerConfig, 'config.json')]);
  });

  it('post only warns when it cannot log out', async () => {
    const result = await job({
      inputs: { registry: sb.registry.host, username: 'alice', password: PATS.aliceRead.secret, repositories: 'alice/app' },
      afterMain: async ({ job: j }) => {
        // A later step broke config.json: post cannot remove the entry safely.
        writeFileSync(join(j.homeDockerConfig, 'config.json'), '{ not json');
      },
    });
    expect(result.main.exitCode).toBe(0);
    expect(result.post.exitCode).toBe(0);
    expect(result.post.stdout).toMatch(/^::warning title=logout::logout failed: /m);
    expectNoSecretLeak(result, [PATS.aliceRead.secret]);
  });
});
