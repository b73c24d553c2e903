/**
 * The fake Docker Hub's accounts, personal and organization access tokens and repositories, built
 * from fixtures.ts with dates relative to the sandbox clock. The token service, the Hub API and
 * the tests' `sb.hub` view all read and change this one state, so a use through the registry
 * shows up as `last_used` in the management API.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { HubPermission } from '../../src/core/model.js';
import type { Clock } from './clock.js';
import { ACCOUNTS, OATS, PATS, REPOSITORIES, daysFrom, type AccountFixture } from './fixtures.js';

export interface AccountRecord {
  username: string;
  password: string;
  email: string;
  /** Stable per username, shown as the Hub JWT's `uuid`. */
  uuid: string;
  totpSecret: string | undefined;
  orgs: string[];
}

export interface PatRecord {
  uuid: string;
  owner: string;
  secret: string;
  label: string;
  scope: HubPermission;
  expiresAt: Date | null;
  createdAt: Date;
  lastUsed: Date | null;
  isActive: boolean;
  generatedBy: string;
}

export interface OatResource {
  type: string;
  path: string;
  scopes: string[];
}

export interface OatRecord {
  id: string;
  org: string;
  secret: string;
  label: string;
  description: string;
  createdBy: string;
  expiresAt: Date | null;
  createdAt: Date;
  lastUsed: Date | null;
  isActive: boolean;
  resources: OatResource[];
}

export interface RepositoryRecord {
  name: string;
  owner: string;
  isPrivate: boolean;
}

/** A UUID-shaped id derived from a name, stable across runs. */
export function stableUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A fresh secret in Docker's format: prefix + 27 characters of [A-Za-z0-9_-]. */
function newSecret(prefix: 'dckr_pat_' | 'dckr_oat_'): string {
  return prefix + randomBytes(21).toString('base64url').slice(0, 27);
}

const relative = (start: Date, days: number | null): Date | null => (days === null ? null : daysFrom(start, days));
const ago = (start: Date, days: number): Date => daysFrom(start, -days);

export class HubState {
  private readonly accounts = new Map<string, AccountRecord>();
  private readonly pats = new Map<string, PatRecord>();
  private readonly oats = new Map<string, OatRecord>();
  private readonly repositories = new Map<string, RepositoryRecord>();

  constructor(private readonly clock: Clock) {
    const start = clock.now();
    for (const fixture of Object.values(ACCOUNTS) as AccountFixture[]) {
      this.accounts.set(fixture.username, {
        username: fixture.username,
        password: fixture.password,
        email: fixture.email,
        uuid: stableUuid(`account:${fixture.username}`),
        totpSecret: fixture.totpSecret,
        orgs: [...fixture.orgs],
      });
    }
    for (const fixture of Object.values(PATS)) {
      if (fixture.deleted === true) continue;
      this.pats.set(fixture.uuid, {
        uuid: fixture.uuid,
        owner: fixture.owner,
        secret: fixture.secret,
        label: fixture.label,
        scope: fixture.scope,
        expiresAt: relative(start, fixture.expiresInDays),
        createdAt: ago(start, fixture.createdDaysAgo),
        lastUsed: fixture.lastUsedDaysAgo === null ? null : ago(start, fixture.lastUsedDaysAgo),
        isActive: fixture.isActive,
        generatedBy: fixture.generatedBy,
      });
    }
    for (const fixture of Object.values(OATS)) {
      this.oats.set(fixture.id, {
        id: fixture.id,
        org: fixture.org,
        secret: fixture.secret,
        label: fixture.label,
        description: '',
        createdBy: fixture.createdBy,
        expiresAt: relative(start, fixture.expiresInDays),
        createdAt: ago(start, fixture.createdDaysAgo),
        lastUsed: fixture.lastUsedDaysAgo === null ? null : ago(start, fixture.lastUsedDaysAgo),
        isActive: fixture.isActive,
        resources: fixture.resources.map((resource) => ({ type: 'TYPE_REPO', path: resource.path, scopes: [...resource.scopes] })),
      });
    }
    for (const fixture of REPOSITORIES) this.repositories.set(fixture.name, { ...fixture });
  }

  now(): Date {
    return this.clock.now();
  }

  account(username: string): AccountRecord | undefined {
    return this.accounts.get(username.toLowerCase());
  }

  organizationExists(org: string): boolean {
    return [...this.accounts.values()].some((account) => account.orgs.includes(org));
  }

  /** A repository from the fixtures, or an unlisted one: private, owned by its first path component. */
  repository(name: string): RepositoryRecord {
    return this.repositories.get(name) ?? { name, owner: name.split('/')[0] ?? '', isPrivate: true };
  }

  patBySecret(secret: string): PatRecord | undefined {
    return [...this.pats.values()].find((pat) => pat.secret === secret);
  }

  oatBySecret(secret: string): OatRecord | undefined {
    return [...this.oats.values()].find((oat) => oat.secret === secret);
  }

  pat(uuid: string): PatRecord | undefined {
    return this.pats.get(uuid);
  }

  oat(id: string): OatRecord | undefined {
    return this.oats.get(id);
  }

  /** Newest first, the order the Hub lists tokens in. */
  patsOf(owner: string): PatRecord[] {
    return [...this.pats.values()].filter((pat) => pat.owner === owner).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }

  oatsOf(org: string): OatRecord[] {
    return [...this.oats.values()].filter((oat) => oat.org === org).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }

  isExpired(token: { expiresAt: Date | null }): boolean {
    return token.expiresAt !== null && token.expiresAt.getTime() <= this.clock.now().getTime();
  }

  markUsed(token: { lastUsed: Date | null }): void {
    token.lastUsed = this.clock.now();
  }

  createPat(owner: string, label: string, scope: HubPermission, expiresAt: Date | null): PatRecord {
    const record: PatRecord = {
      uuid: randomUUID(),
      owner,
      secret: newSecret('dckr_pat_'),
      label,
      scope,
      expiresAt,
      createdAt: this.clock.now(),
      lastUsed: null,
      isActive: true,
      generatedBy: 'manual',
    };
    this.pats.set(record.uuid, record);
    return record;
  }

  createOat(org: string, createdBy: string, fields: { label: string; description: string; resources: OatResource[]; expiresAt: Date | null }): OatRecord {
    const record: OatRecord = {
      id: randomUUID(),
      org,
      secret: newSecret('dckr_oat_'),
      createdBy,
      createdAt: this.clock.now(),
      lastUsed: null,
      isActive: true,
      ...fields,
    };
    this.oats.set(record.id, record);
    return record;
  }

  /** A deleted token is forgotten: presenting it afterwards looks like a wrong secret. */
  deletePat(uuid: string): boolean {
    return this.pats.delete(uuid);
  }

  deleteOat(id: string): boolean {
    return this.oats.delete(id);
  }
}
