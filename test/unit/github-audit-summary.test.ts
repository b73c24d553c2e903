import { describe, expect, it } from '@jest/globals';
import type { AuditReport } from '../../src/core/index.js';
import { renderAuditIssueBody, renderAuditSummary } from '../../src/github/audit-summary.js';

const expiresSoon = { code: 'expires-soon', severity: 'warning', message: 'nightly expires on 2030-01-04, in 3 days.', fix: 'Create a new token before then.', token: 'nightly' } as const;
const expiryUnknown = { code: 'no-expiry', severity: 'notice', message: 'forever never expires.', fix: 'Prefer tokens with an expiry.', token: 'forever' } as const;

function report(findings: AuditReport['findings']): AuditReport {
  return {
    account: 'alice',
    scope: 'personal',
    generatedAt: '2030-01-01T00:00:00.000Z',
    tokens: [
      { label: 'nightly', kind: 'personal', permission: 'repo:write', createdAt: '2029-10-06T00:00:00Z', lastUsed: '2029-12-31T00:00:00Z', expiresAt: '2030-01-04T00:00:00Z', status: 'active', findings: findings.filter((f) => f.token === 'nightly') },
      { label: 'forever', kind: 'personal', permission: 'repo:read', createdAt: '2029-11-22T00:00:00Z', lastUsed: null, expiresAt: null, status: 'active', findings: findings.filter((f) => f.token === 'forever') },
    ],
    findings,
    counts: { tokens: 2, active: 2, inactive: 0, expired: 0, error: 0, warning: findings.filter((f) => f.severity === 'warning').length, notice: findings.filter((f) => f.severity === 'notice').length },
  };
}

describe('audit summary', () => {
  it('shows every token in the order the core ranked them, with dates and findings', () => {
    const markdown = renderAuditSummary(report([expiresSoon, expiryUnknown]));
    expect(markdown).toContain('### docker-pat audit: alice');
    expect(markdown).toContain('2 tokens: 2 active, 0 inactive, 0 expired. Findings: 0 errors, 1 warnings, 1 notices.');
    const nightly = markdown.indexOf('| nightly | personal | repo:write | 2029-10-06 | 2029-12-31 | 2030-01-04 | active | ⚠️ expires-soon |');
    const forever = markdown.indexOf('| forever | personal | repo:read | 2029-11-22 | never | never | active | ℹ️ no-expiry |');
    expect(nightly).toBeGreaterThan(-1);
    expect(forever).toBeGreaterThan(nightly);
    expect(markdown).toContain(`- ⚠️ **expires-soon** (nightly): ${expiresSoon.message} ${expiresSoon.fix}`);
  });

  it('says when nothing needs attention', () => {
    expect(renderAuditSummary(report([expiryUnknown]))).toContain('Nothing needs attention.');
  });
});

describe('audit issue body', () => {
  it('lists what needs attention and links the run', () => {
    const body = renderAuditIssueBody(report([expiresSoon, expiryUnknown]), 'https://github.com/octo/infra/actions/runs/7');
    expect(body).toContain('found 1 thing(s) to fix');
    expect(body).toContain('**expires-soon** (nightly)');
    expect(body).not.toContain('**no-expiry**');
    expect(body).toContain('Latest run: https://github.com/octo/infra/actions/runs/7');
  });

  it('is undefined when only notices remain, so the issue closes', () => {
    expect(renderAuditIssueBody(report([expiryUnknown]), undefined)).toBeUndefined();
  });
});
