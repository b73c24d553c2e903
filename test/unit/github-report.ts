/** Hand-built reports for the github-* unit tests: what the core returns, without a registry. */
import { parseRegistry } from '../../src/core/index.js';
import type { Finding, LoginReport } from '../../src/core/model.js';
import { loginReport, unknownHealth } from '../support/login-report.js';

export const FINDINGS = {
  expiresSoon: { code: 'expires-soon', severity: 'warning', message: 'The token expires on 2030-01-04, in 3 days.', fix: 'Create a new token and update the secret before then.' },
  overPrivileged: { code: 'over-privileged', severity: 'warning', message: 'The token has Read, Write & Delete permission; the job needs pull only.', fix: 'Create a token with Read-only permission.' },
  expiryUnknown: { code: 'expiry-unknown', severity: 'notice', message: 'The expiry of the token is unknown.', fix: 'Set expires-at to the date shown when the token was created.' },
  expired: { code: 'expired', severity: 'error', message: 'The token expired on 2029-12-30.', fix: 'Create a new token and update the secret.' },
} satisfies Record<string, Finding>;

export function hubReport(overrides: Partial<LoginReport> = {}): LoginReport {
  return loginReport({
    repositories: [{ name: 'alice/app', needed: ['pull', 'push'], granted: ['pull', 'push'], ok: true, method: 'jwt' }],
    health: { ...unknownHealth(), expiresAt: { value: '2030-03-01T00:00:00Z', source: 'hub-api' }, lastUsed: { value: '2029-12-31T10:00:00Z', source: 'hub-api' } },
    credential: { dockerConfigDir: '/home/runner/.docker', credentialKey: 'https://index.docker.io/v1/', helper: undefined, backupPath: undefined },
    ...overrides,
  });
}

/** A registry that reports nothing about grants or expiry (GHCR with a fine-grained token). */
export function opaqueReport(overrides: Partial<LoginReport> = {}): LoginReport {
  return hubReport({
    registry: parseRegistry('ghcr.io'),
    kind: 'ghcr',
    username: 'dave',
    tokenType: 'unknown',
    permission: undefined,
    repositories: [],
    health: unknownHealth(),
    daysUntilExpiry: undefined,
    credential: { dockerConfigDir: '/tmp/dc', credentialKey: 'ghcr.io', helper: undefined, backupPath: undefined },
    ...overrides,
  });
}
