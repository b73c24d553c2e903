/**
 * Registry scopes as the token services receive them (`repository:alice/app:pull,push`), parsed
 * independently of the client's parser. The name may hold a `host:port`, so the type ends at the
 * first colon and the actions start after the last one.
 */
export type Action = 'pull' | 'push' | 'delete';
export const ALL_ACTIONS: readonly Action[] = ['pull', 'push', 'delete'];

export interface RequestedScope {
  type: string;
  name: string;
  /** Known actions only, `*` expanded, in the order pull, push, delete. */
  actions: Action[];
}

export interface AccessEntry {
  type: string;
  name: string;
  actions: Action[];
}

export function normaliseActions(raw: Iterable<string>): Action[] {
  const set = new Set<string>();
  for (const action of raw) {
    if (action === '*') ALL_ACTIONS.forEach((known) => set.add(known));
    else set.add(action);
  }
  return ALL_ACTIONS.filter((action) => set.has(action));
}

/** Every scope in the given parameter values; each value may hold several, space-separated. */
export function parseScopes(values: string[]): RequestedScope[] {
  const scopes: RequestedScope[] = [];
  for (const part of values.flatMap((value) => value.split(' '))) {
    const first = part.indexOf(':');
    const last = part.lastIndexOf(':');
    if (first <= 0 || last <= first + 1) continue;
    scopes.push({
      type: part.slice(0, first).replace(/\(.*\)$/, ''),
      name: part.slice(first + 1, last),
      actions: normaliseActions(part.slice(last + 1).split(',')),
    });
  }
  return scopes;
}

export function intersect(a: readonly Action[], b: readonly Action[]): Action[] {
  return a.filter((action) => b.includes(action));
}

export function formatAccess(access: AccessEntry[]): string {
  return access.map((entry) => `${entry.type}:${entry.name}:${entry.actions.join(',')}`).join(' ');
}
