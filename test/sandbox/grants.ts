/**
 * What the fake auth.docker.io grants. Two things limit a request: the credential's own level
 * (a PAT's permission, an OAT's per-repository scopes) and what the account can reach (its own
 * namespaces and organizations, plus pull on public repositories).
 *
 * - `dockerhub-pat` mode copies Docker Hub: a PAT or OAT asking for more than its level is an
 *   error (`access token has insufficient scopes`), never a reduced token. Repositories the
 *   account cannot reach are reduced (or, with `inaccessibleRepository: 'deny'`, refused).
 * - `spec` mode follows the distribution token spec: always the intersection, never an error.
 */
import type { HubPermission } from '../../src/core/model.js';
import type { Credential } from './credentials.js';
import type { HubState, OatRecord } from './hub-state.js';
import { ACCESS_DENIED, INSUFFICIENT_SCOPES } from './messages.js';
import { ALL_ACTIONS, intersect, normaliseActions, type AccessEntry, type Action, type RequestedScope } from './scope.js';

export type GrantMode = 'dockerhub-pat' | 'spec';
export type InaccessibleRepositoryPolicy = 'reduce' | 'deny';

export type GrantDecision = { ok: true; access: AccessEntry[] } | { ok: false; status: number; details: string };

const PERMISSION_ACTIONS: Record<HubPermission, Action[]> = {
  'repo:public_read': ['pull'],
  'repo:read': ['pull'],
  'repo:write': ['pull', 'push'],
  'repo:admin': ['pull', 'push', 'delete'],
};

/** Both OAT scope families the Hub has documented. */
const OAT_SCOPE_ACTIONS: Record<string, Action[]> = {
  'repo-pull': ['pull'],
  'repo-push': ['push'],
  'repo-delete': ['delete'],
  'scope-image-pull': ['pull'],
  'scope-image-push': ['pull', 'push'],
  'scope-image-delete': ['pull', 'push', 'delete'],
};

function oatResourceActions(oat: OatRecord, repository: string): Action[] | undefined {
  const resource = oat.resources.find((candidate) => candidate.path === repository);
  return resource === undefined ? undefined : normaliseActions(resource.scopes.flatMap((scope) => OAT_SCOPE_ACTIONS[scope] ?? []));
}

/** What the credential's own level allows on a repository, whatever the account can reach. */
function credentialLimit(state: HubState, credential: Credential, repository: string): readonly Action[] {
  switch (credential.kind) {
    case 'pat':
      if (credential.pat.scope === 'repo:public_read' && state.repository(repository).isPrivate) return [];
      return PERMISSION_ACTIONS[credential.pat.scope];
    case 'oat':
      return oatResourceActions(credential.oat, repository) ?? ALL_ACTIONS;
    default:
      return ALL_ACTIONS;
  }
}

/** What the identity behind the credential may do on a repository. */
function reach(state: HubState, credential: Credential, repository: string): readonly Action[] {
  const record = state.repository(repository);
  const publicPull: Action[] = record.isPrivate ? [] : ['pull'];
  switch (credential.kind) {
    case 'anonymous':
      return publicPull;
    case 'oat':
      return oatResourceActions(credential.oat, repository) ?? publicPull;
    default: {
      const account = credential.account;
      const owns = record.owner === account.username || account.orgs.includes(record.owner);
      return owns ? ALL_ACTIONS : publicPull;
    }
  }
}

export function decideHubAccess(
  state: HubState,
  credential: Credential,
  scopes: RequestedScope[],
  mode: GrantMode,
  inaccessible: InaccessibleRepositoryPolicy,
): GrantDecision {
  const access: AccessEntry[] = [];
  const strict = mode === 'dockerhub-pat';
  for (const scope of scopes) {
    if (scope.type !== 'repository') continue;
    const limit = credentialLimit(state, credential, scope.name);
    if (strict && (credential.kind === 'pat' || credential.kind === 'oat') && intersect(scope.actions, limit).length < scope.actions.length) {
      return { ok: false, status: 401, details: INSUFFICIENT_SCOPES };
    }
    const granted = intersect(intersect(scope.actions, limit), reach(state, credential, scope.name));
    if (strict && inaccessible === 'deny' && granted.length < scope.actions.length) {
      return { ok: false, status: 403, details: ACCESS_DENIED };
    }
    if (granted.length > 0) access.push({ type: scope.type, name: scope.name, actions: granted });
  }
  return { ok: true, access };
}
