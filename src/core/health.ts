/**
 * One picture of a token's health from every source that could say something, each fact marked
 * with where it came from. Sources in order of trust: Docker Hub's own record of the token, what
 * the token itself says (Hub JWT claims, its format), the registry's API about the token (GitLab
 * self-description, GitHub's expiry header), the expiry the user states, then unknown.
 */
import type { ErrorCode } from './errors.js';
import type { GitlabTokenSelf } from './gitlab-api.js';
import type { HubTokenRecord } from './hub-api.js';
import type { HubTokenClaims } from './jwt.js';
import type { Fact, FactSource, HubPermission, TokenHealth, TokenKind, TokenType } from './model.js';

export interface HealthSources {
  /** The secret's type as the check determined it. */
  tokenType: TokenType;
  /** The account's tokens from the management API; the one in use is found by `claims.sourceId`. */
  hubTokens?: readonly HubTokenRecord[];
  /** Claims of the Hub JWT minted with the token in use. */
  claims?: HubTokenClaims;
  gitlab?: GitlabTokenSelf;
  /** From the `github-authentication-token-expiration` header. */
  githubExpiration?: Date;
  /** The `expires-at` the user gave. */
  userExpiresAt?: Date;
  /** The code of the login failure, when the login failed. */
  loginError?: ErrorCode;
}

const UNKNOWN = { value: undefined, source: 'unknown' } as const;

/**
 * The listed token the JWT was minted from, by the id in its `docker_pat|<id>` source; undefined
 * when the claims carry no id or no listed token has it. Labels are never used: several tokens
 * may share one (every Docker Desktop token has the same), and a wrong match would report
 * another token's expiry as this one's.
 */
export function matchHubToken(records: readonly HubTokenRecord[], claims: HubTokenClaims | undefined): HubTokenRecord | undefined {
  const id = claims?.sourceId?.toLowerCase();
  if (id === undefined) return undefined;
  return records.find((record) => record.id.toLowerCase() === id);
}

export function buildTokenHealth(sources: HealthSources): TokenHealth {
  const record = sources.hubTokens ? matchHubToken(sources.hubTokens, sources.claims) : undefined;
  const { claims, gitlab } = sources;
  const hub = <T>(value: T | null | undefined): Fact<T> | undefined => (record ? fact(value, 'hub-api') : undefined);
  const fromGitlab = <T>(value: T | null | undefined): Fact<T> | undefined => (gitlab ? fact(value, 'gitlab-api') : undefined);

  return {
    label: first(hub(record?.label || undefined), fromGitlab(gitlab?.name)),
    kind: first<TokenKind>(hub(record?.kind), fact(kindFromClaims(claims), 'token-claims'), fromGitlab<TokenKind>('personal'), fact(kindFromType(sources.tokenType), 'token-claims')),
    permission: first<HubPermission | string[]>(
      hub(record?.permission),
      fact(claims?.permission, 'token-claims'),
      fromGitlab(gitlab && gitlab.scopes.length > 0 ? gitlab.scopes : undefined),
    ),
    expiresAt: first(
      hub(record?.expiresAt),
      fromGitlab(gitlab?.expiresAt),
      fact(sources.githubExpiration?.toISOString(), 'github-header'),
      fact(sources.userExpiresAt?.toISOString(), 'user'),
    ),
    lastUsed: first(hub(record?.lastUsed), fromGitlab(gitlab?.lastUsedAt)),
    createdAt: first(hub(record?.createdAt), fromGitlab(gitlab?.createdAt)),
    active: first(hub(record?.active), fromGitlab(gitlab?.active), fact(sources.loginError === 'inactive' ? false : undefined, 'login-error')),
  };
}

/** The health of a listed token, for an audit: everything comes from Docker Hub's record. */
export function healthFromHubRecord(record: HubTokenRecord): TokenHealth {
  return buildTokenHealth({
    tokenType: record.kind === 'organization' ? 'oat' : 'pat',
    hubTokens: [record],
    claims: { sourceId: record.id },
  });
}

function fact<T>(value: T | null | undefined, source: FactSource): Fact<T> {
  return { value, source };
}

/** The most trusted fact that knows something (null, "none", counts as knowing). */
function first<T>(...candidates: Array<Fact<T> | undefined>): Fact<T> {
  return candidates.find((candidate) => candidate !== undefined && candidate.value !== undefined) ?? UNKNOWN;
}

function kindFromClaims(claims: HubTokenClaims | undefined): TokenKind | undefined {
  if (claims?.sourceType === 'pat') return 'personal';
  if (claims?.sourceType === 'oat') return 'organization';
  return undefined;
}

function kindFromType(tokenType: TokenType): TokenKind | undefined {
  if (tokenType === 'password') return 'password';
  if (tokenType === 'pat') return 'personal';
  if (tokenType === 'oat') return 'organization';
  return undefined;
}
