/**
 * HubApi against the sandbox's fake hub.docker.com: token exchange claims for every fixture
 * token, password and 2FA sessions, paging, the refusal of PAT sessions, and that a refused login
 * is sent exactly once.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { HttpClient } from '../../src/core/http.js';
import { HubApi, HubSession } from '../../src/core/hub-api.js';
import { readHubTokenClaims } from '../../src/core/jwt.js';
import { SecretRegistry } from '../../src/core/secrets.js';
import { ACCOUNTS, OATS, PATS, type PatFixture } from '../sandbox/fixtures.js';
import { rejection } from '../support/docker-pat-error.js';
import { useSandbox } from '../support/use-sandbox.js';

const sb = useSandbox();
const clients: HttpClient[] = [];

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
});

function hubApi(options: { pageSize?: number; maxRetries?: number } = {}): { hub: HubApi; secrets: SecretRegistry } {
  const http = new HttpClient({ maxRetries: options.maxRetries ?? 2 });
  clients.push(http);
  const secrets = new SecretRegistry();
  return { hub: new HubApi(http, sb().hubApiUrl, secrets, { pageSize: options.pageSize }), secrets };
}

const hubRequests = (path: string) => sb().requests.forService('hub').filter((entry) => entry.path === path);
const working = (Object.entries(PATS) as Array<[string, PatFixture]>).filter(
  ([, pat]) => pat.isActive && !pat.deleted && (pat.expiresInDays === null || pat.expiresInDays > 0),
);

describe('exchangeToken', () => {
  it.each(working)('reads the level and id of %s from the JWT claims', async (_name, pat) => {
    const { hub, secrets } = hubApi();
    const { accessToken, claims } = await hub.exchangeToken(pat.owner, pat.secret);
    expect(readHubTokenClaims(claims ?? {})).toEqual({ permission: pat.scope, sourceType: 'pat', sourceId: pat.uuid, username: pat.owner });
    expect(secrets.values()).toEqual(expect.arrayContaining([accessToken, pat.secret]));
  });

  it('reads an organization token, which signs in with the organization name', async () => {
    const { hub } = hubApi();
    const { claims } = await hub.exchangeToken(OATS.acmeCi.org, OATS.acmeCi.secret);
    expect(readHubTokenClaims(claims ?? {})).toMatchObject({ sourceType: 'oat', sourceId: OATS.acmeCi.id });
  });

  it('classifies refusals, each sent once', async () => {
    const { hub } = hubApi();
    sb().requests.clear();
    expect((await rejection(hub.exchangeToken('alice', PATS.aliceExpired.secret))).code).toBe('expired');
    expect((await rejection(hub.exchangeToken('alice', PATS.aliceDeleted.secret))).code).toBe('bad-credentials');
    expect((await rejection(hub.exchangeToken('bob', PATS.aliceRead.secret))).code).toBe('bad-credentials');
    expect((await rejection(hub.exchangeToken('bob', ACCOUNTS.bob.password))).code).toBe('password-not-allowed');
    expect(hubRequests('/v2/auth/token').map((entry) => entry.status)).toEqual([401, 401, 401, 401]);
  });

  it('classifies a deactivated token by the wording Docker Hub uses', async () => {
    const { hub } = hubApi();
    // Docker Hub's text for a deactivated token is unconfirmed: by default the sandbox answers
    // like a wrong secret, and this switch gives it a telling text.
    expect((await rejection(hub.exchangeToken('alice', PATS.aliceInactive.secret))).code).toBe('bad-credentials');
    sb().configure({ inactiveTokenMessage: 'personal access token is inactive' });
    try {
      expect((await rejection(hub.exchangeToken('alice', PATS.aliceInactive.secret))).code).toBe('inactive');
    } finally {
      sb().configure({ inactiveTokenMessage: 'incorrect username or password' });
    }
  });
});

describe('startSession', () => {
  it('opens a password session and lists the account tokens', async () => {
    const { hub, secrets } = hubApi();
    const session = await hub.startSession('alice', ACCOUNTS.alice.password);
    const tokens = await hub.listAccessTokens(session);
    const stored = Object.values(PATS).filter((pat) => pat.owner === 'alice' && !pat.deleted);
    expect(tokens.map((t) => t.id).sort()).toEqual(stored.map((pat) => pat.uuid).sort());
    expect(secrets.values()).toContain(ACCOUNTS.alice.password);
  });

  it('passes 2FA with a code computed from the TOTP secret', async () => {
    const { hub, secrets } = hubApi();
    sb().requests.clear();
    const session = await hub.startSession('bob', ACCOUNTS.bob.password, { secret: ACCOUNTS.bob.totpSecret, now: new Date() });
    const tokens = await hub.listAccessTokens(session);
    expect(tokens.map((t) => t.label)).toEqual([PATS.bobWrite.label]);
    expect(hubRequests('/v2/users/login').map((e) => e.status)).toEqual([401]);
    expect(hubRequests('/v2/users/2fa-login').map((e) => e.status)).toEqual([200]);
    expect(secrets.values()).toContain(ACCOUNTS.bob.totpSecret);
  });

  it('sends a wrong 2FA code once and says so', async () => {
    const { hub } = hubApi();
    sb().requests.clear();
    const error = await rejection(hub.startSession('bob', ACCOUNTS.bob.password, { code: '000000', now: new Date() }));
    expect(error).toMatchObject({ code: 'bad-credentials', field: 'hub-totp-code' });
    expect(hubRequests('/v2/users/2fa-login')).toHaveLength(1);
  });

  it('asks for the TOTP secret on a 2FA account when none is given', async () => {
    const { hub } = hubApi();
    expect(await rejection(hub.startSession('bob', ACCOUNTS.bob.password))).toMatchObject({ code: 'bad-input', field: 'hub-totp-secret' });
  });

  it('never retries a refused password', async () => {
    const { hub } = hubApi();
    sb().requests.clear();
    const error = await rejection(hub.startSession('alice', 'not-the-password'));
    expect(error).toMatchObject({ code: 'bad-credentials', field: 'hub-password' });
    expect(hubRequests('/v2/users/login').map((e) => e.status)).toEqual([401]);
  });
});

describe('token lists', () => {
  it('pages through more than one page of tokens', async () => {
    const { hub } = hubApi({ pageSize: 5 });
    const session = await hub.startSession('alice', ACCOUNTS.alice.password);
    sb().requests.clear();
    const tokens = await hub.listAccessTokens(session);
    const expected = Object.values(PATS).filter((p) => p.owner === 'alice' && !p.deleted);
    expect(tokens).toHaveLength(expected.length);
    expect(new Set(tokens.map((t) => t.id)).size).toBe(expected.length);
    const pages = hubRequests('/v2/access-tokens');
    expect(pages.map((e) => e.query)).toEqual(
      Array.from({ length: Math.ceil(expected.length / 5) }, (_, i) => `page=${i + 1}&page_size=5`),
    );
    expect(pages.length).toBeGreaterThan(1);
  });

  it('maps every listed field as Docker Hub records it', async () => {
    const { hub } = hubApi();
    const tokens = await hub.listAccessTokens(await hub.startSession('alice', ACCOUNTS.alice.password));
    for (const token of tokens) {
      const stored = sb().hub.token(token.id);
      expect(stored).toBeDefined();
      expect(token).toEqual({
        id: stored?.uuid,
        label: stored?.token_label,
        kind: stored?.generated_by === 'manual' ? 'personal' : 'auto-generated',
        permission: stored?.scopes[0],
        createdAt: stored?.created_at,
        lastUsed: stored?.last_used,
        expiresAt: stored?.expires_at,
        active: stored?.is_active,
      });
    }
    const byId = new Map(tokens.map((t) => [t.id, t]));
    expect(byId.get(PATS.aliceNeverExpires.uuid)?.expiresAt).toBeNull();
    expect(byId.get(PATS.aliceInactive.uuid)?.active).toBe(false);
    expect(tokens.filter((t) => t.kind === 'auto-generated')).toHaveLength(6);
  });

  it('lists an organization tokens for its owner', async () => {
    const { hub } = hubApi();
    const tokens = await hub.listOrgAccessTokens(await hub.startSession('alice', ACCOUNTS.alice.password), 'acme');
    expect(tokens.map((t) => t.label).sort()).toEqual([OATS.acmeCi.label, OATS.acmeReadOnly.label].sort());
    expect(tokens.find((t) => t.id === OATS.acmeCi.id)?.permission).toEqual(['acme/app:repo-pull', 'acme/app:repo-push', 'acme/base:repo-pull']);
  });

  it('refuses an organization list to a non-owner and an unknown organization', async () => {
    const { hub } = hubApi();
    const bob = await hub.startSession('bob', ACCOUNTS.bob.password, { secret: ACCOUNTS.bob.totpSecret, now: new Date() });
    expect((await rejection(hub.listOrgAccessTokens(bob, 'acme'))).code).toBe('insufficient-scope');
    expect(await rejection(hub.listOrgAccessTokens(bob, 'no-such-org'))).toMatchObject({ code: 'bad-input', field: 'organization' });
  });

  it('explains that a PAT-issued session cannot read tokens', async () => {
    const { hub } = hubApi();
    const { accessToken } = await hub.exchangeToken('alice', PATS.aliceAdmin.secret);
    const error = await rejection(hub.listAccessTokens(new HubSession('alice', accessToken)));
    expect(error).toMatchObject({ code: 'bad-credentials', field: 'hub-password' });
    expect(error.message).toContain('access token');
    expect(error.fix).toContain('password');
    const { accessToken: orgJwt } = await hub.exchangeToken('acme', OATS.acmeCi.secret);
    expect((await rejection(hub.listOrgAccessTokens(new HubSession('acme', orgJwt), 'acme'))).fix).toContain('password');
  });

  it('refuses a PAT given as the account password without sending it', async () => {
    const { hub } = hubApi();
    sb().requests.clear();
    expect(await rejection(hub.startSession('alice', PATS.aliceAdmin.secret))).toMatchObject({ code: 'bad-input', field: 'hub-password' });
    expect(sb().requests.forService('hub')).toHaveLength(0);
  });
});

describe('rate limits', () => {
  it('reads the X-RateLimit headers', async () => {
    const { hub } = hubApi();
    await hub.exchangeToken('alice', PATS.aliceRead.secret);
    expect(hub.rateLimit?.limit).toBeGreaterThan(0);
    expect(hub.rateLimit?.remaining).toBeLessThan(hub.rateLimit?.limit ?? 0);
    expect(hub.rateLimit?.resetAt).toBeInstanceOf(Date);
  });

  it('turns a 429 into rate-limited with the Retry-After wait', async () => {
    const { hub } = hubApi({ maxRetries: 0 });
    sb().injectFault('hub', { kind: '429', retryAfter: 17 }, { times: 1 });
    try {
      const error = await rejection(hub.exchangeToken('alice', PATS.aliceRead.secret));
      expect(error.code).toBe('rate-limited');
      expect(error.message).toContain('retry after 17 s');
    } finally {
      sb().clearFaults();
    }
  });
});
