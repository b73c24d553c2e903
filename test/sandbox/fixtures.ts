/**
 * Every account, token and repository the sandbox serves, in one place. Tests, the demo and the
 * benchmark refer to these by name (`FIXTURES.tokens.aliceRead.secret`). Dates are relative to the
 * moment the sandbox starts, so "expires in 3 days" stays true whenever the suite runs.
 *
 * The secrets are throwaway test values with the real formats (dckr_pat_ + 27 characters).
 */
import type { HubPermission } from '../../src/core/model.js';

const DAY = 24 * 60 * 60 * 1000;

export interface AccountFixture {
  username: string;
  password: string;
  email: string;
  /** Base32 TOTP secret (RFC 6238, SHA-1, 6 digits, 30 s) when 2FA is on. */
  totpSecret?: string;
  /** Organizations this account owns. */
  orgs: string[];
}

export interface PatFixture {
  uuid: string;
  owner: string;
  secret: string;
  label: string;
  scope: HubPermission;
  /** Days from sandbox start; null = never expires. Negative = already expired. */
  expiresInDays: number | null;
  createdDaysAgo: number;
  /** Days since last use; null = never used. */
  lastUsedDaysAgo: number | null;
  isActive: boolean;
  generatedBy: 'manual' | 'auto';
  /** Deleted tokens are known to tests (to present them) but not to the fake Hub. */
  deleted?: boolean;
}

export interface OatFixture {
  id: string;
  org: string;
  secret: string;
  label: string;
  createdBy: string;
  expiresInDays: number | null;
  createdDaysAgo: number;
  lastUsedDaysAgo: number | null;
  isActive: boolean;
  /** Repository path → actions the token allows there. */
  resources: { path: string; scopes: Array<'repo-pull' | 'repo-push' | 'repo-delete'> }[];
}

export interface RepositoryFixture {
  name: string;
  owner: string;
  isPrivate: boolean;
}

export const ACCOUNTS = {
  alice: { username: 'alice', password: 'alice-account-password', email: 'alice@example.test', orgs: ['acme'] },
  bob: {
    username: 'bob',
    password: 'bob-account-password',
    email: 'bob@example.test',
    totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
    orgs: [],
  },
} satisfies Record<string, AccountFixture>;

const padded = (n: number, tail: string): string => `${tail}${String(n).padStart(27 - tail.length, '0')}`;
const pat = (n: number, tail: string): string => `dckr_pat_${padded(n, tail)}`;
const oat = (n: number, tail: string): string => `dckr_oat_${padded(n, tail)}`;

export const PATS = {
  alicePublicRead: { uuid: '00000000-0000-4000-8000-000000000001', owner: 'alice', secret: pat(1, 'PublicRead'), label: 'ci public read', scope: 'repo:public_read', expiresInDays: 90, createdDaysAgo: 10, lastUsedDaysAgo: 1, isActive: true, generatedBy: 'manual' },
  aliceRead: { uuid: '00000000-0000-4000-8000-000000000002', owner: 'alice', secret: pat(2, 'ReadOnly'), label: 'ci read', scope: 'repo:read', expiresInDays: 90, createdDaysAgo: 10, lastUsedDaysAgo: 1, isActive: true, generatedBy: 'manual' },
  aliceWrite: { uuid: '00000000-0000-4000-8000-000000000003', owner: 'alice', secret: pat(3, 'ReadWrite'), label: 'ci push', scope: 'repo:write', expiresInDays: 90, createdDaysAgo: 10, lastUsedDaysAgo: 1, isActive: true, generatedBy: 'manual' },
  aliceAdmin: { uuid: '00000000-0000-4000-8000-000000000004', owner: 'alice', secret: pat(4, 'Admin'), label: 'release admin', scope: 'repo:admin', expiresInDays: 90, createdDaysAgo: 10, lastUsedDaysAgo: 1, isActive: true, generatedBy: 'manual' },
  aliceExpired: { uuid: '00000000-0000-4000-8000-000000000005', owner: 'alice', secret: pat(5, 'Expired'), label: 'old ci', scope: 'repo:write', expiresInDays: -2, createdDaysAgo: 92, lastUsedDaysAgo: 3, isActive: true, generatedBy: 'manual' },
  aliceInactive: { uuid: '00000000-0000-4000-8000-000000000006', owner: 'alice', secret: pat(6, 'Inactive'), label: 'paused ci', scope: 'repo:write', expiresInDays: 60, createdDaysAgo: 30, lastUsedDaysAgo: 20, isActive: false, generatedBy: 'manual' },
  aliceDeleted: { uuid: '00000000-0000-4000-8000-000000000007', owner: 'alice', secret: pat(7, 'Deleted'), label: 'deleted ci', scope: 'repo:write', expiresInDays: 60, createdDaysAgo: 30, lastUsedDaysAgo: 5, isActive: true, generatedBy: 'manual', deleted: true },
  aliceExpiresSoon: { uuid: '00000000-0000-4000-8000-000000000008', owner: 'alice', secret: pat(8, 'ExpiresSoon'), label: 'nightly', scope: 'repo:write', expiresInDays: 3, createdDaysAgo: 87, lastUsedDaysAgo: 1, isActive: true, generatedBy: 'manual' },
  aliceNeverExpires: { uuid: '00000000-0000-4000-8000-000000000009', owner: 'alice', secret: pat(9, 'NoExpiry'), label: 'forever', scope: 'repo:read', expiresInDays: null, createdDaysAgo: 40, lastUsedDaysAgo: 2, isActive: true, generatedBy: 'manual' },
  aliceNeverUsed: { uuid: '00000000-0000-4000-8000-000000000010', owner: 'alice', secret: pat(10, 'NeverUsed'), label: 'forgotten', scope: 'repo:read', expiresInDays: 300, createdDaysAgo: 120, lastUsedDaysAgo: null, isActive: true, generatedBy: 'manual' },
  aliceStale: { uuid: '00000000-0000-4000-8000-000000000011', owner: 'alice', secret: pat(11, 'Stale'), label: 'stale deploy', scope: 'repo:read', expiresInDays: 300, createdDaysAgo: 360, lastUsedDaysAgo: 200, isActive: true, generatedBy: 'manual' },
  aliceLegacy: { uuid: '85145afa-7f81-4235-82c9-e37df7c244a8', owner: 'alice', secret: '85145afa-7f81-4235-82c9-e37df7c244a8', label: 'legacy', scope: 'repo:read', expiresInDays: null, createdDaysAgo: 900, lastUsedDaysAgo: 4, isActive: true, generatedBy: 'manual' },
  ...Object.fromEntries(
    [1, 2, 3, 4, 5, 6].map((n) => [
      `aliceDesktop${n}`,
      { uuid: `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`, owner: 'alice', secret: pat(100 + n, 'Desktop'), label: 'Generated by Docker Desktop for CLI usage', scope: 'repo:admin', expiresInDays: null, createdDaysAgo: 10 * n, lastUsedDaysAgo: n, isActive: true, generatedBy: 'auto' },
    ]),
  ),
  bobWrite: { uuid: '00000000-0000-4000-8000-000000000020', owner: 'bob', secret: pat(20, 'Bob'), label: 'bob ci', scope: 'repo:write', expiresInDays: 30, createdDaysAgo: 5, lastUsedDaysAgo: 1, isActive: true, generatedBy: 'manual' },
} as Record<string, PatFixture> & Record<'alicePublicRead' | 'aliceRead' | 'aliceWrite' | 'aliceAdmin' | 'aliceExpired' | 'aliceInactive' | 'aliceDeleted' | 'aliceExpiresSoon' | 'aliceNeverExpires' | 'aliceNeverUsed' | 'aliceStale' | 'aliceLegacy' | 'bobWrite', PatFixture>;

export const OATS = {
  acmeCi: { id: 'a7a5ef25-8889-43a0-8cc7-f2a94268e861', org: 'acme', secret: oat(1, 'AcmeCi'), label: 'acme ci', createdBy: 'alice', expiresInDays: 60, createdDaysAgo: 10, lastUsedDaysAgo: 1, isActive: true, resources: [{ path: 'acme/app', scopes: ['repo-pull', 'repo-push'] }, { path: 'acme/base', scopes: ['repo-pull'] }] },
  acmeReadOnly: { id: 'b7a5ef25-8889-43a0-8cc7-f2a94268e862', org: 'acme', secret: oat(2, 'AcmeRead'), label: 'acme pull', createdBy: 'alice', expiresInDays: null, createdDaysAgo: 200, lastUsedDaysAgo: null, isActive: true, resources: [{ path: 'acme/app', scopes: ['repo-pull'] }] },
} satisfies Record<string, OatFixture>;

export const REPOSITORIES = [
  { name: 'alice/app', owner: 'alice', isPrivate: true },
  { name: 'alice/site', owner: 'alice', isPrivate: false },
  { name: 'library/alpine', owner: 'library', isPrivate: false },
  { name: 'acme/app', owner: 'acme', isPrivate: true },
  { name: 'acme/base', owner: 'acme', isPrivate: true },
  { name: 'bob/tool', owner: 'bob', isPrivate: true },
] satisfies RepositoryFixture[];

/** Tokens of the fake GitLab (`/api/v4/personal_access_tokens/self`) and GHCR (classic PAT header). */
export const GITLAB_TOKENS = {
  registryRead: { name: 'ci pull', secret: 'glpat-ReadRegistry000000001', username: 'carol', scopes: ['read_registry'], expiresInDays: 5, lastUsedDaysAgo: 2, createdDaysAgo: 100 },
  registryWrite: { name: 'ci push', secret: 'glpat-WriteRegistry00000002', username: 'carol', scopes: ['read_registry', 'write_registry'], expiresInDays: 200, lastUsedDaysAgo: null, createdDaysAgo: 10 },
};

export const GHCR_TOKENS = {
  classic: { secret: 'ghp_ClassicPat000000000000000000000001', username: 'dave', scopes: ['read:packages', 'write:packages'], expiresInDays: 10 },
  readOnly: { secret: 'ghp_ClassicPat000000000000000000000002', username: 'dave', scopes: ['read:packages'], expiresInDays: 100 },
};

export function daysFrom(start: Date, days: number): Date {
  return new Date(start.getTime() + days * DAY);
}
