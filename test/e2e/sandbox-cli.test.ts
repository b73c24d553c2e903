/**
 * `npm run sandbox` end to end: the CLI runs in a child process (node with tsx's loader, which is
 * what the npm script's `tsx` starts) with a temp dir of its own. The test reads the endpoints and
 * credentials it prints, uses them for real (HTTP and the docker CLI), stops it the way a person
 * or a supervisor would, and proves it leaves no file and no process behind.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwtClaims, readHubTokenClaims } from '../../src/core/jwt.js';
import { ACCOUNTS, GHCR_TOKENS, GITLAB_TOKENS, OATS, PATS } from '../sandbox/fixtures.js';
import { PROJECT_ROOT } from './action-runner.js';
import { processesUsing } from '../support/processes-using.js';
import { runDocker, type DockerRun } from '../support/docker-cli.js';

const RUN_TIMEOUT_MS = 20_000;
const READY_LINE = 'Press Ctrl-C to stop.';

/** The credential rows the CLI is meant to print: user and secret, exactly the fixtures'. */
const MEANT_TO_PRINT: Array<[string, string]> = [
  [ACCOUNTS.alice.username, ACCOUNTS.alice.password],
  [ACCOUNTS.bob.username, ACCOUNTS.bob.password],
  ...[PATS.alicePublicRead, PATS.aliceRead, PATS.aliceWrite, PATS.aliceAdmin, PATS.aliceExpired, PATS.aliceExpiresSoon].map((pat): [string, string] => [pat.owner, pat.secret]),
  [OATS.acmeCi.org, OATS.acmeCi.secret],
  [GITLAB_TOKENS.registryRead.username, GITLAB_TOKENS.registryRead.secret],
  [GITLAB_TOKENS.registryWrite.username, GITLAB_TOKENS.registryWrite.secret],
  [GHCR_TOKENS.classic.username, GHCR_TOKENS.classic.secret],
];
const PRINTED_SECRETS = [...MEANT_TO_PRINT.map(([, secret]) => secret), ACCOUNTS.bob.totpSecret];
const EVERY_FIXTURE_SECRET = [
  ...Object.values(ACCOUNTS).flatMap((account) => [account.password, ...('totpSecret' in account ? [account.totpSecret] : [])]),
  ...[PATS, OATS, GITLAB_TOKENS, GHCR_TOKENS].flatMap((group) => Object.values(group).map((token) => token.secret)),
];
const TOKEN_SHAPE = /dckr_(?:pat|oat)_\w+|glpat-[\w-]+|gh[pousr]_\w+/;
const tokenShaped = (text: string): string[] => text.match(new RegExp(TOKEN_SHAPE.source, 'g')) ?? [];
const JWT_SHAPE = /eyJ[\w-]{4,}\.eyJ[\w-]{4,}\.[\w-]+/;
const UNRELATED_REGISTRY = 'unrelated.example';

const dirs: string[] = [];
const running: ChildProcess[] = [];
afterEach(() => {
  // The whole group, even when the CLI itself has exited: a failed stop can leave its registry running.
  for (const child of running.splice(0)) {
    if (child.pid === undefined) continue;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Nothing left in the group.
    }
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

interface SandboxCli {
  /** Resolves with what it printed once it says it is ready. */
  ready: Promise<string>;
  /** Resolves when it has exited and closed its output. */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  /** Ctrl-C in a terminal: SIGINT to the whole foreground process group. */
  pressCtrlC(): void;
  /** `kill PID`, as a supervisor does: SIGTERM to the CLI alone. */
  terminate(): void;
  /** Its TMPDIR: everything it creates goes there. */
  temp: string;
}

function startSandboxCli(): SandboxCli {
  const temp = tempDir('sandbox-cli-test-tmp-');
  const home = tempDir('sandbox-cli-test-home-');
  // tsx keeps a transform cache in TMPDIR; off, so whatever is left there is the sandbox's.
  const env = { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', TMPDIR: temp, TSX_DISABLE_CACHE: '1' };
  // Its own process group, like a command started from a shell, so Ctrl-C can be sent to the group.
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/sandbox/cli.ts'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.push(child);
  const pid = child.pid ?? 0;
  let stdout = '';
  let stderr = '';
  const timer = setTimeout(() => process.kill(-pid, 'SIGKILL'), RUN_TIMEOUT_MS);
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes(READY_LINE)) resolve(stdout);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    void closed.then((end) => reject(new Error(`the sandbox CLI exited (${end.code ?? end.signal}) before it was ready:\n${end.stdout}${end.stderr}`)));
  });
  return { ready, closed, pressCtrlC: () => process.kill(-pid, 'SIGINT'), terminate: () => process.kill(pid, 'SIGTERM'), temp };
}

/** The first capture of `pattern` in the printed text. */
function printed(output: string, pattern: RegExp): string {
  const match = pattern.exec(output);
  if (match?.[1] === undefined) throw new Error(`the sandbox CLI did not print ${pattern}:\n${output}`);
  return match[1];
}

interface Endpoints {
  workDir: string;
  registry: string;
  tokenEndpoint: string;
  hubApi: string;
  ghcr: string;
  gitlab: string;
  gitlabApi: string;
  exportedHubApi: string;
}

function endpoints(output: string): Endpoints {
  const url = (label: string): string => printed(output, new RegExp(`^ {2}${label} +(http://\\S+)`, 'm'));
  return {
    workDir: printed(output, /\(work dir (\S+)\)/),
    registry: url('Docker-Hub-like registry'),
    tokenEndpoint: url('fake auth\\.docker\\.io'),
    hubApi: url('fake hub\\.docker\\.com'),
    ghcr: url('GHCR-like registry'),
    gitlab: url('GitLab-like registry'),
    gitlabApi: url('GitLab API'),
    exportedHubApi: printed(output, /^ {2}export DOCKER_PAT_HUB_API_URL=(\S+)$/m),
  };
}

/** User and secret of every row under "Demo credentials", as printed. */
function credentialRows(output: string): Array<[string, string]> {
  const section = output.slice(output.indexOf('Demo credentials'), output.indexOf("bob's TOTP secret"));
  return [...section.matchAll(/^ {2}\S.*? {2,}(\S+) +(\S+)$/gm)].map((match): [string, string] => [match[1] ?? '', match[2] ?? '']);
}

interface TryIt {
  secret: string;
  host: string;
  username: string;
}

function tryItCommand(output: string): TryIt {
  const line = printed(output, /^ {2}(echo .*docker login .*)$/m);
  const match = /^echo '(\S+)' \| DOCKER_CONFIG=\$\(mktemp -d\) docker login (\S+) -u (\S+) --password-stdin$/.exec(line);
  if (match === null) throw new Error(`unexpected "Try it" command: ${line}`);
  return { secret: match[1] ?? '', host: match[2] ?? '', username: match[3] ?? '' };
}

/**
 * The docker CLI, run asynchronously, with a config dir that already has an entry: with none, the
 * CLI would pick the installed docker-credential-pass as its default store.
 */
function dockerLogin(tryIt: TryIt, configDir: string): Promise<DockerRun> {
  writeFileSync(join(configDir, 'config.json'), JSON.stringify({ auths: { [UNRELATED_REGISTRY]: {} } }));
  return runDocker(['login', tryIt.host, '-u', tryIt.username, '--password-stdin'], configDir, tryIt.secret, RUN_TIMEOUT_MS);
}

async function challenge(url: string): Promise<{ status: number; header: string | null }> {
  const res = await fetch(`${url}/v2/`);
  await res.arrayBuffer();
  return { status: res.status, header: res.headers.get('www-authenticate') };
}

describe('npm run sandbox', () => {
  it('prints working endpoints and the demo credentials, and stops on Ctrl-C leaving nothing behind', async () => {
    const cli = startSandboxCli();
    const output = await cli.ready;
    const at = endpoints(output);
    expect(at.workDir.startsWith(`${cli.temp}/`)).toBe(true);
    expect(existsSync(at.workDir)).toBe(true);
    for (const url of output.match(/https?:\/\/\S+/g) ?? []) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+(\/|$)/);
    expect(at.exportedHubApi).toBe(at.hubApi);

    expect(await challenge(at.registry)).toEqual({ status: 401, header: `Bearer realm="${at.tokenEndpoint}",service="registry.docker.io"` });
    expect(await challenge(at.ghcr)).toMatchObject({ status: 401, header: expect.stringContaining('service="ghcr.io"') });
    expect(await challenge(at.gitlab)).toMatchObject({ status: 401, header: expect.stringContaining('service="container_registry"') });

    const [patUser, patSecret] = credentialRows(output).find(([, secret]) => secret === PATS.aliceWrite.secret) ?? [];
    const hubLogin = await fetch(`${at.hubApi}/v2/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: patUser, secret: patSecret }),
    });
    expect(hubLogin.status).toBe(200);
    const { access_token: hubJwt } = (await hubLogin.json()) as { access_token: string };
    expect(readHubTokenClaims(decodeJwtClaims(hubJwt) ?? {})).toMatchObject({ username: 'alice', sourceType: 'pat', sourceId: PATS.aliceWrite.uuid });

    const gitlabRow = credentialRows(output).find(([, secret]) => secret === GITLAB_TOKENS.registryRead.secret);
    const gitlabSelf = await fetch(`${at.gitlabApi}/personal_access_tokens/self`, { headers: { 'private-token': gitlabRow?.[1] ?? '' } });
    expect(gitlabSelf.status).toBe(200);
    expect(await gitlabSelf.json()).toMatchObject({ name: GITLAB_TOKENS.registryRead.name, scopes: ['read_registry'] });

    const tryIt = tryItCommand(output);
    expect(tryIt.host).toBe(new URL(at.registry).host);
    const configDir = tempDir('sandbox-cli-test-docker-');
    const login = await dockerLogin(tryIt, configDir);
    expect({ status: login.status, stdout: login.stdout }).toEqual({ status: 0, stdout: expect.stringContaining('Login Succeeded') });
    const stored = JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8')) as { auths: Record<string, { auth?: string }> };
    expect(Buffer.from(stored.auths[tryIt.host]?.auth ?? '', 'base64').toString()).toBe(`${tryIt.username}:${tryIt.secret}`);

    cli.pressCtrlC();
    const end = await cli.closed;
    expect({ code: end.code, signal: end.signal, stderr: end.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(end.stdout.slice(output.length)).toBe('sandbox stopped\n');
    expect(existsSync(at.workDir)).toBe(false);
    expect(readdirSync(cli.temp)).toEqual([]);
    expect(processesUsing(cli.temp)).toEqual([]);
  });

  it('shows exactly the fixtures it is meant to show, and no other secret', async () => {
    const cli = startSandboxCli();
    const output = await cli.ready;
    // An answer comes from its event loop, so the code after the banner (the signal handlers) has run.
    expect((await challenge(endpoints(output).registry)).status).toBe(401);
    cli.terminate();
    const end = await cli.closed;

    expect(credentialRows(output)).toEqual(MEANT_TO_PRINT);
    expect(output).toContain(`bob's TOTP secret (for the 2FA login): ${ACCOUNTS.bob.totpSecret}\n`);
    expect(tryItCommand(output)).toMatchObject({ secret: PATS.aliceWrite.secret, username: PATS.aliceWrite.owner });
    expect(new Set(tokenShaped(output))).toEqual(new Set(PRINTED_SECRETS.flatMap(tokenShaped)));
    for (const secret of EVERY_FIXTURE_SECRET.filter((value) => !PRINTED_SECRETS.includes(value))) expect(output.includes(secret)).toBe(false);
    for (const [user, secret] of MEANT_TO_PRINT) expect(output).not.toContain(Buffer.from(`${user}:${secret}`).toString('base64'));
    expect(JWT_SHAPE.exec(output)).toBeNull();
    expect(output).not.toMatch(/PRIVATE KEY|[0-9a-f]{32}/);

    expect({ code: end.code, signal: end.signal, stderr: end.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(end.stdout.slice(output.length)).toBe('sandbox stopped\n');
    expect(readdirSync(cli.temp)).toEqual([]);
    expect(processesUsing(cli.temp)).toEqual([]);
  });
});
