/**
 * Hub API answers the sandbox does not give (older wording, odd headers, broken servers), through
 * a scripted HttpClient. The sandbox-backed behaviour is in test/integration/hub-api.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import type { HttpClient, HttpRequest, HttpResponse } from '../../src/core/http.js';
import { HubApi, HubSession } from '../../src/core/hub-api.js';
import { SecretRegistry } from '../../src/core/secrets.js';
import { rejection } from '../support/docker-pat-error.js';

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

/** Answers requests in order and records them; fails the test on an unexpected extra request. */
function scripted(answers: Answer[]): { http: HttpClient; requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  const http = {
    request: async (req: HttpRequest): Promise<HttpResponse> => {
      requests.push(req);
      const answer = answers.shift();
      if (!answer) throw new Error(`unexpected request ${req.method} ${req.url}`);
      const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
      return { status: answer.status, headers: answer.headers ?? {}, body, url: req.url };
    },
    close: async (): Promise<void> => undefined,
  };
  return { http: http as unknown as HttpClient, requests };
}

const jwt = (claims: Record<string, unknown>): string =>
  [{ alg: 'RS256', typ: 'JWT' }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.c2lnbmF0dXJl';

const session = new HubSession('alice', jwt({ sub: 'alice' }));
const hubFor = (answers: Answer[], options = {}) => {
  const { http, requests } = scripted(answers);
  const secrets = new SecretRegistry();
  return { hub: new HubApi(http, 'https://hub.example.test/', secrets, options), requests, secrets };
};

describe('HubApi.exchangeToken', () => {
  it('returns the JWT and its claims, registering both the secret and the JWT', async () => {
    const token = jwt({ scope: 'repo:read', 'https://hub.docker.com': { source: 'docker_pat|abc' } });
    const { hub, requests, secrets } = hubFor([{ status: 200, body: { access_token: token } }]);
    const result = await hub.exchangeToken('alice', 'dckr_pat_secret');
    expect(result.claims).toMatchObject({ scope: 'repo:read' });
    expect(secrets.values()).toEqual(expect.arrayContaining([token, 'dckr_pat_secret']));
    expect(requests[0]).toMatchObject({ method: 'POST', url: 'https://hub.example.test/v2/auth/token' });
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({ identifier: 'alice', secret: 'dckr_pat_secret' });
  });

  it.each([
    [{ message: 'personal access token is expired', errinfo: {} }, 'expired'],
    [{ detail: 'Token is deactivated' }, 'inactive'],
    [{ message: 'Require secondary authentication on MFA enabled account', login_2fa_token: 'x2fa' }, 'password-not-allowed'],
    [{ message: 'unauthorized: your account must log in with a Personal Access Token (PAT)' }, 'password-not-allowed'],
    [{ message: 'incorrect username or password' }, 'bad-credentials'],
    ['not json at all', 'bad-credentials'],
  ])('classifies a 401 %j as %s, once', async (body, code) => {
    const { hub, requests } = hubFor([{ status: 401, body }]);
    const error = await rejection(hub.exchangeToken('alice', 'dckr_pat_secret'));
    expect(error.code).toBe(code);
    expect(error.registry).toBe('hub.example.test');
    expect(requests).toHaveLength(1);
  });

  it('reports a 5xx that outlasted the retries as registry-error', async () => {
    const { hub } = hubFor([{ status: 503 }]);
    expect((await rejection(hub.exchangeToken('alice', 'dckr_pat_secret'))).code).toBe('registry-error');
  });

  it('reports a 200 without a token as registry-error', async () => {
    const { hub } = hubFor([{ status: 200, body: { nothing: true } }]);
    expect((await rejection(hub.exchangeToken('alice', 'dckr_pat_secret'))).code).toBe('registry-error');
  });
});

describe('HubApi rate limits', () => {
  it('reads X-RateLimit-* and names Retry-After on a 429', async () => {
    const { hub } = hubFor([{ status: 429, headers: { 'x-ratelimit-limit': '180', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1767225600', 'retry-after': '42' } }]);
    const error = await rejection(hub.exchangeToken('alice', 'dckr_pat_secret'));
    expect(error.code).toBe('rate-limited');
    expect(error.message).toContain('retry after 42 s');
    expect(error.message).toContain('180 requests per minute');
    expect(hub.rateLimit).toEqual({ limit: 180, remaining: 0, resetAt: new Date(1767225600 * 1000) });
  });

  it('understands the older X-Retry-After unix time', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const { hub } = hubFor([{ status: 429, headers: { 'x-retry-after': String(now.getTime() / 1000 + 90) } }], { now: () => now });
    expect((await rejection(hub.exchangeToken('alice', 'dckr_pat_secret'))).message).toContain('retry after 90 s');
  });

  it('keeps the last quota seen', async () => {
    const { hub } = hubFor([{ status: 200, body: { access_token: jwt({}) }, headers: { 'x-ratelimit-limit': '180', 'x-ratelimit-remaining': '179' } }]);
    await hub.exchangeToken('alice', 'dckr_pat_secret');
    expect(hub.rateLimit).toMatchObject({ limit: 180, remaining: 179, resetAt: undefined });
  });
});

describe('HubApi.startSession', () => {
  it('refuses an access token given as the password before sending anything', async () => {
    const { hub, requests, secrets } = hubFor([]);
    const error = await rejection(hub.startSession('alice', 'dckr_pat_AAAAAAAAAAAAAAAAAAAAAAAAAAA'));
    expect(error).toMatchObject({ code: 'bad-input', field: 'hub-password' });
    expect(error.message).not.toContain('dckr_pat_AAAA');
    expect(requests).toHaveLength(0);
    expect(secrets.values()).toContain('dckr_pat_AAAAAAAAAAAAAAAAAAAAAAAAAAA');
  });

  it('refuses an empty password', async () => {
    const { hub } = hubFor([]);
    expect(await rejection(hub.startSession('alice', '  '))).toMatchObject({ code: 'empty-secret', field: 'hub-password' });
  });

  it('checks a TOTP secret before the password is sent', async () => {
    const { hub, requests, secrets } = hubFor([]);
    const error = await rejection(hub.startSession('bob', 'pw-of-bob', { secret: 'NOT*BASE32*SECRET', now: new Date() }));
    expect(error).toMatchObject({ code: 'bad-input', field: 'hub-totp-secret' });
    expect(error.message).not.toContain('NOT*BASE32*SECRET');
    expect(requests).toHaveLength(0);
    expect(secrets.values()).toEqual(expect.arrayContaining(['pw-of-bob', 'NOT*BASE32*SECRET']));
  });

  it('asks for 2FA input when the account needs it and none was given, without a second request', async () => {
    const { hub, requests, secrets } = hubFor([{ status: 401, body: { detail: 'Require secondary authentication on MFA enabled account', login_2fa_token: 'pending-2fa-token' } }]);
    const error = await rejection(hub.startSession('bob', 'pw-of-bob', { now: new Date() }));
    expect(error).toMatchObject({ code: 'bad-input', field: 'hub-totp-secret' });
    expect(requests).toHaveLength(1);
    expect(secrets.values()).toContain('pending-2fa-token');
  });

  it('sends a typed code as given and never retries a refused one', async () => {
    const { hub, requests } = hubFor([
      { status: 401, body: { detail: 'Require secondary authentication on MFA enabled account', login_2fa_token: 'pending-2fa-token' } },
      { status: 401, body: { detail: 'Incorrect authentication credentials' } },
    ]);
    const error = await rejection(hub.startSession('bob', 'pw-of-bob', { code: '123 456', now: new Date() }));
    expect(error).toMatchObject({ code: 'bad-credentials', field: 'hub-totp-code' });
    expect(JSON.parse(requests[1]?.body ?? '')).toEqual({ login_2fa_token: 'pending-2fa-token', code: '123456' });
    expect(requests).toHaveLength(2);
  });

  it('keeps the session JWT out of JSON and registers it', async () => {
    const token = jwt({ sub: 'alice-session' });
    const { hub, secrets } = hubFor([{ status: 200, body: { token } }]);
    const opened = await hub.startSession('alice', 'pw-of-alice');
    expect(JSON.stringify(opened)).not.toContain(token);
    expect(opened.authorization()).toBe(`Bearer ${token}`);
    expect(secrets.values()).toContain(token);
  });
});

describe('HubApi token lists', () => {
  const pat = (n: number, extra: Record<string, unknown> = {}) => ({
    uuid: `uuid-${n}`,
    token_label: `token ${n}`,
    scopes: ['repo:read'],
    created_at: '2026-01-01T00:00:00Z',
    last_used: null,
    generated_by: 'manual',
    is_active: true,
    token: '',
    expires_at: null,
    ...extra,
  });

  it('pages with page and page_size until next is null', async () => {
    const { hub, requests } = hubFor(
      [
        { status: 200, body: { count: 3, next: 'https://hub.example.test/v2/access-tokens?page=2&page_size=2', results: [pat(1), pat(2)] } },
        { status: 200, body: { count: 3, next: null, results: [pat(3, { generated_by: 'auto', scopes: ['repo:public_read', 'repo:admin'] })] } },
      ],
      { pageSize: 2 },
    );
    const tokens = await hub.listAccessTokens(session);
    expect(tokens.map((t) => t.label)).toEqual(['token 1', 'token 2', 'token 3']);
    expect(tokens[2]).toMatchObject({ kind: 'auto-generated', permission: 'repo:admin' });
    expect(requests.map((r) => new URL(r.url).search)).toEqual(['?page=1&page_size=2', '?page=2&page_size=2']);
    expect(requests[0]?.headers?.Authorization).toMatch(/^Bearer /);
  });

  it('tells "never" (null) from "not reported" (absent)', async () => {
    const withoutExpiry: Record<string, unknown> = pat(2);
    delete withoutExpiry.expires_at;
    const { hub } = hubFor([{ status: 200, body: { next: null, results: [pat(1), withoutExpiry] } }]);
    const [never, unreported] = await hub.listAccessTokens(session);
    expect(never).toMatchObject({ expiresAt: null, lastUsed: null, active: true });
    expect(unreported?.expiresAt).toBeUndefined();
  });

  it('stops at the page bound instead of paging forever', async () => {
    const endless = { status: 200, body: { next: 'https://hub.example.test/v2/access-tokens?page=9', results: [pat(1)] } };
    const { hub, requests } = hubFor([endless, endless, endless], { maxPages: 3 });
    const error = await rejection(hub.listAccessTokens(session));
    expect(error.code).toBe('registry-error');
    expect(error.message).toContain('3 pages');
    expect(requests).toHaveLength(3);
  });

  it.each([
    [403, { message: 'token issued from personal access token is not allowed', errinfo: {} }],
    [403, { message: 'access is forbidden with a JWT issued from a personal access token', errinfo: {} }],
    [403, { detail: 'access to the resource is forbidden with personal access token' }],
    [403, { message: 'token issued from organization access token is not allowed' }],
  ])('explains that a %i %j needs the account password', async (status, body) => {
    const { hub } = hubFor([{ status, body }]);
    const error = await rejection(hub.listAccessTokens(session));
    expect(error).toMatchObject({ code: 'bad-credentials', field: 'hub-password' });
    expect(error.fix).toMatch(/password/);
  });

  it('reads organization tokens with their grants', async () => {
    const oat = {
      id: 'oat-1',
      label: 'acme ci',
      created_by: 'alice',
      is_active: false,
      created_at: '2026-01-01T00:00:00Z',
      expires_at: '2026-12-01T00:00:00Z',
      last_used_at: '2026-02-01T00:00:00Z',
      resources: [{ type: 'TYPE_REPO', path: 'acme/app', scopes: ['repo-pull', 'repo-push'] }],
    };
    const { hub, requests } = hubFor([{ status: 200, body: { total: 1, next: null, results: [oat] } }]);
    const [token] = await hub.listOrgAccessTokens(session, 'acme');
    expect(token).toEqual({
      id: 'oat-1',
      label: 'acme ci',
      kind: 'organization',
      permission: ['acme/app:repo-pull', 'acme/app:repo-push'],
      createdAt: '2026-01-01T00:00:00Z',
      lastUsed: '2026-02-01T00:00:00Z',
      expiresAt: '2026-12-01T00:00:00Z',
      active: false,
    });
    expect(new URL(requests[0]?.url ?? '').pathname).toBe('/v2/orgs/acme/access-tokens');
  });

  it.each([
    [403, 'insufficient-scope'],
    [404, 'bad-input'],
    [401, 'bad-credentials'],
    [500, 'registry-error'],
  ])('classifies a %i on an organization list as %s', async (status, code) => {
    const { hub } = hubFor([{ status, body: { detail: 'nope' } }]);
    expect((await rejection(hub.listOrgAccessTokens(session, 'acme'))).code).toBe(code);
  });

  it('reports a list without results as registry-error', async () => {
    const { hub } = hubFor([{ status: 200, body: { count: 0 } }]);
    expect((await rejection(hub.listAccessTokens(session))).code).toBe('registry-error');
  });
});
