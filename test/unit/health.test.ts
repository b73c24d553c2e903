import { describe, expect, it } from '@jest/globals';
import type { GitlabTokenSelf } from '../../src/core/gitlab-api.js';
import { buildTokenHealth, healthFromHubRecord, matchHubToken } from '../../src/core/health.js';
import type { HubTokenRecord } from '../../src/core/hub-api.js';

const record = (overrides: Partial<HubTokenRecord> = {}): HubTokenRecord => ({
  id: '00000000-0000-4000-8000-000000000002',
  label: 'ci read',
  kind: 'personal',
  permission: 'repo:read',
  createdAt: '2026-01-01T00:00:00Z',
  lastUsed: null,
  expiresAt: '2026-06-01T00:00:00Z',
  active: true,
  ...overrides,
});

const gitlab: GitlabTokenSelf = {
  name: 'registry read',
  scopes: ['read_registry'],
  expiresAt: '2026-04-01',
  lastUsedAt: '2026-02-20T10:00:00Z',
  createdAt: '2025-12-01T00:00:00Z',
  active: true,
};

const claims = { permission: 'repo:write' as const, sourceType: 'pat', sourceId: '00000000-0000-4000-8000-000000000002' };

describe('matchHubToken', () => {
  const other = record({ id: '00000000-0000-4000-8000-000000000099', label: 'ci read' });

  it('finds the listed token by the id in the JWT source, ignoring case', () => {
    expect(matchHubToken([other, record()], claims)?.id).toBe(claims.sourceId);
    expect(matchHubToken([record()], { sourceId: claims.sourceId.toUpperCase() })?.label).toBe('ci read');
  });

  it('never falls back to the label', () => {
    expect(matchHubToken([other], claims)).toBeUndefined();
    expect(matchHubToken([record()], { permission: 'repo:read' })).toBeUndefined();
    expect(matchHubToken([record()], undefined)).toBeUndefined();
  });
});

describe('buildTokenHealth', () => {
  it('knows nothing without sources', () => {
    const health = buildTokenHealth({ tokenType: 'unknown' });
    for (const fact of Object.values(health)) expect(fact).toEqual({ value: undefined, source: 'unknown' });
  });

  it('trusts the Hub record over the token claims and every other source', () => {
    const health = buildTokenHealth({
      tokenType: 'pat',
      hubTokens: [record()],
      claims,
      gitlab,
      githubExpiration: new Date('2026-05-01T00:00:00Z'),
      userExpiresAt: new Date('2026-07-01T00:00:00Z'),
    });
    expect(health).toEqual({
      label: { value: 'ci read', source: 'hub-api' },
      kind: { value: 'personal', source: 'hub-api' },
      permission: { value: 'repo:read', source: 'hub-api' },
      expiresAt: { value: '2026-06-01T00:00:00Z', source: 'hub-api' },
      lastUsed: { value: null, source: 'hub-api' },
      createdAt: { value: '2026-01-01T00:00:00Z', source: 'hub-api' },
      active: { value: true, source: 'hub-api' },
    });
  });

  it('keeps a Hub "never" (null) instead of falling to a lower source', () => {
    const health = buildTokenHealth({ tokenType: 'pat', hubTokens: [record({ expiresAt: null })], claims, userExpiresAt: new Date('2026-07-01T00:00:00Z') });
    expect(health.expiresAt).toEqual({ value: null, source: 'hub-api' });
  });

  it('falls to the next source for what the Hub record does not report', () => {
    const health = buildTokenHealth({
      tokenType: 'pat',
      hubTokens: [record({ expiresAt: undefined, active: undefined })],
      claims,
      userExpiresAt: new Date('2026-07-01T00:00:00Z'),
      loginError: 'inactive',
    });
    expect(health.expiresAt).toEqual({ value: '2026-07-01T00:00:00.000Z', source: 'user' });
    expect(health.active).toEqual({ value: false, source: 'login-error' });
  });

  it('uses the token claims when the token is not among the listed ones', () => {
    const health = buildTokenHealth({ tokenType: 'pat', hubTokens: [record({ id: 'another' })], claims });
    expect(health.permission).toEqual({ value: 'repo:write', source: 'token-claims' });
    expect(health.kind).toEqual({ value: 'personal', source: 'token-claims' });
    expect(health.label.source).toBe('unknown');
    expect(health.expiresAt.source).toBe('unknown');
  });

  it('reads an organization token from the claims', () => {
    const health = buildTokenHealth({ tokenType: 'oat', claims: { sourceType: 'oat', sourceId: 'x' } });
    expect(health.kind).toEqual({ value: 'organization', source: 'token-claims' });
  });

  it('uses the GitLab self-description over the GitHub header and the user', () => {
    const health = buildTokenHealth({ tokenType: 'pat', gitlab, userExpiresAt: new Date('2026-07-01T00:00:00Z') });
    expect(health).toEqual({
      label: { value: 'registry read', source: 'gitlab-api' },
      kind: { value: 'personal', source: 'gitlab-api' },
      permission: { value: ['read_registry'], source: 'gitlab-api' },
      expiresAt: { value: '2026-04-01', source: 'gitlab-api' },
      lastUsed: { value: '2026-02-20T10:00:00Z', source: 'gitlab-api' },
      createdAt: { value: '2025-12-01T00:00:00Z', source: 'gitlab-api' },
      active: { value: true, source: 'gitlab-api' },
    });
  });

  it('uses the GitHub expiry header over the user', () => {
    const health = buildTokenHealth({
      tokenType: 'pat',
      githubExpiration: new Date('2026-05-01T00:00:00Z'),
      userExpiresAt: new Date('2026-07-01T00:00:00Z'),
    });
    expect(health.expiresAt).toEqual({ value: '2026-05-01T00:00:00.000Z', source: 'github-header' });
    expect(health.kind).toEqual({ value: 'personal', source: 'token-claims' });
  });

  it('uses the user expiry when nothing else knows it', () => {
    expect(buildTokenHealth({ tokenType: 'unknown', userExpiresAt: new Date('2026-07-01T00:00:00Z') }).expiresAt).toEqual({
      value: '2026-07-01T00:00:00.000Z',
      source: 'user',
    });
  });

  it('marks a password as such', () => {
    expect(buildTokenHealth({ tokenType: 'password' }).kind).toEqual({ value: 'password', source: 'token-claims' });
  });
});

describe('healthFromHubRecord', () => {
  it('describes a listed token entirely from the Hub record', () => {
    const health = healthFromHubRecord(record({ kind: 'auto-generated', permission: 'repo:admin' }));
    expect(new Set(Object.values(health).map((fact) => fact.source))).toEqual(new Set(['hub-api']));
    expect(health.kind.value).toBe('auto-generated');
  });
});
