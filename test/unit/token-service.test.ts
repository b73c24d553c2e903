import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { DockerPatError } from '../../src/core/errors.js';
import { HttpClient } from '../../src/core/http.js';
import { formatScope } from '../../src/core/scope.js';
import { SecretRegistry } from '../../src/core/secrets.js';
import { requestRegistryToken, type TokenRequest } from '../../src/core/token-service.js';
import { rejection } from '../support/docker-pat-error.js';
import { closeServer, listenOnLoopback } from '../support/loopback-server.js';

const USERNAME = 'alice';
const SECRET = 'dckr_pat_0123456789abcdefghijklmnopq';
const BASIC = `Basic ${Buffer.from(`${USERNAME}:${SECRET}`).toString('base64')}`;
const REGISTRY = 'registry-1.docker.io';

interface Reply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** A fake token service: answers with `reply` and records what it was asked. */
let server: Server;
let realm: string;
let reply: Reply;
let asked: { url: URL; authorization: string | undefined; secretsKnown: readonly string[] }[];
let secrets: SecretRegistry;
const clients: HttpClient[] = [];

function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'ES256', typ: 'JWT', kid: 'test' })}.${part(claims)}.c2lnbmF0dXJl`;
}

function http(): HttpClient {
  const client = new HttpClient({ env: {}, maxRetries: 0, sleep: async () => undefined });
  clients.push(client);
  return client;
}

function tokenRequest(overrides: Partial<TokenRequest> = {}): TokenRequest {
  return {
    realm,
    service: 'registry.docker.io',
    scopes: [formatScope('alice/app', ['pull', 'push']), formatScope('library/alpine', ['pull'])],
    username: USERNAME,
    secret: SECRET,
    registryHost: REGISTRY,
    secrets,
    ...overrides,
  };
}

const refusal = (request: TokenRequest = tokenRequest()): Promise<DockerPatError> => rejection(requestRegistryToken(http(), request));

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    asked.push({ url: new URL(req.url ?? '/', 'http://x'), authorization: req.headers.authorization, secretsKnown: secrets.values() });
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.body);
  });
  realm = `http://${(await listenOnLoopback(server)).host}/token`;
});

beforeEach(() => {
  asked = [];
  secrets = new SecretRegistry();
  reply = { status: 200, body: '{}' };
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

afterAll(() => closeServer(server));

describe('requestRegistryToken: success', () => {
  it('asks with service, every scope, account and Basic auth, and reads the JWT it gets', async () => {
    const access = [{ type: 'repository', name: 'alice/app', actions: ['pull'] }];
    const token = jwt({ iss: 'auth.docker.io', aud: 'registry.docker.io', access });
    reply = { status: 200, body: JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: '2026-01-01T00:00:00Z' }), headers: { 'x-extra': 'yes' } };

    const issued = await requestRegistryToken(http(), tokenRequest());

    expect(asked).toHaveLength(1);
    const [request] = asked;
    expect(request?.url.pathname).toBe('/token');
    expect(request?.url.searchParams.get('service')).toBe('registry.docker.io');
    expect(request?.url.searchParams.getAll('scope')).toEqual(['repository:alice/app:pull,push', 'repository:library/alpine:pull']);
    expect(request?.url.searchParams.get('account')).toBe(USERNAME);
    expect(request?.authorization).toBe(BASIC);
    expect(request?.secretsKnown).toEqual(expect.arrayContaining([SECRET, BASIC.slice('Basic '.length)]));
    expect(issued.token).toBe(token);
    expect(issued.claims?.access).toEqual(access);
    expect(issued.expiresIn).toBe(300);
    expect(issued.headers['x-extra']).toBe('yes');
    expect(secrets.values()).toContain(token);
  });

  it('accepts access_token alone, and raises a missing or short expires_in to 60 s', async () => {
    const token = jwt({ access: [] });
    reply = { status: 200, body: JSON.stringify({ access_token: token }) };
    expect((await requestRegistryToken(http(), tokenRequest())).expiresIn).toBe(60);
    reply = { status: 200, body: JSON.stringify({ access_token: token, expires_in: 10 }) };
    const issued = await requestRegistryToken(http(), tokenRequest());
    expect(issued.token).toBe(token);
    expect(issued.expiresIn).toBe(60);
  });

  it('returns undefined claims for an opaque token and still registers it, with any refresh token', async () => {
    const opaque = Buffer.from('v1:alice/app:1700000000000').toString('base64');
    reply = { status: 200, body: JSON.stringify({ token: opaque, refresh_token: 'refresh-0123456789' }) };
    const issued = await requestRegistryToken(http(), tokenRequest());
    expect(issued.claims).toBeUndefined();
    expect(secrets.values()).toEqual(expect.arrayContaining([opaque, 'refresh-0123456789']));
  });

  it('omits an empty service and keeps a query the realm already has', async () => {
    reply = { status: 200, body: JSON.stringify({ token: 'opaque-token-value' }) };
    await requestRegistryToken(http(), tokenRequest({ realm: `${realm}?tenant=x`, service: '', scopes: [] }));
    const url = asked[0]?.url;
    expect(url?.searchParams.get('tenant')).toBe('x');
    expect(url?.searchParams.has('service')).toBe(false);
    expect(url?.searchParams.has('scope')).toBe(false);
    expect(url?.searchParams.get('account')).toBe(USERNAME);
  });
});

describe('requestRegistryToken: refusals', () => {
  const cases: [string, number, unknown, DockerPatError['code'], RegExp][] = [
    ['wrong secret', 401, { details: 'incorrect username or password' }, 'bad-credentials', /incorrect username or password/],
    ['expired PAT', 401, { details: 'personal access token is expired' }, 'expired', /personal access token is expired/],
    ['PAT below the asked actions', 401, { details: 'access token has insufficient scopes' }, 'insufficient-scope', /insufficient scopes/],
    [
      'password on a 2FA/SSO account',
      401,
      { details: 'unauthorized: your account must log in with a Personal Access Token (PAT) - learn more at docs.docker.com/go/access-tokens' },
      'password-not-allowed',
      /must log in with a personal access token/,
    ],
    ['deactivated token', 401, { details: 'personal access token is inactive' }, 'inactive', /not active/],
    ['deactivated token (registry errors)', 401, { errors: [{ code: 'UNAUTHORIZED', message: 'token has been deactivated' }] }, 'inactive', /not active/],
    ['rate limit', 429, { errors: [{ code: 'TOOMANYREQUESTS', message: 'too many requests' }] }, 'rate-limited', /HTTP 429/],
    ['GitLab denial', 403, { errors: [{ code: 'DENIED', message: 'access forbidden' }] }, 'bad-credentials', /denied the token request \(HTTP 403/],
    ['unexplained 401', 401, { details: 'nope' }, 'bad-credentials', /did not accept the credentials \(HTTP 401/],
    ['failing service', 500, { message: 'boom' }, 'registry-error', /HTTP 500/],
    ['missing endpoint', 404, '404 page not found', 'registry-error', /HTTP 404/],
  ];

  it.each(cases)('%s: HTTP %i', async (_name, status, body, code, message) => {
    reply = { status, body: typeof body === 'string' ? body : JSON.stringify(body) };
    const error = await refusal();
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(REGISTRY);
    expect(error.message).toContain('repository:alice/app:pull,push');
    expect(error.registry).toBe(REGISTRY);
    expect(error.fix.length).toBeGreaterThan(20);
    expect(asked).toHaveLength(1);
  });

  it('sends a rejected credential exactly once, even when retries are allowed', async () => {
    reply = { status: 401, body: JSON.stringify({ details: 'incorrect username or password' }) };
    const client = new HttpClient({ env: {}, maxRetries: 5, sleep: async () => undefined });
    clients.push(client);
    await expect(requestRegistryToken(client, tokenRequest())).rejects.toMatchObject({ code: 'bad-credentials' });
    expect(asked).toHaveLength(1);
  });

  it('says how long a rate limit asks to wait', async () => {
    reply = { status: 429, body: '{}', headers: { 'retry-after': '3600' } };
    const error = await refusal();
    expect(error.code).toBe('rate-limited');
    expect(error.message).toMatch(/wait 3600 s/);
  });

  it('never repeats a body that echoes what was sent', async () => {
    reply = { status: 401, body: JSON.stringify({ details: `no such token ${SECRET} for ${USERNAME}` }) };
    const error = await refusal();
    expect(error.code).toBe('bad-credentials');
    expect(JSON.stringify([error.message, error.fix, error])).not.toMatch(/no such token|dckr_pat_/);
  });

  it('keeps the secret out of every failure, whatever the token service answers', async () => {
    const bodies = fc.oneof(
      fc.json(),
      fc.string(),
      fc.constantFrom('incorrect username or password', 'personal access token is expired', 'inactive').map((m) => JSON.stringify({ details: `${m} ${SECRET}` })),
      fc.string().map((s) => JSON.stringify({ errors: [{ code: s, message: `${s}${SECRET}` }] })),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(400, 401, 403, 404, 429, 500, 200), bodies, async (status, body) => {
        reply = { status, body };
        try {
          await requestRegistryToken(http(), tokenRequest());
          return status === 200;
        } catch (error) {
          if (!(error instanceof DockerPatError)) return false;
          const seen = JSON.stringify([error.message, error.fix, error]);
          return !seen.includes(SECRET) && !seen.includes(BASIC.slice(6));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reports a 200 without a token, or with malformed JSON, as registry-error', async () => {
    reply = { status: 200, body: JSON.stringify({ expires_in: 300 }) };
    expect((await refusal()).message).toMatch(/answered without a token/);
    reply = { status: 200, body: '{"token":' };
    const error = await refusal();
    expect(error.code).toBe('registry-error');
    expect(error.message).toMatch(/not valid JSON/);
  });
});

describe('requestRegistryToken: realms it will not use', () => {
  it.each([
    ['no realm', ''],
    ['a relative realm', '/token'],
    ['a non-HTTP realm', 'ftp://auth.example.com/token'],
    ['a plain-HTTP realm off this machine', 'http://auth.example.com/token'],
  ])('%s → registry-error, before the credential is sent anywhere', async (_name, badRealm) => {
    const error = await refusal(tokenRequest({ realm: badRealm }));
    expect(error.code).toBe('registry-error');
    expect(error.message).toContain(REGISTRY);
    expect(asked).toHaveLength(0);
  });

  it('rejects a username Basic authentication cannot carry', async () => {
    const error = await refusal(tokenRequest({ username: 'alice:admin' }));
    expect(error.code).toBe('bad-input');
    expect(error.field).toBe('username');
    expect(asked).toHaveLength(0);
  });
});
