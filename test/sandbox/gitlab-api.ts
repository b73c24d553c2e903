/** GitLab's `GET /api/v4/personal_access_tokens/self`, with `PRIVATE-TOKEN` or a bearer token. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GitLabTokens } from './gitlab-tokens.js';
import { bearerToken, sendJson } from './http-util.js';

export function handlePersonalAccessTokenSelf(tokens: GitLabTokens, req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  const header = req.headers['private-token'];
  const secret = typeof header === 'string' ? header : bearerToken(req);
  const token = secret === undefined ? undefined : tokens.bySecret(secret);
  if (token === undefined) return sendJson(res, 401, { message: '401 Unauthorized' });
  if (token.revoked) return sendJson(res, 401, { error: 'invalid_token', error_description: 'Token was revoked. You have to re-authorize from the user.' });
  if (tokens.isExpired(token)) return sendJson(res, 401, { error: 'invalid_token', error_description: 'Token has expired.' });
  sendJson(res, 200, {
    id: token.id,
    name: token.name,
    revoked: token.revoked,
    created_at: token.createdAt.toISOString(),
    description: null,
    scopes: token.scopes,
    user_id: 1,
    last_used_at: token.lastUsed === null ? null : token.lastUsed.toISOString(),
    active: tokens.usable(token),
    expires_at: token.expiresAt,
  });
}
