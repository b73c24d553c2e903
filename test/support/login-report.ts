/** The core's LoginReport built by hand, for the front ends' unit tests: what a check returns, without a registry. */
import type { Fact, LoginReport, TokenHealth } from '../../src/core/model.js';
import { parseRegistry } from '../../src/core/reference.js';

const unknown = <T>(): Fact<T> => ({ value: undefined, source: 'unknown' });

export function unknownHealth(): TokenHealth {
  return { label: unknown(), kind: unknown(), permission: unknown(), expiresAt: unknown(), lastUsed: unknown(), createdAt: unknown(), active: unknown() };
}

/** alice's repo:write PAT passing on Docker Hub, 59 days before it expires; `overrides` replace whole fields. */
export function loginReport(overrides: Partial<LoginReport> = {}): LoginReport {
  return {
    registry: parseRegistry('docker.io'),
    kind: 'dockerhub',
    username: 'alice',
    tokenType: 'pat',
    permission: 'repo:write',
    repositories: [],
    health: unknownHealth(),
    findings: [],
    error: undefined,
    verdict: 'ok',
    daysUntilExpiry: 59,
    credential: undefined,
    ...overrides,
  };
}
