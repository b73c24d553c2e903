/**
 * Reads JWT claims without verifying the signature. Claims are used to report what a token grants,
 * never to trust it: the registry still enforces the grant on every request.
 */
import { HUB_PERMISSIONS, type Action, type HubPermission } from './model.js';
import { ACTIONS, isAction } from './needs.js';
import { parseHubPermission } from './permissions.js';

export type Claims = Record<string, unknown>;

export interface HubTokenClaims {
  /** The PAT's permission level, from the `scope` claim. */
  permission?: HubPermission;
  /** `pat` or `oat` (from `docker_pat|<id>`), or whatever other type Docker Hub names. */
  sourceType?: 'pat' | 'oat' | string;
  /** The token's id in Docker Hub's management API (believed to be its `uuid`). */
  sourceId?: string;
  username?: string;
}

/** Docker Hub puts its private claims under this namespace. */
const HUB_NAMESPACE = 'https://hub.docker.com';
const SOURCE_PREFIX = 'docker_';
/** base64url, with or without padding. */
const SEGMENT = /^[A-Za-z0-9_-]*={0,2}$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function isRecord(value: unknown): value is Claims {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Decodes one JWT segment into a JSON object; undefined for anything else. */
function decodeSegment(segment: string): Claims | undefined {
  // One leftover base64 character cannot encode a byte: such a segment is truncated.
  if (!SEGMENT.test(segment) || segment.replace(/=+$/, '').length % 4 === 1) return undefined;
  try {
    const value: unknown = JSON.parse(UTF8.decode(Buffer.from(segment, 'base64url')));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The claims of a compact JWS (`header.claims.signature`); undefined for an opaque or malformed token. */
export function decodeJwtClaims(token: string): Claims | undefined {
  const segments = token.split('.');
  if (segments.length !== 3) return undefined;
  const [header = '', claims = ''] = segments;
  return decodeSegment(header) === undefined ? undefined : decodeSegment(claims);
}

/** Actions the `access` claim grants on `repository` (`*` grants all); unknown actions are ignored. */
export function grantedActions(claims: Claims, repository: string): Action[] {
  const access = claims['access'];
  if (!Array.isArray(access)) return [];
  const granted = new Set<Action>();
  for (const entry of access) {
    if (!isRecord(entry) || !isRepositoryType(entry['type']) || entry['name'] !== repository) continue;
    const actions = entry['actions'];
    if (!Array.isArray(actions)) continue;
    for (const action of actions) {
      if (action === '*') ACTIONS.forEach((a) => granted.add(a));
      else if (typeof action === 'string' && isAction(action)) granted.add(action);
    }
  }
  return ACTIONS.filter((action) => granted.has(action));
}

/** `repository`, or `repository(<class>)`: the resource class is deprecated and ignored. */
function isRepositoryType(type: unknown): boolean {
  return type === 'repository' || (typeof type === 'string' && type.startsWith('repository(') && type.endsWith(')'));
}

/**
 * Docker Hub's undocumented claims: `scope` (space-separated; the highest known level is the
 * PAT's), `source` as `docker_<type>|<id>` at the top level or under the Hub namespace, and the
 * username. Absent or odd claims stay undefined: they are unknown, not false.
 */
export function readHubTokenClaims(claims: Claims): HubTokenClaims {
  const hub = isRecord(claims[HUB_NAMESPACE]) ? claims[HUB_NAMESPACE] : {};
  const permission = highestPermission(claims['scope']);
  const source = parseSource(stringOf(claims['source']) ?? stringOf(hub['source']));
  const username = stringOf(hub['username']) ?? stringOf(claims['username']);
  return {
    ...(permission !== undefined && { permission }),
    ...(source?.type !== undefined && { sourceType: source.type }),
    ...(source?.id !== undefined && { sourceId: source.id }),
    ...(username !== undefined && { username }),
  };
}

function highestPermission(scope: unknown): HubPermission | undefined {
  const words = typeof scope === 'string' ? scope.split(/\s+/) : Array.isArray(scope) ? scope : [];
  const levels = words.map((word) => (typeof word === 'string' ? parseHubPermission(word) : undefined));
  return HUB_PERMISSIONS.findLast((permission) => levels.includes(permission));
}

function parseSource(source: string | undefined): { type: string; id: string | undefined } | undefined {
  if (source === undefined || !source.startsWith(SOURCE_PREFIX)) return undefined;
  const bar = source.indexOf('|');
  const type = source.slice(SOURCE_PREFIX.length, bar === -1 ? undefined : bar);
  if (type === '') return undefined;
  return { type, id: bar === -1 ? undefined : stringOf(source.slice(bar + 1)) };
}
