/**
 * The network faults the sandbox cannot inject by itself, through the whole login against its
 * real registry: a certificate from an unknown CA (and success once that CA is given), a name
 * that does not resolve, a proxy that refuses; and a refused credential on every registry face
 * costing exactly one request. Each failure leaves a config.json that was there byte-identical.
 * (faults.test.ts has the injected faults: 5xx, 429, reset, hang, slow drip, bad and huge bodies.)
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { login } from '../../src/core/login.js';
import type { HttpOptions } from '../../src/core/http.js';
import type { LoginReport } from '../../src/core/model.js';
import { SecretRegistry } from '../../src/core/secrets.js';
import { GHCR_TOKENS, GITLAB_TOKENS, PATS } from '../sandbox/fixtures.js';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { closedPort } from '../support/loopback-server.js';
import { checkSettings, type TestSettings } from '../support/settings.js';
import { startTlsFront, type TlsFront } from '../support/tls-front.js';

let sb: Sandbox;
let front: TlsFront;

beforeAll(async () => {
  sb = await startSandbox();
  front = await startTlsFront(sb.registry.host);
});

afterAll(async () => {
  await front?.stop();
  await sb?.stop();
});

beforeEach(() => sb.requests.clear());

const FAST: HttpOptions = { connectTimeoutMs: 1000, requestTimeoutMs: 2000, deadlineMs: 5000, sleep: async () => undefined };
const PREVIOUS = `${JSON.stringify({ auths: { 'other.example': { auth: 'b3RoZXI6eA==' } }, psFormat: 'table' }, null, '\t')}\n`;

interface Attempt {
  report: LoginReport;
  /** config.json as it was after the login, beside the bytes it held before. */
  config: { before: string; after: string };
  secrets: SecretRegistry;
}

async function attempt(input: TestSettings, deps: { env?: NodeJS.ProcessEnv; http?: HttpOptions } = {}): Promise<Attempt> {
  const settings = checkSettings(input);
  const path = join(settings.dockerConfigDir, 'config.json');
  writeFileSync(path, PREVIOUS, { mode: 0o600 });
  const secrets = new SecretRegistry();
  const report = await login(settings, { secrets, env: { ...sb.env, ...deps.env }, http: { ...FAST, ...deps.http } });
  return { report, config: { before: PREVIOUS, after: readFileSync(path, 'utf8') }, secrets };
}

function expectNoSecretIn(result: Attempt): void {
  const text = JSON.stringify({ ...result.report, error: { message: result.report.error?.message, fix: result.report.error?.fix } });
  for (const secret of result.secrets.values()) expect(text.includes(secret) ? 'a secret in the report' : 'clean').toBe('clean');
}

const aliceWrite = { username: 'alice', secret: PATS.aliceWrite.secret, needs: 'push', repositories: 'alice/app' };

describe('a registry whose certificate comes from an unknown CA', () => {
  it('fails with tls, naming the registry and how to trust its CA, and writes nothing', async () => {
    const result = await attempt({ registry: `https://${front.host}`, ...aliceWrite });
    expect(result.report.error?.code).toBe('tls');
    expect(result.report.error?.message).toContain(front.host);
    expect(result.report.error?.fix).toMatch(/NODE_EXTRA_CA_CERTS/);
    expect(result.report.credential).toBeUndefined();
    expect(result.config.after).toBe(result.config.before);
    // The handshake failed: no request, with or without a credential, reached the registry.
    expect(sb.requests.forService('registry')).toEqual([]);
    expectNoSecretIn(result);
  });

  it('logs in once the CA is given as the caCertificates option', async () => {
    const result = await attempt({ registry: `https://${front.host}`, ...aliceWrite }, { http: { caCertificates: [front.caPem] } });
    expect(result.report.error).toBeUndefined();
    expect(result.report.repositories).toEqual([expect.objectContaining({ name: 'alice/app', granted: ['pull', 'push'], ok: true })]);
    expect(result.report.credential).toBeDefined();
    expect(JSON.parse(result.config.after)).toMatchObject({ auths: { [front.host]: { auth: Buffer.from(`alice:${PATS.aliceWrite.secret}`).toString('base64') } } });
  });

  it('logs in once the CA file is named by NODE_EXTRA_CA_CERTS in the environment', async () => {
    const result = await attempt({ registry: `https://${front.host}`, ...aliceWrite }, { env: { NODE_EXTRA_CA_CERTS: front.caFile } });
    expect(result.report.error).toBeUndefined();
    expect(result.report.credential).toBeDefined();
  });
});

describe('a registry name that does not resolve', () => {
  it('fails with unreachable naming the host, and writes nothing', async () => {
    const result = await attempt({ registry: 'registry.docker-pat.invalid', ...aliceWrite });
    expect(result.report.error?.code).toBe('unreachable');
    expect(result.report.error?.message).toContain('registry.docker-pat.invalid');
    expect(result.config.after).toBe(result.config.before);
    expect(sb.requests.entries()).toEqual([]);
  });
});

describe('a proxy that refuses connections', () => {
  it.each([
    ['HTTP_PROXY', () => sb.registry.host],
    ['HTTPS_PROXY', () => `https://${front.host}`],
    ['https_proxy', () => `https://${front.host}`],
  ])('%s: fails with unreachable naming the proxy and the variable, and writes nothing', async (variable, registry) => {
    const port = await closedPort();
    const result = await attempt({ registry: registry(), ...aliceWrite }, { env: { [variable]: `http://proxyuser:proxy-secret-42@127.0.0.1:${port}` }, http: { caCertificates: [front.caPem] } });
    expect(result.report.error?.code).toBe('unreachable');
    expect(result.report.error?.message).toContain(`proxy 127.0.0.1:${port}`);
    expect(result.report.error?.message).toContain(variable);
    expect(`${result.report.error?.message} ${result.report.error?.fix}`).not.toMatch(/proxyuser|proxy-secret-42/);
    expect(result.config.after).toBe(result.config.before);
    expect(sb.requests.forService('registry')).toEqual([]);
  });
});

describe('a refused credential is never retried, on any face', () => {
  const credentialed = () => sb.requests.entries().filter((e) => e.authorization !== 'none' || e.path === '/v2/auth/token');

  it.each([
    ['Docker Hub', () => sb.registry.host, 'alice', `${PATS.aliceWrite.secret.slice(0, -4)}zzzz`],
    ['GHCR', () => sb.ghcr.host, 'dave', `${GHCR_TOKENS.classic.secret.slice(0, -4)}zzzz`],
    ['GitLab', () => sb.gitlab.host, 'carol', `${GITLAB_TOKENS.registryWrite.secret.slice(0, -4)}zzzz`],
  ])('%s: one credentialed request, answered 401 or 403, then bad-credentials', async (_face, registry, username, secret) => {
    // Retries would be instant here: a retry, had the client made one, would show in the log.
    const result = await attempt({ registry: registry(), username, secret, needs: 'push', repositories: `${username}/app` });
    expect(result.report.error?.code).toBe('bad-credentials');
    const refused = credentialed().filter((e) => e.status === 401 || e.status === 403);
    expect(refused).toHaveLength(1);
    expect(credentialed()).toEqual(refused);
    expect(result.config.after).toBe(result.config.before);
    expectNoSecretIn(result);
  });
});
