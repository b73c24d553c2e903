import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LOCK_FILE_NAME } from '../../src/core/config-lock.js';
import { backupPathFor, findFingerprint, parkingServerUrl, readBackup, type CredentialState, type Fingerprint } from '../../src/core/credential-backup.js';
import { helperErase, helperGet, helperStore } from '../../src/core/credential-helper.js';
import { removeCredential, storeCredential, type StoreCredentialInput } from '../../src/core/credential-store.js';
import { MAX_CONFIG_BYTES } from '../../src/core/docker-config.js';
import { DockerPatError } from '../../src/core/errors.js';
import { formatJsonDocument, parseJsonDocument } from '../../src/core/json-document.js';
import type { CredentialRecord } from '../../src/core/model.js';
import { SecretRegistry } from '../../src/core/secrets.js';
import { rejection } from '../support/docker-pat-error.js';
import {
  addEnvDumpingHelper,
  compileCredentialStore,
  configDirMaker,
  exited,
  expectHelperBackupWithoutSecrets,
  makePassStore,
  makeTempDir,
  makeTestHelper,
  modeOf,
  removeDir,
  spawnNode,
  type PassStore,
  type TestHelper,
} from './credential-harness.js';

const root = makeTempDir('credential-store');
afterAll(() => removeDir(root));

/** A path for a new config directory; it holds `content` as config.json when given. */
const configDir = configDirMaker(root);

const configText = (dir: string) => readFileSync(join(dir, 'config.json'), 'utf8');
const configJson = (dir: string) => JSON.parse(configText(dir));
const b64 = (text: string) => Buffer.from(text).toString('base64');

function login(dockerConfigDir: string, credentialKey: string, username: string, secret: string, extra: Partial<StoreCredentialInput> = {}) {
  return storeCredential({ dockerConfigDir, credentialKey, username, secret, ...extra });
}

/** Files in the directory other than config.json and backups: temp files or locks left behind. */
function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((name) => name !== 'config.json' && !name.startsWith('.docker-pat-backup-'));
}

/** The backup's fingerprints, read back by the module itself. */
async function backupFingerprints(dir: string, credentialKey: string): Promise<Fingerprint[]> {
  const backup = await readBackup(backupPathFor(dir, credentialKey));
  if (!backup) throw new Error(`no backup for ${credentialKey} in ${dir}`);
  return backup.written;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** What a version-2 backup held: a plain SHA-256 of the state docker-pat wrote. */
function unsaltedFingerprint(entryText: string, credential?: [string, string]): string {
  return sha256(JSON.stringify([entryText, credential?.[0] ?? null, credential?.[1] ?? null])).toString('hex');
}

/**
 * Unsalted SHA-256 digests someone holding the backup could test guessed secrets against, as hex
 * and base64: of `user:secret`, of the secret, and of the state as a version-2 backup fingerprinted it.
 */
function unsaltedDigests(username: string, secret: string, entryText: string, inHelper: boolean): string[] {
  const legacy = Buffer.from(unsaltedFingerprint(entryText, inHelper ? [username, secret] : undefined), 'hex');
  return [sha256(`${username}:${secret}`), sha256(secret), legacy].flatMap((digest) => [digest.toString('hex'), digest.toString('base64')]);
}

/** The backup file holds only scrypt fingerprints, each salted and costing at least 4 MiB to derive. */
function expectSaltedFingerprints(path: string, count: number): void {
  const backup = JSON.parse(readFileSync(path, 'utf8'));
  expect(backup['docker-pat-backup']).toBe(3);
  expect(backup.written).toHaveLength(count);
  for (const item of backup.written) {
    expect(Object.keys(item)).toEqual(['kdf', 'N', 'r', 'p', 'salt', 'hash']);
    expect(item.kdf).toBe('scrypt');
    expect(128 * item.N * item.r).toBeGreaterThanOrEqual(4 * 1024 * 1024);
    expect(Buffer.from(item.salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(item.hash, 'base64')).toHaveLength(32);
  }
  expect(new Set(backup.written.map((item: { salt: string }) => item.salt)).size).toBe(count);
}

const DOCKER_LOGIN_OUTPUT = '{\n\t"auths": {\n\t\t"127.0.0.1:5000": {\n\t\t\t"auth": "YWxpY2U6czNjcmV0"\n\t\t}\n\t}\n}';

describe('storeCredential into config.json', () => {
  it('writes what docker login writes, byte for byte, in a 0700 directory as a 0600 file', async () => {
    const dir = join(configDir(), 'nested', 'docker');
    const record = await login(dir, '127.0.0.1:5000', 'alice', 's3cret');
    expect(record).toEqual({ dockerConfigDir: dir, credentialKey: '127.0.0.1:5000', helper: undefined, backupPath: undefined });
    expect(configText(dir)).toBe(DOCKER_LOGIN_OUTPUT);
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(join(dir, '..'))).toBe(0o700);
    expect(modeOf(join(dir, 'config.json'))).toBe(0o600);
    expect(leftovers(dir)).toEqual([]);
  });

  it('makes an existing 0644 config.json 0600 and leaves an existing directory mode alone', async () => {
    const dir = configDir('{"auths": {}}');
    execFileSync('chmod', ['0755', dir]);
    execFileSync('chmod', ['0644', join(dir, 'config.json')]);
    await login(dir, '127.0.0.1:5000', 'alice', 's3cret');
    expect(modeOf(join(dir, 'config.json'))).toBe(0o600);
    expect(modeOf(dir)).toBe(0o755);
  });

  it('keeps every other key and entry exactly, including odd values, unknown keys, credHelpers and proxies', async () => {
    const original = {
      auths: { 'ghcr.io': { auth: b64('gh:tok'), identitytoken: 'idt' }, 'z.example': {} },
      credHelpers: { 'aws.example': 'ecr-login' },
      proxies: { default: { httpProxy: 'http://proxy:3128', noProxy: '*.local' } },
      psFormat: 'table {{.ID}}',
      plugins: { x: { y: 'z' } },
      unknownKey: [1, 2.5, null, true, { nested: [] }],
    };
    const dir = configDir(JSON.stringify(original, null, 2).replace('2.5', '2.50e0').replace('"unknownKey"', '"big": 123456789012345678901234567890,\n"unknownKey"'));
    await login(dir, 'registry.example.com', 'alice', 's3cret');
    const after = configText(dir);
    expect(after).toContain('"big": 123456789012345678901234567890');
    expect(after).toContain('2.50e0');
    const json = JSON.parse(after);
    expect(json.auths).toEqual({ ...original.auths, 'registry.example.com': { auth: b64('alice:s3cret') } });
    expect(Object.keys(json)).toEqual(['auths', 'credHelpers', 'proxies', 'psFormat', 'plugins', 'big', 'unknownKey']);
    for (const key of ['credHelpers', 'proxies', 'psFormat', 'plugins', 'unknownKey'] as const) expect(json[key]).toEqual(original[key]);
  });

  it('keeps a symlinked config.json a symlink and writes through it', async () => {
    const dir = configDir();
    const real = join(configDir('{"auths": {}}'), 'config.json');
    mkdirSync(dir);
    symlinkSync(real, join(dir, 'config.json'));
    await login(dir, '127.0.0.1:5000', 'alice', 's3cret');
    expect(lstatSync(join(dir, 'config.json')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'config.json'))).toBe(real);
    expect(readFileSync(real, 'utf8')).toBe(DOCKER_LOGIN_OUTPUT);
  });

  it('registers the secret and base64(user:secret) with the secret registry', async () => {
    const secrets = new SecretRegistry();
    await login(configDir(), 'r.example', 'alice', 's3cret-value', { secrets });
    expect(secrets.values()).toEqual(expect.arrayContaining(['s3cret-value', b64('alice:s3cret-value')]));
  });

  it.each([
    ['an empty username', 'r.example', '', 's', 'bad-input', 'username'],
    ['a username with ":"', 'r.example', 'a:b', 's', 'bad-input', 'username'],
    ['a username with a newline', 'r.example', 'a\nb', 's', 'bad-input', 'username'],
    ['an empty key', '', 'alice', 's', 'bad-input', 'registry'],
    ['an empty secret', 'r.example', 'alice', '', 'empty-secret', 'secret'],
  ])('refuses %s without touching the directory', async (_name, key, username, secret, code, field) => {
    const dir = configDir();
    const error = await rejection(login(dir, key, username, secret));
    expect([error.code, error.field]).toEqual([code, field]);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('backup and restore (config.json)', () => {
  const previousFile = '{\n\t"auths": {\n\t\t"r.example": {\n\t\t\t"auth": "b2xkOm9sZA==",\n\t\t\t"identitytoken": "idt",\n\t\t\t"odd": [\n\t\t\t\t1e400,\n\t\t\t\t-0\n\t\t\t]\n\t\t},\n\t\t"x.example": {}\n\t},\n\t"k": 1\n}';

  it('backs up the entry it replaces in a 0600 file and restores it on removal', async () => {
    const dir = configDir(previousFile);
    const record = await login(dir, 'r.example', 'alice', 's3cret');
    expect(record.backupPath).toBe(backupPathFor(dir, 'r.example'));
    expect(modeOf(record.backupPath as string)).toBe(0o600);
    expect(configJson(dir).auths['r.example']).toEqual({ auth: b64('alice:s3cret') });
    await removeCredential(record);
    expect(configText(dir)).toBe(previousFile);
    expect(existsSync(record.backupPath as string)).toBe(false);
    await removeCredential(record);
    expect(configText(dir)).toBe(previousFile);
  });

  it('without a previous entry removes only its own entry, and succeeds when it is already gone', async () => {
    const dir = configDir('{"auths": {"x.example": {}}, "k": 1}');
    const record = await login(dir, 'r.example', 'alice', 's3cret');
    expect(record.backupPath).toBeUndefined();
    await removeCredential(record);
    expect(configText(dir)).toBe('{\n\t"auths": {\n\t\t"x.example": {}\n\t},\n\t"k": 1\n}');
    await removeCredential(record);
    expect(configText(dir)).toBe('{\n\t"auths": {\n\t\t"x.example": {}\n\t},\n\t"k": 1\n}');
    await removeCredential({ ...record, dockerConfigDir: join(root, 'never-created') });
  });

  it.each([
    ['in reverse order', [1, 0]],
    ['in login order', [0, 1]],
  ])('keeps the original across two logins to one registry, logged out %s', async (_name, order) => {
    const dir = configDir(previousFile);
    const records = [await login(dir, 'r.example', 'alice', 'first'), await login(dir, 'r.example', 'bob', 'second')];
    expect(configJson(dir).auths['r.example']).toEqual({ auth: b64('bob:second') });
    for (const index of order) await removeCredential(records[index]);
    expect(configText(dir)).toBe(previousFile);
  });

  it('drops a stale backup once the user has logged in again by other means', async () => {
    const dir = configDir(previousFile);
    await login(dir, 'r.example', 'alice', 'first');
    const userLogin = configJson(dir);
    userLogin.auths['r.example'] = { auth: b64('carol:newer') };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(userLogin, null, '\t'));
    const record = await login(dir, 'r.example', 'alice', 'again');
    await removeCredential(record);
    expect(configJson(dir).auths['r.example']).toEqual({ auth: b64('carol:newer') });
  });

  it('fingerprints what it wrote with salted scrypt, never an unsalted SHA-256 of the credential', async () => {
    const dir = configDir(previousFile);
    await login(dir, 'r.example', 'alice', 'Summer2024!');
    const record = await login(dir, 'r.example', 'alice', 'Winter2024!');
    const text = readFileSync(record.backupPath as string, 'utf8');
    for (const secret of ['Summer2024!', 'Winter2024!']) {
      const entryText = formatJsonDocument(parseJsonDocument(`{"auth": "${b64(`alice:${secret}`)}"}`));
      for (const digest of unsaltedDigests('alice', secret, entryText, false)) expect(text).not.toContain(digest);
    }
    expectSaltedFingerprints(record.backupPath as string, 2);
    await removeCredential(record);
    expect(configText(dir)).toBe(previousFile);
  });

  it('salts each fingerprint: logins with the same credential leave different ones, and each is recognised', async () => {
    const dirs = [configDir(previousFile), configDir(previousFile)];
    for (const dir of dirs) await login(dir, 'r.example', 'alice', 'same-secret');
    const [a, b] = await Promise.all(dirs.map((dir) => backupFingerprints(dir, 'r.example')));
    expect([a.length, b.length]).toEqual([1, 1]);
    expect(a[0].salt.equals(b[0].salt)).toBe(false);
    expect(a[0].hash.equals(b[0].hash)).toBe(false);
    const state = (secret: string): CredentialState => ({ fileEntry: parseJsonDocument(`{"auth": "${b64(`alice:${secret}`)}"}`), helperCredential: undefined });
    expect(await findFingerprint([...a, ...b], state('same-secret'))).toBe(a[0]);
    expect(await findFingerprint([...b, ...a], state('same-secret'))).toBe(b[0]);
    expect(await findFingerprint([...a, ...b], state('other-secret'))).toBeUndefined();

    await login(dirs[0], 'r.example', 'alice', 'same-secret');
    const again = await backupFingerprints(dirs[0], 'r.example');
    expect(again).toHaveLength(2);
    expect(again[0].salt.equals(again[1].salt)).toBe(false);
    expect(again[0].hash.equals(again[1].hash)).toBe(false);
    expect(await findFingerprint([again[1]], state('same-secret'))).toBe(again[1]);
  });

  it.each<[string, (item: Record<string, unknown>) => unknown]>([
    ['another kdf', (item) => ({ ...item, kdf: 'sha256' })],
    ['a cost that is not a power of two', (item) => ({ ...item, N: 4095 })],
    ['a cost far above its own', (item) => ({ ...item, N: 2 ** 20 })],
    ['a huge parallelisation', (item) => ({ ...item, p: 1000 })],
    ['a fractional block size', (item) => ({ ...item, r: 8.5 })],
    ['a missing parameter', ({ N: _N, ...rest }) => rest],
    ['a short salt', (item) => ({ ...item, salt: Buffer.alloc(8).toString('base64') })],
    ['a hash of another length', (item) => ({ ...item, hash: Buffer.alloc(31).toString('base64') })],
    ['base64 with stray characters', (item) => ({ ...item, salt: `!${item.salt}` })],
    ['a plain digest string', () => unsaltedFingerprint('{}')],
  ])('refuses a backup whose fingerprint has %s, on logout and login, changing nothing', async (_name, forge) => {
    const dir = configDir(previousFile);
    const record = await login(dir, 'r.example', 'alice', 's3cret');
    const path = record.backupPath as string;
    const backup = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...backup, written: backup.written.map(forge) }, null, '\t'));
    const forged = readFileSync(path, 'utf8');
    for (const attempt of [() => removeCredential(record), () => login(dir, 'r.example', 'alice', 'again')]) {
      const error = await rejection(attempt());
      expect([error.code, error.fix]).toEqual(['bad-input', expect.stringContaining(`Check ${path} by hand`)]);
    }
    expect(configJson(dir).auths['r.example']).toEqual({ auth: b64('alice:s3cret') });
    expect(readFileSync(path, 'utf8')).toBe(forged);
  });

  it('refuses a backup with more fingerprints than a login writes', async () => {
    const dir = configDir(previousFile);
    await login(dir, 'r.example', 'alice', 'first');
    const record = await login(dir, 'r.example', 'alice', 'second');
    const path = record.backupPath as string;
    const backup = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...backup, written: [...backup.written, backup.written[0]] }));
    expect((await rejection(removeCredential(record))).code).toBe('bad-input');
    expect(configJson(dir).auths['r.example']).toEqual({ auth: b64('alice:second') });
  });

  it('refuses a record whose backup path is not its own, deleting nothing', async () => {
    const dir = configDir(previousFile);
    const record = await login(dir, 'r.example', 'alice', 's3cret');
    const victim = join(dir, 'precious.json');
    writeFileSync(victim, '{}');
    const error = await rejection(removeCredential({ ...record, backupPath: victim }));
    expect(error.code).toBe('bad-input');
    expect(existsSync(victim)).toBe(true);
    expect(configJson(dir).auths['r.example']).toEqual({ auth: b64('alice:s3cret') });
  });
});

describe('credential helpers (the tests own docker-credential-testhelper)', () => {
  let helper: TestHelper;
  beforeAll(() => {
    helper = makeTestHelper(join(root, 'testhelper'));
  });

  it('stores through the helper with JSON on stdin, never argv, and keeps an empty auths entry like the CLI', async () => {
    const dir = configDir('{"credsStore": "testhelper"}');
    const record = await login(dir, 'h1.example', 'alice', 's3cret-h1', { env: helper.env });
    expect(record).toEqual({ dockerConfigDir: dir, credentialKey: 'h1.example', helper: 'testhelper', backupPath: undefined });
    expect(configText(dir)).toBe('{\n\t"auths": {\n\t\t"h1.example": {}\n\t},\n\t"credsStore": "testhelper"\n}');
    expect(helper.stored('h1.example')).toEqual({ ServerURL: 'h1.example', Username: 'alice', Secret: 's3cret-h1' });
    expect(await helperGet('testhelper', 'h1.example', { env: helper.env })).toEqual({ username: 'alice', secret: 's3cret-h1' });
    expect(helper.argv().every((line) => ['store', 'get', 'erase'].includes(line))).toBe(true);
    await removeCredential(record, { env: helper.env });
    expect(helper.stored('h1.example')).toBeUndefined();
    expect(configText(dir)).toBe('{\n\t"auths": {},\n\t"credsStore": "testhelper"\n}');
    await removeCredential(record, { env: helper.env });
  });

  it('runs the helper without the variables that hold a known secret (the token, an account password)', async () => {
    const helperEnvironments = addEnvDumpingHelper(helper);
    const env = { ...helper.env, DOCKER_PAT: 's3cret-env-token\n', DOCKER_PAT_HUB_PASSWORD: 'hub-account-pass' };
    const secrets = new SecretRegistry();
    secrets.add('hub-account-pass');
    const dir = configDir('{"credsStore": "envdump"}');
    const record = await login(dir, 'env.example', 'alice', 's3cret-env-token', { env, secrets });
    await removeCredential(record, { env, secrets });
    const seen = helperEnvironments();
    expect(seen).toContain(`TESTHELPER_DIR=${helper.storeDir}`);
    for (const secret of ['s3cret-env-token', 'hub-account-pass']) expect(seen).not.toContain(secret);
  });

  it('lets credHelpers[key] win over credsStore', async () => {
    const dir = configDir('{"credsStore": "not-installed", "credHelpers": {"h2.example": "testhelper"}}');
    const record = await login(dir, 'h2.example', 'alice', 's3cret-h2', { env: helper.env });
    expect(record.helper).toBe('testhelper');
    expect(helper.stored('h2.example')?.Secret).toBe('s3cret-h2');
  });

  it('parks the credential the helper held in the helper, keeps only non-secret facts on disk, and restores both', async () => {
    const dir = configDir('{"auths": {"h3.example": {}}, "credsStore": "testhelper"}');
    await helperStore('testhelper', 'h3.example', { username: 'olduser', secret: 'old-secret' }, { env: helper.env });
    const parking = parkingServerUrl(dir, 'h3.example');
    const before = helper.count();
    const secrets = new SecretRegistry();
    const record = await login(dir, 'h3.example', 'alice', 'new-secret', { env: helper.env, secrets });
    expect(record.backupPath).toBe(backupPathFor(dir, 'h3.example'));
    expect(secrets.values()).toEqual(expect.arrayContaining(['old-secret', 'new-secret']));
    expect(helper.stored('h3.example')).toEqual({ ServerURL: 'h3.example', Username: 'alice', Secret: 'new-secret' });
    expect(helper.stored(parking)).toEqual({ ServerURL: parking, Username: 'olduser', Secret: 'old-secret' });
    expectHelperBackupWithoutSecrets(record.backupPath as string, 'testhelper', parking, ['olduser', 'old-secret'], ['alice', 'new-secret']);
    expect(helper.argv().every((line) => ['store', 'get', 'erase'].includes(line))).toBe(true);

    const restoreSecrets = new SecretRegistry();
    await removeCredential(record, { env: helper.env, secrets: restoreSecrets });
    expect(restoreSecrets.values()).toContain('old-secret');
    expect(helper.stored('h3.example')).toEqual({ ServerURL: 'h3.example', Username: 'olduser', Secret: 'old-secret' });
    expect(helper.stored(parking)).toBeUndefined();
    expect(helper.count()).toBe(before);
    expect(configText(dir)).toBe('{\n\t"auths": {\n\t\t"h3.example": {}\n\t},\n\t"credsStore": "testhelper"\n}');
    expect(existsSync(record.backupPath as string)).toBe(false);
    await removeCredential(record, { env: helper.env });
    expect(helper.stored('h3.example')?.Secret).toBe('old-secret');
  });

  it('parks per config directory, so two directories sharing one helper each get their original back', async () => {
    const first = configDir('{"credsStore": "testhelper"}');
    const second = configDir('{"credsStore": "testhelper"}');
    expect(parkingServerUrl(first, 'h7.example')).not.toBe(parkingServerUrl(second, 'h7.example'));
    await helperStore('testhelper', 'h7.example', { username: 'olduser', secret: 'old-h7' }, { env: helper.env });
    const a = await login(first, 'h7.example', 'alice', 'alice-h7', { env: helper.env });
    const b = await login(second, 'h7.example', 'bob', 'bob-h7', { env: helper.env });
    expect(helper.stored(parkingServerUrl(second, 'h7.example'))?.Secret).toBe('alice-h7');
    await removeCredential(b, { env: helper.env });
    expect(helper.stored('h7.example')?.Secret).toBe('alice-h7');
    await removeCredential(a, { env: helper.env });
    expect(helper.stored('h7.example')).toEqual({ ServerURL: 'h7.example', Username: 'olduser', Secret: 'old-h7' });
  });

  it('keeps the parked original through a second login in the same job', async () => {
    const dir = configDir('{"credsStore": "testhelper"}');
    const parking = parkingServerUrl(dir, 'h8.example');
    await helperStore('testhelper', 'h8.example', { username: 'olduser', secret: 'old-h8' }, { env: helper.env });
    await login(dir, 'h8.example', 'alice', 'first-h8', { env: helper.env });
    const record = await login(dir, 'h8.example', 'alice', 'second-h8', { env: helper.env });
    expect(helper.stored(parking)?.Secret).toBe('old-h8');
    expectHelperBackupWithoutSecrets(record.backupPath as string, 'testhelper', parking, ['olduser', 'old-h8'], ['alice', 'first-h8'], ['alice', 'second-h8']);
    await removeCredential(record, { env: helper.env });
    expect(helper.stored('h8.example')).toEqual({ ServerURL: 'h8.example', Username: 'olduser', Secret: 'old-h8' });
    expect(helper.stored(parking)).toBeUndefined();
  });

  it('lets a stale backup give way: a newer credential of the user is parked instead, and after a user logout the parked one is erased', async () => {
    const dir = configDir('{"credsStore": "testhelper"}');
    const parking = parkingServerUrl(dir, 'h9.example');
    await helperStore('testhelper', 'h9.example', { username: 'olduser', secret: 'old-h9' }, { env: helper.env });
    await login(dir, 'h9.example', 'alice', 'ours-h9', { env: helper.env });
    await helperErase('testhelper', 'h9.example', { env: helper.env });
    await helperStore('testhelper', 'h9.example', { username: 'carol', secret: 'carol-h9' }, { env: helper.env });
    const record = await login(dir, 'h9.example', 'alice', 'again-h9', { env: helper.env });
    expect(helper.stored(parking)?.Secret).toBe('carol-h9');
    await removeCredential(record, { env: helper.env });
    expect(helper.stored('h9.example')?.Secret).toBe('carol-h9');

    await login(dir, 'h9.example', 'alice', 'ours-h9', { env: helper.env });
    await helperErase('testhelper', 'h9.example', { env: helper.env });
    writeFileSync(join(dir, 'config.json'), '{"auths": {}, "credsStore": "testhelper"}');
    const fresh = await login(dir, 'h9.example', 'alice', 'fresh-h9', { env: helper.env });
    expect(fresh.backupPath).toBeUndefined();
    expect(existsSync(backupPathFor(dir, 'h9.example'))).toBe(false);
    expect(helper.stored(parking)).toBeUndefined();
    await removeCredential(fresh, { env: helper.env });
    expect(helper.stored('h9.example')).toBeUndefined();
  });

  it('refuses a backup that names another helper or parking place, touching nothing', async () => {
    const dir = configDir('{"credsStore": "testhelper"}');
    await helperStore('testhelper', 'h10.example', { username: 'olduser', secret: 'old-h10' }, { env: helper.env });
    const record = await login(dir, 'h10.example', 'alice', 'new-h10', { env: helper.env });
    const path = record.backupPath as string;
    const genuine = readFileSync(path, 'utf8');
    for (const forged of [genuine.replace('"testhelper"', '"pass"'), genuine.replace(parkingServerUrl(dir, 'h10.example'), 'h10.example')]) {
      writeFileSync(path, forged);
      expect((await rejection(removeCredential(record, { env: helper.env }))).code).toBe('bad-input');
      expect(helper.stored('h10.example')?.Secret).toBe('new-h10');
      expect(helper.stored(parkingServerUrl(dir, 'h10.example'))?.Secret).toBe('old-h10');
    }
    writeFileSync(path, genuine);
    await removeCredential(record, { env: helper.env });
    expect(helper.stored('h10.example')?.Secret).toBe('old-h10');
  });

  it.each([
    [1, 'held the helper credential itself'],
    [2, 'held unsalted SHA-256 fingerprints'],
  ])('refuses a version-%i backup, which %s, on logout and login, and says to check it by hand', async (version) => {
    const key = `h11-v${version}.example`;
    const dir = configDir('{"credsStore": "testhelper"}');
    const parking = parkingServerUrl(dir, key);
    await helperStore('testhelper', key, { username: 'olduser', secret: 'old-h11' }, { env: helper.env });
    const record = await login(dir, key, 'alice', 'new-h11', { env: helper.env });
    const path = record.backupPath as string;
    const backup = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...backup, 'docker-pat-backup': version, written: [unsaltedFingerprint('{}', ['alice', 'new-h11'])] }, null, '\t'));
    const old = readFileSync(path, 'utf8');
    for (const attempt of [() => removeCredential(record, { env: helper.env }), () => login(dir, key, 'alice', 'newer-h11', { env: helper.env })]) {
      const error = await rejection(attempt());
      expect([error.code, error.fix]).toEqual(['bad-input', expect.stringContaining(`Check ${path} by hand`)]);
    }
    expect(helper.stored(key)?.Secret).toBe('new-h11');
    expect(helper.stored(parking)?.Secret).toBe('old-h11');
    expect(readFileSync(path, 'utf8')).toBe(old);
  });

  it('leaves no unsalted SHA-256 of the credential it stored in the helper in the backup', async () => {
    const dir = configDir('{"credsStore": "testhelper"}');
    await helperStore('testhelper', 'h12.example', { username: 'olduser', secret: 'old-h12' }, { env: helper.env });
    await login(dir, 'h12.example', 'alice', 'Password1', { env: helper.env });
    const record = await login(dir, 'h12.example', 'alice', 'Password2', { env: helper.env });
    const text = readFileSync(record.backupPath as string, 'utf8');
    for (const secret of ['Password1', 'Password2']) {
      for (const digest of unsaltedDigests('alice', secret, '{}', true)) expect(text).not.toContain(digest);
    }
    expectSaltedFingerprints(record.backupPath as string, 2);
    await removeCredential(record, { env: helper.env });
    expect(helper.stored('h12.example')).toEqual({ ServerURL: 'h12.example', Username: 'olduser', Secret: 'old-h12' });
  });

  it('names a missing helper and the fix, and leaves config.json untouched', async () => {
    const content = '{"credsStore": "nosuchhelper"}';
    const dir = configDir(content);
    const error = await rejection(login(dir, 'h4.example', 'alice', 's3cret', { env: helper.env }));
    expect(error.code).toBe('bad-input');
    expect(error.field).toBe('DOCKER_CONFIG/config.json');
    expect(error.message).toContain('docker-credential-nosuchhelper');
    expect(error.fix).toMatch(/^Install docker-credential-nosuchhelper on PATH, or remove "credsStore"/);
    expect(configText(dir)).toBe(content);
    expect(leftovers(dir)).toEqual([]);
  });

  it('summarises a failing helper without repeating what it printed (which held the secret)', async () => {
    const content = '{"credsStore": "testhelper"}';
    const dir = configDir(content);
    const error = await rejection(login(dir, 'h5.example', 'alice', 'leaky-s3cret', { env: { ...helper.env, TESTHELPER_FAIL: 'store' } }));
    expect(error.message).toMatch(/^docker-credential-testhelper store for h5\.example failed: it exited with status 1 \(its output is not shown/);
    expect(JSON.stringify({ ...error, message: error.message, fix: error.fix })).not.toContain('leaky-s3cret');
    expect(configText(dir)).toBe(content);
  });

  it('stops a hanging helper at the time limit', async () => {
    const dir = configDir('{"credsStore": "testhelper"}');
    const error = await rejection(login(dir, 'h6.example', 'alice', 's3cret', { env: { ...helper.env, TESTHELPER_HANG: 'get' }, helperTimeoutMs: 300 }));
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('docker-credential-testhelper get for h6.example did not finish');
  });
});

describe("Debian's docker-credential-pass with a throwaway gpg key", () => {
  let pass: PassStore;
  beforeAll(() => {
    pass = makePassStore(join(root, 'pass'));
  });
  afterAll(() => pass?.stop());

  it('stores, parks, restores and erases through the real helper', async () => {
    const dir = configDir('{"credsStore": "pass"}');
    const parking = parkingServerUrl(dir, 'p.example:5000');
    const first = await login(dir, 'p.example:5000', 'olduser', 'old-pass-secret', { env: pass.env });
    expect(first).toEqual({ dockerConfigDir: dir, credentialKey: 'p.example:5000', helper: 'pass', backupPath: undefined });
    expect(configText(dir)).toBe('{\n\t"auths": {\n\t\t"p.example:5000": {}\n\t},\n\t"credsStore": "pass"\n}');
    expect(await helperGet('pass', 'p.example:5000', { env: pass.env })).toEqual({ username: 'olduser', secret: 'old-pass-secret' });
    const storeFiles = execFileSync('find', [pass.env.PASSWORD_STORE_DIR as string, '-type', 'f'], { encoding: 'utf8' });
    expect(storeFiles).not.toContain('old-pass-secret');

    // pass keeps one file per username: the old one must go, or `get` could answer with either.
    const listed = () => JSON.parse(execFileSync('docker-credential-pass', ['list'], { env: pass.env, encoding: 'utf8' }));
    const second = await login(dir, 'p.example:5000', 'alice', 'new-pass-secret', { env: pass.env });
    expect(await helperGet('pass', 'p.example:5000', { env: pass.env })).toEqual({ username: 'alice', secret: 'new-pass-secret' });
    expect(await helperGet('pass', parking, { env: pass.env })).toEqual({ username: 'olduser', secret: 'old-pass-secret' });
    expect(listed()).toEqual({ 'p.example:5000': 'alice', [parking]: 'olduser' });
    expectHelperBackupWithoutSecrets(second.backupPath as string, 'pass', parking, ['olduser', 'old-pass-secret'], ['alice', 'new-pass-secret']);
    await removeCredential(second, { env: pass.env });
    expect(await helperGet('pass', 'p.example:5000', { env: pass.env })).toEqual({ username: 'olduser', secret: 'old-pass-secret' });
    expect(listed()).toEqual({ 'p.example:5000': 'olduser' });

    await removeCredential(first, { env: pass.env });
    expect(await helperGet('pass', 'p.example:5000', { env: pass.env })).toBeUndefined();
    expect(configText(dir)).toBe('{\n\t"auths": {},\n\t"credsStore": "pass"\n}');
    await removeCredential(first, { env: pass.env });
  });
});

describe('hostile config files', () => {
  const KEY = 'registry.test';
  const SECRET = 'hostile-s3cret';
  const noHelpers = { PATH: join(root, 'empty-path') };

  const entry = fc.oneof(fc.jsonValue(), fc.constant({ auth: b64('prev:prev') }));
  const auths = fc.oneof(fc.dictionary(fc.oneof(fc.constantFrom(KEY, 'other.test'), fc.string()), entry), fc.jsonValue());
  const document = fc.record(
    { auths, credsStore: fc.oneof(fc.string(), fc.jsonValue()), credHelpers: fc.oneof(fc.dictionary(fc.constantFrom(KEY, 'x'), fc.jsonValue()), fc.jsonValue()), extra: fc.jsonValue({ maxDepth: 4 }) },
    { requiredKeys: [] },
  );
  const text = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(document, fc.constantFrom(undefined, 1, '\t')).map(([doc, indent]) => JSON.stringify(doc, null, indent)) },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary' }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }).map((n) => `{"auths": {}, "deep": ${'['.repeat(n)}${']'.repeat(n)}}`) },
    { weight: 1, arbitrary: fc.constantFrom('{"auths": {"a": {}}, "auths": 7}', '{"auths": 7, "auths": {}}', `{"auths": {"${KEY}": 1, "${KEY}": {"auth": "eDp5"}}}`, '{"credsStore": "x", "credsStore": ""}') },
    { weight: 1, arbitrary: fc.constantFrom(MAX_CONFIG_BYTES - 20, MAX_CONFIG_BYTES - 12, MAX_CONFIG_BYTES + 1).map((n) => `{"x": "${'a'.repeat(n - 10)}"}`) },
  );
  const content = fc.oneof(
    { weight: 9, arbitrary: fc.tuple(text, fc.boolean(), fc.boolean()).map(([body, bom, truncate]) => {
      const withBom = bom ? `\ufeff${body}` : body;
      return truncate ? withBom.slice(0, Math.floor(withBom.length / 2)) : withBom;
    }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)) },
  );

  it('either stores the credential keeping the rest, or refuses with bad-input leaving the file byte-identical', async () => {
    mkdirSync(noHelpers.PATH);
    await fc.assert(
      fc.asyncProperty(content, async (body) => {
        const dir = configDir(body);
        const before = readFileSync(join(dir, 'config.json'));
        let record: CredentialRecord;
        try {
          record = await login(dir, KEY, 'alice', SECRET, { env: noHelpers });
        } catch (error) {
          expect(error).toBeInstanceOf(DockerPatError);
          expect((error as DockerPatError).code).toBe('bad-input');
          expect((error as DockerPatError).message).not.toContain(SECRET);
          expect(readFileSync(join(dir, 'config.json')).equals(before)).toBe(true);
          expect(readdirSync(dir)).toEqual(['config.json']);
          return;
        }
        expect(record.helper).toBeUndefined();
        const original = JSON.parse(before.toString('utf8').replace(/^\ufeff/, '').trim() || '{}');
        const after = configJson(dir);
        expect(modeOf(join(dir, 'config.json'))).toBe(0o600);
        expect(after.auths[KEY]).toEqual({ auth: b64(`alice:${SECRET}`) });
        expect({ ...after, auths: undefined }).toEqual({ ...original, auths: undefined });
        expect({ ...after.auths, [KEY]: undefined }).toEqual({ ...(original.auths ?? {}), [KEY]: undefined });
        expect(leftovers(dir)).toEqual([]);
      }),
      { numRuns: 1500 },
    );
  });
});

describe('the config lock', () => {
  const key = 'lock.example';
  const lockFile = (dir: string) => join(dir, LOCK_FILE_NAME);
  const fastLock = { lock: { timeoutMs: 300 } };

  function deadPid(): number {
    const out = execFileSync('sh', ['-c', 'sh -c "echo \\$\\$"'], { encoding: 'utf8' });
    return Number(out.trim());
  }

  function holdLock(dir: string, record: object | string, ageMs = 0): void {
    mkdirSync(dir, { recursive: true });
    writeFileSync(lockFile(dir), typeof record === 'string' ? record : JSON.stringify(record));
    const when = (Date.now() - ageMs) / 1000;
    utimesSync(lockFile(dir), when, when);
  }

  it('waits for a live holder, then fails with an error naming the holder and the lock file', async () => {
    const dir = configDir('{}');
    holdLock(dir, { pid: process.pid, host: hostname(), token: 'other' });
    const error = await rejection(login(dir, key, 'alice', 's3cret', fastLock));
    expect(error.code).toBe('timeout');
    expect(error.message).toContain(`process ${process.pid} on ${hostname()}`);
    expect(error.fix).toContain(lockFile(dir));
    expect(configText(dir)).toBe('{}');
  });

  it('takes over a lock whose owner process is gone', async () => {
    const dir = configDir('{}');
    holdLock(dir, { pid: deadPid(), host: hostname(), token: 'dead' });
    await login(dir, key, 'alice', 's3cret', fastLock);
    expect(existsSync(lockFile(dir))).toBe(false);
    expect(configJson(dir).auths[key]).toBeDefined();
  });

  it('respects a fresh lock from another host, and takes it over once it is older than the stale bound', async () => {
    const dir = configDir('{}');
    holdLock(dir, { pid: 1, host: 'another-host', token: 'remote' });
    expect((await rejection(login(dir, key, 'alice', 's3cret', fastLock))).code).toBe('timeout');
    holdLock(dir, { pid: 1, host: 'another-host', token: 'remote' }, 120_000);
    await login(dir, key, 'alice', 's3cret', fastLock);
    expect(existsSync(lockFile(dir))).toBe(false);
  });

  it('treats a lock file its creator never finished writing as stale after a grace period only', async () => {
    const dir = configDir('{}');
    holdLock(dir, '');
    expect((await rejection(login(dir, key, 'alice', 's3cret', fastLock))).code).toBe('timeout');
    holdLock(dir, '', 10_000);
    await login(dir, key, 'alice', 's3cret', fastLock);
  });

  it('recovers from a stale-lock removal that was itself killed', async () => {
    const dir = configDir('{}');
    holdLock(dir, { pid: deadPid(), host: hostname(), token: 'dead' });
    writeFileSync(`${lockFile(dir)}.break`, '');
    const old = (Date.now() - 60_000) / 1000;
    utimesSync(`${lockFile(dir)}.break`, old, old);
    await login(dir, key, 'alice', 's3cret', { lock: { timeoutMs: 2000 } });
    expect(readdirSync(dir).sort()).toEqual(['config.json']);
  });

  it('serialises concurrent logins in one process: none is lost', async () => {
    const dir = configDir('{"auths": {"keep.example": {}}}');
    await Promise.all(Array.from({ length: 30 }, (_, i) => login(dir, `r${i}.example`, `user${i}`, `secret${i}`)));
    const auths = configJson(dir).auths;
    expect(Object.keys(auths)).toHaveLength(31);
    for (let i = 0; i < 30; i++) expect(auths[`r${i}.example`]).toEqual({ auth: b64(`user${i}:secret${i}`) });
  });
});

describe('separate processes', () => {
  let work: string;
  beforeAll(() => {
    work = makeTempDir('children');
    const storeModule = compileCredentialStore(work);
    writeFileSync(
      join(work, 'login-many.mjs'),
      `import { storeCredential } from ${JSON.stringify(storeModule)};
const [dir, prefix, count] = process.argv.slice(2);
for (let i = 0; i < Number(count); i++) {
  await storeCredential({ dockerConfigDir: dir, credentialKey: prefix + '-' + i + '.example:5000', username: 'user-' + prefix, secret: 'secret-' + prefix + '-' + i });
}
`,
    );
    writeFileSync(
      join(work, 'helper-step.mjs'),
      `import { removeCredential, storeCredential } from ${JSON.stringify(storeModule)};
const [action, argument] = process.argv.slice(2);
if (action === 'login') await storeCredential({ ...JSON.parse(argument), env: process.env });
else await removeCredential(JSON.parse(argument), { env: process.env });
`,
    );
    writeFileSync(
      join(work, 'login-forever.mjs'),
      `import { storeCredential } from ${JSON.stringify(storeModule)};
const [dir, key] = process.argv.slice(2);
process.stdout.write('ready\\n');
for (let i = 0; ; i++) {
  const user = i % 2 === 0 ? 'alice' : 'bob';
  await storeCredential({ dockerConfigDir: dir, credentialKey: key, username: user, secret: user + '-secret' });
  process.stdout.write('stored\\n');
}
`,
    );
  });
  afterAll(() => removeDir(work));

  let crashyCount = 0;
  /**
   * `docker-credential-crashy` is the test helper, except that the first time it handles a parked
   * credential with the action CRASH_ON it does so and then SIGKILLs its caller: the moment
   * between two steps where a real crash would hurt most.
   */
  function makeCrashyHelper(): { helper: TestHelper; env: (crashOn?: string) => NodeJS.ProcessEnv } {
    const helper = makeTestHelper(join(work, `crashy${crashyCount++}`));
    const program = join(helper.binDir, 'docker-credential-crashy');
    writeFileSync(
      program,
      `#!/bin/sh
input=$(cat)
printf '%s' "$input" | docker-credential-testhelper "$1"
status=$?
case "$input" in
  *.docker-pat-backup.invalid*)
    if [ "$1" = "\${CRASH_ON:-}" ] && [ ! -e "$CRASH_MARK" ]; then : > "$CRASH_MARK"; kill -KILL "$PPID"; exit 1; fi ;;
esac
exit $status
`,
    );
    chmodSync(program, 0o755);
    const mark = join(helper.storeDir, 'crashed');
    return { helper, env: (crashOn) => ({ ...helper.env, CRASH_MARK: mark, ...(crashOn ? { CRASH_ON: crashOn } : {}) }) };
  }

  async function runChild(env: NodeJS.ProcessEnv, action: 'login' | 'logout', argument: object): Promise<NodeJS.Signals | null> {
    return (await exited(spawnNode(join(work, 'helper-step.mjs'), [action, JSON.stringify(argument)], env))).signal;
  }

  it('a logout killed right after it erased the parked credential has already restored the original', async () => {
    const { helper, env } = makeCrashyHelper();
    const key = 'crashy-out.example';
    const start = '{"auths": {"crashy-out.example": {}}, "credsStore": "crashy"}';
    const dir = configDir(start);
    await helperStore('testhelper', key, { username: 'olduser', secret: 'old-secret' }, { env: helper.env });
    const record = await login(dir, key, 'alice', 'new-secret', { env: env() });
    expect(await runChild(env('erase'), 'logout', record)).toBe('SIGKILL');
    const original = { ServerURL: key, Username: 'olduser', Secret: 'old-secret' };
    expect(helper.stored(key)).toEqual(original);
    expect(helper.stored(parkingServerUrl(dir, key))).toBeUndefined();
    expect(existsSync(record.backupPath as string)).toBe(false);
    await removeCredential(record, { env: env() });
    expect(helper.stored(key)).toEqual(original);
    expect(configText(dir)).toBe('{\n\t"auths": {\n\t\t"crashy-out.example": {}\n\t},\n\t"credsStore": "crashy"\n}');
  });

  it('a login killed right after parking leaves the original in place, and the next login and logout restore it', async () => {
    const { helper, env } = makeCrashyHelper();
    const key = 'crashy-in.example';
    const start = '{"credsStore": "crashy"}';
    const dir = configDir(start);
    await helperStore('testhelper', key, { username: 'olduser', secret: 'old-secret' }, { env: helper.env });
    expect(await runChild(env('store'), 'login', { dockerConfigDir: dir, credentialKey: key, username: 'alice', secret: 'killed-secret' })).toBe('SIGKILL');
    const original = { ServerURL: key, Username: 'olduser', Secret: 'old-secret' };
    expect(helper.stored(key)).toEqual(original);
    expect(helper.stored(parkingServerUrl(dir, key))?.Secret).toBe('old-secret');
    expect(existsSync(backupPathFor(dir, key))).toBe(false);
    expect(configText(dir)).toBe(start);
    const record = await login(dir, key, 'alice', 'new-secret', { env: env() });
    expectHelperBackupWithoutSecrets(record.backupPath as string, 'crashy', parkingServerUrl(dir, key), ['olduser', 'old-secret'], ['alice', 'new-secret']);
    await removeCredential(record, { env: env() });
    expect(helper.stored(key)).toEqual(original);
    expect(helper.stored(parkingServerUrl(dir, key))).toBeUndefined();
  });

  it('twenty concurrent processes logging into different registries lose no entry', async () => {
    const dir = configDir('{"auths": {"keep.example": {"auth": "eDp5"}}, "credHelpers": {}}');
    const children = Array.from({ length: 20 }, (_, n) => exited(spawnNode(join(work, 'login-many.mjs'), [dir, `p${n}`, '5'])));
    const results = await Promise.all(children);
    expect(results.map((r) => [r.code, r.stderr])).toEqual(results.map(() => [0, '']));
    const config = configJson(dir);
    expect(Object.keys(config.auths)).toHaveLength(101);
    for (let n = 0; n < 20; n++) {
      for (let i = 0; i < 5; i++) expect(config.auths[`p${n}-${i}.example:5000`]).toEqual({ auth: b64(`user-p${n}:secret-p${n}-${i}`) });
    }
    expect(config.auths['keep.example']).toEqual({ auth: 'eDp5' });
    expect(leftovers(dir)).toEqual([]);
  });

  /** Resolves once the child has written `count` lines to stdout (or has exited). */
  function linesFrom(child: ChildProcess, count: number): Promise<void> {
    return new Promise((resolve) => {
      let seen = 0;
      const onData = (chunk: Buffer): void => {
        seen += chunk.toString('utf8').split('\n').length - 1;
        if (seen >= count) {
          child.stdout?.off('data', onData);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.once('close', () => resolve());
    });
  }

  it('a process killed with SIGKILL at random moments never leaves a torn config.json, a lost backup or a blocking lock', async () => {
    const key = 'crash.example:5000';
    const initial = `{\n\t"auths": {\n\t\t"a.example": {\n\t\t\t"auth": "eDp5"\n\t\t},\n\t\t"${key}": {\n\t\t\t"auth": "${b64('orig:orig-secret')}"\n\t\t}\n\t},\n\t"proxies": {\n\t\t"default": {\n\t\t\t"httpProxy": "http://p:1"\n\t\t}\n\t}\n}`;
    const withEntry = (user: string) => initial.replace(b64('orig:orig-secret'), b64(`${user}:${user}-secret`));
    const allowed = new Set([initial, withEntry('alice'), withEntry('bob')]);
    const originalEntry = formatJsonDocument(parseJsonDocument(`{"auth": "${b64('orig:orig-secret')}"}`));
    const dir = configDir(initial);
    const seen = new Set<string>();
    for (let round = 0; round < 120; round++) {
      const child = spawnNode(join(work, 'login-forever.mjs'), [dir, key]);
      const done = exited(child);
      // Kill at a random moment of the login loop itself, not of Node's start-up, whose length
      // depends on how busy the machine is: after 0 to 2 completed logins, then a random delay.
      await linesFrom(child, 1 + Math.floor(Math.random() * 3));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 40));
      child.kill('SIGKILL');
      const result = await done;
      expect(result.signal).toBe('SIGKILL');
      const text = configText(dir);
      expect(allowed.has(text)).toBe(true);
      seen.add(text);
      const backup = await readBackup(backupPathFor(dir, key));
      if (backup) expect(backup.fileEntry && formatJsonDocument(backup.fileEntry)).toBe(originalEntry);
    }
    expect(seen.size).toBeGreaterThan(1);
    const record = await login(dir, key, 'carol', 'carol-secret', { lock: { timeoutMs: 5000 } });
    expect(leftovers(dir)).toEqual([]);
    await removeCredential(record);
    expect(configText(dir)).toBe(initial);
    expect(readdirSync(dir)).toEqual(['config.json']);
  });
});
