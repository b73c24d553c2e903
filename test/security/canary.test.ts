/**
 * The canary every hygiene test relies on finds what it must: a clean search proves nothing
 * unless the same search fails on a leak. Also against the sandbox's real JWTs and opaque tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GHCR_TOKENS, PATS } from '../sandbox/fixtures.js';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { Canary, leaksIn } from '../support/canary.js';

const token = PATS.aliceWrite.secret;
const basic = Buffer.from(`alice:${token}`).toString('base64');

describe('the canary', () => {
  it('names the kind and the place of every leak, never the value', () => {
    const canary = new Canary().watch(token, 'alice', 'the token');
    canary.recordAs('stdout', `Logged in with ${token}`);
    canary.recordAs('summary', `auth: ${basic}`);
    canary.recordAs('stderr', 'all clean here');
    expect(canary.leaks()).toEqual([`the token (${token.length} chars) in stdout`, `base64(user:the token) (${basic.length} chars) in summary`]);
    expect(canary.leaks().join(' ')).not.toContain(token);
  });

  it('finds any JWT and any opaque token of the sandbox, known or not', () => {
    const jwt = `${Buffer.from('{"alg":"ES256"}').toString('base64url')}.${Buffer.from('{"access":[]}').toString('base64url')}.c2ln`;
    expect(leaksIn('log', `Bearer ${jwt}`, new Map())).toEqual(['a JWT in log']);
    expect(leaksIn('log', `token ${Buffer.from('v1:dave/app:7').toString('base64')}.`, new Map())).toEqual(['an opaque registry token in log']);
    expect(leaksIn('log', 'djE6 is not a token, nor is eyJ alone', new Map())).toEqual([]);
  });

  it('ignores values too short to be secrets, as the SecretRegistry does', () => {
    expect(new Canary().watch('abc').watchAll(['', 'pull']).secrets()).toEqual(['pull']);
  });
});

describe("the sandbox's own tokens", () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(async () => {
    await sb?.stop();
  });

  const tokenFrom = async (url: string, user: string, secret: string) => {
    const res = await fetch(url, { headers: { authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}` } });
    return ((await res.json()) as { token: string }).token;
  };

  it('are all caught: the registry JWTs of the token service and the GHCR face', async () => {
    const jwt = await tokenFrom(`${sb.authUrl}/token?service=registry.docker.io&scope=repository:alice/app:pull`, 'alice', token);
    const opaque = await tokenFrom(`${sb.ghcr.url}/token?service=ghcr.io&scope=repository:dave/app:pull`, 'dave', GHCR_TOKENS.classic.secret);
    expect(leaksIn('a', `x ${jwt} y`, new Map())).toEqual(['a JWT in a']);
    expect(leaksIn('b', `x ${opaque} y`, new Map())).toEqual(['an opaque registry token in b']);
  });
});
