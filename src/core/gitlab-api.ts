/**
 * GitLab lets a personal access token describe itself (`GET /api/v4/personal_access_tokens/self`):
 * its scopes, expiry and last use. Only some tokens can (deploy tokens and CI job tokens cannot),
 * so a refusal means "no metadata", not a failed login: the registry check is the authority on
 * whether the token works.
 */
import { DockerPatError } from './errors.js';
import type { HttpClient } from './http.js';
import { rateLimitedError } from './http-errors.js';
import { parseJsonBody } from './http-response.js';

export interface GitlabTokenSelf {
  name: string | undefined;
  scopes: string[];
  /** ISO 8601 date or date-time; null = never expires. */
  expiresAt: string | null | undefined;
  /** null = never used. */
  lastUsedAt: string | null | undefined;
  createdAt: string | undefined;
  active: boolean | undefined;
}

/** Statuses with which GitLab says this token cannot describe itself. */
const NOT_SELF_DESCRIBING = new Set([401, 403, 404]);

/**
 * `apiUrl` is the API v4 base as GitLab CI gives it (CI_API_V4_URL, e.g.
 * https://gitlab.com/api/v4); a bare instance URL is accepted too.
 */
export async function readGitlabTokenSelf(http: HttpClient, apiUrl: string, token: string): Promise<GitlabTokenSelf | undefined> {
  const base = apiUrl.replace(/\/+$/, '');
  const url = `${/\/api\/v4$/.test(base) ? base : `${base}/api/v4`}/personal_access_tokens/self`;
  const res = await http.request({ method: 'GET', url, headers: { Accept: 'application/json', 'PRIVATE-TOKEN': token } });
  if (NOT_SELF_DESCRIBING.has(res.status)) return undefined;
  const host = new URL(url).host;
  if (res.status === 429) throw rateLimitedError(res, "GitLab's token self-description", host);
  const body = res.status === 200 ? parseJsonBody(res, 'GitLab token description') : undefined;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DockerPatError('registry-error', `${host}: GitLab answered ${res.status} to the token self-description.`, 'Check that the GitLab API URL points at the GitLab instance of the registry.', {
      registry: host,
    });
  }
  const record = body as Record<string, unknown>;
  // Only well-formed values are kept: this server was just sent the token, and whatever it says
  // ends up in reports and logs, so a field echoing it back must not be passed on.
  const name = stringOrUndefined(record.name);
  return {
    name: name?.includes(token) ? undefined : name,
    scopes: Array.isArray(record.scopes) ? record.scopes.filter((s): s is string => typeof s === 'string' && SCOPE.test(s)) : [],
    expiresAt: nullableDate(record.expires_at),
    lastUsedAt: nullableDate(record.last_used_at),
    createdAt: nullableDate(record.created_at) ?? undefined,
    // A revoked token is not active either, whatever `active` says.
    active: typeof record.active === 'boolean' ? record.active && record.revoked !== true : undefined,
  };
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A token scope as GitLab names them (read_registry, api…). */
const SCOPE = /^[a-z][a-z_:]{0,63}$/;
/** An ISO 8601 date or date-time, as GitLab sends them. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function nullableDate(value: unknown): string | null | undefined {
  if (value === null) return null;
  return typeof value === 'string' && ISO_DATE.test(value) && !Number.isNaN(Date.parse(value)) ? value : undefined;
}
