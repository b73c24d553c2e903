/**
 * The fake GitLab's personal access tokens (from fixtures.ts). Expiry is a date: a token is
 * unusable from 00:00 UTC on its `expires_at` day. `last_used_at` stays as the fixture says:
 * GitLab throttles its updates, and health tests need a stable "last used" to reason about.
 */
import type { Clock } from './clock.js';
import { daysFrom, GITLAB_TOKENS } from './fixtures.js';

export interface GitLabToken {
  id: number;
  name: string;
  secret: string;
  username: string;
  scopes: string[];
  /** YYYY-MM-DD */
  expiresAt: string;
  createdAt: Date;
  lastUsed: Date | null;
  revoked: boolean;
}

const day = (date: Date): string => date.toISOString().slice(0, 10);

export class GitLabTokens {
  private readonly tokens: GitLabToken[];

  constructor(private readonly clock: Clock) {
    const start = clock.now();
    this.tokens = Object.values(GITLAB_TOKENS).map((fixture, index) => ({
      id: index + 1,
      name: fixture.name,
      secret: fixture.secret,
      username: fixture.username,
      scopes: [...fixture.scopes],
      expiresAt: day(daysFrom(start, fixture.expiresInDays)),
      createdAt: daysFrom(start, -fixture.createdDaysAgo),
      lastUsed: fixture.lastUsedDaysAgo === null ? null : daysFrom(start, -fixture.lastUsedDaysAgo),
      revoked: false,
    }));
  }

  bySecret(secret: string): GitLabToken | undefined {
    return this.tokens.find((token) => token.secret === secret);
  }

  isExpired(token: GitLabToken): boolean {
    return day(this.clock.now()) >= token.expiresAt;
  }

  usable(token: GitLabToken): boolean {
    return !token.revoked && !this.isExpired(token);
  }
}
