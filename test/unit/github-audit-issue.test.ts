import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import { DockerPatError } from '../../src/core/index.js';
import { AUDIT_ISSUE_LABEL, auditIssueTitle, syncAuditIssue, type IssueTarget } from '../../src/github/audit-issue.js';
import { seedIssue, startFakeGitHub, type FakeGitHub } from '../e2e/action-fake-github.js';
import { rejection } from '../support/docker-pat-error.js';
import { closedPort, closeServer, listenOnLoopback } from '../support/loopback-server.js';

const repository = 'octo/infra';
const token = 'ghs_fakeJobToken0000000000000000000001';
let github: FakeGitHub;
let target: IssueTarget;

beforeEach(async () => {
  github = await startFakeGitHub({ repository, token });
  target = { apiUrl: github.url, repository, token };
});

afterEach(async () => {
  await github.stop();
});

describe('audit issue', () => {
  it('opens one labelled issue when something needs attention', async () => {
    const outcome = await syncAuditIssue(target, { account: 'alice', attention: 'nightly expires in 3 days' });
    expect(outcome).toMatchObject({ action: 'opened', number: 1 });
    expect(github.issues).toEqual([expect.objectContaining({ title: auditIssueTitle('alice'), body: 'nightly expires in 3 days', state: 'open', labels: [AUDIT_ISSUE_LABEL] })]);
    expect(github.requests.every((r) => r.authorized)).toBe(true);
  });

  it('updates the open issue instead of opening another', async () => {
    await syncAuditIssue(target, { account: 'alice', attention: 'first' });
    const outcome = await syncAuditIssue(target, { account: 'alice', attention: 'second' });
    expect(outcome).toMatchObject({ action: 'updated', number: 1 });
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]?.body).toBe('second');
  });

  it('closes the issue with a comment once nothing needs attention, and then does nothing', async () => {
    await syncAuditIssue(target, { account: 'alice', attention: 'first' });
    expect(await syncAuditIssue(target, { account: 'alice', attention: undefined })).toMatchObject({ action: 'closed', number: 1 });
    expect(github.issues[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(github.issues[0]?.comments).toHaveLength(1);
    expect(await syncAuditIssue(target, { account: 'alice', attention: undefined })).toEqual({ action: 'none' });
  });

  it('keeps accounts apart and ignores pull requests and other titles', async () => {
    seedIssue(github, { title: auditIssueTitle('alice'), body: 'a PR', state: 'open', labels: [AUDIT_ISSUE_LABEL], isPullRequest: true });
    seedIssue(github, { title: auditIssueTitle('acme'), body: 'acme tokens', state: 'open', labels: [AUDIT_ISSUE_LABEL] });
    expect(await syncAuditIssue(target, { account: 'alice', attention: 'alice tokens' })).toMatchObject({ action: 'opened', number: 3 });
    expect(github.issues.map((i) => i.body)).toEqual(['a PR', 'acme tokens', 'alice tokens']);
  });

  it('finds its issue beyond the first page of open issues', async () => {
    for (let i = 0; i < 120; i++) seedIssue(github, { title: `other ${i}`, body: '', state: 'open', labels: [AUDIT_ISSUE_LABEL] });
    const mine = seedIssue(github, { title: auditIssueTitle('alice'), body: 'old', state: 'open', labels: [AUDIT_ISSUE_LABEL] });
    expect(await syncAuditIssue(target, { account: 'alice', attention: 'new' })).toMatchObject({ action: 'updated', number: mine.number });
    expect(github.requests.filter((r) => r.method === 'GET')).toHaveLength(2);
  });

  it('turns a refusal into an error that names the missing permission and never the token', async () => {
    github.refuseWith = 403;
    const error = await syncAuditIssue(target, { account: 'alice', attention: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockerPatError);
    expect((error as DockerPatError).code).toBe('bad-credentials');
    expect((error as DockerPatError).fix).toContain('issues: write');
    expect(JSON.stringify(error) + String(error)).not.toContain(token);
  });

  it('gives up on a GitHub API that never answers, within its time bound, as timeout', async () => {
    const silent = createServer(() => undefined);
    const { host } = await listenOnLoopback(silent);
    try {
      const error = await rejection(syncAuditIssue({ ...target, apiUrl: `http://${host}`, timeoutMs: 300 }, { account: 'alice', attention: 'x' }));
      expect(error).toMatchObject({ code: 'timeout', field: 'report-issue' });
    } finally {
      await closeServer(silent);
    }
  });

  it('reports a GitHub API that cannot be reached as unreachable, not as an HTTP answer', async () => {
    const error = await rejection(syncAuditIssue({ ...target, apiUrl: `http://127.0.0.1:${await closedPort()}` }, { account: 'alice', attention: 'x' }));
    expect(error.code).toBe('unreachable');
    expect(error.message).not.toMatch(/HTTP/);
  });

  it('rejects a GITHUB_REPOSITORY that is not owner/name', async () => {
    await expect(syncAuditIssue({ ...target, repository: 'nope' }, { account: 'alice', attention: 'x' })).rejects.toMatchObject({ code: 'bad-input' });
  });
});
