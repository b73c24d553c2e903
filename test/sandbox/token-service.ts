/**
 * The fake auth.docker.io: `GET /token` with Basic auth and repeated `scope` (what docker, skopeo
 * and our client send) and the OAuth2 `POST /token` form. Errors are `{"details": "..."}` with
 * the exact texts Docker Hub uses; tokens are real JWTs the registry accepts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, recordUse, subjectOf, type Credential } from './credentials.js';
import { decideHubAccess } from './grants.js';
import type { HubState } from './hub-state.js';
import { basicCredentials, readBody, requestUrl, sendJson } from './http-util.js';
import type { JwtSigner } from './jwt-signer.js';
import { INCORRECT_CREDENTIALS, PAT_EXPIRED, PAT_REQUIRED } from './messages.js';
import { issueRegistryToken, rfc3339, TOKEN_LIFETIME_SECONDS } from './registry-token.js';
import { formatAccess, parseScopes, type AccessEntry } from './scope.js';
import type { SandboxSettings } from './settings.js';

interface TokenServiceDeps {
  state: HubState;
  signer: JwtSigner;
  settings: SandboxSettings;
}

type Outcome = { ok: true; access: AccessEntry[]; credential: Credential } | { ok: false; status: number; details: string };

function decide(deps: TokenServiceDeps, login: { username: string; password: string } | undefined, scopeValues: string[]): Outcome {
  const { state, settings } = deps;
  let credential: Credential = { kind: 'anonymous' };
  if (login !== undefined) {
    const result = authenticate(state, login.username, login.password);
    if ('failure' in result) {
      const details = { 'bad-credentials': INCORRECT_CREDENTIALS, expired: PAT_EXPIRED, inactive: settings.inactiveTokenMessage }[result.failure];
      return { ok: false, status: 401, details };
    }
    credential = result.credential;
    if (credential.kind === 'password' && credential.account.totpSecret !== undefined) return { ok: false, status: 401, details: PAT_REQUIRED };
  }
  const decision = decideHubAccess(state, credential, parseScopes(scopeValues), settings.grantMode, settings.inaccessibleRepository);
  if (!decision.ok) return decision;
  recordUse(state, credential);
  return { ok: true, access: decision.access, credential };
}

async function handleOAuthForm(deps: TokenServiceDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const form = new URLSearchParams(await readBody(req));
  const grantType = form.get('grant_type');
  if (grantType === 'refresh_token') return sendJson(res, 400, { error: 'invalid_grant' });
  if (grantType !== 'password') return sendJson(res, 400, { error: 'unsupported_grant_type' });
  const outcome = decide(deps, { username: form.get('username') ?? '', password: form.get('password') ?? '' }, form.getAll('scope'));
  if (!outcome.ok) return sendJson(res, outcome.status, { details: outcome.details });
  const issued = issueRegistryToken(deps.signer, subjectOf(outcome.credential), outcome.access);
  sendJson(res, 200, { access_token: issued.token, scope: formatAccess(outcome.access), expires_in: TOKEN_LIFETIME_SECONDS, issued_at: rfc3339(issued.issuedAt) });
}

export function tokenServiceHandler(deps: TokenServiceDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = requestUrl(req);
    if (url.pathname !== '/token') return sendJson(res, 404, { details: 'not found' });
    if (req.method === 'POST') {
      if (deps.settings.oauthPost === 'not-found') {
        req.resume();
        return sendJson(res, 404, { details: 'not found' });
      }
      return handleOAuthForm(deps, req, res);
    }
    if (req.method !== 'GET') return sendJson(res, 405, { details: 'method not allowed' });
    const outcome = decide(deps, basicCredentials(req), url.searchParams.getAll('scope'));
    if (!outcome.ok) return sendJson(res, outcome.status, { details: outcome.details });
    const issued = issueRegistryToken(deps.signer, subjectOf(outcome.credential), outcome.access);
    sendJson(res, 200, { token: issued.token, access_token: issued.token, expires_in: TOKEN_LIFETIME_SECONDS, issued_at: rfc3339(issued.issuedAt) });
  };
}
