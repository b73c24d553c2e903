import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { HttpClient } from '../../src/core/http.js';
import type { RegistryRef } from '../../src/core/model.js';
import { basicAuthorization, checkBasicAuth, pingRegistry, probePull, probePush } from '../../src/core/registry-client.js';
import { SecretRegistry } from '../../src/core/secrets.js';
import { rejection } from '../support/docker-pat-error.js';
import { closedPort, closeServer, listenOnLoopback } from '../support/loopback-server.js';

const BEARER = 'eyJhbGciOiJFUzI1NiJ9.eyJhY2Nlc3MiOltdfQ.c2ln';

interface Seen {
  method: string;
  path: string;
  authorization: string | undefined;
  accept: string | undefined;
}

interface FakeRegistry {
  ref: RegistryRef;
  url: string;
  seen: Seen[];
}

type Route = (req: IncomingMessage, res: ServerResponse) => void;

const servers: Server[] = [];
const clients: HttpClient[] = [];

/** A registry that answers each request with the first route whose "METHOD path-prefix" matches. */
async function fakeRegistry(routes: Record<string, Route>): Promise<FakeRegistry> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    seen.push({ method: req.method ?? '', path, authorization: req.headers.authorization, accept: req.headers.accept });
    const key = Object.keys(routes).find((k) => {
      const [method, prefix] = k.split(' ');
      return method === req.method && path.startsWith(prefix ?? '');
    });
    if (key) routes[key]?.(req, res);
    else {
      res.statusCode = 599;
      res.end();
    }
  });
  servers.push(server);
  const { host } = await listenOnLoopback(server);
  const url = `http://${host}`;
  return { ref: { input: host, host, baseUrl: url, credentialKey: host, isDockerHub: false }, url, seen };
}

function reply(status: number, body: unknown = '', headers: Record<string, string> = {}): Route {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}

function errors(code: string): { errors: { code: string; message: string }[] } {
  return { errors: [{ code, message: code.toLowerCase() }] };
}

function http(): HttpClient {
  const client = new HttpClient({ env: {}, maxRetries: 0, sleep: async () => undefined });
  clients.push(client);
  return client;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map(closeServer));
});

describe('pingRegistry', () => {
  it('returns the 401 and its parsed challenges, asking without credentials', async () => {
    const registry = await fakeRegistry({
      'GET /v2/': reply(401, errors('UNAUTHORIZED'), { 'www-authenticate': 'Bearer realm="https://auth.example.com/token",service="registry.example.com"' }),
    });
    const ping = await pingRegistry(http(), registry.ref);
    expect(ping.status).toBe(401);
    expect(ping.challenges).toEqual([{ scheme: 'bearer', params: { realm: 'https://auth.example.com/token', service: 'registry.example.com' } }]);
    expect(registry.seen).toEqual([{ method: 'GET', path: '/v2/', authorization: undefined, accept: undefined }]);
  });

  it('returns 200 for a registry that needs no authentication', async () => {
    const registry = await fakeRegistry({ 'GET /v2/': reply(200, '{}') });
    expect(await pingRegistry(http(), registry.ref)).toEqual({ status: 200, challenges: [] });
  });

  it.each([
    ['a 401 without a challenge', 401, {}, 'registry-error', /does not say how/],
    ['a 404 (not a registry)', 404, {}, 'registry-error', /HTTP 404/],
    ['a rate limit', 429, {}, 'rate-limited', /HTTP 429/],
    ['a failing registry', 503, {}, 'registry-error', /HTTP 503/],
  ])('reports %s', async (_name, status, headers, code, message) => {
    const registry = await fakeRegistry({ 'GET /v2/': reply(status, '', headers) });
    const error = await rejection(pingRegistry(http(), registry.ref));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(registry.ref.host);
  });
});

describe('Basic authentication', () => {
  it('builds the header from user:secret and registers both forms first', () => {
    const secrets = new SecretRegistry();
    const header = basicAuthorization('alice', 's3cret-token', secrets);
    expect(header).toBe(`Basic ${Buffer.from('alice:s3cret-token').toString('base64')}`);
    expect(secrets.values()).toEqual(expect.arrayContaining(['s3cret-token', header.slice('Basic '.length)]));
  });

  it('rejects a username with a colon', () => {
    expect(() => basicAuthorization('ali:ce', 'x', new SecretRegistry())).toThrow(expect.objectContaining({ code: 'bad-input', field: 'username' }));
  });

  it('accepts a 200 on /v2/ with the credential', async () => {
    const registry = await fakeRegistry({ 'GET /v2/': reply(200, '{}') });
    await checkBasicAuth(http(), registry.ref, 'alice', 's3cret-token', new SecretRegistry());
    expect(registry.seen[0]?.authorization).toBe(`Basic ${Buffer.from('alice:s3cret-token').toString('base64')}`);
  });

  it('turns a 401 into bad-credentials after exactly one attempt, even with retries allowed', async () => {
    const registry = await fakeRegistry({ 'GET /v2/': reply(401, errors('UNAUTHORIZED'), { 'www-authenticate': 'Basic realm="r"' }) });
    const client = new HttpClient({ env: {}, maxRetries: 4, sleep: async () => undefined });
    clients.push(client);
    const error = await rejection(checkBasicAuth(client, registry.ref, 'alice', 's3cret-token', new SecretRegistry()));
    expect(error.code).toBe('bad-credentials');
    expect(error.message).toContain(registry.ref.host);
    expect(error.message).not.toContain('s3cret-token');
    expect(registry.seen).toHaveLength(1);
  });

  it('turns a 429 into rate-limited', async () => {
    const registry = await fakeRegistry({ 'GET /v2/': reply(429, errors('TOOMANYREQUESTS')) });
    expect((await rejection(checkBasicAuth(http(), registry.ref, 'alice', 'x-secret', new SecretRegistry()))).code).toBe('rate-limited');
  });
});

describe('probePull', () => {
  it('is allowed on a manifest HEAD 200, sent with the bearer and manifest media types', async () => {
    const registry = await fakeRegistry({ 'HEAD /v2/alice/app/manifests/latest': reply(200) });
    expect(await probePull(http(), registry.ref, 'alice/app', BEARER)).toBe(true);
    expect(registry.seen).toHaveLength(1);
    expect(registry.seen[0]?.authorization).toBe(`Bearer ${BEARER}`);
    expect(registry.seen[0]?.accept).toMatch(/application\/vnd\.oci\.image\.index\.v1\+json/);
    expect(registry.seen[0]?.accept).toMatch(/application\/vnd\.docker\.distribution\.manifest\.v2\+json/);
  });

  it.each([401, 403])('is denied on a manifest HEAD %i', async (status) => {
    const registry = await fakeRegistry({ 'HEAD /v2/alice/app/manifests/latest': reply(status) });
    expect(await probePull(http(), registry.ref, 'alice/app', BEARER)).toBe(false);
    expect(registry.seen).toHaveLength(1);
  });

  it.each([
    ['NAME_UNKNOWN from the tags list', 404, errors('NAME_UNKNOWN'), true],
    ['a tags list', 200, { name: 'alice/app', tags: ['1'] }, true],
    ['a denied tags list', 401, errors('UNAUTHORIZED'), false],
  ])('falls back after a bodiless HEAD 404: %s', async (_name, status, body, allowed) => {
    const registry = await fakeRegistry({ 'HEAD /v2/alice/app/manifests/latest': reply(404), 'GET /v2/alice/app/tags/list': reply(status, body) });
    expect(await probePull(http(), registry.ref, 'alice/app', BEARER)).toBe(allowed);
    expect(registry.seen.map((s) => `${s.method} ${s.path}`)).toEqual(['HEAD /v2/alice/app/manifests/latest', 'GET /v2/alice/app/tags/list?n=1']);
    expect(registry.seen[1]?.authorization).toBe(`Bearer ${BEARER}`);
  });

  it('reports a tags list 404 that is not a registry error as registry-error', async () => {
    const registry = await fakeRegistry({ 'HEAD /v2/': reply(405), 'GET /v2/': reply(404, '404 page not found') });
    const error = await rejection(probePull(http(), registry.ref, 'alice/app', BEARER));
    expect(error.code).toBe('registry-error');
    expect(error.message).toMatch(/pull check of alice\/app/);
  });

  it('refuses a repository that is not a repository path', async () => {
    const registry = await fakeRegistry({});
    const error = await rejection(probePull(http(), registry.ref, '../../v2/_catalog', BEARER));
    expect(error.code).toBe('bad-input');
    expect(registry.seen).toHaveLength(0);
  });
});

describe('probePush', () => {
  it('proves push by a PATCH to an upload that does not exist, creating nothing', async () => {
    const registry = await fakeRegistry({ 'PATCH /v2/alice/app/blobs/uploads/': reply(404, errors('BLOB_UPLOAD_INVALID')) });
    expect(await probePush(http(), registry.ref, 'alice/app', BEARER)).toBe(true);
    expect(registry.seen).toHaveLength(1);
    expect(registry.seen[0]?.method).toBe('PATCH');
    expect(registry.seen[0]?.path).toMatch(/^\/v2\/alice\/app\/blobs\/uploads\/[0-9a-f-]{36}$/);
    expect(registry.seen[0]?.authorization).toBe(`Bearer ${BEARER}`);
  });

  it.each([401, 403])('is denied when the PATCH gets %i, without opening an upload', async (status) => {
    const registry = await fakeRegistry({ 'PATCH /v2/alice/app/blobs/uploads/': reply(status, errors('DENIED')) });
    expect(await probePush(http(), registry.ref, 'alice/app', BEARER)).toBe(false);
    expect(registry.seen.map((s) => s.method)).toEqual(['PATCH']);
  });

  it('otherwise opens a real upload session and cancels it at once (relative Location)', async () => {
    const registry = await fakeRegistry({
      'PATCH /v2/alice/app/blobs/uploads/': reply(405),
      'POST /v2/alice/app/blobs/uploads/': reply(202, '', { location: '/v2/alice/app/blobs/uploads/abc?_state=xyz' }),
      'DELETE /v2/alice/app/blobs/uploads/abc': reply(204),
    });
    expect(await probePush(http(), registry.ref, 'alice/app', BEARER)).toBe(true);
    expect(registry.seen.map((s) => `${s.method} ${s.path} ${s.authorization}`)).toEqual([
      expect.stringMatching(/^PATCH /),
      `POST /v2/alice/app/blobs/uploads/ Bearer ${BEARER}`,
      `DELETE /v2/alice/app/blobs/uploads/abc?_state=xyz Bearer ${BEARER}`,
    ]);
  });

  it('never sends the bearer to another origin named by Location', async () => {
    const storage = await fakeRegistry({ 'DELETE /uploads/abc': reply(204) });
    const registry = await fakeRegistry({
      'PATCH /v2/alice/app/blobs/uploads/': reply(405),
      'POST /v2/alice/app/blobs/uploads/': reply(202, '', { location: `${storage.url}/uploads/abc` }),
    });
    expect(await probePush(http(), registry.ref, 'alice/app', BEARER)).toBe(true);
    expect(storage.seen).toEqual([{ method: 'DELETE', path: '/uploads/abc', authorization: undefined, accept: undefined }]);
  });

  it('still proves push when the registry will not let the token cancel the session', async () => {
    const registry = await fakeRegistry({
      'PATCH /v2/alice/app/blobs/uploads/': reply(405),
      'POST /v2/alice/app/blobs/uploads/': reply(202, '', { location: '/v2/alice/app/blobs/uploads/abc' }),
      'DELETE /v2/alice/app/blobs/uploads/abc': reply(401, errors('UNAUTHORIZED')),
    });
    expect(await probePush(http(), registry.ref, 'alice/app', BEARER)).toBe(true);
  });

  it.each([['an unparsable URL', async () => 'http://['], ['an unreachable port', async () => `http://127.0.0.1:${await closedPort()}/uploads/abc`], ['another scheme', async () => 'ftp://storage.example/uploads/abc']])(
    'still proves push when the session Location names %s, which cannot be cancelled',
    async (_what, location) => {
      const registry = await fakeRegistry({
        'PATCH /v2/alice/app/blobs/uploads/': reply(405),
        'POST /v2/alice/app/blobs/uploads/': reply(202, '', { location: await location() }),
      });
      expect(await probePush(http(), registry.ref, 'alice/app', BEARER)).toBe(true);
    },
  );

  it.each([401, 403])('after an inconclusive PATCH, is denied when opening an upload gets %i', async (status) => {
    const registry = await fakeRegistry({ 'PATCH /v2/alice/app/blobs/uploads/': reply(405), 'POST /v2/alice/app/blobs/uploads/': reply(status) });
    expect(await probePush(http(), registry.ref, 'alice/app', BEARER)).toBe(false);
    expect(registry.seen.map((s) => s.method)).toEqual(['PATCH', 'POST']);
  });

  it('reports an upload opened without a Location, or a failing registry, as registry-error', async () => {
    const noLocation = await fakeRegistry({ 'PATCH /v2/': reply(405), 'POST /v2/': reply(202) });
    expect((await rejection(probePush(http(), noLocation.ref, 'alice/app', BEARER))).message).toMatch(/no Location header/);
    const failing = await fakeRegistry({ 'PATCH /v2/': reply(500), 'POST /v2/': reply(500) });
    const error = await rejection(probePush(http(), failing.ref, 'alice/app', BEARER));
    expect(error.code).toBe('registry-error');
    expect(error.message).toMatch(/HTTP 500 to a push check of alice\/app/);
  });

  it('turns a 429 into rate-limited', async () => {
    const registry = await fakeRegistry({ 'PATCH /v2/': reply(429, errors('TOOMANYREQUESTS')) });
    expect((await rejection(probePush(http(), registry.ref, 'alice/app', BEARER))).code).toBe('rate-limited');
  });
});
