import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { HUB_PERMISSIONS, type Action, type HubPermission } from '../../src/core/model.js';
import { closeActions } from '../../src/core/needs.js';
import { actionsForOatScopes, actionsForPermission, minimalPermissionFor, parseHubPermission } from '../../src/core/permissions.js';

const action = fc.constantFrom<Action>('pull', 'push', 'delete');

describe('actionsForPermission', () => {
  it.each<[HubPermission, Action[]]>([
    ['repo:public_read', ['pull']],
    ['repo:read', ['pull']],
    ['repo:write', ['pull', 'push']],
    ['repo:admin', ['pull', 'push', 'delete']],
  ])('%s allows %j', (permission, actions) => {
    expect(actionsForPermission(permission)).toEqual(actions);
  });

  it('hands out a copy the caller may change', () => {
    actionsForPermission('repo:read').push('delete');
    expect(actionsForPermission('repo:read')).toEqual(['pull']);
  });
});

describe('minimalPermissionFor', () => {
  it.each<[Action[], HubPermission]>([
    [[], 'repo:public_read'],
    [['pull'], 'repo:read'],
    [['pull', 'push'], 'repo:write'],
    [['push'], 'repo:write'],
    [['pull', 'delete'], 'repo:admin'],
    [['delete'], 'repo:admin'],
  ])('%j needs %s', (actions, permission) => {
    expect(minimalPermissionFor(actions)).toBe(permission);
  });

  it('allows every needed action, and the level below it does not (public_read aside, which cannot reach private repos)', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 4 }), (actions) => {
        const needed = closeActions(actions);
        const level = minimalPermissionFor(needed);
        for (const a of needed) expect(actionsForPermission(level)).toContain(a);
        const below = HUB_PERMISSIONS[HUB_PERMISSIONS.indexOf(level) - 1];
        if (below !== undefined && below !== 'repo:public_read') {
          expect(needed.every((a) => actionsForPermission(below).includes(a))).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseHubPermission', () => {
  it.each(HUB_PERMISSIONS)('reads %s', (permission) => {
    expect(parseHubPermission(permission)).toBe(permission);
    expect(parseHubPermission(` ${permission}\n`)).toBe(permission);
  });

  it.each(['', 'repo:write repo:read', 'REPO:READ', 'repo:delete', 'read', 'repo-pull', 'toString', '__proto__'])('does not read %j', (text) => {
    expect(parseHubPermission(text)).toBeUndefined();
  });

  it('returns a known level or undefined for any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom(...HUB_PERMISSIONS)), (text) => {
        const permission = parseHubPermission(text);
        expect(permission === undefined || (HUB_PERMISSIONS as readonly string[]).includes(permission)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('actionsForOatScopes', () => {
  it.each<[string[], Action[]]>([
    [[], []],
    [['repo-pull'], ['pull']],
    [['repo-push'], ['pull', 'push']],
    [['repo-delete'], ['pull', 'delete']],
    [['scope-image-pull'], ['pull']],
    [['scope-image-push'], ['pull', 'push']],
    [['scope-image-delete'], ['pull', 'push', 'delete']],
    [['scope-repository-read', 'scope-tag-admin', 'repo-pull'], ['pull']],
    [['scope-image-push', 'repo-delete'], ['pull', 'push', 'delete']],
    [['constructor', 'toString', '__proto__'], []],
  ])('%j grants %j', (scopes, actions) => {
    expect(actionsForOatScopes(scopes)).toEqual(actions);
  });

  it('grants a closed, ordered list for any scope list', () => {
    const scope = fc.oneof(fc.constantFrom('repo-pull', 'repo-push', 'repo-delete', 'scope-image-pull', 'scope-image-push', 'scope-image-delete'), fc.string({ maxLength: 20 }));
    fc.assert(
      fc.property(fc.array(scope, { maxLength: 6 }), (scopes) => {
        const granted = actionsForOatScopes(scopes);
        expect(closeActions(granted)).toEqual(granted);
      }),
      { numRuns: 1000 },
    );
  });
});
