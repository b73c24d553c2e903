/**
 * What the client writes is what the real tools read: skopeo pushes with it, `docker logout`
 * removes it, and an entry `docker login` wrote before is restored by our logout.
 */
import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { login } from '../../src/core/login.js';
import { logout, logoutRegistry } from '../../src/core/logout.js';
import { SecretRegistry } from '../../src/core/secrets.js';
import { PATS } from '../sandbox/fixtures.js';
import { rejection } from '../support/docker-pat-error.js';
import { checkSettings, tempDir } from '../support/settings.js';
import { useSandbox } from '../support/use-sandbox.js';
import { runDocker } from '../support/docker-cli.js';

const sb = useSandbox();

const deps = () => ({ secrets: new SecretRegistry(), env: { ...sb().env } });

/**
 * The real `docker login`. The config starts with another registry's entry, as a runner's would:
 * the CLI then keeps credentials in the file rather than in a credential helper it may detect.
 */
async function dockerLogin(configDir: string, username: string, secret: string): Promise<number | null> {
  const other = Buffer.from('carol:unrelated').toString('base64');
  writeFileSync(join(configDir, 'config.json'), JSON.stringify({ auths: { 'other.example:5000': { auth: other } } }), { mode: 0o600 });
  return (await runDocker(['login', sb().registry.host, '--username', username, '--password-stdin'], configDir, secret)).status;
}

describe('credentials written like docker login', () => {
  it('lets skopeo push after needs: push passed, in a 0600 file in a 0700 directory', async () => {
    const settings = checkSettings({ registry: sb().registry.host, username: 'alice', secret: PATS.aliceWrite.secret, needs: 'push', repositories: 'alice/app' });
    const report = await login(settings, deps());
    expect(report.error).toBeUndefined();
    const configPath = join(settings.dockerConfigDir, 'config.json');
    expect(statSync(configPath).mode & 0o777).toBe(0o600);
    expect(statSync(settings.dockerConfigDir).mode & 0o777).toBe(0o700);
    const auth = JSON.parse(readFileSync(configPath, 'utf8')).auths[sb().registry.host].auth;
    expect(Buffer.from(auth, 'base64').toString()).toBe(`alice:${PATS.aliceWrite.secret}`);
    await expect(sb().pushImage('alice/app', 'interop', configPath)).resolves.toBeUndefined();
  });

  it('lets a read-only token pass a pull job, after which a real push is denied', async () => {
    const settings = checkSettings({ registry: sb().registry.host, username: 'alice', secret: PATS.aliceRead.secret, needs: 'pull', repositories: 'alice/app' });
    const report = await login(settings, deps());
    expect(report.error).toBeUndefined();
    // Docker Hub refuses a PAT that asks beyond its level instead of reducing the grant.
    await expect(sb().pushImage('alice/app', 'denied', join(settings.dockerConfigDir, 'config.json'))).rejects.toThrow(/insufficient scopes/);
  });

  it('is removed by docker logout', async () => {
    const settings = checkSettings({ registry: sb().registry.host, username: 'alice', secret: PATS.aliceRead.secret });
    await login(settings, deps());
    const out = execFileSync('docker', ['logout', sb().registry.host], { env: { ...process.env, DOCKER_CONFIG: settings.dockerConfigDir }, encoding: 'utf8' });
    expect(out).toContain('Removing login credentials');
    expect(JSON.parse(readFileSync(join(settings.dockerConfigDir, 'config.json'), 'utf8')).auths).toEqual({});
  });

  it('restores the entry docker login wrote before', async () => {
    const dir = tempDir();
    expect(await dockerLogin(dir, 'alice', PATS.aliceRead.secret)).toBe(0);
    const original = readFileSync(join(dir, 'config.json'), 'utf8');
    const settings = checkSettings({ registry: sb().registry.host, username: 'alice', secret: PATS.aliceWrite.secret, needs: 'push', overrides: { dockerConfigDir: dir } });
    const report = await login(settings, deps());
    expect(report.credential?.backupPath).toBeDefined();
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).not.toBe(original);
    await logout(report.credential!);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual(JSON.parse(original));
  });

  it('writes nothing in dry-run', async () => {
    const settings = checkSettings({ registry: sb().registry.host, username: 'alice', secret: PATS.aliceWrite.secret, overrides: { dryRun: true } });
    const report = await login(settings, deps());
    expect(report.error).toBeUndefined();
    expect(report.credential).toBeUndefined();
    expect(spawnSync('ls', [settings.dockerConfigDir], { encoding: 'utf8' }).stdout).toBe('');
  });
});

describe('the record a login leaves for a later logout', () => {
  const loginRecords = (dir: string) => readdirSync(dir).filter((name) => name.startsWith('.docker-pat-login-'));
  const entryFor = (dir: string) => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).auths[sb().registry.host];

  it('is deleted by the logout that undoes the login, so no later logout can act on it', async () => {
    const settings = checkSettings({ registry: sb().registry.host, username: 'alice', secret: PATS.aliceRead.secret });
    const report = await login(settings, deps());
    expect(loginRecords(settings.dockerConfigDir)).toHaveLength(1);
    await logout(report.credential!);
    expect(loginRecords(settings.dockerConfigDir)).toEqual([]);
    expect(await logoutRegistry(settings.dockerConfigDir, settings.registry)).toBe(false);
  });

  it('is found through a relative docker config directory too', async () => {
    const settings = checkSettings({ registry: sb().registry.host, username: 'alice', secret: PATS.aliceRead.secret });
    await login(settings, deps());
    expect(await logoutRegistry(relative(process.cwd(), settings.dockerConfigDir), settings.registry)).toBe(true);
    expect(entryFor(settings.dockerConfigDir)).toBeUndefined();
    expect(loginRecords(settings.dockerConfigDir)).toEqual([]);
  });

  it('when it cannot be written, the login takes its credential back and fails with a coded error', async () => {
    const settings = checkSettings({ registry: sb().registry.host, username: 'alice', secret: PATS.aliceRead.secret });
    const digest = createHash('sha256').update(settings.registry.credentialKey).digest('hex').slice(0, 16);
    mkdirSync(join(settings.dockerConfigDir, `.docker-pat-login-${digest}.json`), { recursive: true });
    const report = await login(settings, deps());
    expect(report.error).toMatchObject({ code: 'bad-input', field: 'DOCKER_CONFIG' });
    expect(report.credential).toBeUndefined();
    expect(entryFor(settings.dockerConfigDir)).toBeUndefined();
  });

  it('that is not one of ours is refused with a coded error, and the credential stays', async () => {
    const settings = checkSettings({ registry: sb().registry.host, username: 'alice', secret: PATS.aliceRead.secret });
    await login(settings, deps());
    const [record] = loginRecords(settings.dockerConfigDir);
    writeFileSync(join(settings.dockerConfigDir, record!), '{"dockerConfigDir":');
    const error = await rejection(logoutRegistry(settings.dockerConfigDir, settings.registry));
    expect(error.code).toBe('bad-input');
    expect(error.fix).toContain('docker logout');
    expect(entryFor(settings.dockerConfigDir)).toBeDefined();
  });
});
