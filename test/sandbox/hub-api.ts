/**
 * The fake hub.docker.com API: login routes, token management, and the per-minute rate limit
 * whose `X-RateLimit-*` headers the service server puts on every response.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleAuthToken, handleTwoFactorLogin, handleUsersLogin, type HubLoginDeps } from './hub-login-routes.js';
import type { HubRateLimit } from './hub-rate-limit.js';
import { handleOrganizationTokens, handlePersonalTokens } from './hub-token-routes.js';
import { requestUrl, sendJson } from './http-util.js';

export interface HubApiDeps extends HubLoginDeps {
  rateLimit: HubRateLimit;
}

const PERSONAL_TOKENS = /^\/v2\/(?:access-tokens|api_tokens)(?:\/([^/]+))?\/?$/;
const ORG_TOKENS = /^\/v2\/orgs\/([^/]+)\/access-tokens(?:\/([^/]+))?\/?$/;

export function hubApiHandler(deps: HubApiDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const retryAfter = deps.rateLimit.retryAfter();
    if (retryAfter !== undefined) {
      req.resume();
      return sendJson(res, 429, { detail: 'Rate limit exceeded', error: false }, { 'retry-after': String(retryAfter) });
    }
    const url = requestUrl(req);
    const path = url.pathname;
    if (req.method === 'POST' && path === '/v2/auth/token') return handleAuthToken(deps, req, res);
    if (req.method === 'POST' && path === '/v2/users/login') return handleUsersLogin(deps, req, res);
    if (req.method === 'POST' && path === '/v2/users/2fa-login') return handleTwoFactorLogin(deps, req, res);
    const personal = PERSONAL_TOKENS.exec(path);
    if (personal !== null) return handlePersonalTokens(deps, req, res, url, personal[1]);
    const organization = ORG_TOKENS.exec(path);
    if (organization?.[1] !== undefined) return handleOrganizationTokens(deps, req, res, url, organization[1], organization[2]);
    req.resume();
    sendJson(res, 404, { detail: 'Not found', message: 'Not found' });
  };
}
