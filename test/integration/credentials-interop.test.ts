/**
 * The docker CLI and skopeo against what the credential store writes, with a real registry: a
 * throwaway Debian `docker-registry` with htpasswd basic auth (cheap, and `docker login` needs a
 * registry to verify against; it logs in client-side, no daemon).
 *
 * The docker CLI picks `pass` as its default store when `pass` and docker-credential-pass are on
 * PATH and config.json holds no auths; this machine has both, so plain-file runs give the CLI a PATH
 * holding only itself. Helper runs name their helper in config.json and get the full PATH.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parkingServerUrl } from '../../src/core/credential-backup.js';
import { helperGet } from '../../src/core/credential-helper.js';
import { removeCredential, storeCredential } from '../../src/core/credential-store.js';
import {
  configDirMaker,
  expectHelperBackupWithoutSecrets,
  makePassStore,
  makeTempDir,
  makeTestHelper,
  modeOf,
  removeDir,
  type PassStore,
  type TestHelper,
} from '../unit/credential-harness.js';

const root = makeTempDir('interop');
let registry: ChildProcess;
let host: string;
let dockerBin: string;
let helper: TestHelper;
let pass: PassStore;
const configDir = configDirMaker(root);

function startRegistry(): Promise<string> {
  const dir = join(root, 'registry');
  mkdirSync(dir);
  const users = ['alice:s3cret', 'bob:b0b-secret'].map((pair) => execFileSync('htpasswd', ['-Bbn', ...pair.split(':')], { encoding: 'utf8' }).trim());
  writeFileSync(join(dir, 'htpasswd'), `${users.join('\n')}\n`);
  writeFileSync(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log: { level: info, formatter: text, accesslog: { disabled: true } }',
      `storage: { filesystem: { rootdirectory: ${JSON.stringify(join(dir, 'data'))} } }`,
      'http: { addr: "127.0.0.1:0", draintimeout: 0s }',
      `auth: { htpasswd: { realm: test, path: ${JSON.stringify(join(dir, 'htpasswd'))} } }`,
      '',
    ].join('\n'),
  );
  registry = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`registry did not start:\n${log}`)), 10_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString('utf8');
      const match = /listening on (127\.0\.0\.1:\d+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    registry.stdout?.on('data', onData);
    registry.stderr?.on('data', onData);
    registry.once('exit', () => reject(new Error(`registry exited:\n${log}`)));
  });
}

beforeAll(async () => {
  host = await startRegistry();
  dockerBin = join(root, 'docker-bin');
  mkdirSync(dockerBin);
  symlinkSync(execFileSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim(), join(dockerBin, 'docker'));
  helper = makeTestHelper(join(root, 'testhelper'));
  pass = makePassStore(join(root, 'pass'));
});

afterAll(async () => {
  if (registry && registry.exitCode === null && registry.signalCode === null) {
    const gone = new Promise((resolve) => registry.once('exit', resolve));
    registry.kill('SIGTERM');
    await gone;
  }
  pass?.stop();
  removeDir(root);
});

const configText = (dir: string) => readFileSync(join(dir, 'config.json'), 'utf8');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the docker CLI on `dir` with a PATH of its own (see the file comment), `extraPath` appended. */
function docker(dir: string, args: string[], options: { input?: string; extraPath?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const path = [dockerBin, options.extraPath].filter(Boolean).join(':');
  const result = spawnSync('docker', args, {
    env: { ...options.env, HOME: root, PATH: path, DOCKER_CONFIG: dir },
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function dockerLogin(dir: string, server: string, user: string, secret: string, options: { extraPath?: string; env?: NodeJS.ProcessEnv } = {}): void {
  const run = docker(dir, ['login', server, '-u', user, '--password-stdin'], { ...options, input: `${secret}\n` });
  expect([run.status, run.stdout.trim()]).toEqual([0, 'Login Succeeded']);
}

/** Lists tags with skopeo using `dir`'s config.json: the registry says 404 (no such repository) only to an authenticated client. */
function skopeoListTags(dir: string): string {
  const result = spawnSync('skopeo', ['list-tags', '--tls-verify=false', '--authfile', join(dir, 'config.json'), `docker://${host}/alice/app`], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return result.stderr;
}

describe('plain config.json', () => {
  it('writes the same bytes and modes as docker login, for one registry and then a second', async () => {
    const theirs = configDir();
    const ours = configDir();
    dockerLogin(theirs, host, 'alice', 's3cret');
    await storeCredential({ dockerConfigDir: ours, credentialKey: host, username: 'alice', secret: 's3cret' });
    expect(configText(ours)).toBe(configText(theirs));
    expect([modeOf(ours), modeOf(join(ours, 'config.json'))]).toEqual([modeOf(theirs), modeOf(join(theirs, 'config.json'))]);

    const second = host.replace('127.0.0.1', 'localhost');
    dockerLogin(theirs, second, 'bob', 'b0b-secret');
    await storeCredential({ dockerConfigDir: ours, credentialKey: second, username: 'bob', secret: 'b0b-secret' });
    expect(configText(ours)).toBe(configText(theirs));
  });

  it('writes a credential the registry accepts through skopeo (and a wrong one is refused)', async () => {
    const good = configDir();
    await storeCredential({ dockerConfigDir: good, credentialKey: host, username: 'alice', secret: 's3cret' });
    expect(skopeoListTags(good)).toMatch(/invalid status code from registry 404/);
    const bad = configDir();
    await storeCredential({ dockerConfigDir: bad, credentialKey: host, username: 'alice', secret: 'wrong' });
    expect(skopeoListTags(bad)).toMatch(/unauthorized/);
  });

  it('is read by docker logout, which removes our entry; our removal then changes nothing', async () => {
    const dir = configDir();
    const record = await storeCredential({ dockerConfigDir: dir, credentialKey: host, username: 'alice', secret: 's3cret' });
    const run = docker(dir, ['logout', host]);
    expect([run.status, run.stdout.trim()]).toEqual([0, `Removing login credentials for ${host}`]);
    expect(configText(dir)).toBe('{\n\t"auths": {}\n}');
    await removeCredential(record);
    expect(configText(dir)).toBe('{\n\t"auths": {}\n}');
  });

  it('backs up an entry written by docker login and restores it byte for byte', async () => {
    const dir = configDir();
    dockerLogin(dir, host, 'alice', 's3cret');
    const theirs = configText(dir);
    const record = await storeCredential({ dockerConfigDir: dir, credentialKey: host, username: 'bob', secret: 'b0b-secret' });
    expect(record.backupPath).toBeDefined();
    expect(skopeoListTags(dir)).toMatch(/invalid status code from registry 404/);
    await removeCredential(record);
    expect(configText(dir)).toBe(theirs);
    expect(existsSync(record.backupPath as string)).toBe(false);
    expect(docker(dir, ['logout', host]).status).toBe(0);
  });
});

describe('credential helpers with the docker CLI', () => {
  it('writes the same config.json as docker login through a helper, and the CLI erases our helper entry on logout', async () => {
    const start = '{"credsStore": "testhelper"}';
    const theirs = configDir(start);
    const ours = configDir(start);
    dockerLogin(theirs, host, 'alice', 's3cret', { extraPath: helper.env.PATH, env: helper.env });
    const dockerStored = helper.stored(host);
    expect(dockerStored).toEqual({ ServerURL: host, Username: 'alice', Secret: 's3cret' });
    const record = await storeCredential({ dockerConfigDir: ours, credentialKey: host, username: 'alice', secret: 's3cret', env: helper.env });
    expect(configText(ours)).toBe(configText(theirs));
    expect(helper.stored(host)).toEqual(dockerStored);

    const run = docker(ours, ['logout', host], { extraPath: helper.env.PATH, env: helper.env });
    expect([run.status, run.stdout.trim()]).toEqual([0, `Removing login credentials for ${host}`]);
    expect(helper.stored(host)).toBeUndefined();
    expect(configText(ours)).toBe('{\n\t"auths": {},\n\t"credsStore": "testhelper"\n}');
    await removeCredential(record, { env: helper.env });
  });

  it('backs up a credential docker login put in the helper and restores it', async () => {
    const dir = configDir('{"credsStore": "testhelper"}');
    dockerLogin(dir, host, 'alice', 's3cret', { extraPath: helper.env.PATH, env: helper.env });
    const theirs = configText(dir);
    const record = await storeCredential({ dockerConfigDir: dir, credentialKey: host, username: 'bob', secret: 'b0b-secret', env: helper.env });
    const parking = parkingServerUrl(dir, host);
    expect(helper.stored(host)?.Username).toBe('bob');
    expect(helper.stored(parking)).toEqual({ ServerURL: parking, Username: 'alice', Secret: 's3cret' });
    expectHelperBackupWithoutSecrets(record.backupPath as string, 'testhelper', parking, ['alice', 's3cret'], ['bob', 'b0b-secret']);
    await removeCredential(record, { env: helper.env });
    expect(await helperGet('testhelper', host, { env: helper.env })).toEqual({ username: 'alice', secret: 's3cret' });
    expect(helper.stored(parking)).toBeUndefined();
    expect(configText(dir)).toBe(theirs);
  });

  it("interoperates through Debian's docker-credential-pass", async () => {
    const dir = configDir('{"credsStore": "pass"}');
    dockerLogin(dir, host, 'alice', 's3cret', { extraPath: process.env.PATH, env: pass.env });
    const theirs = configText(dir);
    const record = await storeCredential({ dockerConfigDir: dir, credentialKey: host, username: 'bob', secret: 'b0b-secret', env: pass.env });
    const parking = parkingServerUrl(dir, host);
    expect(await helperGet('pass', host, { env: pass.env })).toEqual({ username: 'bob', secret: 'b0b-secret' });
    expect(await helperGet('pass', parking, { env: pass.env })).toEqual({ username: 'alice', secret: 's3cret' });
    expectHelperBackupWithoutSecrets(record.backupPath as string, 'pass', parking, ['alice', 's3cret'], ['bob', 'b0b-secret']);
    await removeCredential(record, { env: pass.env });
    expect(await helperGet('pass', host, { env: pass.env })).toEqual({ username: 'alice', secret: 's3cret' });
    expect(await helperGet('pass', parking, { env: pass.env })).toBeUndefined();
    expect(configText(dir)).toBe(theirs);

    const ours = await storeCredential({ dockerConfigDir: dir, credentialKey: host, username: 'bob', secret: 'b0b-secret', env: pass.env });
    const run = docker(dir, ['logout', host], { extraPath: process.env.PATH, env: pass.env });
    expect([run.status, run.stdout.trim()]).toEqual([0, `Removing login credentials for ${host}`]);
    expect(await helperGet('pass', host, { env: pass.env })).toBeUndefined();
    await removeCredential(ours, { env: pass.env });
    expect(await helperGet('pass', host, { env: pass.env })).toEqual({ username: 'alice', secret: 's3cret' });
    expect(await helperGet('pass', parking, { env: pass.env })).toBeUndefined();
    expect(docker(dir, ['logout', host], { extraPath: process.env.PATH, env: pass.env }).status).toBe(0);
    expect(await helperGet('pass', host, { env: pass.env })).toBeUndefined();
  });
});
