/**
 * The shared client against the sandbox's real registry: every permission level against pull,
 * push and delete needs, every credential failure, OATs, 2FA, intersection and opaque-token modes.
 */
import { beforeEach, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import { checkToken, type CoreDeps } from '../../src/core/check.js';
import { SecretRegistry } from '../../src/core/secrets.js';
import { ACCOUNTS, GHCR_TOKENS, GITLAB_TOKENS, OATS, PATS } from '../sandbox/fixtures.js';
import { closeServer, closedPort, listenOnLoopback } from '../support/loopback-server.js';
import { checkSettings, type TestSettings } from '../support/settings.js';
import { useSandbox } from '../support/use-sandbox.js';

const sb = useSandbox();
beforeEach(() => {
  sb().clearFaults();
  sb().setGrantMode('dockerhub-pat');
  sb().requests.clear();
});

function deps(secrets = new SecretRegistry()): CoreDeps {
  return { secrets, env: { ...sb().env }, http: { sleep: async () => undefined } };
}

async function check(input: Omit<TestSettings, 'registry'> & { registry?: string }) {
  const secrets = new SecretRegistry();
  const report = await checkToken(checkSettings({ registry: sb().registry.host, ...input }), deps(secrets));
  return { report, secrets };
}

describe('Docker Hub permission levels against the job needs', () => {
  it.each([
    ['aliceRead', 'pull', 'alice/app:pull', ['pull'], true],
    ['aliceRead', 'push', 'alice/app:pull,push', ['pull'], false],
    ['aliceWrite', 'push', 'alice/app:pull,push', ['pull', 'push'], true],
    ['aliceWrite', 'delete', 'alice/app:pull,delete', ['pull'], false],
    ['aliceAdmin', 'delete', 'alice/app:pull,push,delete', ['pull', 'push', 'delete'], true],
    ['alicePublicRead', 'pull', 'alice/site:pull', ['pull'], true],
    ['alicePublicRead', 'pull', 'alice/app:pull', [], false],
  ] as const)('%s with needs %s on %s', async (name, needs, repositories, granted, ok) => {
    const token = PATS[name];
    const { report } = await check({ username: 'alice', secret: token.secret, needs, repositories });
    expect(report.kind).toBe('dockerhub');
    expect(report.tokenType).toBe('pat');
    expect(report.permission).toBe(token.scope);
    expect(report.repositories[0]?.granted).toEqual(granted);
    expect(report.repositories[0]?.method).toBe('jwt');
    if (ok) {
      expect(report.error).toBeUndefined();
    } else {
      expect(report.error?.code).toBe('insufficient-scope');
      expect(report.error?.message).toContain(repositories.split(':')[0]);
      expect(report.error?.fix).toMatch(/repo:(read|write|admin)/);
    }
  });

  it('compares the permission level with needs when no repository is named', async () => {
    const { report } = await check({ username: 'alice', secret: PATS.aliceRead.secret, needs: 'push' });
    expect(report.error?.code).toBe('insufficient-scope');
    expect(report.error?.fix).toContain('repo:write');
  });

  it('warns that an admin token is broader than a pull-only job needs', async () => {
    const { report } = await check({ username: 'alice', secret: PATS.aliceAdmin.secret, needs: 'pull', repositories: 'alice/app' });
    expect(report.error).toBeUndefined();
    expect(report.verdict).toBe('warning');
    const finding = report.findings.find((f) => f.code === 'over-privileged');
    expect(finding?.fix).toContain('repo:read');
  });

  it('normalises an official image name to library/', async () => {
    const { report } = await check({ username: 'alice', secret: PATS.aliceRead.secret, repositories: 'alpine' });
    expect(report.repositories).toEqual([{ name: 'library/alpine', needed: ['pull'], granted: ['pull'], ok: true, method: 'jwt' }]);
  });
});

describe('credential failures cost exactly one failed attempt', () => {
  // The Hub API takes the credential in its JSON body, the token service in a Basic header.
  const failedAttempts = () =>
    sb().requests.entries().filter((e) => (e.status === 401 || e.status === 403) && (e.authorization !== 'none' || e.path === '/v2/auth/token'));

  it.each([
    ['a wrong token', 'alice', `${PATS.aliceRead.secret.slice(0, -3)}zzz`, 'bad-credentials'],
    ['a deleted token', 'alice', PATS.aliceDeleted.secret, 'bad-credentials'],
    ['an expired token', 'alice', PATS.aliceExpired.secret, 'expired'],
    ['a deactivated token', 'alice', PATS.aliceInactive.secret, 'bad-credentials'],
    ['a password on a 2FA account', 'bob', ACCOUNTS.bob.password, 'password-not-allowed'],
  ])('%s', async (_what, username, secret, code) => {
    const { report, secrets } = await check({ username, secret, needs: 'push', repositories: `${username}/app` });
    expect(report.error?.code).toBe(code);
    expect(report.verdict).toBe('error');
    expect(failedAttempts()).toHaveLength(1);
    const text = JSON.stringify({ ...report, error: { message: report.error?.message, fix: report.error?.fix } });
    for (const value of secrets.values()) expect(text).not.toContain(value);
  });

  it('reports a deactivated token as inactive when the registry says so', async () => {
    sb().configure({ inactiveTokenMessage: 'personal access token is inactive' });
    try {
      const { report } = await check({ username: 'alice', secret: PATS.aliceInactive.secret, needs: 'push', repositories: 'alice/app' });
      expect(report.error?.code).toBe('inactive');
      expect(report.health.active).toEqual({ value: false, source: 'login-error' });
      expect(failedAttempts()).toHaveLength(1);
    } finally {
      sb().configure({ inactiveTokenMessage: 'incorrect username or password' });
    }
  });

  it('reports an expired token as expired in its health too', async () => {
    const { report } = await check({ username: 'alice', secret: PATS.aliceExpired.secret });
    expect(report.error?.code).toBe('expired');
  });

  it.each([['alice:admin'], ['ali\nce']])('a username no credential can carry (%j) is bad-input before anything is sent', async (username) => {
    const { report } = await check({ username, secret: PATS.aliceWrite.secret, needs: 'push', repositories: 'alice/app' });
    expect(report.error).toMatchObject({ code: 'bad-input', field: 'username' });
    expect(sb().requests.entries().filter((e) => e.service === 'hub' || e.service === 'auth')).toEqual([]);
  });

  it('a password on an account without 2FA works but is reported', async () => {
    const { report } = await check({ username: 'alice', secret: ACCOUNTS.alice.password, repositories: 'alice/app' });
    expect(report.tokenType).toBe('password');
    expect(report.error).toBeUndefined();
    expect(report.findings.map((f) => f.code)).toContain('password-instead-of-token');
  });
});

describe('organization access tokens', () => {
  it('grants per repository as the token says', async () => {
    const { report } = await check({ username: 'acme', secret: OATS.acmeCi.secret, needs: 'push', repositories: 'acme/app acme/base' });
    expect(report.tokenType).toBe('oat');
    expect(report.repositories.map((r) => [r.name, r.granted])).toEqual([
      ['acme/app', ['pull', 'push']],
      ['acme/base', ['pull']],
    ]);
    expect(report.error?.code).toBe('insufficient-scope');
    expect(report.error?.message).toContain('acme/base');
  });

  it('explains that an OAT logs in with the organization name', async () => {
    const { report } = await check({ username: 'alice', secret: OATS.acmeCi.secret, repositories: 'acme/app' });
    expect(report.error?.code).toBe('bad-credentials');
    expect(report.error?.fix).toContain('organization name');
  });
});

describe('token health from the management API', () => {
  it('reads expiry, last use and state of the token in use with the account password', async () => {
    const { report, secrets } = await check({
      username: 'alice',
      secret: PATS.aliceExpiresSoon.secret,
      needs: 'push',
      repositories: 'alice/app',
      overrides: { hubAccount: { password: ACCOUNTS.alice.password } },
    });
    expect(report.health.expiresAt.source).toBe('hub-api');
    expect(report.daysUntilExpiry).toBeGreaterThanOrEqual(2);
    expect(report.daysUntilExpiry).toBeLessThanOrEqual(3);
    expect(report.findings.map((f) => f.code)).toContain('expires-soon');
    expect(report.health.label.value).toBe(PATS.aliceExpiresSoon.label);
    expect(secrets.values()).toContain(ACCOUNTS.alice.password);
  });

  it('uses the expiry the user states when nothing better is known', async () => {
    const expiresAt = new Date(Date.now() + 5 * 24 * 3600 * 1000);
    const { report } = await check({ username: 'alice', secret: PATS.aliceRead.secret, overrides: { expiresAt } });
    expect(report.health.expiresAt).toEqual({ value: expiresAt.toISOString(), source: 'user' });
    expect(report.findings.map((f) => f.code)).toContain('expires-soon');
  });
});

describe('a spec-conformant registry that intersects grants', () => {
  it('reads the reduced grant from the JWT instead of trusting the 200', async () => {
    sb().setGrantMode('spec');
    const { report } = await check({ username: 'alice', secret: ACCOUNTS.alice.password, needs: 'push', repositories: 'bob/tool' });
    expect(report.repositories[0]?.granted).toEqual([]);
    expect(report.error?.code).toBe('insufficient-scope');
  });
});

describe('an opaque-token registry (GHCR-like)', () => {
  it('proves push without leaving an upload behind', async () => {
    const token = GHCR_TOKENS.classic;
    const uploadsBefore = await sb().uploadsInProgress();
    const { report } = await check({ registry: sb().ghcr.host, username: token.username, secret: token.secret, needs: 'push', repositories: 'dave/app' });
    expect(report.kind).toBe('ghcr');
    expect(report.repositories[0]).toMatchObject({ granted: ['pull', 'push'], ok: true, method: 'probe' });
    expect(report.health.expiresAt.source).toBe('github-header');
    const uploads = sb().requests.entries().filter((e) => e.service === 'ghcr' && /blobs\/uploads/.test(e.path));
    expect(uploads.map((e) => e.method)).toEqual(['PATCH']);
    expect(await sb().uploadsInProgress()).toBe(uploadsBefore);
  });

  it('finds a read-only token unable to push', async () => {
    const token = GHCR_TOKENS.readOnly;
    const { report } = await check({ registry: sb().ghcr.host, username: token.username, secret: token.secret, needs: 'push', repositories: 'dave/app' });
    expect(report.error?.code).toBe('insufficient-scope');
    expect(report.repositories[0]?.granted).toEqual(['pull']);
  });
});

describe('a GitLab-like registry', () => {
  it('reads the token self-description for expiry and scopes', async () => {
    const token = GITLAB_TOKENS.registryRead;
    const { report } = await check({ registry: sb().gitlab.host, username: token.username, secret: token.secret, needs: 'pull', repositories: 'carol/app' });
    expect(report.kind).toBe('gitlab');
    expect(report.error).toBeUndefined();
    expect(report.health.permission).toEqual({ value: ['read_registry'], source: 'gitlab-api' });
    expect(report.findings.map((f) => f.code)).toContain('expires-soon');
  });

  it('still passes when the token API cannot be reached', async () => {
    const token = GITLAB_TOKENS.registryWrite;
    const port = await closedPort();
    const settings = checkSettings({ registry: sb().gitlab.host, username: token.username, secret: token.secret, needs: 'push', repositories: 'carol/app' });
    const report = await checkToken(settings, { ...deps(), env: { ...sb().env, CI_API_V4_URL: `http://127.0.0.1:${port}/api/v4` } });
    expect(report.error).toBeUndefined();
    expect(report.repositories[0]).toMatchObject({ granted: ['pull', 'push'], ok: true });
    expect(report.health.permission.source).toBe('unknown');
  });

  it('sends the token to the instance that issued the registry token, never to a CI_API_V4_URL on another host', async () => {
    const seen: (string | undefined)[] = [];
    const elsewhere = createServer((req, res) => {
      seen.push(req.headers['private-token'] as string | undefined);
      res.writeHead(404).end();
    });
    const { port } = await listenOnLoopback(elsewhere);
    try {
      const token = GITLAB_TOKENS.registryRead;
      const settings = checkSettings({ registry: sb().gitlab.host, username: token.username, secret: token.secret, needs: 'pull', repositories: 'carol/app' });
      const report = await checkToken(settings, { ...deps(), env: { ...sb().env, CI_API_V4_URL: `http://localhost:${port}/api/v4` } });
      expect(report.error).toBeUndefined();
      expect(report.health.permission).toEqual({ value: ['read_registry'], source: 'gitlab-api' });
      expect(seen).toEqual([]);
    } finally {
      await closeServer(elsewhere);
    }
  });
});

describe('a registry that only says it is Docker Hub', () => {
  it('does not send the credential to the Hub API unless its tokens come from auth.docker.io or the user points at one', async () => {
    const settings = checkSettings({ registry: sb().registry.host, username: 'alice', secret: PATS.aliceWrite.secret, needs: 'push', repositories: 'alice/app' });
    const requests: string[] = [];
    const report = await checkToken(settings, { ...deps(), env: {}, debug: (line) => requests.push(line) });
    expect(report.kind).toBe('dockerhub');
    expect(report.error).toBeUndefined();
    expect(report.permission).toBeUndefined();
    expect(requests.filter((line) => line.includes('/v2/auth/token'))).toEqual([]);
    expect(requests.some((line) => line.includes('/token?service=registry.docker.io'))).toBe(true);
  });
});
