/** Hand-built core reports for the cli-* unit tests: what the core returns, without a registry. */
import type { AuditReport } from '../../src/core/audit.js';
import { DockerPatError } from '../../src/core/errors.js';
import type { Finding, LoginReport } from '../../src/core/model.js';
import { parseRegistry } from '../../src/core/reference.js';
import { loginReport, unknownHealth } from '../support/login-report.js';

export const FINDINGS = {
  expiresSoon: { code: 'expires-soon', severity: 'warning', message: 'The token expires on 2030-01-04, in 3 days.', fix: 'Create a new token and update the variable before then.' },
  overPrivileged: { code: 'over-privileged', severity: 'warning', message: 'The token can delete; the job needs pull only.', fix: 'Create a Read-only token.' },
  expiryUnknown: { code: 'expiry-unknown', severity: 'notice', message: 'The expiry of the token is unknown.', fix: 'Give --expires-at.' },
  expired: { code: 'expired', severity: 'error', message: 'The token expired on 2029-12-30.', fix: 'Create a new token.' },
} satisfies Record<string, Finding>;

export function hubReport(overrides: Partial<LoginReport> = {}): LoginReport {
  return loginReport({
    repositories: [
      { name: 'alice/app', needed: ['pull', 'push'], granted: ['pull', 'push'], ok: true, method: 'jwt' },
      { name: 'library/alpine', needed: ['pull'], granted: ['pull'], ok: true, method: 'jwt' },
    ],
    health: {
      ...unknownHealth(),
      label: { value: 'ci push', source: 'hub-api' },
      expiresAt: { value: '2030-03-01T00:00:00Z', source: 'hub-api' },
      lastUsed: { value: null, source: 'hub-api' },
    },
    credential: { dockerConfigDir: '/home/ci/.docker', credentialKey: 'https://index.docker.io/v1/', helper: undefined, backupPath: '/home/ci/.docker/backup' },
    ...overrides,
  });
}

export function warningReport(): LoginReport {
  return hubReport({ findings: [FINDINGS.expiresSoon, FINDINGS.overPrivileged, FINDINGS.expiryUnknown], verdict: 'warning', daysUntilExpiry: 3 });
}

export function failedReport(): LoginReport {
  return hubReport({
    repositories: [{ name: 'alice/app', needed: ['pull', 'push'], granted: ['pull'], ok: false, method: 'jwt' }],
    permission: 'repo:read',
    error: new DockerPatError('insufficient-scope', 'the job needs pull, push on alice/app, but the token is granted pull.', 'Create a Read & Write token.', { registry: 'registry-1.docker.io' }),
    verdict: 'error',
    credential: undefined,
  });
}

export function gitlabReport(): LoginReport {
  return hubReport({
    registry: parseRegistry('registry.gitlab.com'),
    kind: 'gitlab',
    username: 'carol',
    permission: undefined,
    repositories: [{ name: 'group/app', needed: ['pull'], granted: undefined, ok: true, method: 'probe' }],
    health: { ...unknownHealth(), permission: { value: ['read_registry', 'write_registry'], source: 'gitlab-api' }, expiresAt: { value: null, source: 'gitlab-api' } },
    daysUntilExpiry: undefined,
  });
}

export function auditReport(): AuditReport {
  const soon = { ...FINDINGS.expiresSoon, token: 'nightly' };
  const expired = { ...FINDINGS.expired, token: 'old ci' };
  return {
    account: 'alice',
    scope: 'personal',
    generatedAt: '2030-01-01T00:00:00.000Z',
    tokens: [
      { label: 'old ci', kind: 'personal', permission: 'repo:write', createdAt: '2029-10-01T00:00:00Z', lastUsed: '2029-12-29T00:00:00Z', expiresAt: '2029-12-30T00:00:00Z', status: 'expired', findings: [expired] },
      { label: 'nightly', kind: 'personal', permission: 'repo:write', createdAt: '2029-10-01T00:00:00Z', lastUsed: null, expiresAt: '2030-01-04T00:00:00Z', status: 'active', findings: [soon] },
      { label: 'acme ci', kind: 'organization', permission: ['acme/app:repo-pull'], createdAt: undefined, lastUsed: undefined, expiresAt: null, status: 'active', findings: [] },
    ],
    findings: [expired, soon],
    counts: { tokens: 3, active: 2, inactive: 0, expired: 1, error: 1, warning: 1, notice: 0 },
  };
}
