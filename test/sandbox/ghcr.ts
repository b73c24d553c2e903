/**
 * The GHCR face: same real registry, but its token service (`/token` on the registry's own host,
 * service `ghcr.io`) hands out opaque tokens, `base64("v1:<repo>:<n>")`, from which no grant can
 * be read. The proxy swaps each one for a registry JWT holding what the PAT's scopes allow on the
 * user's own namespace (`read:packages` → pull, `write:packages` → push, `delete:packages` →
 * delete), intersected with the request. Classic PATs get GitHub's expiry header.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from './clock.js';
import { daysFrom, GHCR_TOKENS } from './fixtures.js';
import { basicCredentials, requestUrl, sendJson } from './http-util.js';
import type { JwtSigner } from './jwt-signer.js';
import { faceUrl, retargetChallenge, type RegistryFace } from './registry-proxy.js';
import { issueRegistryToken } from './registry-token.js';
import { TokenExchange } from './token-exchange.js';
import { intersect, parseScopes, type AccessEntry, type Action } from './scope.js';

export const GHCR_SERVICE = 'ghcr.io';
const PLACEHOLDER_SCOPE = 'repository:user/image:pull';
const SCOPE_ACTIONS: Record<string, Action[]> = { 'read:packages': ['pull'], 'write:packages': ['push'], 'delete:packages': ['delete'] };

interface GhcrToken {
  secret: string;
  username: string;
  scopes: string[];
  expiresAt: Date;
}

/** `YYYY-MM-DD HH:MM:SS UTC`, the form of `github-authentication-token-expiration`. */
function githubExpiryHeader(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function ghcrFace(options: { signer: JwtSigner; clock: Clock }): RegistryFace {
  const { signer, clock } = options;
  const start = clock.now();
  const tokens: GhcrToken[] = Object.values(GHCR_TOKENS).map((fixture) => ({
    secret: fixture.secret,
    username: fixture.username,
    scopes: fixture.scopes,
    expiresAt: daysFrom(start, fixture.expiresInDays),
  }));
  const exchange = new TokenExchange();
  let counter = 0;

  const handleToken = (req: IncomingMessage, res: ServerResponse): void => {
    req.resume();
    const login = basicCredentials(req);
    const token = login === undefined ? undefined : tokens.find((candidate) => candidate.secret === login.password);
    const valid = token !== undefined && token.username === login?.username.toLowerCase() && token.expiresAt > clock.now();
    if (login !== undefined && !valid) return sendJson(res, 403, { errors: [{ code: 'DENIED', message: 'denied' }] });
    const allowed = valid ? token.scopes.flatMap((scope) => SCOPE_ACTIONS[scope] ?? []) : [];
    const scopes = parseScopes(requestUrl(req).searchParams.getAll('scope'));
    const access: AccessEntry[] = [];
    for (const scope of scopes) {
      const own = valid && scope.type === 'repository' && scope.name.startsWith(`${token.username}/`);
      // Push and delete work only together with read access, as for GitHub packages.
      const granted = own ? intersect(scope.actions, allowed.includes('pull') ? ['pull', ...allowed] : []) : [];
      if (granted.length > 0) access.push({ type: scope.type, name: scope.name, actions: granted });
    }
    const registry = issueRegistryToken(signer, valid ? token.username : '', access);
    counter += 1;
    const opaque = Buffer.from(`v1:${scopes[0]?.name ?? 'user/image'}:${process.hrtime.bigint()}${counter}`).toString('base64');
    exchange.remember(opaque, registry);
    const headers: Record<string, string> = {};
    if (valid && token.secret.startsWith('ghp_')) headers['github-authentication-token-expiration'] = githubExpiryHeader(token.expiresAt);
    sendJson(res, 200, { token: opaque }, headers);
  };

  return {
    route: async (req, res) => {
      if (requestUrl(req).pathname !== '/token') return false;
      handleToken(req, res);
      return true;
    },
    translateBearer: (token) => exchange.registryTokenFor(token),
    rewriteChallenge: (header, req) => {
      const retargeted = retargetChallenge(header, `${faceUrl(req)}/token`, GHCR_SERVICE);
      return /scope="/i.test(retargeted) ? retargeted : `${retargeted},scope="${PLACEHOLDER_SCOPE}"`;
    },
    deniedMessage: 'permission_denied: The token provided does not match expected scopes.',
  };
}
