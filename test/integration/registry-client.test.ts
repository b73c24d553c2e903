/**
 * The registry probes against the sandbox's real `docker-registry`: they must give the right
 * answer and leave no upload session behind, including for a token that may push but not delete.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { HttpClient } from '../../src/core/http.js';
import type { RegistryRef } from '../../src/core/model.js';
import { parseRegistry } from '../../src/core/reference.js';
import { pingRegistry, probePull, probePush } from '../../src/core/registry-client.js';
import { formatScope } from '../../src/core/scope.js';
import { SecretRegistry } from '../../src/core/secrets.js';
import { requestRegistryToken } from '../../src/core/token-service.js';
import { GHCR_TOKENS, PATS } from '../sandbox/fixtures.js';
import { useSandbox } from '../support/use-sandbox.js';

const sb = useSandbox();
let http: HttpClient;

beforeEach(() => {
  sb().requests.clear();
  http = new HttpClient({ env: {}, sleep: async () => undefined });
});
afterEach(async () => {
  await http.close();
});

/** A token from the registry's own challenge, as the check gets it. */
async function tokenFor(registry: RegistryRef, username: string, secret: string, scopes: string[]): Promise<string> {
  const ping = await pingRegistry(http, registry);
  const challenge = ping.challenges.find((c) => c.scheme === 'bearer');
  expect(challenge).toBeDefined();
  const issued = await requestRegistryToken(http, {
    realm: challenge?.params.realm ?? '',
    service: challenge?.params.service ?? '',
    scopes,
    username,
    secret,
    registryHost: registry.host,
    secrets: new SecretRegistry(),
  });
  return issued.token;
}

describe('GHCR-like registry (opaque tokens, grants only provable by probing)', () => {
  it('proves pull and push for a write:packages token without opening an upload session', async () => {
    const ghcr = parseRegistry(sb().ghcr.host);
    const { username, secret } = GHCR_TOKENS.classic;
    const bearer = await tokenFor(ghcr, username, secret, [formatScope(`${username}/app`, ['pull', 'push'])]);
    const uploadsBefore = await sb().uploadsInProgress();

    expect(await probePull(http, ghcr, `${username}/app`, bearer)).toBe(true);
    expect(await probePush(http, ghcr, `${username}/app`, bearer)).toBe(true);

    expect(await sb().uploadsInProgress()).toBe(uploadsBefore);
    const ghcrRequests = sb().requests.forService('ghcr').map((r) => r.method);
    expect(ghcrRequests).not.toContain('POST');
    expect(ghcrRequests).not.toContain('DELETE');
  });

  it('denies push for a read:packages token and still proves its pull', async () => {
    const ghcr = parseRegistry(sb().ghcr.host);
    const { username, secret } = GHCR_TOKENS.readOnly;
    const bearer = await tokenFor(ghcr, username, secret, [formatScope(`${username}/app`, ['pull', 'push'])]);
    const uploadsBefore = await sb().uploadsInProgress();

    expect(await probePull(http, ghcr, `${username}/app`, bearer)).toBe(true);
    expect(await probePush(http, ghcr, `${username}/app`, bearer)).toBe(false);
    expect(await sb().uploadsInProgress()).toBe(uploadsBefore);
  });

  it('denies pull and push on a repository outside the token owner', async () => {
    const ghcr = parseRegistry(sb().ghcr.host);
    const { username, secret } = GHCR_TOKENS.classic;
    const bearer = await tokenFor(ghcr, username, secret, [formatScope('alice/app', ['pull', 'push'])]);
    expect(await probePull(http, ghcr, 'alice/app', bearer)).toBe(false);
    expect(await probePush(http, ghcr, 'alice/app', bearer)).toBe(false);
  });
});

describe('Docker-Hub-like registry (the real registry behind a token service)', () => {
  it('answers the probes the way the JWT grant says, leaving nothing behind', async () => {
    const hub = parseRegistry(sb().registry.host);
    const write = await tokenFor(hub, PATS.aliceWrite.owner, PATS.aliceWrite.secret, [formatScope('alice/app', ['pull', 'push'])]);
    const read = await tokenFor(hub, PATS.aliceRead.owner, PATS.aliceRead.secret, [formatScope('alice/app', ['pull'])]);
    const uploadsBefore = await sb().uploadsInProgress();

    expect(await probePush(http, hub, 'alice/app', write)).toBe(true);
    expect(await probePush(http, hub, 'alice/app', read)).toBe(false);
    expect(await probePull(http, hub, 'alice/app', read)).toBe(true);
    expect(await sb().uploadsInProgress()).toBe(uploadsBefore);
  });

  it('shows why the push probe opens no session: a push-only grant cannot cancel one', async () => {
    const hub = parseRegistry(sb().registry.host);
    const pushOnly = await tokenFor(hub, PATS.aliceWrite.owner, PATS.aliceWrite.secret, [formatScope('alice/app', ['pull', 'push'])]);
    const authorization = `Bearer ${pushOnly}`;
    const before = await sb().uploadsInProgress();

    const opened = await http.request({ method: 'POST', url: `${hub.baseUrl}/v2/alice/app/blobs/uploads/`, headers: { authorization }, body: '' });
    expect(opened.status).toBe(202);
    const session = new URL(opened.headers.location ?? '', opened.url).href;
    const cancelled = await http.request({ method: 'DELETE', url: session, headers: { authorization } });

    expect(cancelled.status).toBe(401);
    expect(cancelled.headers['www-authenticate']).toMatch(/scope="repository:alice\/app:delete"/);
    expect(await sb().uploadsInProgress()).toBe(before + 1);
  });
});
