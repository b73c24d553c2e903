/**
 * `mode: audit` from the committed bundle: the fake Hub's management API lists the tokens, and a
 * local fake of the GitHub issues API (reached through @actions/github with GITHUB_API_URL)
 * receives the audit issue.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { ACCOUNTS } from '../sandbox/fixtures.js';
import { auditIssueTitle, AUDIT_ISSUE_LABEL } from '../../src/github/audit-issue.js';
import { expectNoSecretLeak } from './action-canary.js';
import { seedIssue, startFakeGitHub, type FakeGitHub } from './action-fake-github.js';
import { FAKE_JOB_TOKEN, runJob, type JobResult } from './action-runner.js';

let sb: Sandbox;
let github: FakeGitHub;
const results: JobResult[] = [];

beforeAll(async () => {
  sb = await startSandbox();
});

beforeEach(async () => {
  github = await startFakeGitHub({ repository: 'octo/infra', token: FAKE_JOB_TOKEN });
});

afterEach(async () => {
  await github.stop();
  for (const result of results.splice(0)) result.cleanup();
});

afterAll(async () => {
  await sb.stop();
});

async function audit(inputs: Record<string, string>): Promise<JobResult> {
  const result = await runJob({
    inputs: { mode: 'audit', ...inputs },
    env: { ...sb.env, GITHUB_API_URL: github.url, GITHUB_SERVER_URL: 'https://github.example', GITHUB_RUN_ID: '42' },
  });
  results.push(result);
  return result;
}

const alice = { username: 'alice', 'hub-password': ACCOUNTS.alice.password };
const bob = { username: 'bob', 'hub-password': ACCOUNTS.bob.password, 'hub-totp-secret': ACCOUNTS.bob.totpSecret ?? '' };

describe('audit mode', () => {
  it('lists every token by urgency in the summary and fails on tokens that are errors', async () => {
    const result = await audit(alice);
    expect(result.main.exitCode).toBe(1);
    expect(result.summary).toContain('### docker-pat audit: alice');
    expect(result.summary).toContain('| Token | Type | Permission | Created | Last used | Expires | Status | Findings |');
    const rows = result.summary.split('\n').filter((line) => /^\| (?!Token|---)/.test(line));
    // Errors first: the expired and the deactivated token lead the table.
    expect(rows.slice(0, 2).map((row) => row.split('|')[1]?.trim()).sort()).toEqual(['old ci', 'paused ci']);
    expect(result.summary).toContain('auto-generated-limit');
    expect(result.main.stdout).toMatch(/^::error title=audit::audit: /m);
    expect(result.main.stdout).toMatch(/^::warning title=expires-soon::expires-soon: .*nightly/m);
    expect(JSON.parse(result.outputs.warnings ?? '')).toEqual(expect.arrayContaining(['expires-soon', 'unused', 'auto-generated-limit']));
    expect(github.requests).toEqual([]);
    expectNoSecretLeak(result, [ACCOUNTS.alice.password, FAKE_JOB_TOKEN]);
  });

  it('opens one issue listing what needs attention, then updates it on the next run', async () => {
    const first = await audit({ ...alice, 'report-issue': 'true' });
    expect(first.main.stdout).toMatch(/Audit issue #1 opened/);
    expect(github.issues).toHaveLength(1);
    const issue = github.issues[0];
    expect(issue).toMatchObject({ title: auditIssueTitle('alice'), state: 'open', labels: [AUDIT_ISSUE_LABEL] });
    expect(issue?.body).toContain('**expired** (old ci)');
    expect(issue?.body).toContain('**expires-soon** (nightly)');
    expect(issue?.body).toContain('Latest run: https://github.example/octo/infra/actions/runs/42');
    expect(github.requests.every((r) => r.authorized)).toBe(true);

    const second = await audit({ ...alice, 'report-issue': 'true' });
    expect(second.main.stdout).toMatch(/Audit issue #1 updated/);
    expect(github.issues).toHaveLength(1);
    for (const result of [first, second]) expectNoSecretLeak(result, [ACCOUNTS.alice.password, FAKE_JOB_TOKEN]);
  });

  it('closes the issue once nothing needs attention (a 2FA account, code computed from its TOTP secret)', async () => {
    seedIssue(github, { title: auditIssueTitle('bob'), body: 'bob ci expires soon', state: 'open', labels: [AUDIT_ISSUE_LABEL] });
    const result = await audit({ ...bob, 'report-issue': 'true' });
    expect(result.main.exitCode).toBe(0);
    expect(result.summary).toContain('Nothing needs attention.');
    expect(result.main.stdout).toMatch(/Audit issue #1 closed/);
    expect(github.issues[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expectNoSecretLeak(result, [ACCOUNTS.bob.password, ACCOUNTS.bob.totpSecret ?? '', FAKE_JOB_TOKEN]);
  });

  it('audits an organization\'s access tokens', async () => {
    const result = await audit({ ...alice, organization: 'acme', 'unused-days': '30' });
    expect(result.summary).toContain('### docker-pat audit: organization acme');
    expect(result.summary).toMatch(/\| acme pull \| organization \|/);
    expect(result.summary).toContain('**unused** (acme pull)');
    expectNoSecretLeak(result, [ACCOUNTS.alice.password]);
  });

  it('fails with the failure code when the account password is wrong', async () => {
    const result = await audit({ username: 'alice', 'hub-password': 'not-the-password' });
    expect(result.main.exitCode).toBe(1);
    expect(result.main.stdout).toMatch(/^::error title=bad-credentials::bad-credentials: /m);
    expectNoSecretLeak(result, ['not-the-password', ACCOUNTS.alice.password]);
  });

  it('names the missing permission when GitHub refuses the issue', async () => {
    github.refuseWith = 403;
    const result = await audit({ ...bob, 'report-issue': 'true' });
    expect(result.main.exitCode).toBe(1);
    expect(result.main.stdout).toMatch(/^::error title=bad-credentials::bad-credentials: report-issue: .*issues: write/m);
    expectNoSecretLeak(result, [ACCOUNTS.bob.password, FAKE_JOB_TOKEN]);
  });

  it('keeps a secret pasted into a token label out of the issue, which is as public as a log', async () => {
    // Runs last: the extra token stays in this file's sandbox.
    const session = await fetch(`${sb.hubApiUrl}/v2/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: 'alice', secret: ACCOUNTS.alice.password }),
    }).then((res) => res.json() as Promise<{ access_token: string }>);
    const created = await fetch(`${sb.hubApiUrl}/v2/access-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.access_token}` },
      body: JSON.stringify({ token_label: `pasted ${ACCOUNTS.alice.password} by mistake`, scopes: ['repo:read'] }),
    });
    expect(created.status).toBe(201);
    const result = await audit({ ...alice, 'report-issue': 'true' });
    const body = github.issues[0]?.body ?? '';
    expect(body).toContain('pasted *** by mistake');
    expect(body.includes(ACCOUNTS.alice.password) ? 'the password is in the issue' : 'clean').toBe('clean');
    expectNoSecretLeak(result, [ACCOUNTS.alice.password, FAKE_JOB_TOKEN]);
  });
});
