/**
 * Proves what the token may do on each repository the job names. With a JWT registry one token
 * request covers every repository and the grant is read from the `access` claim (a 200 alone
 * proves nothing); with an opaque token (GHCR) each action is proven against the registry itself.
 */
import type { Challenge } from './challenge.js';
import { DockerPatError } from './errors.js';
import type { HttpClient } from './http.js';
import { grantedActions } from './jwt.js';
import type { Action, HubPermission, RegistryRef, RepositoryNeed, RepositoryVerdict } from './model.js';
import { actionsForPermission } from './permissions.js';
import { probePull, probePush } from './registry-client.js';
import { formatScope } from './scope.js';
import type { SecretRegistry } from './secrets.js';
import { requestRegistryToken, type RegistryToken } from './token-service.js';

export interface AccessCheckInput {
  http: HttpClient;
  secrets: SecretRegistry;
  registry: RegistryRef;
  challenge: Challenge;
  username: string;
  secret: string;
  repositories: RepositoryNeed[];
  /** The Docker Hub PAT level when already known: asking beyond it would only earn a 401. */
  permission: HubPermission | undefined;
}

export interface AccessCheckResult {
  verdicts: RepositoryVerdict[];
  /** Response headers of the token request (GHCR reports a classic PAT's expiry there). */
  tokenHeaders: Record<string, string>;
}

export async function checkRepositoryAccess(input: AccessCheckInput): Promise<AccessCheckResult> {
  const requested = input.repositories.map((need) => ({ need, actions: capToPermission(need.actions, input.permission) }));
  const asked = requested.filter((r) => r.actions.length > 0);
  const request = (scopes: string[]) =>
    requestRegistryToken(input.http, {
      realm: input.challenge.params.realm ?? '',
      service: input.challenge.params.service ?? '',
      scopes,
      username: input.username,
      secret: input.secret,
      registryHost: input.registry.host,
      secrets: input.secrets,
    });

  let issued: RegistryToken;
  try {
    issued = await request(asked.map((r) => formatScope(r.need.name, r.actions)));
  } catch (error) {
    if (!isScopeRefusal(error) || asked.length === 0) throw error;
    return { verdicts: await narrowDown(asked, request), tokenHeaders: {} };
  }

  if (issued.claims === undefined) {
    const verdicts = await Promise.all(requested.map((r) => probeRepository(input, issued.token, r.need, r.actions)));
    return { verdicts, tokenHeaders: issued.headers };
  }
  const claims = issued.claims;
  return { verdicts: input.repositories.map((need) => verdict(need, grantedActions(claims, need.name), 'jwt')), tokenHeaders: issued.headers };
}

/**
 * Docker Hub answers a PAT or OAT that asks beyond its grant with `insufficient scopes` for the
 * whole request instead of a reduced grant. The credential is then known to be good, so asking
 * per repository, and then for pull alone, tells what the token can do where; a single
 * repository skips straight to pull, since asking the same again would change nothing.
 */
async function narrowDown(asked: Requested[], request: (scopes: string[]) => Promise<RegistryToken>): Promise<RepositoryVerdict[]> {
  const attempts = (r: Requested): Action[][] => {
    const pullOnly: Action[][] = r.actions.includes('pull') && r.actions.length > 1 ? [['pull']] : [];
    return asked.length > 1 ? [r.actions, ...pullOnly] : pullOnly;
  };
  return Promise.all(
    asked.map(async (r) => {
      for (const actions of attempts(r)) {
        try {
          const issued = await request([formatScope(r.need.name, actions)]);
          return verdict(r.need, issued.claims ? grantedActions(issued.claims, r.need.name) : actions, 'jwt');
        } catch (error) {
          if (!isScopeRefusal(error)) throw error;
        }
      }
      return verdict(r.need, [], 'jwt');
    }),
  );
}

function isScopeRefusal(error: unknown): boolean {
  return error instanceof DockerPatError && error.code === 'insufficient-scope';
}

interface Requested {
  need: RepositoryNeed;
  actions: Action[];
}

async function probeRepository(input: AccessCheckInput, bearer: string, need: RepositoryNeed, actions: Action[]): Promise<RepositoryVerdict> {
  const granted: Action[] = [];
  if (actions.includes('pull') && (await probePull(input.http, input.registry, need.name, bearer))) granted.push('pull');
  if (actions.includes('push') && (await probePush(input.http, input.registry, need.name, bearer))) granted.push('push');
  // Deleting cannot be proven without deleting something: a probe reports it as unproven.
  const provable = need.actions.filter((a) => a !== 'delete');
  return { ...verdict({ name: need.name, actions: provable }, granted, 'probe'), needed: need.actions };
}

function verdict(need: RepositoryNeed, granted: Action[], method: RepositoryVerdict['method']): RepositoryVerdict {
  return { name: need.name, needed: need.actions, granted, ok: need.actions.every((a) => granted.includes(a)), method };
}

function capToPermission(actions: Action[], permission: HubPermission | undefined): Action[] {
  if (permission === undefined) return actions;
  const allowed = actionsForPermission(permission);
  return actions.filter((a) => allowed.includes(a));
}
