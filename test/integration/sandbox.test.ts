/**
 * The sandbox itself, proven with real clients: the docker CLI and skopeo against the real
 * registry behind the fake Docker Hub, the token service's exact answers, the Hub API, the GHCR
 * and GitLab faces, every fault kind, and a stop that leaves nothing behind.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACCOUNTS, GHCR_TOKENS, GITLAB_TOKENS, OATS, PATS } from '../sandbox/fixtures.js';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { hotp, totpCode } from '../sandbox/totp.js';
import { runDocker } from '../support/docker-cli.js';

let sb: Sandbox;
const scratch: string[] = [];

beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  await sb.stop();
  scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-test-'));
  scratch.push(dir);
  return dir;
}

function authfile(host: string, username: string, secret: string): string {
  const path = join(tempDir(), 'config.json');
  writeFileSync(path, JSON.stringify({ auths: { [host]: { auth: Buffer.from(`${username}:${secret}`).toString('base64') } } }));
  return path;
}

const basic = (username: string, secret: string): string => `Basic ${Buffer.from(`${username}:${secret}`).toString('base64')}`;

function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

async function registryToken(username: string | undefined, secret: string, scopes: string[], base = `${sb.authUrl}/token`): Promise<TokenAnswer> {
  const url = new URL(base);
  url.searchParams.set('service', 'registry.docker.io');
  scopes.forEach((scope) => url.searchParams.append('scope', scope));
  const res = await fetch(url, { headers: username === undefined ? {} : { authorization: basic(username, secret) } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

async function grantedAccess(username: string | undefined, secret: string, scopes: string[]): Promise<unknown> {
  const answer = await registryToken(username, secret, scopes);
  expect(answer.status).toBe(200);
  return claims(String(answer.body.token)).access;
}

async function hub(path: string, init: { method?: string; body?: unknown; bearer?: string } = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.bearer !== undefined) headers.authorization = `Bearer ${init.bearer}`;
  const res = await fetch(`${sb.hubApiUrl}${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), headers: res.headers };
}

async function passwordSession(username = 'alice', password = ACCOUNTS.alice.password): Promise<string> {
  const answer = await hub('/v2/auth/token', { method: 'POST', body: { identifier: username, secret: password } });
  expect(answer.status).toBe(200);
  return String(answer.body.access_token);
}

const UNRELATED_REGISTRY = 'unrelated.example';

/**
 * A DOCKER_CONFIG dir whose config.json already has an entry: with none, the CLI would pick the
 * installed docker-credential-pass as its default store instead of writing config.json.
 */
function dockerConfigDir(): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [UNRELATED_REGISTRY]: {} } }));
  return dir;
}

const docker = (args: string[], configDir: string, input?: string) => runDocker(args, configDir, input);

describe('the Docker-Hub-like registry', () => {
  it('challenges like registry-1.docker.io', async () => {
    const res = await fetch(`${sb.registry.url}/v2/`);
    expect(res.status).toBe(401);
    expect(res.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="${sb.authUrl}/token",service="registry.docker.io"`);
    expect(await res.json()).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: null }] });
  });

  it('lets docker login and docker logout work with a PAT, and refuses a wrong one with Hub words', async () => {
    const config = dockerConfigDir();
    const login = await docker(['login', sb.registry.host, '--username', 'alice', '--password-stdin'], config, PATS.aliceRead.secret);
    expect(login.status).toBe(0);
    expect(login.stdout).toContain('Login Succeeded');
    const stored = JSON.parse(readFileSync(join(config, 'config.json'), 'utf8')) as { auths: Record<string, { auth: string }> };
    expect(Buffer.from(stored.auths[sb.registry.host]?.auth ?? '', 'base64').toString()).toBe(`alice:${PATS.aliceRead.secret}`);
    const logout = await docker(['logout', sb.registry.host], config);
    expect(logout.status).toBe(0);
    expect(JSON.parse(readFileSync(join(config, 'config.json'), 'utf8')).auths).toEqual({ [UNRELATED_REGISTRY]: {} });

    const wrong = await docker(['login', sb.registry.host, '--username', 'alice', '--password-stdin'], dockerConfigDir(), `${PATS.aliceRead.secret.slice(0, -3)}zzz`);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('unauthorized: incorrect username or password');
    const expired = await docker(['login', sb.registry.host, '--username', 'alice', '--password-stdin'], dockerConfigDir(), PATS.aliceExpired.secret);
    expect(expired.stderr).toContain('unauthorized: personal access token is expired');
    const twoFactor = await docker(['login', sb.registry.host, '--username', 'bob', '--password-stdin'], dockerConfigDir(), ACCOUNTS.bob.password);
    expect(twoFactor.stderr).toContain('your account must log in with a Personal Access Token (PAT)');
  });

  it('takes a push from a write PAT and refuses one from a read-only PAT the way Docker Hub does', async () => {
    await expect(sb.pushImage('alice/app', 'v1', authfile(sb.registry.host, 'alice', PATS.aliceWrite.secret))).resolves.toBeUndefined();
    const readOnly = authfile(sb.registry.host, 'alice', PATS.aliceRead.secret);
    await expect(sb.pushImage('alice/app', 'v2', readOnly)).rejects.toThrow(/access token has insufficient scopes/);
    sb.setGrantMode('spec');
    try {
      await expect(sb.pushImage('alice/app', 'v2', readOnly)).rejects.toThrow(/denied: requested access to the resource is denied/);
    } finally {
      sb.setGrantMode('dockerhub-pat');
    }
    const token = (await registryToken('alice', PATS.aliceRead.secret, ['repository:alice/app:pull'])).body.token;
    const tags = await fetch(`${sb.registry.url}/v2/alice/app/tags/list`, { headers: { authorization: `Bearer ${String(token)}` } });
    expect(await tags.json()).toEqual({ name: 'alice/app', tags: ['v1'] });
    expect(await sb.uploadsInProgress()).toBe(0);
  });

  it('shows pull rate-limit headers on manifests: GET counts, HEAD does not, zero means 429', async () => {
    await sb.pushImage('alice/site', 'latest', authfile(sb.registry.host, 'alice', PATS.aliceWrite.secret));
    const token = String((await registryToken('alice', PATS.aliceRead.secret, ['repository:alice/site:pull'])).body.token);
    const manifest = (method: string) =>
      fetch(`${sb.registry.url}/v2/alice/site/manifests/latest`, { method, headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.oci.image.manifest.v1+json' } });
    sb.setPullRateLimit({ limit: 10, remaining: 10, windowSeconds: 3600 });
    const head = await manifest('HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('ratelimit-limit')).toBe('10;w=3600');
    expect(head.headers.get('ratelimit-remaining')).toBe('10;w=3600');
    expect(head.headers.get('docker-ratelimit-source')).toBe('127.0.0.1');
    const get = await manifest('GET');
    expect(get.status).toBe(200);
    expect(get.headers.get('ratelimit-remaining')).toBe('9;w=3600');
    sb.setPullRateLimit({ remaining: 0, retryAfter: 30 });
    const limited = await manifest('GET');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(((await limited.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe('TOOMANYREQUESTS');
    expect((await manifest('HEAD')).status).toBe(200);
    sb.setPullRateLimit({ unlimited: true });
    expect((await manifest('GET')).headers.get('ratelimit-limit')).toBeNull();
    sb.setPullRateLimit({ unlimited: false, remaining: 100, retryAfter: undefined });
  });
});

describe('the fake auth.docker.io', () => {
  it('issues JWTs the registry accepts, in Docker Hub’s response shape', async () => {
    const answer = await registryToken('alice', PATS.aliceWrite.secret, ['repository:alice/app:pull,push']);
    expect(answer.status).toBe(200);
    expect(answer.body.token).toBe(answer.body.access_token);
    expect(answer.body.expires_in).toBe(300);
    expect(Number.isNaN(Date.parse(String(answer.body.issued_at)))).toBe(false);
    const token = String(answer.body.token);
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT' });
    expect(header.kid).toMatch(/^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$/);
    const body = claims(token);
    expect(body).toMatchObject({ iss: 'auth.docker.io', sub: 'alice', aud: 'registry.docker.io', access: [{ type: 'repository', name: 'alice/app', actions: ['pull', 'push'] }] });
    expect(Number(body.exp) - Number(body.iat)).toBe(300);
    expect((await fetch(`${sb.registry.url}/v2/`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it('answers failures with Docker Hub’s exact bodies', async () => {
    const cases: Array<[string, string, string]> = [
      ['alice', 'dckr_pat_WrongWrongWrongWrongWrong00', 'incorrect username or password'],
      ['bob', PATS.aliceWrite.secret, 'incorrect username or password'],
      ['alice', PATS.aliceDeleted.secret, 'incorrect username or password'],
      ['alice', PATS.aliceInactive.secret, 'incorrect username or password'],
      ['alice', PATS.aliceExpired.secret, 'personal access token is expired'],
      ['bob', ACCOUNTS.bob.password, 'your account must log in with a Personal Access Token (PAT) - learn more at docs.docker.com/go/access-tokens'],
    ];
    for (const [username, secret, details] of cases) {
      const answer = await registryToken(username, secret, ['repository:alice/app:pull']);
      expect({ username, status: answer.status, body: answer.body }).toEqual({ username, status: 401, body: { details } });
    }
    sb.configure({ inactiveTokenMessage: 'personal access token is inactive' });
    try {
      expect((await registryToken('alice', PATS.aliceInactive.secret, [])).body).toEqual({ details: 'personal access token is inactive' });
    } finally {
      sb.configure({ inactiveTokenMessage: 'incorrect username or password' });
    }
  });

  it('refuses to intersect for PATs, and intersects in spec mode', async () => {
    const tooMuch: Array<[string, string]> = [
      [PATS.aliceRead.secret, 'repository:alice/app:pull,push'],
      [PATS.aliceWrite.secret, 'repository:alice/app:pull,push,delete'],
      [PATS.alicePublicRead.secret, 'repository:alice/app:pull'],
      [OATS.acmeCi.secret, 'repository:acme/base:pull,push'],
    ];
    for (const [secret, scope] of tooMuch) {
      const username = secret.startsWith('dckr_oat_') ? 'acme' : 'alice';
      expect((await registryToken(username, secret, [scope])).body).toEqual({ details: 'access token has insufficient scopes' });
    }
    sb.setGrantMode('spec');
    try {
      expect(await grantedAccess('alice', PATS.aliceRead.secret, ['repository:alice/app:pull,push'])).toEqual([{ type: 'repository', name: 'alice/app', actions: ['pull'] }]);
      expect(await grantedAccess('alice', PATS.alicePublicRead.secret, ['repository:alice/app:pull'])).toEqual([]);
    } finally {
      sb.setGrantMode('dockerhub-pat');
    }
  });

  it('grants by permission level, repository visibility and account reach', async () => {
    expect(await grantedAccess('alice', PATS.aliceAdmin.secret, ['repository:alice/app:*'])).toEqual([{ type: 'repository', name: 'alice/app', actions: ['pull', 'push', 'delete'] }]);
    expect(await grantedAccess('alice', PATS.alicePublicRead.secret, ['repository:alice/site:pull'])).toEqual([{ type: 'repository', name: 'alice/site', actions: ['pull'] }]);
    expect(await grantedAccess('alice', PATS.aliceWrite.secret, ['repository:bob/tool:pull,push', 'repository:library/alpine:pull,push', 'repository:acme/app:pull,push'])).toEqual([
      { type: 'repository', name: 'library/alpine', actions: ['pull'] },
      { type: 'repository', name: 'acme/app', actions: ['pull', 'push'] },
    ]);
    expect(await grantedAccess(undefined, '', ['repository:library/alpine:pull', 'repository:alice/app:pull'])).toEqual([{ type: 'repository', name: 'library/alpine', actions: ['pull'] }]);
    expect(await grantedAccess('acme', OATS.acmeCi.secret, ['repository:acme/app:pull,push', 'repository:acme/base:pull'])).toEqual([
      { type: 'repository', name: 'acme/app', actions: ['pull', 'push'] },
      { type: 'repository', name: 'acme/base', actions: ['pull'] },
    ]);
    expect(await grantedAccess('alice', ACCOUNTS.alice.password, ['repository:alice/app:pull,push,delete'])).toEqual([{ type: 'repository', name: 'alice/app', actions: ['pull', 'push', 'delete'] }]);
    expect(await grantedAccess('alice', PATS.aliceLegacy.secret, [])).toEqual([]);
  });

  it('records last use of a token on every successful request', async () => {
    const before = sb.hub.token(PATS.aliceNeverUsed.uuid);
    expect(before?.last_used).toBeNull();
    await grantedAccess('alice', PATS.aliceNeverUsed.secret, []);
    const after = sb.hub.token(PATS.aliceNeverUsed.uuid);
    expect(Date.parse(String(after?.last_used))).toBeGreaterThan(Date.parse(String(after?.created_at)));
    expect(sb.hub.orgToken(OATS.acmeReadOnly.id)?.last_used_at).toBeNull();
    await grantedAccess('acme', OATS.acmeReadOnly.secret, ['repository:acme/app:pull']);
    expect(sb.hub.orgToken(OATS.acmeReadOnly.id)?.last_used_at).not.toBeNull();
  });

  it('speaks the OAuth2 form, or answers 404 to it when told to', async () => {
    const form = new URLSearchParams({ grant_type: 'password', username: 'alice', password: PATS.aliceRead.secret, service: 'registry.docker.io', client_id: 'test', scope: 'repository:alice/app:pull' });
    const res = await fetch(`${sb.authUrl}/token`, { method: 'POST', body: form });
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ scope: 'repository:alice/app:pull', expires_in: 300 });
    expect(claims(String(body.access_token)).access).toEqual([{ type: 'repository', name: 'alice/app', actions: ['pull'] }]);
    sb.configure({ oauthPost: 'not-found' });
    try {
      expect((await fetch(`${sb.authUrl}/token`, { method: 'POST', body: form })).status).toBe(404);
    } finally {
      sb.configure({ oauthPost: 'enabled' });
    }
  });
});

describe('the fake hub.docker.com', () => {
  it('gives PAT facts through /v2/auth/token and refuses PATs on management endpoints', async () => {
    const answer = await hub('/v2/auth/token', { method: 'POST', body: { identifier: 'alice', secret: PATS.aliceWrite.secret } });
    expect(answer.status).toBe(200);
    const jwt = String(answer.body.access_token);
    const body = claims(jwt);
    expect(body).toMatchObject({
      aud: 'https://hub.docker.com',
      iss: 'https://api.docker.com/',
      scope: 'repo:write',
      'https://hub.docker.com': { username: 'alice', email: ACCOUNTS.alice.email, roles: [], source: `docker_pat|${PATS.aliceWrite.uuid}` },
    });
    expect(Number(body.exp) - Number(body.iat)).toBe(600);
    const oat = await hub('/v2/auth/token', { method: 'POST', body: { identifier: 'acme', secret: OATS.acmeCi.secret } });
    expect(claims(String(oat.body.access_token))['https://hub.docker.com']).toMatchObject({ username: 'acme', source: `docker_oat|${OATS.acmeCi.id}` });

    expect(await hub('/v2/access-tokens', { bearer: PATS.aliceWrite.secret })).toMatchObject({ status: 401, body: { message: 'unauthorized', errinfo: {} } });
    expect(await hub('/v2/access-tokens', { bearer: jwt })).toMatchObject({ status: 403, body: { message: 'token issued from personal access token is not allowed', errinfo: {} } });
    expect(await hub('/v2/auth/token', { method: 'POST', body: { identifier: 'alice', secret: PATS.aliceExpired.secret } })).toMatchObject({
      status: 401,
      body: { message: 'personal access token is expired', errinfo: {} },
    });
  });

  it('pages through an account’s tokens with the list envelope', async () => {
    const session = await passwordSession();
    const first = await hub('/v2/access-tokens?page=1&page_size=10', { bearer: session });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ count: 17, previous: null, next: `${sb.hubApiUrl}/v2/access-tokens?page=2&page_size=10` });
    expect(first.body.results).toHaveLength(10);
    const second = await hub('/v2/access-tokens?page=2&page_size=10', { bearer: session });
    expect(second.body).toMatchObject({ count: 17, next: null, previous: `${sb.hubApiUrl}/v2/access-tokens?page=1&page_size=10` });
    const all = [...(first.body.results as Record<string, unknown>[]), ...(second.body.results as Record<string, unknown>[])];
    expect(all).toHaveLength(17);
    expect(all.every((token) => token.token === '')).toBe(true);
    expect(all.find((token) => token.uuid === PATS.aliceDeleted.uuid)).toBeUndefined();
    expect(all.find((token) => token.uuid === PATS.aliceNeverExpires.uuid)).toMatchObject({ expires_at: null, scopes: ['repo:read'], token_label: 'forever' });
    expect(all.filter((token) => token.generated_by === 'auto')).toHaveLength(6);
    expect((await hub('/v2/access-tokens?page_size=500', { bearer: session })).status).toBe(400);
  });

  it('creates, changes and deletes tokens, and the token service follows', async () => {
    const session = await passwordSession();
    const created = await hub('/v2/access-tokens', { method: 'POST', bearer: session, body: { token_label: 'made by a test', scopes: ['repo:read'] } });
    expect(created.status).toBe(201);
    const secret = String(created.body.token);
    expect(secret).toMatch(/^dckr_pat_[A-Za-z0-9_-]{27}$/);
    const uuid = String(created.body.uuid);
    expect((await hub(`/v2/access-tokens/${uuid}`, { bearer: session })).body.token).toBe('');
    expect((await registryToken('alice', secret, ['repository:alice/app:pull'])).status).toBe(200);
    expect((await hub(`/v2/access-tokens/${uuid}`, { method: 'PATCH', bearer: session, body: { is_active: false } })).body.is_active).toBe(false);
    expect((await registryToken('alice', secret, [])).body).toEqual({ details: 'incorrect username or password' });
    expect((await hub(`/v2/access-tokens/${uuid}`, { method: 'DELETE', bearer: session })).status).toBe(204);
    expect((await hub(`/v2/access-tokens/${uuid}`, { bearer: session })).status).toBe(404);
    expect((await hub(`/v2/access-tokens/${PATS.aliceExpired.uuid}`, { method: 'PATCH', bearer: session, body: { is_active: false } })).status).toBe(400);
    expect((await hub('/v2/access-tokens', { method: 'POST', bearer: session, body: { token_label: '', scopes: ['repo:everything'] } })).body).toMatchObject({
      fields: { token_label: expect.any(Array), scopes: expect.any(Array) },
    });
  });

  it('lists an organization’s access tokens with {total,next,previous,results}', async () => {
    const session = await passwordSession();
    const list = await hub('/v2/orgs/acme/access-tokens?page=1&page_size=1', { bearer: session });
    expect(list.body).toMatchObject({ total: 2, previous: null, next: `${sb.hubApiUrl}/v2/orgs/acme/access-tokens?page=2&page_size=1` });
    const all = [...(list.body.results as unknown[]), ...((await hub('/v2/orgs/acme/access-tokens?page=2&page_size=1', { bearer: session })).body.results as unknown[])];
    expect(all).toContainEqual(expect.objectContaining({ id: OATS.acmeCi.id, label: 'acme ci', created_by: 'alice', resources: [
      { type: 'TYPE_REPO', path: 'acme/app', scopes: ['repo-pull', 'repo-push'] },
      { type: 'TYPE_REPO', path: 'acme/base', scopes: ['repo-pull'] },
    ] }));
    const bobSession = await hub('/v2/users/login', { method: 'POST', body: { username: 'alice', password: PATS.aliceAdmin.secret } });
    expect((await hub('/v2/orgs/acme/access-tokens', { bearer: String(bobSession.body.token) })).status).toBe(403);
  });

  it('logs a 2FA account in with a computed TOTP code only', async () => {
    const first = await hub('/v2/users/login', { method: 'POST', body: { username: 'bob', password: ACCOUNTS.bob.password } });
    expect(first.status).toBe(401);
    expect(first.body.detail).toBe('Require secondary authentication on MFA enabled account');
    const pending = String(first.body.login_2fa_token);
    const wrongCode = String((Number(totpCode(ACCOUNTS.bob.totpSecret)) + 500_000) % 1_000_000).padStart(6, '0');
    expect((await hub('/v2/users/2fa-login', { method: 'POST', body: { login_2fa_token: pending, code: wrongCode } })).status).toBe(401);
    const second = await hub('/v2/users/2fa-login', { method: 'POST', body: { login_2fa_token: pending, code: totpCode(ACCOUNTS.bob.totpSecret) } });
    expect(second.status).toBe(200);
    expect((await hub('/v2/access-tokens', { bearer: String(second.body.token) })).body.count).toBe(1);
    expect((await hub('/v2/users/2fa-login', { method: 'POST', body: { login_2fa_token: pending, code: totpCode(ACCOUNTS.bob.totpSecret) } })).status).toBe(401);
    expect((await hub('/v2/auth/token', { method: 'POST', body: { identifier: 'bob', secret: ACCOUNTS.bob.password } })).body.login_2fa_token).toEqual(expect.any(String));
    expect((await hub('/v2/users/login', { method: 'POST', body: { username: 'alice', password: 'wrong' } })).body).toEqual({ detail: 'Incorrect authentication credentials' });
  });

  it('computes TOTP codes that match RFC 6238’s SHA-1 test vector', () => {
    expect(hotp(Buffer.from('12345678901234567890'), Math.floor(59 / 30), 8)).toBe('94287082');
    expect(hotp(Buffer.from('12345678901234567890'), Math.floor(1111111109 / 30), 8)).toBe('07081804');
  });

  it('puts X-RateLimit headers on every answer and answers 429 with Retry-After past the limit', async () => {
    const answer = await hub('/v2/no-such-endpoint');
    expect(Number(answer.headers.get('x-ratelimit-limit'))).toBe(1000);
    expect(Number(answer.headers.get('x-ratelimit-remaining'))).toBeLessThan(1000);
    expect(Number(answer.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    const limited = await startSandbox({ hubRateLimit: 2 });
    try {
      const call = () => fetch(`${limited.hubApiUrl}/v2/access-tokens`);
      expect((await call()).status).toBe(401);
      expect((await call()).headers.get('x-ratelimit-remaining')).toBe('0');
      const over = await call();
      expect(over.status).toBe(429);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.stop();
    }
  });
});

describe('the GHCR and GitLab faces', () => {
  it('GHCR hands out opaque tokens with GitHub’s expiry header and swaps them for real grants', async () => {
    const ping = await fetch(`${sb.ghcr.url}/v2/`);
    expect(ping.headers.get('www-authenticate')).toBe(`Bearer realm="${sb.ghcr.url}/token",service="ghcr.io",scope="repository:user/image:pull"`);
    const answer = await registryToken('dave', GHCR_TOKENS.readOnly.secret, ['repository:dave/tool:pull,push'], `${sb.ghcr.url}/token`);
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body)).toEqual(['token']);
    expect(Buffer.from(String(answer.body.token), 'base64').toString()).toMatch(/^v1:dave\/tool:\d+$/);
    expect(answer.headers.get('github-authentication-token-expiration')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
    const upload = await fetch(`${sb.ghcr.url}/v2/dave/tool/blobs/uploads/`, { method: 'POST', headers: { authorization: `Bearer ${String(answer.body.token)}` } });
    expect(upload.status).toBe(403);
    expect(await upload.json()).toEqual({ errors: [{ code: 'DENIED', message: 'permission_denied: The token provided does not match expected scopes.' }] });
    expect((await registryToken('dave', 'ghp_wrong', [], `${sb.ghcr.url}/token`)).status).toBe(403);
    await sb.pushImage('dave/tool', 'v1', authfile(sb.ghcr.host, 'dave', GHCR_TOKENS.classic.secret), { via: 'ghcr' });
  });

  it('GitLab intersects grants on /jwt/auth and reports its token on the API', async () => {
    const ping = await fetch(`${sb.gitlab.url}/v2/`);
    expect(ping.headers.get('www-authenticate')).toBe(`Bearer realm="${sb.gitlab.url}/jwt/auth",service="container_registry"`);
    const read = await registryToken('carol', GITLAB_TOKENS.registryRead.secret, ['repository:carol/app:pull,push', 'repository:other/app:pull'], `${sb.gitlab.url}/jwt/auth`);
    expect(claims(String(read.body.token))).toMatchObject({ aud: 'container_registry', sub: 'carol', access: [{ type: 'repository', name: 'carol/app', actions: ['pull'] }] });
    const upload = await fetch(`${sb.gitlab.url}/v2/carol/app/blobs/uploads/`, { method: 'POST', headers: { authorization: `Bearer ${String(read.body.token)}` } });
    expect(upload.status).toBe(403);
    await sb.pushImage('carol/app', 'v1', authfile(sb.gitlab.host, 'carol', GITLAB_TOKENS.registryWrite.secret), { via: 'gitlab' });

    const self = await fetch(`${sb.gitlab.apiUrl}/personal_access_tokens/self`, { headers: { 'private-token': GITLAB_TOKENS.registryRead.secret } });
    expect(await self.json()).toMatchObject({ name: 'ci pull', scopes: ['read_registry'], active: true, revoked: false, expires_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const bearer = await fetch(`${sb.gitlab.apiUrl}/personal_access_tokens/self`, { headers: { authorization: `Bearer ${GITLAB_TOKENS.registryWrite.secret}` } });
    expect(((await bearer.json()) as Record<string, unknown>).last_used_at).toBeNull();
    expect((await fetch(`${sb.gitlab.apiUrl}/personal_access_tokens/self`)).status).toBe(401);
  });
});

function rawGet(url: string): Promise<{ status: number; received: number; text: string; error?: string }> {
  return new Promise((resolve) => {
    const req = request(url, (res) => {
      let received = 0;
      const kept: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        if (received < 65_536) kept.push(chunk);
        received += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, received, text: Buffer.concat(kept).toString() }));
      res.on('error', (error) => resolve({ status: res.statusCode ?? 0, received, text: '', error: error.message }));
    });
    req.on('error', (error) => resolve({ status: 0, received: 0, text: '', error: error.message }));
    req.end();
  });
}

describe('fault injection', () => {
  it('answers 5xx and 429 (with and without Retry-After) for the next N requests, then recovers', async () => {
    sb.injectFault('auth', { kind: '5xx', status: 502 }, { times: 2 });
    sb.injectFault('auth', { kind: '429', retryAfter: 7 });
    sb.injectFault('auth', { kind: '429' });
    const statuses = [];
    const retryAfter = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await fetch(`${sb.authUrl}/token?service=registry.docker.io`);
      statuses.push(res.status);
      retryAfter.push(res.headers.get('retry-after'));
    }
    expect(statuses).toEqual([502, 502, 429, 429, 200]);
    expect(retryAfter).toEqual([null, null, '7', null, null]);
    expect(sb.requests.forService('auth').slice(-5).map((entry) => entry.fault)).toEqual(['5xx', '5xx', '429', '429', undefined]);
  });

  it('resets the connection in the middle of a body', async () => {
    sb.injectFault('registry', { kind: 'reset' });
    const res = await fetch(`${sb.registry.url}/v2/`);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect((await fetch(`${sb.registry.url}/v2/`)).status).toBe(401);
  });

  it('serves malformed JSON and drips a body slowly', async () => {
    sb.injectFault('hub', { kind: 'malformed-json' });
    const malformed = await fetch(`${sb.hubApiUrl}/v2/access-tokens`);
    expect(malformed.headers.get('x-ratelimit-limit')).not.toBeNull();
    await expect(malformed.json()).rejects.toThrow(/JSON/);
    sb.injectFault('gitlab', { kind: 'slow-body', bytesPerSecond: 40_000 });
    const slow = await rawGet(`${sb.gitlab.apiUrl}/personal_access_tokens/self`);
    expect(slow.received).toBe(4096);
    expect((JSON.parse(slow.text) as { padding: string }).padding).toHaveLength(4096 - '{"padding":""}'.length);
  });

  it('streams an oversized body of exactly the size asked for', async () => {
    sb.injectFault('ghcr', { kind: 'oversized', bytes: 50 * 1024 * 1024 });
    const big = await rawGet(`${sb.ghcr.url}/token`);
    expect(big.status).toBe(200);
    expect(big.received).toBe(50 * 1024 * 1024);
  });

  it('hangs without keeping stop() waiting, and stop() leaves no process and no temp dir', async () => {
    const own = await startSandbox();
    own.injectFault('hub', { kind: 'hang' }, { times: 3 });
    const hung = rawGet(`${own.hubApiUrl}/v2/access-tokens`);
    const slow = (own.injectFault('auth', { kind: 'slow-body', bytesPerSecond: 1 }), rawGet(`${own.authUrl}/token`));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(own.requests.forService('hub')).toEqual([expect.objectContaining({ status: 0, fault: 'hang' })]);
    await own.stop();
    expect((await hung).error).toBeDefined();
    expect((await slow).received).toBeLessThan(4096);
    expect(existsSync(own.workDir)).toBe(false);
    expect(() => process.kill(own.registryPid, 0)).toThrow();
  });
});

describe('the sandbox', () => {
  it('had no internal errors and keeps secrets out of its request log', () => {
    expect(sb.internalErrors).toEqual([]);
    const logged = JSON.stringify(sb.requests.entries());
    for (const secret of [PATS.aliceWrite.secret, PATS.aliceRead.secret, ACCOUNTS.alice.password, GHCR_TOKENS.classic.secret]) expect(logged).not.toContain(secret);
  });
});
