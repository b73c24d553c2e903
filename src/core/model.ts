/**
 * The typed contract between the core and its front ends: one settings object in, one result
 * object out. Front ends (src/github, src/cli) build `CheckSettings` from their inputs and render
 * `CheckReport`; they never reach into the core's other modules for behaviour.
 */
import type { DockerPatError } from './errors.js';

/** What a job does with a repository. Push implies pull. */
export type Action = 'pull' | 'push' | 'delete';

/** Docker Hub PAT permission levels, lowest first. */
export const HUB_PERMISSIONS = ['repo:public_read', 'repo:read', 'repo:write', 'repo:admin'] as const;
export type HubPermission = (typeof HUB_PERMISSIONS)[number];

export type TokenType = 'pat' | 'oat' | 'password' | 'unknown';

/** Which kind of registry answered: decides how grants can be read. */
export type RegistryKind = 'dockerhub' | 'ghcr' | 'gitlab' | 'generic';

export interface RegistryRef {
  /** What the user wrote. */
  input: string;
  /** Normalised host[:port] used for requests (Docker Hub: registry-1.docker.io). */
  host: string;
  /** Base URL of the registry API, e.g. https://registry-1.docker.io */
  baseUrl: string;
  /** Key used in config.json `auths` and for credential helpers (Hub: https://index.docker.io/v1/). */
  credentialKey: string;
  /** True when the name says Docker Hub; a `registry.docker.io` challenge can also reveal it. */
  isDockerHub: boolean;
}

export interface RepositoryNeed {
  /** Normalised repository path (`alpine` on Docker Hub is `library/alpine`). */
  name: string;
  /** Needed actions, closed under implication (push ⇒ pull), in the order pull, push, delete. */
  actions: Action[];
}

export interface CheckSettings {
  registry: RegistryRef;
  username: string;
  /** The PAT, OAT or password. Registered with the secret registry before any request. */
  secret: string;
  /** What the job needs when no repository list says otherwise. */
  needs: Action[];
  repositories: RepositoryNeed[];
  /** Expiry the user states (`expires-at`), when the registry cannot report it. */
  expiresAt?: Date;
  expiryWarningDays: number;
  /** A token unused for this many days is reported as `unused`. */
  unusedWarningDays: number;
  dryRun: boolean;
  strict: boolean;
  /** Directory holding config.json (DOCKER_CONFIG or ~/.docker). */
  dockerConfigDir: string;
  /** Optional account credential to read token data from Docker Hub's management API. */
  hubAccount?: HubAccountCredential;
}

export interface HubAccountCredential {
  /** The account (or organization owner) password: never a PAT, which the API refuses. */
  password: string;
  /** RFC 6238 secret (base32) for a 2FA account, used to compute the code. */
  totpSecret?: string;
  /** A one-time code typed by a person. */
  totpCode?: string;
}

/** Where a health fact came from, in order of trust. */
export type FactSource = 'hub-api' | 'token-claims' | 'gitlab-api' | 'github-header' | 'user' | 'login-error' | 'unknown';

export interface Fact<T> {
  /** `undefined` when unknown; `null` where "none" is a known answer (never expires, never used). */
  value: T | null | undefined;
  source: FactSource;
}

export type TokenKind = 'personal' | 'organization' | 'auto-generated' | 'password';

export interface TokenHealth {
  label: Fact<string>;
  kind: Fact<TokenKind>;
  /** Docker Hub permission level, or the scopes another registry reports (GitLab: read_registry…). */
  permission: Fact<HubPermission | string[]>;
  /** ISO 8601; null = never expires. */
  expiresAt: Fact<string>;
  /** ISO 8601; null = never used. */
  lastUsed: Fact<string>;
  createdAt: Fact<string>;
  active: Fact<boolean>;
}

export const FINDING_CODES = [
  'expired',
  'expires-soon',
  'expiry-unknown',
  'no-expiry',
  'inactive',
  'unused',
  'over-privileged',
  'auto-generated-limit',
  'password-instead-of-token',
  'prefer-organization-token',
  'scope-unchecked',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];
export type Severity = 'error' | 'warning' | 'notice';

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** What was found, without any secret. */
  message: string;
  /** The fix, in one sentence. */
  fix: string;
  /** The token it concerns (label), in audits. */
  token?: string;
}

export interface RepositoryVerdict {
  name: string;
  needed: Action[];
  /** Granted actions as proven; undefined when they could not be determined. */
  granted: Action[] | undefined;
  ok: boolean;
  /** How the grant was proven; `unchecked` when the check stopped before reaching it. */
  method: 'jwt' | 'probe' | 'permission-level' | 'unchecked';
}

export interface CheckReport {
  registry: RegistryRef;
  kind: RegistryKind;
  username: string;
  tokenType: TokenType;
  /** Docker Hub permission level when known. */
  permission: HubPermission | undefined;
  repositories: RepositoryVerdict[];
  health: TokenHealth;
  findings: Finding[];
  /** The failure that stopped the check, if any. */
  error: DockerPatError | undefined;
  /** error → 'error'; any warning finding → 'warning'; else 'ok'. */
  verdict: 'ok' | 'warning' | 'error';
  /** Days until expiry (floor), when the expiry is known. */
  daysUntilExpiry: number | undefined;
}

/** What a login wrote, so logout can undo exactly that. Holds no secret. */
export interface CredentialRecord {
  dockerConfigDir: string;
  credentialKey: string;
  /** Helper name when the credential went to `docker-credential-NAME`; undefined for config.json. */
  helper: string | undefined;
  /**
   * A 0600 file beside config.json recording the entry that was there before (with a credential
   * helper, the previous credential itself stays parked in the helper); logout restores it and
   * deletes the file. Undefined when there was no previous entry.
   */
  backupPath: string | undefined;
}

export interface LoginReport extends CheckReport {
  /** Undefined in dry-run or when the check failed. */
  credential: CredentialRecord | undefined;
}
