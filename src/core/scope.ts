/**
 * Token scopes (`repository:alice/app:pull,push`). A resource name may hold a registry host with a
 * port, so the type ends at the first ':' and the actions start after the last one.
 */
import type { Action } from './model.js';
import { isPathComponent } from './reference.js';

export interface Scope {
  /** The resource type without its deprecated class: `repository(plugin)` is `repository`. */
  type: string;
  name: string;
  actions: string[];
}

const RESOURCE_TYPE = /^([a-z0-9]+)(?:\([a-z0-9]+\))?$/;
const ACTION = /^(?:[a-z]+|\*)$/;
const HOST_WITH_PORT = /^(?:[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\])(?::[0-9]+)?$/i;

export function formatScope(repo: string, actions: readonly Action[]): string {
  return `repository:${repo}:${actions.join(',')}`;
}

export function parseScope(s: string): Scope | undefined {
  const typeEnd = s.indexOf(':');
  const actionsStart = s.lastIndexOf(':') + 1;
  if (typeEnd === -1 || actionsStart === typeEnd + 1) return undefined;
  const type = RESOURCE_TYPE.exec(s.slice(0, typeEnd))?.[1];
  const name = s.slice(typeEnd + 1, actionsStart - 1);
  const actionText = s.slice(actionsStart);
  const actions = actionText === '' ? [] : actionText.split(',');
  if (type === undefined || !isResourceName(name) || !actions.every((action) => ACTION.test(action))) return undefined;
  return { type, name, actions };
}

/** `[host[:port]/]component[/component]*`; as in image references, a host has a '.', a ':' or is localhost. */
function isResourceName(name: string): boolean {
  const components = name.split('/');
  const first = components[0] ?? '';
  const hasHost = components.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasHost && !HOST_WITH_PORT.test(first)) return false;
  return (hasHost ? components.slice(1) : components).every(isPathComponent);
}
