import { describe, expect, it } from '@jest/globals';
import { DockerPatError } from '../../src/core/index.js';
import { AUTHENTICATION_ONLY, renderLoginSummary } from '../../src/github/summary.js';
import { FINDINGS, hubReport, opaqueReport } from './github-report.js';

const context = { needs: ['pull', 'push'] as const, dryRun: false };

describe('login summary', () => {
  it('shows user, token type, permission, expiry with days left and each repository', () => {
    const markdown = renderLoginSummary(hubReport(), { ...context, needs: ['pull', 'push'] });
    expect(markdown).toContain('### docker-pat: registry-1.docker.io');
    expect(markdown).toContain('| User | alice |');
    expect(markdown).toContain('| Token type | pat |');
    expect(markdown).toContain('| Permission level | repo:write |');
    expect(markdown).toContain('| Expiry | 2030-03-01, 59 days left (from Docker Hub\'s management API) |');
    expect(markdown).toContain('| Last used | 2029-12-31 |');
    expect(markdown).toContain('| alice/app | pull, push | pull, push | ✅ |');
    expect(markdown).not.toContain(AUTHENTICATION_ONLY);
  });

  it('marks a repository whose grant falls short and states the failure with its fix', () => {
    const error = new DockerPatError('insufficient-scope', 'the job needs pull, push on alice/app, but the token is granted pull.', 'Create a token with Read & Write permission.');
    const report = hubReport({
      permission: 'repo:read',
      repositories: [{ name: 'alice/app', needed: ['pull', 'push'], granted: ['pull'], ok: false, method: 'jwt' }],
      error,
      verdict: 'error',
      credential: undefined,
    });
    const markdown = renderLoginSummary(report, { ...context, needs: ['pull', 'push'] });
    expect(markdown).toContain('| alice/app | pull, push | pull | ❌ |');
    expect(markdown).toContain('❌ does not fit the job');
    expect(markdown).toContain('- ❌ **insufficient-scope**: the job needs pull, push on alice/app, but the token is granted pull. Create a token with Read & Write permission.');
    expect(markdown).toContain('| Credentials | none written |');
  });

  it('does not repeat a finding that says what the failure says', () => {
    const report = hubReport({ error: new DockerPatError('expired', 'the token has expired.', 'Create a new token.'), findings: [FINDINGS.expired, FINDINGS.overPrivileged], verdict: 'error' });
    const markdown = renderLoginSummary(report, context);
    expect(markdown.match(/\*\*expired\*\*/g)).toHaveLength(1);
    expect(markdown).toContain('**over-privileged**');
  });

  it('lists warnings with their fixes', () => {
    const markdown = renderLoginSummary(hubReport({ findings: [FINDINGS.expiresSoon, FINDINGS.overPrivileged], verdict: 'warning' }), { ...context, needs: ['pull'] });
    expect(markdown).toContain(`- ⚠️ **expires-soon**: ${FINDINGS.expiresSoon.message} ${FINDINGS.expiresSoon.fix}`);
    expect(markdown).toContain(`- ⚠️ **over-privileged**: ${FINDINGS.overPrivileged.message} ${FINDINGS.overPrivileged.fix}`);
    expect(markdown).toContain('⚠️ fits the job, with warnings');
  });

  it('says when expiry is unknown and when only authentication could be checked', () => {
    const markdown = renderLoginSummary(opaqueReport(), { needs: ['pull'], dryRun: false });
    expect(markdown).toContain('| Expiry | unknown (the registry cannot report it; set expires-at) |');
    expect(markdown).toContain('| Permission level | unknown |');
    expect(markdown).toContain('checked for authentication only');
    expect(markdown).not.toContain('| Repository |');
  });

  it('does not claim authentication only when Docker Hub reported the permission level', () => {
    expect(renderLoginSummary(hubReport({ repositories: [] }), context)).not.toContain('checked for authentication only');
  });

  it('states the source of a user-given expiry and a token that never expires', () => {
    const user = hubReport({ health: { ...hubReport().health, expiresAt: { value: '2030-01-20T00:00:00.000Z', source: 'user' } }, daysUntilExpiry: 18 });
    expect(renderLoginSummary(user, context)).toContain('| Expiry | 2030-01-20, 18 days left (from the expires-at input) |');
    const never = hubReport({ health: { ...hubReport().health, expiresAt: { value: null, source: 'hub-api' } }, daysUntilExpiry: undefined });
    expect(renderLoginSummary(never, context)).toContain('| Expiry | never expires (from Docker Hub\'s management API) |');
  });

  it('says the token expired when the registry refused it as expired, though no date is known', () => {
    const report = opaqueReport({ error: new DockerPatError('expired', 'the token has expired.', 'Create a new token.'), verdict: 'error', credential: undefined });
    expect(renderLoginSummary(report, context)).toContain('| Expiry | expired (the registry refused the token as expired) |');
  });

  it('says a dry run wrote nothing', () => {
    expect(renderLoginSummary(hubReport({ credential: undefined }), { ...context, dryRun: true })).toContain('| Credentials | none written (dry run) |');
  });

  it('keeps a pipe in a value inside its cell', () => {
    expect(renderLoginSummary(hubReport({ username: 'a|b' }), context)).toContain('| User | a\\|b |');
  });
});
