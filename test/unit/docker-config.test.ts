import { afterAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  credentialHelperFor,
  deleteAuthEntry,
  formatDockerConfig,
  readDockerConfig,
  resolveDockerConfigDir,
  setAuthEntry,
  basicAuthEntry,
  MAX_CONFIG_BYTES,
  type DockerConfig,
} from '../../src/core/docker-config.js';
import { DockerPatError } from '../../src/core/errors.js';
import { formatJsonDocument, jsonObject, JsonSyntaxError, MAX_JSON_DEPTH, parseJsonDocument } from '../../src/core/json-document.js';
import { rejection } from '../support/docker-pat-error.js';
import { configDirMaker, makeTempDir, removeDir } from './credential-harness.js';

const root = makeTempDir('docker-config');
afterAll(() => removeDir(root));

/** A fresh config directory holding `content` as config.json (none when undefined). */
const configDir = configDirMaker(root, { createEmpty: true });

function parsed(text: string): DockerConfig {
  const node = parseJsonDocument(text);
  if (node.kind !== 'object') throw new Error('not an object');
  return { path: '/x/config.json', root: node };
}

describe('resolveDockerConfigDir', () => {
  it('uses DOCKER_CONFIG, made absolute', () => {
    expect(resolveDockerConfigDir({ DOCKER_CONFIG: '/etc/dc' }, '/home/u')).toBe('/etc/dc');
    expect(resolveDockerConfigDir({ DOCKER_CONFIG: 'rel/dc' }, '/home/u')).toBe(join(process.cwd(), 'rel/dc'));
  });

  it('falls back to ~/.docker when DOCKER_CONFIG is unset or empty', () => {
    expect(resolveDockerConfigDir({}, '/home/u')).toBe('/home/u/.docker');
    expect(resolveDockerConfigDir({ DOCKER_CONFIG: '' }, '/home/u')).toBe('/home/u/.docker');
  });

  it('refuses to guess without a home directory', () => {
    let error: unknown;
    try {
      resolveDockerConfigDir({}, '');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DockerPatError);
    expect((error as DockerPatError).code).toBe('bad-input');
    expect((error as DockerPatError).field).toBe('DOCKER_CONFIG');
    expect((error as DockerPatError).fix).toMatch(/DOCKER_CONFIG/);
  });
});

describe('json-document', () => {
  it('formats plain values exactly like JSON.stringify(value, null, "\\t") (= Go MarshalIndent with a tab)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 1, 2, '  ', '\t'), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        expect(formatJsonDocument(parseJsonDocument(text))).toBe(JSON.stringify(value, null, '\t'));
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts exactly what JSON.parse accepts, and means the same', () => {
    const jsonish = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.tuple(fc.jsonValue().map((v) => JSON.stringify(v)), fc.nat(), fc.string({ maxLength: 3 })).map(([t, at, s]) => t.slice(0, at % (t.length + 1)) + s + t.slice(at % (t.length + 1))),
    );
    fc.assert(
      fc.property(jsonish, (text) => {
        let expected: unknown;
        let valid = true;
        try {
          expected = JSON.parse(text);
        } catch {
          valid = false;
        }
        if (!valid) {
          expect(() => parseJsonDocument(text)).toThrow(JsonSyntaxError);
          return;
        }
        expect(JSON.parse(formatJsonDocument(parseJsonDocument(text)))).toEqual(expected);
      }),
      { numRuns: 5000 },
    );
  });

  it('keeps numbers and escapes exactly as written, and duplicate keys resolve like JSON.parse', () => {
    const text = '{"big": 123456789012345678901234567890, "tiny": 1e-400, "huge": 1E+400, "neg0": -0, "esc": "\\u003c\\/", "d": 1, "d": 2}';
    expect(formatJsonDocument(parseJsonDocument(text))).toBe(
      '{\n\t"big": 123456789012345678901234567890,\n\t"tiny": 1e-400,\n\t"huge": 1E+400,\n\t"neg0": -0,\n\t"esc": "\\u003c\\/",\n\t"d": 2\n}',
    );
  });

  it('refuses nesting beyond the depth bound instead of overflowing the stack', () => {
    const ok = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    expect(formatJsonDocument(parseJsonDocument(ok)).length).toBeGreaterThan(0);
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(() => parseJsonDocument(deep)).toThrow(/nesting deeper than/);
  });

  it('says where a syntax error is, never what the text holds', () => {
    try {
      parseJsonDocument('{\n  "auth": "c2VjcmV0LXZhbHVl" oops }');
      throw new Error('parsed');
    } catch (error) {
      expect(error).toBeInstanceOf(JsonSyntaxError);
      expect((error as JsonSyntaxError).message).toBe("expected ',' or '}' at line 2, column 30");
    }
  });
});

describe('readDockerConfig', () => {
  it('treats a missing, empty or blank file as an empty config', async () => {
    for (const content of [undefined, '', ' \n\t']) {
      const config = await readDockerConfig(configDir(content));
      expect(formatDockerConfig(config)).toBe('{}');
    }
    expect(formatDockerConfig(await readDockerConfig(join(root, 'no', 'such', 'dir')))).toBe('{}');
  });

  it('tolerates a UTF-8 byte order mark', async () => {
    const config = await readDockerConfig(configDir('\ufeff{"auths": {"a": {"auth": "eDp5"}}}'));
    expect(formatDockerConfig(config)).toBe('{\n\t"auths": {\n\t\t"a": {\n\t\t\t"auth": "eDp5"\n\t\t}\n\t}\n}');
  });

  it.each([
    ['invalid JSON', '{"auths": {"r": {"auth": "c2VjcmV0LXZhbHVl"}}', /is not valid JSON \(unexpected end of text at line 1, column 46\)/],
    ['a non-object root', '["c2VjcmV0LXZhbHVl"]', /does not hold a JSON object/],
    ['auths that is not an object', '{"auths": ["c2VjcmV0LXZhbHVl"]}', /"auths" value that is not an object/],
    ['credsStore that is not a string', '{"credsStore": {"x": "c2VjcmV0LXZhbHVl"}}', /"credsStore" value that is not a string/],
    ['credHelpers that is not an object', '{"credHelpers": "c2VjcmV0LXZhbHVl"}', /"credHelpers" value that is not an object/],
    ['a credHelpers entry that is not a string', '{"credHelpers": {"r": 1}, "x": "c2VjcmV0LXZhbHVl"}', /"credHelpers" entry that is not a string/],
    ['text that is not UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), /is not UTF-8 text/],
    ['a file over the size cap', `{"x": "${'c2VjcmV0LXZhbHVl'.repeat(MAX_CONFIG_BYTES / 16)}"}`, /is larger than 1048576 bytes/],
  ])('refuses %s with a bad-input that never quotes the file', async (_name, content, message) => {
    const dir = configDir(content);
    const error = await rejection(readDockerConfig(dir));
    expect(error.code).toBe('bad-input');
    expect(error.field).toBe('DOCKER_CONFIG/config.json');
    expect(error.message).toMatch(message);
    expect(error.message).toContain(join(dir, 'config.json'));
    expect(error.fix).toMatch(/^Repair or remove .+config\.json/);
    expect(`${error.message} ${error.fix}`).not.toContain('c2VjcmV0LXZhbHVl');
  });

  it('refuses a config.json that is a directory or a FIFO (without blocking on it)', async () => {
    const asDirectory = configDir();
    mkdirSync(join(asDirectory, 'config.json'));
    const asFifo = configDir();
    execFileSync('mkfifo', [join(asFifo, 'config.json')]);
    for (const dir of [asDirectory, asFifo]) {
      const error = await rejection(readDockerConfig(dir));
      expect(error.code).toBe('bad-input');
      expect(error.message).toMatch(/is not a regular file/);
    }
  });

  it('accepts null auths, credsStore and credHelpers, as the docker CLI does', async () => {
    const config = await readDockerConfig(configDir('{"auths": null, "credsStore": null, "credHelpers": null}'));
    expect(credentialHelperFor(config, 'r')).toBeUndefined();
    setAuthEntry(config, 'r', basicAuthEntry('u', 'p'));
    expect(formatDockerConfig(config)).toBe('{\n\t"auths": {\n\t\t"r": {\n\t\t\t"auth": "dTpw"\n\t\t}\n\t},\n\t"credsStore": null,\n\t"credHelpers": null\n}');
  });
});

describe('credentialHelperFor', () => {
  it('prefers credHelpers[key] over credsStore, and ignores empty names', () => {
    const config = parsed('{"credsStore": "desktop", "credHelpers": {"ghcr.io": "gh", "empty.io": ""}}');
    expect(credentialHelperFor(config, 'ghcr.io')).toBe('gh');
    expect(credentialHelperFor(config, 'empty.io')).toBe('desktop');
    expect(credentialHelperFor(config, 'other.io')).toBe('desktop');
    expect(credentialHelperFor(parsed('{"credsStore": ""}'), 'r')).toBeUndefined();
    expect(credentialHelperFor(parsed('{}'), 'r')).toBeUndefined();
  });

  it.each(['../../bin/sh', 'a/b', '-rf', 'x y', '.hidden'])('refuses the helper name %j, which would not be a plain program suffix', (name) => {
    const config = parsed(JSON.stringify({ credsStore: name }));
    let error: unknown;
    try {
      credentialHelperFor(config, 'r');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DockerPatError);
    expect((error as DockerPatError).code).toBe('bad-input');
    expect((error as DockerPatError).field).toBe('DOCKER_CONFIG/config.json');
  });
});

describe('setAuthEntry / deleteAuthEntry', () => {
  it('creates auths first, as the docker CLI orders it, keeping every other key', () => {
    const config = parsed('{"credsStore": "x", "zzz": [1, {"a": null}]}');
    setAuthEntry(config, 'r.io', jsonObject());
    expect(formatDockerConfig(config)).toBe('{\n\t"auths": {\n\t\t"r.io": {}\n\t},\n\t"credsStore": "x",\n\t"zzz": [\n\t\t1,\n\t\t{\n\t\t\t"a": null\n\t\t}\n\t]\n}');
  });

  it('inserts a new key where it sorts, so a file the CLI sorted stays sorted', () => {
    const config = parsed('{"auths": {"a.io": {}, "c.io": {}, "https://index.docker.io/v1/": {}}}');
    setAuthEntry(config, 'b.io', jsonObject());
    setAuthEntry(config, '127.0.0.1:5000', jsonObject());
    setAuthEntry(config, 'z.io', jsonObject());
    const keys = [...((config.root.members.get('auths')?.value as { members: Map<string, unknown> }).members.keys())];
    expect(keys).toEqual(['127.0.0.1:5000', 'a.io', 'b.io', 'c.io', 'https://index.docker.io/v1/', 'z.io']);
  });

  it('replaces an existing entry in place and deletes only the named one, leaving auths {}', () => {
    const config = parsed('{"auths": {"r.io": {"auth": "old", "identitytoken": "t"}}}');
    setAuthEntry(config, 'r.io', basicAuthEntry('alice', 's3cret'));
    expect(formatDockerConfig(config)).toBe('{\n\t"auths": {\n\t\t"r.io": {\n\t\t\t"auth": "YWxpY2U6czNjcmV0"\n\t\t}\n\t}\n}');
    expect(deleteAuthEntry(config, 'other.io')).toBe(false);
    expect(deleteAuthEntry(config, 'r.io')).toBe(true);
    expect(formatDockerConfig(config)).toBe('{\n\t"auths": {}\n}');
  });
});
