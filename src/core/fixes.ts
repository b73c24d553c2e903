/**
 * The "how to fix it" sentence for a missing grant, in the words of the registry that issued the
 * token: Docker Hub permission levels, OAT repository scopes, GitLab and GitHub token scopes.
 */
import type { Action, HubPermission, RegistryKind, TokenType } from './model.js';
import { minimalPermissionFor } from './permissions.js';

export const HUB_PERMISSION_LABELS: Record<HubPermission, string> = {
  'repo:public_read': 'Public Repo Read-only',
  'repo:read': 'Read-only',
  'repo:write': 'Read & Write',
  'repo:admin': 'Read, Write, Delete',
};

export function describePermission(permission: HubPermission): string {
  return `${HUB_PERMISSION_LABELS[permission]} (${permission})`;
}

export function missingGrantFix(kind: RegistryKind, tokenType: TokenType, repository: string, needed: Action[]): string {
  if (kind === 'dockerhub' && tokenType === 'oat') {
    return `Edit the organization access token so that ${repository} has ${needed.map((a) => `repo-${a}`).join(', ')}, or create one that does.`;
  }
  if (kind === 'dockerhub') {
    const level = minimalPermissionFor(needed);
    return `Create a Docker Hub personal access token with ${describePermission(level)} permission (Account settings → Personal access tokens) and store it in the secret; check also that the account may ${needed.join(' and ')} ${repository}.`;
  }
  if (kind === 'gitlab') {
    const scopes = needed.includes('push') || needed.includes('delete') ? 'read_registry and write_registry' : 'read_registry';
    return `Use a GitLab token with the ${scopes} scopes and at least the role that may ${needed.join(' and ')} ${repository}.`;
  }
  if (kind === 'ghcr') {
    const scope = needed.includes('delete') ? 'delete:packages' : needed.includes('push') ? 'write:packages' : 'read:packages';
    return `Use a GitHub token with ${scope}, and give it access to the package ${repository} in the package's settings.`;
  }
  return `Grant ${needed.join(', ')} on ${repository} to this account, or use credentials that have it.`;
}
