import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseWwwAuthenticate, type Challenge } from '../../src/core/challenge.js';

const TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const token = fc.string({ unit: fc.constantFrom(...TCHARS), minLength: 1, maxLength: 12 });
/** Any text a server could put in a quoted-string, commas, quotes and backslashes included. */
const quotedText = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ',', ' ', '"', '\\', '=', ':', '/', '\t', 'é'), maxLength: 20 });

function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function randomCase(text: string, flips: boolean[]): string {
  return [...text].map((c, i) => (flips[i % flips.length] ? c.toUpperCase() : c.toLowerCase())).join('');
}

describe('parseWwwAuthenticate', () => {
  it("reads Docker Hub's challenge from the token spec", () => {
    expect(
      parseWwwAuthenticate('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"'),
    ).toEqual([
      {
        scheme: 'bearer',
        params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:samalba/my-app:pull,push' },
      },
    ]);
  });

  it('reads the error parameter the registry adds after a token check', () => {
    expect(parseWwwAuthenticate('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull",error="insufficient_scope"')[0]?.params).toEqual({
      realm: 'https://auth.docker.io/token',
      service: 'registry.docker.io',
      scope: 'repository:a/b:pull',
      error: 'insufficient_scope',
    });
  });

  it('reads Basic, and parameters in any order and case, with spaces around = and ,', () => {
    expect(parseWwwAuthenticate('Basic realm="basic-realm"')).toEqual([{ scheme: 'basic', params: { realm: 'basic-realm' } }]);
    expect(parseWwwAuthenticate('BEARER Service = "container_registry" ,  REALM="https://gitlab.example.com/jwt/auth"')).toEqual([
      { scheme: 'bearer', params: { service: 'container_registry', realm: 'https://gitlab.example.com/jwt/auth' } },
    ]);
  });

  it('reads quoted strings holding commas, quotes and backslashes', () => {
    expect(parseWwwAuthenticate('Bearer realm="a,b \\"c\\" d\\\\e",scope="repository:x:pull,push"')[0]?.params).toEqual({
      realm: 'a,b "c" d\\e',
      scope: 'repository:x:pull,push',
    });
  });

  it('reads unquoted token values', () => {
    expect(parseWwwAuthenticate('Bearer realm=issuer,service=registry.docker.io')[0]?.params).toEqual({ realm: 'issuer', service: 'registry.docker.io' });
  });

  it('reads several challenges in one header value', () => {
    expect(parseWwwAuthenticate('Basic realm="simple", Newauth realm="apps", type=1, title="Login to \\"apps\\"", Bearer realm="https://ghcr.io/token",service="ghcr.io"')).toEqual([
      { scheme: 'basic', params: { realm: 'simple' } },
      { scheme: 'newauth', params: { realm: 'apps', type: '1', title: 'Login to "apps"' } },
      { scheme: 'bearer', params: { realm: 'https://ghcr.io/token', service: 'ghcr.io' } },
    ]);
  });

  it('reads token68 credentials, padding included, next to parameter challenges', () => {
    expect(parseWwwAuthenticate('Negotiate YIIBhwYGKwYBBQUCoIIBezCCAXeg==, Basic realm="x", Mutual a+b/c~d')).toEqual([
      { scheme: 'negotiate', params: {}, token68: 'YIIBhwYGKwYBBQUCoIIBezCCAXeg==' },
      { scheme: 'basic', params: { realm: 'x' } },
      { scheme: 'mutual', params: {}, token68: 'a+b/c~d' },
    ]);
  });

  it('reads schemes without parameters and skips empty list elements', () => {
    expect(parseWwwAuthenticate(' , Negotiate,,Bearer realm="r",, ,service="s",')).toEqual([
      { scheme: 'negotiate', params: {} },
      { scheme: 'bearer', params: { realm: 'r', service: 's' } },
    ]);
  });

  it('keeps the first of a repeated parameter', () => {
    expect(parseWwwAuthenticate('Bearer realm="first", REALM="second"')[0]?.params).toEqual({ realm: 'first' });
  });

  it('reads an unterminated quoted string to the end', () => {
    expect(parseWwwAuthenticate('Bearer service="s", realm="https://auth, scope=x')).toEqual([{ scheme: 'bearer', params: { service: 's', realm: 'https://auth, scope=x' } }]);
    expect(parseWwwAuthenticate('Bearer realm="ends in a backslash\\')).toEqual([{ scheme: 'bearer', params: { realm: 'ends in a backslash\\' } }]);
  });

  it('returns what it can read around garbage', () => {
    expect(parseWwwAuthenticate('')).toEqual([]);
    expect(parseWwwAuthenticate('"junk, with comma", Bearer realm="r"')).toEqual([{ scheme: 'bearer', params: { realm: 'r' } }]);
    expect(parseWwwAuthenticate('Bearer realm="r" trailing junk, service="s"')).toEqual([{ scheme: 'bearer', params: { realm: 'r', service: 's' } }]);
    expect(parseWwwAuthenticate('Bearer realm=<bad>, Basic realm="b"')).toEqual([
      { scheme: 'bearer', params: { realm: '' } },
      { scheme: 'basic', params: { realm: 'b' } },
    ]);
    expect(parseWwwAuthenticate('Bearer"x", Basic realm="b"')).toEqual([{ scheme: 'basic', params: { realm: 'b' } }]);
    expect(parseWwwAuthenticate('=== , ;;; , Basic realm="b"')).toEqual([{ scheme: 'basic', params: { realm: 'b' } }]);
  });

  it('stores a parameter named __proto__ as data, leaving the prototype alone', () => {
    const [challenge] = parseWwwAuthenticate('Bearer __proto__="polluted", constructor=x, realm="r"');
    expect(challenge?.params['__proto__']).toBe('polluted');
    expect(Object.keys(challenge?.params ?? {})).toEqual(['__proto__', 'constructor', 'realm']);
    expect(Object.getPrototypeOf(challenge?.params)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('reads back any challenges written per RFC 7235, in any parameter order and name case', () => {
    const challenge = fc.record({
      scheme: token,
      params: fc.uniqueArray(fc.tuple(token, fc.oneof(quotedText, token), fc.boolean()), { selector: ([name]) => name.toLowerCase(), maxLength: 5 }),
    });
    fc.assert(
      fc.property(fc.array(challenge, { minLength: 1, maxLength: 4 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 7 }), fc.constantFrom(',', ', ', ' , ', ',,'), (challenges, flips, comma) => {
        const header = challenges
          .map(({ scheme, params }) => {
            const written = params.map(([name, value, quoted]) => `${randomCase(name, flips)}=${quoted || !/^[^\s]+$/.test(value) || ![...value].every((c) => TCHARS.includes(c)) ? quote(value) : value}`);
            return written.length === 0 ? scheme : `${scheme} ${written.join(comma)}`;
          })
          .join(comma);
        const expected: Challenge[] = challenges.map(({ scheme, params }) => ({
          scheme: scheme.toLowerCase(),
          params: Object.fromEntries(params.map(([name, value]) => [name.toLowerCase(), value])),
        }));
        expect(parseWwwAuthenticate(header)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on any text, and returns only lowercase schemes and parameter names', () => {
    const soup = fc
      .array(fc.constantFrom('Bearer', 'Basic', ' ', ',', '=', '"', '\\', 'realm', 'a', '==', '\t', '\r\n', '(', '@', '/'), { maxLength: 20 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 100 }), soup), (header) => {
        for (const challenge of parseWwwAuthenticate(header)) {
          expect(challenge.scheme).toMatch(/^[!#$%&'*+\-.^_`|~0-9a-z]+$/);
          expect(challenge.scheme).toBe(challenge.scheme.toLowerCase());
          for (const [name, value] of Object.entries(challenge.params)) {
            expect(name).toBe(name.toLowerCase());
            expect(typeof value).toBe('string');
          }
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('returns on huge hostile headers', () => {
    const n = 200_000;
    const hostile = [
      '"'.repeat(n),
      '\\'.repeat(n),
      `Bearer realm="${'\\'.repeat(n)}`,
      'a='.repeat(n),
      'a '.repeat(n),
      'a,'.repeat(n),
      `Bearer ${'a=b,'.repeat(n)}`,
      `Bearer ${'a=,'.repeat(n)}`,
      `Negotiate ${'A'.repeat(n)}${'='.repeat(n)}x`,
      `Bearer ${'x'.repeat(n)}=`,
      ` ${'= '.repeat(n)}`,
      `Bearer realm="x"${' junk'.repeat(n)}`,
    ];
    for (const header of hostile) expect(Array.isArray(parseWwwAuthenticate(header))).toBe(true);
    expect(parseWwwAuthenticate(`Bearer ${'a=b,'.repeat(n)}`)).toEqual([{ scheme: 'bearer', params: { a: 'b' } }]);
  });
});
