import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { totpFromBase32 } from '../../src/core/totp.js';
import { ACCOUNTS, OATS, PATS } from '../sandbox/fixtures.js';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { baseEnv, cliBundle, runNode, type CliResult } from './cli-bundle.js';
import { Canary } from './cli-canary.js';

let sb: Sandbox;
let cli: string;
let work: string;
const canary = new Canary();
canary.watch(ACCOUNTS.alice.password);
canary.watch(ACCOUNTS.bob.password);
canary.watch(ACCOUNTS.bob.totpSecret);
for (const pat of Object.values(PATS)) canary.watch(pat.secret, pat.owner);
for (const oat of Object.values(OATS)) canary.watch(oat.secret, oat.org);

beforeAll(async () => {
  [sb, cli] = await Promise.all([startSandbox(), cliBundle()]);
  work = await mkdtemp(join(tmpdir(), 'cli-audit-'));
}, 240_000);

afterAll(async () => {
  await sb?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

async function audit(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const result = await runNode(cli, ['audit', ...args], { env: { ...baseEnv(work), ...sb.env, ...env }, cwd: work });
  canary.record(result.stdout, result.stderr);
  return result;
}

const alicePassword = { DOCKER_PAT_HUB_PASSWORD: ACCOUNTS.alice.password };

/** Runs audit on a pseudo-terminal (script(1)) and types each answer once its prompt shows. */
function auditOnTerminal(args: string[], answers: Array<{ after: string; type: string }>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, cli, 'audit', ...args].map((part) => `'${part}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...baseEnv(work), ...sb.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const pending = [...answers];
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const next = pending[0];
      if (next !== undefined && output.includes(next.after)) {
        pending.shift();
        child.stdin.write(next.type);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      child.stdin.end();
      canary.record(output);
      resolve({ code, output });
    });
  });
}

describe('docker-pat audit', () => {
  it("lists every token of the account, most urgent first, with each finding's fix; errors exit 1", async () => {
    const result = await audit(['--username', 'alice'], alicePassword);
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    const active = Object.values(PATS).filter((p) => p.owner === 'alice' && !p.deleted);
    expect(lines[0]).toBe(`docker-pat audit: ${active.length} personal access token(s) of alice`);
    expect(lines[1]).toMatch(/^ {2}label +type +permission +created +last used +expires +status +findings$/);
    expect(lines[2]).toMatch(/^ {2}(old ci|paused ci) +personal +repo:write +/);
    expect(result.stdout).toMatch(/^ {2}forgotten +personal +repo:read +\S+ +never +\S+ +active +unused$/m);
    expect(result.stdout).toMatch(/^ERROR \[old ci\] expired: /m);
    expect(result.stdout).toMatch(/^ERROR \[paused ci\] inactive: /m);
    expect(result.stdout).toMatch(/^WARN {2}\[nightly\] expires-soon: /m);
    expect(result.stdout).toMatch(/^WARN {2}auto-generated-limit: /m);
    expect(result.stdout).toMatch(/^ {6}fix: /m);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toMatch(/^ERROR 2 error\(s\), \d+ warning\(s\); exit code 1\.$/);
  });

  it('--json: one document with every token, the findings and the counts', async () => {
    const result = await audit(['--username', 'alice', '--json', '--unused-days', '365'], alicePassword);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as { tokens: Array<{ label: string; findings: Array<{ code: string }> }>; counts: Record<string, number> };
    expect(json).toMatchObject({ schemaVersion: 1, command: 'audit', verdict: 'error', exitCode: 1, account: 'alice', scope: 'personal' });
    const stale = json.tokens.find((t) => t.label === 'stale deploy');
    expect(stale?.findings.map((f) => f.code)).not.toContain('unused');
    expect(json.counts).toMatchObject({ error: 2, expired: 1, inactive: 1 });
  });

  it("an organization's tokens; warnings only exit 3, and 1 with --strict", async () => {
    const result = await audit(['--username', 'alice', '--organization', 'acme'], alicePassword);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('docker-pat audit: 2 organization access token(s) of acme');
    expect(result.stdout).toMatch(/^ {2}acme pull +organization +acme\/app:repo-pull +/m);
    expect((await audit(['--username', 'alice', '--organization', 'acme', '--strict'], alicePassword)).code).toBe(1);
  });

  it('a 2FA account with its TOTP secret from the environment; without it, exit 1 naming the variable', async () => {
    const result = await audit(['--username', 'bob'], { DOCKER_PAT_HUB_PASSWORD: ACCOUNTS.bob.password, DOCKER_PAT_HUB_TOTP_SECRET: ACCOUNTS.bob.totpSecret });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}bob ci +personal +repo:write /m);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('OK    no token needs attention.');
    const missing = await audit(['--username', 'bob'], { DOCKER_PAT_HUB_PASSWORD: ACCOUNTS.bob.password });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^ERROR bad-input: DOCKER_PAT_HUB_TOTP_SECRET: Docker Hub account bob has two-factor authentication/);
  });

  it('a wrong password is bad-credentials; no password and no terminal is empty-secret', async () => {
    const wrong = await audit(['--username', 'alice'], { DOCKER_PAT_HUB_PASSWORD: 'not-the-password' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^ERROR bad-credentials: /);
    const none = await audit(['--username', 'alice', '--json']);
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout)).toMatchObject({ command: 'audit', verdict: 'error', error: { code: 'empty-secret', field: 'DOCKER_PAT_HUB_PASSWORD' } });
  });

  it('on a terminal, asks for the password and the 2FA code with the input hidden', async () => {
    const code = totpFromBase32(ACCOUNTS.bob.totpSecret, new Date());
    canary.watch(code);
    const { code: exit, output } = await auditOnTerminal(['--username', 'bob'], [
      { after: 'Docker Hub password for bob: ', type: `${ACCOUNTS.bob.password}\r` },
      { after: 'Two-factor code', type: `${code}\r` },
    ]);
    expect(output).toContain('Docker Hub password for bob: ');
    expect(output).toContain('Two-factor code (press Enter if the account has no 2FA): ');
    expect(output).toContain('bob ci');
    expect(exit).toBe(0);
  });

  it('never prints a password, TOTP secret or code, token or JWT', () => {
    expect(canary.recorded).toBeGreaterThan(10);
    canary.expectNoLeak();
  });
});
