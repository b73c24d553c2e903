/**
 * The Hub's token management API: `/v2/access-tokens` (personal) and
 * `/v2/orgs/{org}/access-tokens` (organization). Only a password session may call it: a raw PAT
 * as bearer is 401 and a PAT- or OAT-issued JWT is 403, with the texts Docker Hub answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HUB_PERMISSIONS, type HubPermission } from '../../src/core/model.js';
import type { HubSessions } from './hub-sessions.js';
import type { AccountRecord, HubState, OatResource } from './hub-state.js';
import { paginate, readPaging } from './hub-paging.js';
import { accessTokenJson, orgAccessTokenJson } from './hub-views.js';
import { bearerToken, readJsonObject, sendEmpty, sendJson } from './http-util.js';
import { HUB_OAT_NOT_ALLOWED, HUB_PAT_NOT_ALLOWED, HUB_UNAUTHORIZED } from './messages.js';

export interface HubTokenDeps {
  state: HubState;
  sessions: HubSessions;
}

const NOT_FOUND = { detail: 'Not found', message: 'Not found' };

function invalid(res: ServerResponse, fields: Record<string, string[]>): void {
  const text = Object.entries(fields)
    .map(([name, problems]) => `${name}: ${problems.join(', ')}`)
    .join('; ');
  sendJson(res, 400, { fields, text });
}

/** The account behind a password session, or undefined after answering 401/403. */
function sessionAccount(deps: HubTokenDeps, req: IncomingMessage, res: ServerResponse): AccountRecord | undefined {
  const token = bearerToken(req);
  const origin = token === undefined ? undefined : deps.sessions.lookup(token);
  if (origin === undefined) {
    sendJson(res, 401, { message: HUB_UNAUTHORIZED, errinfo: {} });
    return undefined;
  }
  if (origin.kind !== 'password') {
    sendJson(res, 403, { message: origin.kind === 'pat' ? HUB_PAT_NOT_ALLOWED : HUB_OAT_NOT_ALLOWED, errinfo: {} });
    return undefined;
  }
  return origin.account;
}

/** `expires_at`: absent or null means never; otherwise a date-time in the future. */
function readExpiry(value: unknown, now: Date): Date | null | string {
  if (value === undefined || value === null) return null;
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) return 'must be an ISO 8601 date-time';
  return date.getTime() > now.getTime() ? date : 'must be in the future';
}

function readLabel(value: unknown): string | undefined {
  return typeof value === 'string' && value.length >= 1 && value.length <= 100 ? value : undefined;
}

/** The highest valid permission among `scopes`; lower ones are implied by it. */
function readPermission(value: unknown): HubPermission | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  if (!value.every((scope): scope is HubPermission => (HUB_PERMISSIONS as readonly unknown[]).includes(scope))) return undefined;
  return [...value].sort((a, b) => HUB_PERMISSIONS.indexOf(b) - HUB_PERMISSIONS.indexOf(a))[0];
}

function readResources(value: unknown): OatResource[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const resources: OatResource[] = [];
  for (const item of value as unknown[]) {
    const entry = item as Record<string, unknown> | null;
    const scopes = entry?.scopes;
    if (typeof entry?.path !== 'string' || !Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string')) return undefined;
    resources.push({ type: typeof entry.type === 'string' ? entry.type : 'TYPE_REPO', path: entry.path, scopes: scopes as string[] });
  }
  return resources;
}

export async function handlePersonalTokens(deps: HubTokenDeps, req: IncomingMessage, res: ServerResponse, url: URL, uuid: string | undefined): Promise<void> {
  const account = sessionAccount(deps, req, res);
  if (account === undefined) return;
  const { state } = deps;
  if (uuid === undefined) {
    if (req.method === 'GET') {
      const paging = readPaging(url);
      if ('error' in paging) return invalid(res, paging.error);
      const all = state.patsOf(account.username);
      const page = paginate(all, paging, req, url.pathname);
      if (page === undefined) return sendJson(res, 404, { detail: 'Invalid page.', message: 'Invalid page.' });
      return sendJson(res, 200, {
        count: all.length,
        next: page.next,
        previous: page.previous,
        active_count: all.filter((pat) => pat.isActive && !state.isExpired(pat)).length,
        results: page.items.map((pat) => accessTokenJson(pat)),
      });
    }
    if (req.method === 'POST') {
      const body = await readJsonObject(req);
      const label = readLabel(body?.token_label);
      const permission = readPermission(body?.scopes);
      const expiry = readExpiry(body?.expires_at, state.now());
      const problems: Record<string, string[]> = {};
      if (label === undefined) problems.token_label = ['must be 1 to 100 characters'];
      if (permission === undefined) problems.scopes = [`must list one of ${HUB_PERMISSIONS.join(', ')}`];
      if (typeof expiry === 'string') problems.expires_at = [expiry];
      if (label === undefined || permission === undefined || typeof expiry === 'string') return invalid(res, problems);
      return sendJson(res, 201, accessTokenJson(state.createPat(account.username, label, permission, expiry), true));
    }
    return sendJson(res, 405, { detail: 'Method not allowed', message: 'Method not allowed' });
  }

  const pat = state.pat(uuid);
  if (pat === undefined || pat.owner !== account.username) return sendJson(res, 404, NOT_FOUND);
  if (req.method === 'GET') return sendJson(res, 200, accessTokenJson(pat));
  if (req.method === 'DELETE') {
    state.deletePat(uuid);
    return sendEmpty(res, 204);
  }
  if (req.method === 'PATCH') {
    const body = (await readJsonObject(req)) ?? {};
    if (state.isExpired(pat)) return invalid(res, { expires_at: ['the token has expired; expired tokens can only be deleted'] });
    const problems: Record<string, string[]> = {};
    const label = body.token_label === undefined ? pat.label : readLabel(body.token_label);
    const active = body.is_active === undefined ? pat.isActive : body.is_active;
    const permission = body.scopes === undefined ? pat.scope : readPermission(body.scopes);
    if (label === undefined) problems.token_label = ['must be 1 to 100 characters'];
    if (typeof active !== 'boolean') problems.is_active = ['must be a boolean'];
    if (permission === undefined) problems.scopes = [`must list one of ${HUB_PERMISSIONS.join(', ')}`];
    if (label === undefined || typeof active !== 'boolean' || permission === undefined) return invalid(res, problems);
    Object.assign(pat, { label, isActive: active, scope: permission });
    return sendJson(res, 200, accessTokenJson(pat));
  }
  sendJson(res, 405, { detail: 'Method not allowed', message: 'Method not allowed' });
}

export async function handleOrganizationTokens(
  deps: HubTokenDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  org: string,
  id: string | undefined,
): Promise<void> {
  const account = sessionAccount(deps, req, res);
  if (account === undefined) return;
  const { state } = deps;
  if (!state.organizationExists(org)) return sendJson(res, 404, NOT_FOUND);
  if (!account.orgs.includes(org)) return sendJson(res, 403, { message: 'forbidden', errinfo: {} });
  if (id === undefined) {
    if (req.method === 'GET') {
      const paging = readPaging(url);
      if ('error' in paging) return invalid(res, paging.error);
      const all = state.oatsOf(org);
      const page = paginate(all, paging, req, url.pathname);
      if (page === undefined) return sendJson(res, 404, { detail: 'Invalid page.', message: 'Invalid page.' });
      return sendJson(res, 200, { total: all.length, next: page.next, previous: page.previous, results: page.items.map((oat) => orgAccessTokenJson(oat)) });
    }
    if (req.method === 'POST') {
      const body = await readJsonObject(req);
      const label = readLabel(body?.label);
      const resources = readResources(body?.resources);
      const expiry = readExpiry(body?.expires_at, state.now());
      const problems: Record<string, string[]> = {};
      if (label === undefined) problems.label = ['must be 1 to 100 characters'];
      if (resources === undefined) problems.resources = ['must list {type, path, scopes} entries'];
      if (typeof expiry === 'string') problems.expires_at = [expiry];
      if (label === undefined || resources === undefined || typeof expiry === 'string') return invalid(res, problems);
      const description = typeof body?.description === 'string' ? body.description : '';
      return sendJson(res, 201, orgAccessTokenJson(state.createOat(org, account.username, { label, description, resources, expiresAt: expiry }), true));
    }
    return sendJson(res, 405, { detail: 'Method not allowed', message: 'Method not allowed' });
  }

  const oat = state.oat(id);
  if (oat === undefined || oat.org !== org) return sendJson(res, 404, NOT_FOUND);
  if (req.method === 'GET') return sendJson(res, 200, orgAccessTokenJson(oat));
  if (req.method === 'DELETE') {
    state.deleteOat(id);
    return sendEmpty(res, 204);
  }
  if (req.method === 'PATCH') {
    const body = (await readJsonObject(req)) ?? {};
    if (state.isExpired(oat)) return invalid(res, { expires_at: ['the token has expired; expired tokens can only be deleted'] });
    const label = body.label === undefined ? oat.label : readLabel(body.label);
    const description = body.description === undefined ? oat.description : body.description;
    const resources = body.resources === undefined ? oat.resources : readResources(body.resources);
    const active = body.is_active === undefined ? oat.isActive : body.is_active;
    const problems: Record<string, string[]> = {};
    if (label === undefined) problems.label = ['must be 1 to 100 characters'];
    if (typeof description !== 'string') problems.description = ['must be a string'];
    if (resources === undefined) problems.resources = ['must list {type, path, scopes} entries'];
    if (typeof active !== 'boolean') problems.is_active = ['must be a boolean'];
    if (label === undefined || typeof description !== 'string' || resources === undefined || typeof active !== 'boolean') return invalid(res, problems);
    Object.assign(oat, { label, description, resources, isActive: active });
    return sendJson(res, 200, orgAccessTokenJson(oat));
  }
  sendJson(res, 405, { detail: 'Method not allowed', message: 'Method not allowed' });
}
