import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACCOUNTS, PATS } from '../sandbox/fixtures.js';
import { mintPersonalToken } from '../support/minted-token.js';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { baseEnv, cliBundle, runNode, type CliResult, type CliRunOptions } from './cli-bundle.js';
import { Canary } from './cli-canary.js';
import { allCommandLines, sampleCommandLines } from './cli-proc.js';

let sb: Sandbox;
let cli: string;
let work: string;
let configs = 0;
/**
 * A token no other test knows: other test files deliberately put fixture tokens on a command
 * line (to prove they are refused), which a parallel /proc sample here would otherwise see.
 */
let ownToken: string;
const canary = new Canary();
for (const pat of Object.values(PATS)) canary.watch(pat.secret, pat.owner);

beforeAll(async () => {
  [sb, cli] = await Promise.all([startSandbox(), cliBundle()]);
  work = await mkdtemp(join(tmpdir(), 'cli-login-'));
  ownToken = await mintPersonalToken(sb, 'alice', ACCOUNTS.alice.password, 'repo:write');
  canary.watch(ownToken, 'alice');
}, 240_000);

afterAll(async () => {
  await sb?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

async function freshConfigDir(content?: unknown): Promise<string> {
  const dir = join(work, `docker-${++configs}`);
  await mkdir(dir, { recursive: true });
  if (content !== undefined) await writeFile(join(dir, 'config.json'), JSON.stringify(content), { mode: 0o600 });
  return dir;
}

async function dockerPat(args: string[], token: string | undefined, options: CliRunOptions = {}): Promise<CliResult> {
  const env = { ...baseEnv(work), ...sb.env, ...(token === undefined ? {} : { DOCKER_PAT: token }), ...options.env };
  const result = await runNode(cli, args, { ...options, env, cwd: work });
  canary.record(result.stdout, result.stderr);
  return result;
}

function login(dir: string, args: string[], token: string, options: CliRunOptions = {}): Promise<CliResult> {
  return dockerPat(['login', '--registry', sb.registry.host, '--username', 'alice', '--docker-config', dir, ...args], token, options);
}

function logout(dir: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return dockerPat(['logout', '--registry', sb.registry.host, '--docker-config', dir, ...args], undefined, { env });
}

type DockerConfig = { auths?: Record<string, { auth?: string }>; credsStore?: string };

async function readConfig(dir: string): Promise<DockerConfig> {
  return JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as DockerConfig;
}

const basic = (user: string, secret: string) => Buffer.from(`${user}:${secret}`).toString('base64');

describe('docker-pat login and logout', () => {
  it('logs in after the check; skopeo pushes with the written config.json; logout removes exactly that', async () => {
    const dir = await freshConfigDir();
    const result = await login(dir, ['--needs', 'push', '--repository', 'alice/app'], PATS.aliceWrite.secret);
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(`OK    logged in to ${sb.registry.host}: credentials stored in ${dir}/config.json.`);
    const config = await readConfig(dir);
    expect(config.auths?.[sb.registry.host]?.auth).toBe(basic('alice', PATS.aliceWrite.secret));
    expect((await stat(join(dir, 'config.json'))).mode & 0o777).toBe(0o600);
    await expect(sb.pushImage('alice/app', 'cli-login', join(dir, 'config.json'))).resolves.toBeUndefined();

    const out = await logout(dir);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(`OK    removed the credential docker-pat login stored for ${sb.registry.host} (and restored any entry it replaced).\n`);
    expect((await readConfig(dir)).auths?.[sb.registry.host]).toBeUndefined();
    const again = await logout(dir, ['--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ schemaVersion: 1, command: 'logout', registry: sb.registry.host, dockerConfigDir: dir, removed: false });
    const plain = await logout(dir);
    expect(plain.stdout).toBe(`NOTE  nothing to undo: docker-pat login stored no credential for ${sb.registry.host} in ${dir}.\n`);
  });

  it('logout restores the entry that was there before, and keeps other keys', async () => {
    const previous = { auths: { [sb.registry.host]: { auth: basic('alice', 'older-credential') }, 'other.example': { auth: 'b3RoZXI6eA==' } }, psFormat: 'table' };
    const dir = await freshConfigDir(previous);
    expect((await login(dir, ['--repository', 'alice/site'], PATS.aliceRead.secret)).code).toBe(0);
    expect((await readConfig(dir)).auths?.[sb.registry.host]?.auth).toBe(basic('alice', PATS.aliceRead.secret));
    expect((await logout(dir)).code).toBe(0);
    expect(await readConfig(dir)).toEqual(previous);
  });

  it('--dry-run checks everything and writes nothing', async () => {
    const dir = await freshConfigDir();
    const result = await login(dir, ['--dry-run', '--repository', 'alice/site', '--json'], PATS.aliceRead.secret);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ command: 'login', verdict: 'ok', dryRun: true, credential: null });
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
  });

  it('a failed check stores nothing (exit 1), and a token that cannot push is not logged in for a push job', async () => {
    const dir = await freshConfigDir();
    const result = await login(dir, ['--needs', 'push', '--repository', 'alice/app'], PATS.aliceRead.secret);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^ERROR insufficient-scope: /m);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('ERROR login failed (insufficient-scope); exit code 1. No credentials were left stored.');
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
  });

  it('warnings log in with exit 3; with --strict they fail the login and nothing stays stored', async () => {
    const warned = await freshConfigDir();
    expect((await login(warned, ['--repository', 'alice/app'], PATS.aliceAdmin.secret)).code).toBe(3);
    expect((await readConfig(warned)).auths?.[sb.registry.host]?.auth).toBe(basic('alice', PATS.aliceAdmin.secret));
    const strict = await freshConfigDir({ auths: {} });
    const result = await login(strict, ['--repository', 'alice/app', '--strict'], PATS.aliceAdmin.secret);
    expect(result.code).toBe(1);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('ERROR login failed (1 warning(s) with --strict); exit code 1. No credentials were left stored.');
    expect((await readConfig(strict)).auths?.[sb.registry.host]).toBeUndefined();
  });

  it('a login whose --dotenv report cannot be written fails (exit 1) and leaves nothing stored', async () => {
    const dir = await freshConfigDir({ auths: {} });
    const result = await login(dir, ['--repository', 'alice/app', '--dotenv', join(work, 'no-such-dir', 'login.env')], PATS.aliceRead.secret);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERROR bad-input: --dotenv: /m);
    expect((await readConfig(dir)).auths?.[sb.registry.host]).toBeUndefined();
    expect((await logout(dir)).stdout).toMatch(/^NOTE {2}nothing to undo/);
  });

  it('stores through the configured credential helper (stdin only) and never puts the token in any command line', async () => {
    const bin = join(work, 'bin');
    const store = join(work, 'helper-store');
    await mkdir(bin, { recursive: true });
    await mkdir(store, { recursive: true });
    const helper = join(bin, 'docker-credential-canary');
    // A minimal helper speaking the docker credential protocol, slow enough to be sampled.
    await writeFile(
      helper,
      [
        '#!/bin/sh',
        `store=${store}`,
        'sleep 0.3',
        'case "$1" in',
        '  store) cat > "$store/entry.json" ;;',
        '  get) if [ -f "$store/entry.json" ]; then cat "$store/entry.json"; else echo "credentials not found in native keychain"; exit 1; fi ;;',
        '  erase) rm -f "$store/entry.json" ;;',
        '  list) echo "{}" ;;',
        'esac',
        '',
      ].join('\n'),
    );
    await chmod(helper, 0o755);
    const dir = await freshConfigDir({ credsStore: 'canary' });
    const env = { PATH: `${bin}:${process.env.PATH ?? ''}` };
    const { result, commandLines } = await sampleCommandLines(
      login(dir, ['--needs', 'push', '--repository', 'alice/app', '--password-stdin'], ownToken, { env, stdin: ownToken }),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('credentials stored in docker-credential-canary.');
    const stored = JSON.parse(await readFile(join(store, 'entry.json'), 'utf8')) as Record<string, string>;
    expect(stored).toEqual({ ServerURL: sb.registry.host, Username: 'alice', Secret: ownToken });
    // As the docker CLI does: an empty entry marks the registry, the secret lives in the helper.
    expect(await readConfig(dir)).toEqual({ credsStore: 'canary', auths: { [sb.registry.host]: {} } });

    const lines = allCommandLines(commandLines);
    expect(commandLines.get(result.pid ?? -1)).toBeDefined();
    expect(lines.some((line) => line.endsWith('docker-credential-canary store'))).toBe(true);
    for (const line of lines) {
      expect(line.includes(ownToken) ? line : 'no token').toBe('no token');
      expect(line.includes(basic('alice', ownToken)) ? line : 'no auth').toBe('no auth');
    }
    expect((await logout(dir, [], env)).code).toBe(0);
    expect(existsSync(join(store, 'entry.json'))).toBe(false);
  });

  it('the token from the environment is never in a command line either', async () => {
    const dir = await freshConfigDir();
    const { result, commandLines } = await sampleCommandLines(login(dir, ['--needs', 'push', '--repository', 'alice/app'], ownToken));
    expect(result.code).toBe(0);
    expect(commandLines.get(result.pid ?? -1)).toBeDefined();
    expect(allCommandLines(commandLines).filter((line) => line.includes(ownToken))).toEqual([]);
    expect((await logout(dir)).code).toBe(0);
  });

  it('never prints a token, base64(user:token) or a JWT', () => {
    expect(canary.recorded).toBeGreaterThan(20);
    canary.expectNoLeak();
  });
});
