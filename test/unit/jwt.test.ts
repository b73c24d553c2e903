import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decodeJwtClaims, grantedActions, readHubTokenClaims } from '../../src/core/jwt.js';
import { HUB_PERMISSIONS } from '../../src/core/model.js';

const HEADER = { alg: 'RS256', typ: 'JWT', kid: 'ABCD:EFGH' };

function segment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function jwt(claims: unknown, header: unknown = HEADER): string {
  return `${segment(header)}.${segment(claims)}.c2lnbmF0dXJl`;
}

const base64urlText = fc.string({ unit: fc.constantFrom(...'ABCxyz019-_='), maxLength: 40 });

describe('decodeJwtClaims', () => {
  it('decodes the claims of a registry token without verifying it', () => {
    const claims = { iss: 'auth.docker.io', aud: 'registry.docker.io', exp: 1700000300, access: [{ type: 'repository', name: 'alice/app', actions: ['pull'] }] };
    expect(decodeJwtClaims(jwt(claims))).toEqual(claims);
  });

  it('accepts segments with or without base64 padding, and an empty signature', () => {
    const claims = { sub: 'a' };
    const unpadded = segment(claims);
    expect(unpadded.length % 4).not.toBe(0);
    const padded = unpadded.padEnd(Math.ceil(unpadded.length / 4) * 4, '=');
    expect(decodeJwtClaims(`${segment(HEADER)}.${padded}.`)).toEqual(claims);
    expect(decodeJwtClaims(`${segment(HEADER)}.${unpadded}.`)).toEqual(claims);
  });

  it('keeps non-ASCII claims intact', () => {
    expect(decodeJwtClaims(jwt({ name: 'Zoë 🐳' }))).toEqual({ name: 'Zoë 🐳' });
  });

  it.each([
    ['an empty string', ''],
    ['an opaque GHCR token', Buffer.from('v1:alice/app:1700000000000000000').toString('base64')],
    ['two segments', `${segment(HEADER)}.${segment({ a: 1 })}`],
    ['four segments', `${jwt({ a: 1 })}.x`],
    ['JWE-like five segments', 'a.b.c.d.e'],
    ['claims that are an array', jwt([1, 2])],
    ['claims that are null', jwt(null)],
    ['claims that are a string', jwt('claims')],
    ['claims that are a number', jwt(42)],
    ['claims that are not JSON', `${segment(HEADER)}.${Buffer.from('{not json').toString('base64url')}.sig`],
    ['claims that are not UTF-8', `${segment(HEADER)}.${Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64url')}.sig`],
    ['claims in standard base64 with + and /', `${segment(HEADER)}.${Buffer.from('{"a":"~~~~???"}').toString('base64')}.sig`],
    ['a truncated segment (one leftover character)', `${segment(HEADER)}.${segment({ a: 1 })}A.sig`],
    ['too much padding', `${segment(HEADER)}.${segment({ a: 1 })}===.sig`],
    ['a header that is not JSON', `bm90IGpzb24.${segment({ a: 1 })}.sig`],
    ['a header that is an array', jwt({ a: 1 }, ['RS256'])],
    ['whitespace inside', jwt({ a: 1 }).replace('.', ' .')],
  ])('is undefined for %s', (_what, token) => {
    expect(decodeJwtClaims(token)).toBeUndefined();
  });

  it('reads back any JSON object', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (claims) => {
        const json = JSON.parse(JSON.stringify(claims)) as unknown;
        expect(decodeJwtClaims(jwt(claims))).toEqual(json);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws, and returns only objects, for any text', () => {
    const threeSegments = fc.tuple(base64urlText, base64urlText, base64urlText).map((parts) => parts.join('.'));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 100 }), threeSegments), (token) => {
        const claims = decodeJwtClaims(token);
        if (claims !== undefined) expect(typeof claims === 'object' && claims !== null && !Array.isArray(claims)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('returns on huge or deeply nested tokens', () => {
    expect(decodeJwtClaims('.'.repeat(500_000))).toBeUndefined();
    expect(decodeJwtClaims(`${segment(HEADER)}.${'A'.repeat(1_000_001)}.x`)).toBeUndefined();
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    expect(decodeJwtClaims(`${segment(HEADER)}.${Buffer.from(deep).toString('base64url')}.x`)).toBeDefined();
    expect(decodeJwtClaims(`${segment(HEADER)}.${Buffer.from('['.repeat(500_000)).toString('base64url')}.x`)).toBeUndefined();
  });
});

describe('grantedActions', () => {
  it('reads the actions granted on the repository, ordered', () => {
    const claims = {
      access: [
        { type: 'repository', name: 'alice/app', actions: ['push', 'pull'] },
        { type: 'repository', name: 'alice/other', actions: ['delete'] },
      ],
    };
    expect(grantedActions(claims, 'alice/app')).toEqual(['pull', 'push']);
    expect(grantedActions(claims, 'alice/other')).toEqual(['delete']);
    expect(grantedActions(claims, 'alice/none')).toEqual([]);
  });

  it('joins entries for the same repository, reads * as every action and ignores unknown actions', () => {
    const claims = {
      access: [
        { type: 'repository', name: 'a/b', actions: ['pull', 'metadata_read', 42, null] },
        { type: 'repository', name: 'a/b', actions: ['delete'] },
        { type: 'repository', name: 'c/d', actions: ['*'] },
      ],
    };
    expect(grantedActions(claims, 'a/b')).toEqual(['pull', 'delete']);
    expect(grantedActions(claims, 'c/d')).toEqual(['pull', 'push', 'delete']);
  });

  it('reads the deprecated resource class and ignores other resource types', () => {
    const claims = {
      access: [
        { type: 'repository(plugin)', name: 'a/p', actions: ['pull'] },
        { type: 'registry', name: 'catalog', actions: ['*'] },
        { type: 'repositoryx', name: 'catalog', actions: ['pull'] },
      ],
    };
    expect(grantedActions(claims, 'a/p')).toEqual(['pull']);
    expect(grantedActions(claims, 'catalog')).toEqual([]);
  });

  it.each([{}, { access: [] }, { access: 'pull' }, { access: {} }, { access: [null, 1, 'x', [], { type: 'repository', name: 'a/b' }, { type: 'repository', name: 'a/b', actions: 'pull' }] }])(
    'grants nothing for %j',
    (claims) => {
      expect(grantedActions(claims, 'a/b')).toEqual([]);
    },
  );

  it('never throws on odd claims, and returns known actions in order', () => {
    const entry = fc.record(
      {
        type: fc.oneof(fc.constant('repository'), fc.jsonValue()),
        name: fc.oneof(fc.constant('a/b'), fc.jsonValue()),
        actions: fc.oneof(fc.array(fc.oneof(fc.constantFrom('pull', 'push', 'delete', '*'), fc.jsonValue())), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.array(fc.oneof(entry, fc.jsonValue())), fc.jsonValue()), (access) => {
        const granted = grantedActions({ access }, 'a/b');
        expect(['pull', 'push', 'delete'].filter((a) => granted.includes(a as never))).toEqual(granted);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('readHubTokenClaims', () => {
  it('reads the claims observed in a Docker Hub API token minted with a PAT', () => {
    const claims = {
      aud: 'https://hub.docker.com',
      iss: 'https://api.docker.com/',
      iat: 1769818788,
      exp: 1769819388,
      scope: 'repo:public_read',
      'https://hub.docker.com': {
        username: 'boredengineer',
        email: 'someone@example.com',
        uuid: 'd955f7b2-0000-0000-0000-000000000000',
        roles: [],
        source: 'docker_pat|212d1aa1-0424-4aa6-90a9-f86e8b990d37',
      },
      source: { kind: 'object in the stored copy' },
    };
    expect(readHubTokenClaims(claims)).toEqual({
      permission: 'repo:public_read',
      sourceType: 'pat',
      sourceId: '212d1aa1-0424-4aa6-90a9-f86e8b990d37',
      username: 'boredengineer',
    });
  });

  it('reads the flat form and takes the highest level of a space-separated scope', () => {
    expect(readHubTokenClaims({ scope: 'repo:public_read repo:read  repo:write', source: 'docker_oat|abc', username: 'myorg' })).toEqual({
      permission: 'repo:write',
      sourceType: 'oat',
      sourceId: 'abc',
      username: 'myorg',
    });
  });

  it('prefers a top-level source string and reads types it does not know', () => {
    expect(readHubTokenClaims({ source: 'docker_sso|x1', 'https://hub.docker.com': { source: 'docker_pat|y2' } })).toEqual({ sourceType: 'sso', sourceId: 'x1' });
  });

  it.each([
    [{}, {}],
    [{ scope: 'openid offline_access' }, {}],
    [{ scope: 42, source: 7, username: [] }, {}],
    [{ scope: ['repo:admin'] }, { permission: 'repo:admin' }],
    [{ source: 'docker_pat' }, { sourceType: 'pat' }],
    [{ source: 'docker_pat|' }, { sourceType: 'pat' }],
    [{ source: 'docker_|id' }, {}],
    [{ source: 'github|123' }, {}],
    [{ 'https://hub.docker.com': 'not an object', username: '' }, {}],
  ])('reads %j as %j', (claims, expected) => {
    expect(readHubTokenClaims(claims)).toEqual(expected);
  });

  it('never throws on odd claims, and reports only known levels', () => {
    const hubClaims = fc.record(
      {
        scope: fc.oneof(fc.constantFrom(...HUB_PERMISSIONS, 'repo:read repo:admin'), fc.jsonValue()),
        source: fc.oneof(fc.constantFrom('docker_pat|id', 'docker_oat|', 'docker_'), fc.jsonValue()),
        username: fc.jsonValue(),
        'https://hub.docker.com': fc.oneof(fc.dictionary(fc.constantFrom('source', 'username'), fc.jsonValue()), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(hubClaims, fc.dictionary(fc.string(), fc.jsonValue())), (claims) => {
        const read = readHubTokenClaims(claims);
        if (read.permission !== undefined) expect(HUB_PERMISSIONS).toContain(read.permission);
        for (const value of Object.values(read)) expect(typeof value).toBe('string');
      }),
      { numRuns: 3000 },
    );
  });
});
