/**
 * The GitLab face: `/jwt/auth` (service `container_registry`) filters the requested actions down
 * to what the token allows, as GitLab does, and never errors for lacking scope; empty entries
 * are dropped. A PAT reaches the repositories under its user's namespace: `read_registry` →
 * pull, `read_registry` + `write_registry` → push and delete. The proxy swaps GitLab's JWT for a
 * registry JWT with the same grant, and answers lacking scope with 403 DENIED.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handlePersonalAccessTokenSelf } from './gitlab-api.js';
import type { GitLabTokens } from './gitlab-tokens.js';
import { basicCredentials, requestUrl, sendJson } from './http-util.js';
import type { JwtSigner } from './jwt-signer.js';
import { faceUrl, retargetChallenge, type RegistryFace } from './registry-proxy.js';
import { issueRegistryToken, rfc3339, TOKEN_LIFETIME_SECONDS } from './registry-token.js';
import { TokenExchange } from './token-exchange.js';
import { intersect, parseScopes, type AccessEntry, type Action } from './scope.js';

export const GITLAB_SERVICE = 'container_registry';
const GITLAB_ISSUER = 'gitlab-issuer';
const ACCESS_DENIED =
  'HTTP Basic: Access denied. If a password was provided for Git authentication, the password was incorrect or you are required to use a token instead of a password. If a token was provided, it was either incorrect, expired, or improperly scoped.';

function allowedActions(scopes: string[]): Action[] {
  if (!scopes.includes('read_registry')) return [];
  return scopes.includes('write_registry') ? ['pull', 'push', 'delete'] : ['pull'];
}

export function gitlabFace(options: { signer: JwtSigner; tokens: GitLabTokens }): RegistryFace {
  const { signer, tokens } = options;
  const exchange = new TokenExchange();

  const handleJwtAuth = (req: IncomingMessage, res: ServerResponse): void => {
    req.resume();
    const login = basicCredentials(req);
    const token = login === undefined ? undefined : tokens.bySecret(login.password);
    const valid = token !== undefined && token.username === login?.username && tokens.usable(token);
    if (login !== undefined && !valid) return sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: ACCESS_DENIED }] });
    const allowed = valid ? allowedActions(token.scopes) : [];
    const access: AccessEntry[] = [];
    for (const scope of parseScopes(requestUrl(req).searchParams.getAll('scope'))) {
      const own = valid && scope.type === 'repository' && scope.name.startsWith(`${token.username}/`);
      const granted = own ? intersect(scope.actions, allowed) : [];
      if (granted.length > 0) access.push({ type: scope.type, name: scope.name, actions: granted });
    }
    const subject = valid ? token.username : '';
    const gitlab = issueRegistryToken(signer, subject, access, {
      issuer: GITLAB_ISSUER,
      audience: GITLAB_SERVICE,
      extraClaims: { auth_type: valid ? 'personal_access_token' : 'none', user: valid ? { username: token.username } : null },
    });
    const registry = issueRegistryToken(signer, subject, access);
    exchange.remember(gitlab.token, registry);
    sendJson(res, 200, { token: gitlab.token, expires_in: TOKEN_LIFETIME_SECONDS, issued_at: rfc3339(gitlab.issuedAt) });
  };

  return {
    route: async (req, res) => {
      const path = requestUrl(req).pathname;
      if (path === '/jwt/auth') {
        handleJwtAuth(req, res);
        return true;
      }
      if (path === '/api/v4/personal_access_tokens/self') {
        handlePersonalAccessTokenSelf(tokens, req, res);
        return true;
      }
      return false;
    },
    translateBearer: (token) => exchange.registryTokenFor(token),
    rewriteChallenge: (header, req) => retargetChallenge(header, `${faceUrl(req)}/jwt/auth`, GITLAB_SERVICE),
    deniedMessage: 'access forbidden',
  };
}
