/** Docker Hub permission levels and organization-token scopes, translated into registry actions. */
import { HUB_PERMISSIONS, type Action, type HubPermission } from './model.js';
import { closeActions } from './needs.js';

const PERMISSION_ACTIONS: Record<HubPermission, Action[]> = {
  // Public pulls only; whether a repository is public is not known from the level.
  'repo:public_read': ['pull'],
  'repo:read': ['pull'],
  'repo:write': ['pull', 'push'],
  'repo:admin': ['pull', 'push', 'delete'],
};

/**
 * Docker's token reference says each image scope includes the one below it (delete includes
 * push, push includes pull). The older `repo-*` names are only seen as `repo-pull` in the API
 * examples, so they are given no more than their own action (plus pull).
 */
const OAT_SCOPE_ACTIONS = new Map<string, Action[]>([
  ['scope-image-pull', ['pull']],
  ['scope-image-push', ['pull', 'push']],
  ['scope-image-delete', ['pull', 'push', 'delete']],
  ['repo-pull', ['pull']],
  ['repo-push', ['pull', 'push']],
  ['repo-delete', ['pull', 'delete']],
]);

export function actionsForPermission(permission: HubPermission): Action[] {
  return [...PERMISSION_ACTIONS[permission]];
}

/**
 * The lowest level that allows `actions`. Pull maps to `repo:read`, not `repo:public_read`:
 * the level must also work when the repositories are private, which is not known here.
 */
export function minimalPermissionFor(actions: readonly Action[]): HubPermission {
  if (actions.includes('delete')) return 'repo:admin';
  if (actions.includes('push')) return 'repo:write';
  if (actions.includes('pull')) return 'repo:read';
  return 'repo:public_read';
}

export function parseHubPermission(s: string): HubPermission | undefined {
  const text = s.trim();
  return HUB_PERMISSIONS.find((permission) => permission === text);
}

/** Actions granted by an organization access token's scopes; scopes about other things are ignored. */
export function actionsForOatScopes(scopes: readonly string[]): Action[] {
  return closeActions(scopes.flatMap((scope) => OAT_SCOPE_ACTIONS.get(scope) ?? []));
}
