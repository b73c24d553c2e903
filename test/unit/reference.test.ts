import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DockerPatError } from '../../src/core/errors.js';
import { normaliseRepository, parseRegistry, quoteInput } from '../../src/core/reference.js';
import { thrownBy } from '../support/docker-pat-error.js';

const HUB = parseRegistry('docker.io');
const GHCR = parseRegistry('ghcr.io');

/** Asserts `run` either returns or throws a bad-input naming `field` and telling the valid form. */
function returnsOrRejectsAsBadInput(run: () => unknown, field: string): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DockerPatError);
    const e = error as DockerPatError;
    expect(e.code).toBe('bad-input');
    expect(e.field).toBe(field);
    expect(e.message.startsWith(`${field}: `)).toBe(true);
    expect(e.fix).toMatch(/^Use .+\.$/);
  }
}

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);
const hostname = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'));
const pathComponent = fc.stringMatching(/^[a-z0-9]{1,4}(?:(?:[._]|__|-{1,3})[a-z0-9]{1,4}){0,2}$/);
/** Near-valid registry text: the pieces a registry name is made of, plus the usual mistakes. */
const registrySoup = fc
  .array(fc.constantFrom('a', 'Z', '0', '9', '.', '-', '_', ':', '[', ']', '/', '::1', '127.0.0.1', 'http://', 'https://', 'ftp://', 'v1', '5000', '65536', '@', ' ', '\n', 'docker.io', '%'), { maxLength: 12 })
  .map((parts) => parts.join(''));

describe('parseRegistry: Docker Hub', () => {
  it.each(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com', 'https://index.docker.io/v1/', 'index.docker.io/v1', 'https://docker.io/', 'DOCKER.IO', '  docker.io\n'])(
    '%j is Docker Hub',
    (input) => {
      expect(parseRegistry(input)).toEqual({
        input,
        host: 'registry-1.docker.io',
        baseUrl: 'https://registry-1.docker.io',
        credentialKey: 'https://index.docker.io/v1/',
        isDockerHub: true,
      });
    },
  );

  it('refuses plain http for Docker Hub', () => {
    const error = thrownBy(() => parseRegistry('http://index.docker.io/v1/'));
    expect(error.code).toBe('bad-input');
    expect(error.message).toContain('https only');
  });

  it('is not Docker Hub on another port', () => {
    expect(parseRegistry('docker.io:5000').isDockerHub).toBe(false);
  });
});

describe('parseRegistry: other registries', () => {
  it.each([
    ['ghcr.io', 'ghcr.io', 'https://ghcr.io'],
    ['GHCR.io', 'ghcr.io', 'https://ghcr.io'],
    ['ghcr.io/', 'ghcr.io', 'https://ghcr.io'],
    ['registry.example.com:5000', 'registry.example.com:5000', 'https://registry.example.com:5000'],
    ['registry.gitlab.com', 'registry.gitlab.com', 'https://registry.gitlab.com'],
    ['http://registry.example.com:8080', 'registry.example.com:8080', 'http://registry.example.com:8080'],
    ['HTTPS://ghcr.io', 'ghcr.io', 'https://ghcr.io'],
    ['localhost', 'localhost', 'http://localhost'],
    ['localhost:5000', 'localhost:5000', 'http://localhost:5000'],
    ['127.0.0.1:5000', '127.0.0.1:5000', 'http://127.0.0.1:5000'],
    ['127.255.3.4', '127.255.3.4', 'http://127.255.3.4'],
    ['https://127.0.0.1:5000', '127.0.0.1:5000', 'https://127.0.0.1:5000'],
    ['[::1]:5000', '[::1]:5000', 'http://[::1]:5000'],
    ['[0:0:0:0:0:0:0:1]', '[::1]', 'http://[::1]'],
    ['[2001:DB8::1]:443', '[2001:db8::1]:443', 'https://[2001:db8::1]:443'],
    ['128.0.0.1', '128.0.0.1', 'https://128.0.0.1'],
    ['localhost.example.com', 'localhost.example.com', 'https://localhost.example.com'],
    ['my-registry:65535', 'my-registry:65535', 'https://my-registry:65535'],
  ])('%j → host %s, %s', (input, host, baseUrl) => {
    expect(parseRegistry(input)).toEqual({ input, host, baseUrl, credentialKey: host, isDockerHub: false });
  });

  it.each([
    ['', 'is empty'],
    ['   ', 'is empty'],
    ['ghcr .io', 'whitespace'],
    ['ghcr.io/owner', 'has a path'],
    ['ghcr.io/v1/', 'has a path'],
    ['docker.io/v2/', 'has a path'],
    ['https://docker.io/library/alpine', 'has a path'],
    ['ftp://ghcr.io', "scheme 'ftp'"],
    ['registry:0', 'invalid port'],
    ['registry:65536', 'invalid port'],
    ['registry:05000', 'invalid port'],
    ['registry:', 'invalid port'],
    ['registry:http', 'invalid port'],
    ['registry:-1', 'invalid port'],
    ['a..b', 'not a valid host name'],
    ['ghcr.io.', 'not a valid host name'],
    ['-ghcr.io', 'not a valid host name'],
    ['ghcr-.io', 'not a valid host name'],
    ['my_registry.io', 'not a valid host name'],
    [`${'a'.repeat(64)}.io`, 'not a valid host name'],
    [Array.from({ length: 64 }, () => 'abc').join('.'), 'not a valid host name'],
    ['ghcr.io:5000:1', "more than one ':'"],
    ['::1', "more than one ':'"],
    ['[::1', 'IPv6'],
    ['[zz::1]', 'IPv6'],
    ['[fe80::1%eth0]', 'IPv6'],
    ['[127.0.0.1]', 'IPv6'],
    ['[::1]x', 'after the IPv6 address'],
    ['[::1]:0', 'invalid port'],
    [':5000', 'not a valid host name'],
    ['https://', 'not a valid host name'],
    ['ghcr.io\u0000', 'not a valid host name'],
  ])('rejects %j (%s)', (input, problem) => {
    const error = thrownBy(() => parseRegistry(input));
    expect(error.code).toBe('bad-input');
    expect(error.field).toBe('registry');
    expect(error.message).toMatch(/^registry: /);
    expect(error.message).toContain(problem);
    expect(error.fix).toContain('docker.io');
  });

  it('names the field it was given', () => {
    const error = thrownBy(() => parseRegistry('a b', '--registry'));
    expect(error.field).toBe('--registry');
    expect(error.message).toMatch(/^--registry: /);
  });

  it('never echoes credentials written into the registry name', () => {
    const error = thrownBy(() => parseRegistry('https://alice:dckr_pat_Zq9secretSecretSecretSecret1@ghcr.io'));
    expect(error.message).toContain("'@'");
    expect(`${error.message} ${error.fix}`).not.toContain('Zq9secret');
  });
});

describe('parseRegistry properties', () => {
  it('throws nothing but bad-input for any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), registrySoup), (input) => {
        returnsOrRejectsAsBadInput(() => parseRegistry(input), 'registry');
      }),
      { numRuns: 4000 },
    );
  });

  it('accepts every host[:port] of the grammar, lowercased, and its own output again', () => {
    fc.assert(
      fc.property(hostname, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), fc.boolean(), (host, port, upper) => {
        const written = `${upper ? host.toUpperCase() : host}${port === undefined ? '' : `:${port}`}`;
        const ref = parseRegistry(written);
        if (ref.isDockerHub) return;
        expect(ref.host).toBe(written.toLowerCase());
        expect(ref.baseUrl).toMatch(/^https?:\/\//);
        expect(ref.baseUrl.endsWith(`://${ref.host}`)).toBe(true);
        expect(parseRegistry(ref.host)).toEqual({ ...ref, input: ref.host });
        expect(parseRegistry(ref.baseUrl)).toEqual({ ...ref, input: ref.baseUrl });
      }),
      { numRuns: 3000 },
    );
  });

  it('never puts a password written as user:password@host into the error', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{12,40}$/), hostname, (secret, host) => {
        const canary = `Zq9${secret}`;
        const error = thrownBy(() => parseRegistry(`https://alice:${canary}@${host}`));
        expect(JSON.stringify({ ...error, message: error.message })).not.toContain(canary);
        expect(String(error)).not.toContain(canary);
      }),
      { numRuns: 1000 },
    );
  });

  it('returns on huge hostile input', () => {
    for (const input of ['a.'.repeat(200_000), '['.repeat(400_000), `${'a'.repeat(400_000)}://x`, ':'.repeat(400_000), `[${'1:'.repeat(200_000)}]`]) {
      returnsOrRejectsAsBadInput(() => parseRegistry(input), 'registry');
    }
  });
});

describe('normaliseRepository', () => {
  it.each([
    ['alpine', HUB, 'library/alpine'],
    ['library/alpine', HUB, 'library/alpine'],
    ['myorg/app', HUB, 'myorg/app'],
    ['alpine', GHCR, 'alpine'],
    ['owner/group/app', GHCR, 'owner/group/app'],
    ['my.app', HUB, 'library/my.app'],
    ['a_b/c__d/e-f/g---h/i.j', GHCR, 'a_b/c__d/e-f/g---h/i.j'],
    ['0/9', GHCR, '0/9'],
  ])('%s on %s → %s', (name, registry, expected) => {
    expect(normaliseRepository(name, registry)).toBe(expected);
  });

  it.each([
    ['', 'is empty'],
    ['Alpine', 'uppercase'],
    ['myorg/App', 'uppercase'],
    ['ghcr.io/owner/app', 'registry host'],
    ['docker.io/library/alpine', 'registry host'],
    ['localhost/app', 'registry host'],
    ['localhost:5000/app', 'registry host'],
    ['alpine:3.19', 'tag or digest'],
    ['alpine@sha256:0123', 'tag or digest'],
    ['a//b', 'not a valid repository path'],
    ['/a', 'not a valid repository path'],
    ['a/', 'not a valid repository path'],
    ['-a', 'not a valid repository path'],
    ['a-', 'not a valid repository path'],
    ['a___b', 'not a valid repository path'],
    ['a..b', 'not a valid repository path'],
    ['a._b', 'not a valid repository path'],
    ['a b', 'not a valid repository path'],
    ['a,b', 'not a valid repository path'],
    ['ä', 'not a valid repository path'],
  ])('rejects %j (%s)', (name, problem) => {
    const error = thrownBy(() => normaliseRepository(name, GHCR));
    expect(error.code).toBe('bad-input');
    expect(error.field).toBe('repositories');
    expect(error.message).toContain(problem);
    expect(error.fix).toContain('myorg/app');
  });

  it('allows 255 characters after normalisation, not more', () => {
    expect(normaliseRepository(`a/${'b'.repeat(253)}`, GHCR)).toHaveLength(255);
    expect(thrownBy(() => normaliseRepository(`a/${'b'.repeat(254)}`, GHCR)).message).toContain('longer than 255');
    expect(normaliseRepository('c'.repeat(247), HUB)).toHaveLength(255);
    expect(thrownBy(() => normaliseRepository('c'.repeat(248), HUB)).message).toContain('longer than 255');
  });

  it('names the field it was given', () => {
    expect(thrownBy(() => normaliseRepository('A', HUB, '--repository')).message).toMatch(/^--repository: /);
  });

  it('accepts every path of the grammar whose first component cannot be a host, and is idempotent', () => {
    const firstComponent = pathComponent.filter((component) => !component.includes('.') && component !== 'localhost');
    fc.assert(
      fc.property(fc.array(pathComponent, { minLength: 1, maxLength: 5 }), firstComponent, fc.boolean(), (path, first, onHub) => {
        const components = path.length === 1 ? path : [first, ...path.slice(1)];
        const name = components.join('/');
        const registry = onHub ? HUB : GHCR;
        const normalised = normaliseRepository(name, registry);
        expect(normalised).toBe(onHub && components.length === 1 ? `library/${name}` : name);
        expect(normaliseRepository(normalised, registry)).toBe(normalised);
      }),
      { numRuns: 3000 },
    );
  });

  it('throws nothing but bad-input for any text', () => {
    const soup = fc.array(fc.constantFrom('a', 'B', '0', '.', '_', '__', '-', '/', ':', '@', 'localhost', ' '), { maxLength: 12 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), soup), fc.boolean(), (name, onHub) => {
        returnsOrRejectsAsBadInput(() => normaliseRepository(name, onHub ? HUB : GHCR), 'repositories');
      }),
      { numRuns: 4000 },
    );
  });

  it('returns on huge hostile input', () => {
    for (const name of ['a-'.repeat(300_000), `${'a.'.repeat(100)}`, '/'.repeat(300_000), `a${'_-'.repeat(100)}`]) {
      returnsOrRejectsAsBadInput(() => normaliseRepository(name, HUB), 'repositories');
    }
  });
});

describe('quoteInput', () => {
  it('shortens long input and shows control and invisible characters', () => {
    expect(quoteInput('abc')).toBe("'abc'");
    expect(quoteInput('a\nb\u200bc\u0000')).toBe("'a\\u{a}b\\u{200b}c\\u{0}'");
    expect(quoteInput('x'.repeat(1000))).toBe(`'${'x'.repeat(64)}…'`);
  });

  it('never lets a line break through', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (text) => {
        expect(quoteInput(text)).not.toMatch(/[\r\n\u2028\u2029]/);
      }),
      { numRuns: 2000 },
    );
  });
});
