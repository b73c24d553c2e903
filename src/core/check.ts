/**
 * The whole check, in the order that keeps a wrong credential to exactly one failed attempt:
 * unauthenticated discovery first (concurrently with Docker Hub's token exchange when the
 * registry is Docker Hub by name), then the first credentialed call, and further credentialed
 * calls only once that one has succeeded.
 */
import { checkRepositoryAccess } from './access-check.js';
import { discoverRegistry, type Discovery } from './discovery.js';
import { DockerPatError } from './errors.js';
import { missingGrantFix, describePermission } from './fixes.js';
import { HttpClient, type HttpOptions } from './http.js';
import { HubApi } from './hub-api.js';
import { readHubTokenClaims } from './jwt.js';
import type { CheckReport, CheckSettings, HubPermission, RegistryKind, RepositoryNeed, RepositoryVerdict, TokenType } from './model.js';
import { normaliseRepository } from './reference.js';
import { actionsForPermission, minimalPermissionFor } from './permissions.js';
import { checkBasicAuth } from './registry-client.js';
import type { SecretRegistry } from './secrets.js';
import { tokenTypeOf } from './token-type.js';
import { readGitlabTokenSelf } from './gitlab-api.js';
import { parseGithubTokenExpiration, GITHUB_EXPIRATION_HEADER } from './github-token.js';
import type { HealthSources } from './health.js';
import { summariseReport } from './report.js';
import { checkUsername } from './username.js';

export interface CoreDeps {
  secrets: SecretRegistry;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** Debug lines (request method, URL, status); never secrets. */
  debug?: (message: string) => void;
  http?: HttpOptions;
}

export const DEFAULT_HUB_API_URL = 'https://hub.docker.com';

/** Everything the check learned before it finished or failed; turned into the report at the end. */
export interface CheckState {
  kind: RegistryKind;
  tokenType: TokenType;
  permission: HubPermission | undefined;
  verdicts: RepositoryVerdict[];
  /** The job's repositories, named as this registry names them. */
  repositories: RepositoryNeed[];
  health: Omit<HealthSources, 'tokenType'>;
  error: DockerPatError | undefined;
}

export async function checkToken(settings: CheckSettings, deps: CoreDeps): Promise<CheckReport> {
  const env = deps.env ?? process.env;
  const now = (deps.now ?? (() => new Date()))();
  deps.secrets.addCredential(settings.username, settings.secret);
  const http = new HttpClient({
    ...deps.http,
    env,
    onRequest: deps.debug && ((r) => deps.debug?.(`${r.method} ${r.url} → ${r.status ?? r.failure} (attempt ${r.attempt})`)),
  });
  const state: CheckState = {
    kind: settings.registry.isDockerHub ? 'dockerhub' : 'generic',
    tokenType: tokenTypeOf(settings.secret, settings.registry.isDockerHub ? 'dockerhub' : 'generic'),
    permission: undefined,
    verdicts: [],
    repositories: settings.repositories,
    health: { userExpiresAt: settings.expiresAt },
    error: undefined,
  };
  try {
    await runCheck(settings, deps, http, env, now, state);
  } catch (error) {
    state.error = asDockerPatError(error, settings, deps.secrets);
    state.health.loginError = state.error.code;
  } finally {
    await http.close();
  }
  return summariseReport(settings, state, now);
}

async function runCheck(settings: CheckSettings, deps: CoreDeps, http: HttpClient, env: NodeJS.ProcessEnv, now: Date, state: CheckState): Promise<void> {
  checkUsername(settings.username);
  const hub = new HubApi(http, env.DOCKER_PAT_HUB_API_URL || DEFAULT_HUB_API_URL, deps.secrets);
  const exchange = () => exchangeWithHub(hub, settings, state, deps);
  const early = settings.registry.isDockerHub ? exchange() : undefined;
  let discovery: Discovery;
  try {
    discovery = await discoverRegistry(http, settings.registry);
  } finally {
    await early;
  }
  state.kind = discovery.kind;
  if (discovery.kind === 'dockerhub' && !settings.registry.isDockerHub) state.repositories = asHubRepositories(settings);
  state.tokenType = tokenTypeOf(settings.secret, discovery.kind);
  if (!early && discovery.kind === 'dockerhub' && mayAskDockerHub(discovery, env)) await exchange();
  if (state.error) return;

  const management = discovery.kind === 'dockerhub' && settings.hubAccount ? readManagementRecord(hub, settings, state, now, deps) : undefined;
  try {
    await checkAccess(settings, deps, http, env, discovery, state);
  } finally {
    await management;
  }
}

/**
 * A registry that only says it is Docker Hub (a mirror, a stand-in) gets the credential sent on to
 * Docker Hub's API only when its tokens come from Docker Hub's auth service or the user pointed
 * DOCKER_PAT_HUB_API_URL at a Hub API: another registry's credential must not travel to Docker.
 */
function mayAskDockerHub(discovery: Discovery, env: NodeJS.ProcessEnv): boolean {
  if (env.DOCKER_PAT_HUB_API_URL) return true;
  try {
    return new URL(discovery.challenge?.params.realm ?? '').host === 'auth.docker.io';
  } catch {
    return false;
  }
}

/**
 * Docker Hub's own token exchange tells the PAT's permission level and id. A credential verdict
 * here ends the check: asking the registry too would cost a second failed login.
 */
async function exchangeWithHub(hub: HubApi, settings: CheckSettings, state: CheckState, deps: CoreDeps): Promise<void> {
  try {
    const exchanged = await hub.exchangeToken(settings.username, settings.secret);
    const facts = readHubTokenClaims(exchanged.claims ?? {});
    state.permission = facts.permission;
    state.health.claims = facts;
  } catch (error) {
    if (error instanceof DockerPatError && CREDENTIAL_VERDICTS.has(error.code)) {
      state.error = withOatHint(error, settings, state.tokenType);
      state.health.loginError = error.code;
      return;
    }
    deps.debug?.(`Docker Hub API token exchange gave no facts: ${error instanceof DockerPatError ? error.code : 'unexpected error'}`);
  }
}

const CREDENTIAL_VERDICTS = new Set(['bad-credentials', 'expired', 'inactive', 'password-not-allowed']);

function withOatHint(error: DockerPatError, settings: CheckSettings, tokenType: TokenType): DockerPatError {
  if (tokenType !== 'oat' || error.code !== 'bad-credentials') return error;
  return new DockerPatError(
    'bad-credentials',
    `${error.message} The secret is an organization access token, which logs in with the organization's name as username, not a personal Docker ID ('${settings.username}').`,
    'Set username to the organization name that owns the token.',
    { registry: error.registry, field: 'username' },
  );
}

/** A registry revealed as Docker Hub by its challenge names official images `library/NAME`. */
function asHubRepositories(settings: CheckSettings): RepositoryNeed[] {
  const hub = { ...settings.registry, isDockerHub: true };
  return settings.repositories.map((need) => ({ ...need, name: normaliseRepository(need.name, hub) }));
}

/** Optional: the account's own record of the token (expiry, last use, active) from the management API. */
async function readManagementRecord(hub: HubApi, settings: CheckSettings, state: CheckState, now: Date, deps: CoreDeps): Promise<void> {
  const account = settings.hubAccount;
  if (!account) return;
  try {
    const session = await hub.startSession(settings.username, account.password, { code: account.totpCode, secret: account.totpSecret, now });
    const tokens = state.tokenType === 'oat' ? await hub.listOrgAccessTokens(session, settings.username) : await hub.listAccessTokens(session);
    state.health.hubTokens = tokens;
  } catch (error) {
    // The management data only enriches the report; its failure must not fail the login.
    deps.debug?.(`Docker Hub management API gave no token data: ${error instanceof DockerPatError ? error.code : 'unexpected error'}`);
  }
}

async function checkAccess(settings: CheckSettings, deps: CoreDeps, http: HttpClient, env: NodeJS.ProcessEnv, discovery: Discovery, state: CheckState): Promise<void> {
  const challenge = discovery.challenge;
  if (challenge === undefined) return;
  if (challenge.scheme === 'basic') {
    await checkBasicAuth(http, settings.registry, settings.username, settings.secret, deps.secrets);
    return;
  }
  const result = await checkRepositoryAccess({
    http,
    secrets: deps.secrets,
    registry: settings.registry,
    challenge,
    username: settings.username,
    secret: settings.secret,
    repositories: state.repositories,
    permission: state.tokenType === 'pat' ? state.permission : undefined,
  });
  state.verdicts = result.verdicts;
  state.health.githubExpiration = parseGithubTokenExpiration(result.tokenHeaders[GITHUB_EXPIRATION_HEADER]);
  state.error = insufficientScopeError(settings, state);
  if (state.kind === 'gitlab') await readGitlabFacts(http, settings, gitlabApiUrl(challenge.params.realm ?? '', env.CI_API_V4_URL), state, deps);
}

/**
 * GitLab tokens describe themselves on the instance that issues the registry's tokens, and the
 * token goes to that host only. CI_API_V4_URL names the instance running the job, which may be
 * another one: it is used only on the realm's scheme and host, where it also knows a relative URL root.
 */
function gitlabApiUrl(realm: string, ciApiUrl: string | undefined): string | undefined {
  const issuer = parseUrl(realm);
  const ci = ciApiUrl ? parseUrl(ciApiUrl) : undefined;
  if (issuer === undefined) return undefined;
  const sameHost = ci !== undefined && ci.protocol === issuer.protocol && ci.hostname === issuer.hostname;
  return sameHost ? ci.href : issuer.origin;
}

async function readGitlabFacts(http: HttpClient, settings: CheckSettings, apiUrl: string | undefined, state: CheckState, deps: CoreDeps): Promise<void> {
  if (!apiUrl) return;
  try {
    state.health.gitlab = await readGitlabTokenSelf(http, apiUrl, settings.secret);
  } catch (error) {
    // The token's self-description only enriches the report; the registry already said it works.
    deps.debug?.(`GitLab token API gave no token data: ${error instanceof DockerPatError ? error.code : 'unexpected error'}`);
  }
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** The first repository whose grant falls short, or a Hub permission level below the job's needs. */
function insufficientScopeError(settings: CheckSettings, state: CheckState): DockerPatError | undefined {
  const short = state.verdicts.find((v) => !v.ok);
  if (short) {
    const granted = short.granted && short.granted.length > 0 ? short.granted.join(', ') : 'nothing';
    return new DockerPatError(
      'insufficient-scope',
      `${settings.registry.host}: the job needs ${short.needed.join(', ')} on ${short.name}, but the token is granted ${granted}${state.permission ? ` (its permission is ${describePermission(state.permission)})` : ''}.`,
      missingGrantFix(state.kind, state.tokenType, short.name, short.needed),
      { registry: settings.registry.host },
    );
  }
  if (settings.repositories.length === 0 && state.permission && state.tokenType === 'pat') {
    const allowed = actionsForPermission(state.permission);
    const missing = settings.needs.filter((a) => !allowed.includes(a));
    if (missing.length > 0) {
      return new DockerPatError(
        'insufficient-scope',
        `${settings.registry.host}: the job needs ${settings.needs.join(', ')}, but the token's permission is ${describePermission(state.permission)}, which does not allow ${missing.join(', ')}.`,
        `Create a Docker Hub personal access token with ${describePermission(minimalPermissionFor(settings.needs))} permission and store it in the secret.`,
        { registry: settings.registry.host },
      );
    }
  }
  return undefined;
}

/** Anything that is not already one of ours becomes a registry-error with no secret in it. */
function asDockerPatError(error: unknown, settings: CheckSettings, secrets: SecretRegistry): DockerPatError {
  if (error instanceof DockerPatError) return error;
  const detail = error instanceof Error ? secrets.redact(error.message) : 'unknown failure';
  return new DockerPatError(
    'registry-error',
    `${settings.registry.host}: the check failed unexpectedly (${detail}).`,
    'Run again with debug logging on; if it persists, report it with the debug log.',
    { registry: settings.registry.host },
  );
}

