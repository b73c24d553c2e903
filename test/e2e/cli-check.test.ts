import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ACCOUNTS, PATS } from '../sandbox/fixtures.js';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { closedPort } from '../support/loopback-server.js';
import { ROOT, baseEnv, cliBundle, runNode, type CliResult } from './cli-bundle.js';
import { Canary } from './cli-canary.js';

const execFileAsync = promisify(execFile);
const ESC = '\u001b';

let sb: Sandbox;
let cli: string;
let work: string;
const canary = new Canary();
for (const pat of Object.values(PATS)) canary.watch(pat.secret, pat.owner);
canary.watch(ACCOUNTS.alice.password, 'alice');
canary.watch(ACCOUNTS.bob.password, 'bob');

beforeAll(async () => {
  [sb, cli] = await Promise.all([startSandbox(), cliBundle()]);
  work = await mkdtemp(join(tmpdir(), 'cli-check-'));
}, 240_000);

afterEach(() => sb.clearFaults());

afterAll(async () => {
  await sb?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

interface Run {
  token?: string;
  env?: NodeJS.ProcessEnv;
  stdin?: string;
}

async function dockerPat(args: string[], run: Run = {}): Promise<CliResult> {
  const env = { ...baseEnv(work), ...sb.env, ...(run.token === undefined ? {} : { DOCKER_PAT: run.token }), ...run.env };
  const result = await runNode(cli, args, { env, stdin: run.stdin, cwd: work });
  canary.record(result.stdout, result.stderr);
  return result;
}

/** `check` against the sandbox's Docker-Hub-like registry as alice. */
function check(args: string[], run: Run = {}): Promise<CliResult> {
  return dockerPat(['check', '--registry', sb.registry.host, '--username', 'alice', ...args], run);
}

async function readRecorded(path: string): Promise<string> {
  const text = await readFile(path, 'utf8');
  canary.record(text);
  return text;
}

function dotenvOf(text: string): Record<string, string> {
  return Object.fromEntries(text.trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

describe('docker-pat --version, --help and usage', () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await dockerPat(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('--help lists the commands; each command has its own --help; no command is a usage error', async () => {
    const top = await dockerPat(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/Commands:\n {2}check +.*\n {2}login +.*\n {2}logout +.*\n {2}audit +/);
    for (const command of ['check', 'login', 'logout', 'audit']) {
      const help = await dockerPat([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: docker-pat ${command}`);
    }
    const none = await dockerPat([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^docker-pat: no command given\.\nRun docker-pat --help/);
  });

  it('unknown flags and malformed values exit 2 with the valid forms', async () => {
    const unknown = await check(['--colour'], { token: PATS.aliceRead.secret });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^docker-pat: Unknown option '--colour' for docker-pat check\.\nRun docker-pat check --help/);
    expect(unknown.stderr).toContain('Usage: docker-pat check --username NAME [options]');
    const needs = await check(['--needs', 'write'], { token: PATS.aliceRead.secret });
    expect(needs.code).toBe(2);
    expect(needs.stderr).toMatch(/--needs: 'write' is not an action\.\nUse a comma list of pull, push, delete/);
    const date = await check(['--expires-at', 'soon'], { token: PATS.aliceRead.secret });
    expect(date.code).toBe(2);
    expect(date.stderr).toMatch(/--expires-at: 'soon' is not a date.*\nUse YYYY-MM-DD/);
    expect(date.stdout).toBe('');
  });

  it.each([
    ['--password', (t: string) => ['--password', t]],
    ['--password=', (t: string) => [`--password=${t}`]],
    ['-p', (t: string) => ['-p', t]],
    ['--token', (t: string) => ['--token', t]],
    ['a positional token', (t: string) => [t]],
  ])('a token given with %s is refused with exit 2, saying why and how, and is never shown', async (_, place) => {
    const result = await check(place(PATS.aliceWrite.secret));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/process lists .* job logs/);
    expect(result.stderr).toMatch(/DOCKER_PAT, or the name given with --token-env NAME.*--password-stdin/);
    expect(result.stdout).toBe('');
  });
});

describe('docker-pat check', () => {
  it('passes when the token fits: exit 0, the proof per repository, no colour in a pipe', async () => {
    const result = await check(['--needs', 'push', '--repository', 'alice/app'], { token: PATS.aliceWrite.secret });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`docker-pat check: alice @ ${sb.registry.host} (Docker Hub)`);
    expect(result.stdout).toMatch(/token +personal access token, permission repo:write/);
    expect(result.stdout).toMatch(/alice\/app +pull,push +pull,push +ok/);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('OK    the token fits the job.');
    expect(result.stdout).not.toContain(ESC);
  });

  it('reads the token from --token-env NAME or --password-stdin', async () => {
    const named = await check(['--token-env', 'HUB_TOKEN', '--repository', 'alice/site'], { env: { HUB_TOKEN: PATS.aliceRead.secret } });
    expect(named.code).toBe(0);
    const piped = await check(['--password-stdin', '--repository', 'alice/site'], { stdin: `${PATS.aliceRead.secret}\n` });
    expect(piped.code).toBe(0);
    const unset = await check(['--token-env', 'HUB_TOKEN']);
    expect(unset.code).toBe(1);
    expect(unset.stderr).toMatch(/^ERROR empty-secret: HUB_TOKEN is not set; docker-pat reads the token from this environment variable\./);
  });

  it.each([
    ['bad-credentials', () => ({ args: [], token: PATS.aliceDeleted.secret })],
    ['expired', () => ({ args: [], token: PATS.aliceExpired.secret })],
    ['insufficient-scope', () => ({ args: ['--needs', 'push', '--repository', 'alice/app'], token: PATS.aliceRead.secret })],
    ['password-not-allowed', () => ({ args: [], token: ACCOUNTS.bob.password, username: 'bob' })],
    ['tls', () => ({ args: [], token: PATS.aliceRead.secret, registry: `https://${sb.registry.host}` })],
  ])('fails with %s: exit 1, the code, the fix, the dotenv and the JSON say so', async (code, scenario) => {
    const { args, token, username = 'alice', registry = sb.registry.host } = scenario() as { args: string[]; token: string; username?: string; registry?: string };
    const check = (more: string[], run: Run) => dockerPat(['check', '--registry', registry, '--username', username, ...more], run);
    const dotenv = join(work, `${code}.env`);
    const result = await check([...args, '--dotenv', dotenv], { token });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^ERROR ${code}: .+\\n {6}fix: .+`, 'm'));
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(`ERROR check failed (${code}); exit code 1.`);
    expect(dotenvOf(await readRecorded(dotenv))).toMatchObject({ DOCKER_PAT_VERDICT: 'error', DOCKER_PAT_ERROR: code });
    const json = await check([...args, '--json'], { token });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ command: 'check', verdict: 'error', exitCode: 1, error: { code } });
  });

  it('fails with unreachable when nothing listens, and empty-secret without a token', async () => {
    const port = await closedPort();
    const unreachable = await dockerPat(['check', '--registry', `127.0.0.1:${port}`, '--username', 'alice'], { token: PATS.aliceRead.secret });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout).toMatch(new RegExp(`^ERROR unreachable: 127\\.0\\.0\\.1:${port} `, 'm'));
    const empty = await check([]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/^ERROR empty-secret: DOCKER_PAT is not set/);
    const emptyJson = await check(['--json'], { env: { DOCKER_PAT: '  ' } });
    expect(emptyJson.code).toBe(1);
    expect(JSON.parse(emptyJson.stdout)).toMatchObject({ command: 'check', verdict: 'error', exitCode: 1, error: { code: 'empty-secret', field: 'DOCKER_PAT' } });
  });

  it('fails with rate-limited and registry-error when the services keep failing', async () => {
    sb.injectFault('auth', { kind: '429', retryAfter: 0 }, { times: 20 });
    sb.injectFault('hub', { kind: '429', retryAfter: 0 }, { times: 20 });
    const limited = await check(['--repository', 'alice/app'], { token: PATS.aliceRead.secret });
    expect(limited.code).toBe(1);
    expect(limited.stdout).toMatch(/^ERROR rate-limited: /m);
    sb.clearFaults();
    sb.injectFault('registry', { kind: '5xx', status: 502 }, { times: 20 });
    const broken = await check(['--repository', 'alice/app'], { token: PATS.aliceRead.secret });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^ERROR registry-error: /m);
  });

  it('warnings only exit 3, and 1 with --strict', async () => {
    const admin = await check(['--repository', 'alice/app'], { token: PATS.aliceAdmin.secret });
    expect(admin.code).toBe(3);
    expect(admin.stdout).toMatch(/^WARN {2}over-privileged: /m);
    expect(admin.stdout.trimEnd().split('\n').at(-1)).toBe('WARN  the token fits the job. 1 warning(s); exit code 3 (--strict makes warnings fail).');
    const strict = await check(['--repository', 'alice/app', '--strict'], { token: PATS.aliceAdmin.secret });
    expect(strict.code).toBe(1);
    expect(strict.stdout.trimEnd().split('\n').at(-1)).toBe('ERROR check failed (1 warning(s) with --strict); exit code 1.');
  });

  it('--expires-at within --expiry-warning-days warns with the date; a later date does not', async () => {
    const soon = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const warned = await check(['--expires-at', soon, '--dotenv', join(work, 'soon.env')], { token: PATS.aliceRead.secret });
    expect(warned.code).toBe(3);
    expect(warned.stdout).toMatch(/^WARN {2}expires-soon: /m);
    expect(warned.stdout).toMatch(new RegExp(`expires +${soon} \\(in [45] days\\) \\(from user\\)`));
    const env = dotenvOf(await readRecorded(join(work, 'soon.env')));
    expect(env.DOCKER_PAT_EXPIRES_AT?.slice(0, 10)).toBe(soon);
    expect(env.DOCKER_PAT_WARNINGS).toBe('expires-soon');
    const quiet = await check(['--expires-at', soon, '--expiry-warning-days', '2'], { token: PATS.aliceRead.secret });
    expect(quiet.code).toBe(0);
  });

  it('with the Docker Hub account credential, reports the token data from the management API', async () => {
    const result = await check(['--repository', 'alice/app', '--json', '--dotenv', join(work, 'hub.env')], {
      token: PATS.aliceExpiresSoon.secret,
      env: { DOCKER_PAT_HUB_PASSWORD: ACCOUNTS.alice.password },
    });
    expect(result.code).toBe(3);
    const json = JSON.parse(result.stdout) as { health: Record<string, { known: boolean; value: unknown; source: string }>; findings: Array<{ code: string }> };
    expect(json.health.label).toEqual({ known: true, value: PATS.aliceExpiresSoon.label, source: 'hub-api' });
    expect(json.health.expiresAt).toMatchObject({ known: true, source: 'hub-api' });
    expect(json.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['expires-soon', 'over-privileged']));
    const env = dotenvOf(await readRecorded(join(work, 'hub.env')));
    expect(env).toMatchObject({ DOCKER_PAT_VERDICT: 'warning', DOCKER_PAT_SCOPE: 'repo:write', DOCKER_PAT_GRANTED: 'alice/app:pull', DOCKER_PAT_TOKEN_TYPE: 'pat' });
    expect(Number(env.DOCKER_PAT_DAYS_UNTIL_EXPIRY)).toBeLessThanOrEqual(3);
    expect(env.DOCKER_PAT_WARNINGS?.split(',').sort()).toEqual(['expires-soon', 'over-privileged']);
  });

  it('--dotenv writes the non-secret results as single-line KEY=value for GitLab', async () => {
    const file = join(work, 'ok.env');
    const result = await check(['--needs', 'push', '--repository', 'alice/app', '--repository', 'alpine:pull', '--dotenv', file], { token: PATS.aliceWrite.secret });
    expect(result.code).toBe(0);
    const text = await readRecorded(file);
    for (const line of text.trimEnd().split('\n')) expect(line).toMatch(/^DOCKER_PAT_[A-Z_]+=[^\s$]*$/);
    expect(dotenvOf(text)).toEqual({
      DOCKER_PAT_VERDICT: 'ok',
      DOCKER_PAT_ERROR: '',
      DOCKER_PAT_REGISTRY: sb.registry.host,
      DOCKER_PAT_TOKEN_TYPE: 'pat',
      DOCKER_PAT_SCOPE: 'repo:write',
      DOCKER_PAT_GRANTED: 'alice/app:pull,push;library/alpine:pull',
      DOCKER_PAT_EXPIRES_AT: '',
      DOCKER_PAT_DAYS_UNTIL_EXPIRY: '',
      DOCKER_PAT_WARNINGS: '',
    });
  });

  it('--json prints one document and nothing else', async () => {
    const result = await check(['--needs', 'push', '--repository', 'alice/app', '--json'], { token: PATS.aliceWrite.secret });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      schemaVersion: 1,
      command: 'check',
      verdict: 'ok',
      exitCode: 0,
      kind: 'dockerhub',
      username: 'alice',
      tokenType: 'pat',
      repositories: [{ name: 'alice/app', needed: ['pull', 'push'], granted: ['pull', 'push'], ok: true }],
      error: null,
    });
  });

  it('in GitLab (GITLAB_CI=true): details in a collapsed section, coloured WARN lines, NO_COLOR honoured', async () => {
    const gitlab = await check(['--repository', 'alice/app'], { token: PATS.aliceAdmin.secret, env: { GITLAB_CI: 'true' } });
    expect(gitlab.code).toBe(3);
    expect(gitlab.stdout).toMatch(new RegExp(`^\\u001b\\[0Ksection_start:\\d+:docker_pat_check\\[collapsed=true\\]\\r\\u001b\\[0K`));
    expect(gitlab.stdout).toMatch(new RegExp(`\\u001b\\[0Ksection_end:\\d+:docker_pat_check\\r\\u001b\\[0K\\n`));
    expect(gitlab.stdout).toContain(`${ESC}[1;93mWARN ${ESC}[0m over-privileged: `);
    expect(gitlab.stdout.indexOf('section_end')).toBeLessThan(gitlab.stdout.indexOf('over-privileged'));
    const plain = await check(['--repository', 'alice/app'], { token: PATS.aliceAdmin.secret, env: { GITLAB_CI: 'true', NO_COLOR: '1' } });
    expect(plain.stdout).toContain('section_start:');
    expect(plain.stdout).not.toContain(`${ESC}[1;93m`);
  });

  it('warns when GitLab debug tracing (CI_DEBUG_TRACE) would print the token', async () => {
    const traced = await check(['--repository', 'alice/site'], { token: PATS.aliceRead.secret, env: { CI_DEBUG_TRACE: 'true' } });
    expect(traced.code).toBe(0);
    expect(traced.stderr).toMatch(/^WARN {2}CI_DEBUG_TRACE is on: GitLab prints every variable, the token included, in this job log\.\n {6}fix: /);
    expect((await check(['--repository', 'alice/site'], { token: PATS.aliceRead.secret })).stderr).toBe('');
  });

  it('colours a terminal, unless NO_COLOR is set', async () => {
    const onTerminal = async (env: NodeJS.ProcessEnv) => {
      const command = `"${process.execPath}" "${cli}" check --registry ${sb.registry.host} --username alice --repository alice/app`;
      const { stdout } = await execFileAsync('script', ['-qec', command, '/dev/null'], {
        env: { ...baseEnv(work), ...sb.env, DOCKER_PAT: PATS.aliceAdmin.secret, ...env },
      }).catch((error: { stdout: string; code: number }) => ({ stdout: error.stdout, code: error.code }));
      canary.record(stdout);
      return stdout;
    };
    expect(await onTerminal({})).toContain(`${ESC}[1;93mWARN`);
    const uncoloured = await onTerminal({ NO_COLOR: '1' });
    expect(uncoloured).toContain('WARN  over-privileged');
    expect(uncoloured).not.toContain(`${ESC}[`);
  });

  it('never prints a token, base64(user:token), a password or a JWT', () => {
    expect(canary.recorded).toBeGreaterThan(40);
    canary.expectNoLeak();
  });
});
