/**
 * Asks a registry's token service (the `realm` of a Bearer challenge) for a token with the scopes
 * a job needs, and turns its refusals into the error codes front ends show. Docker Hub refuses a
 * PAT that asks beyond its level instead of granting less, so `insufficient-scope` is a verdict
 * about the token's permission, not about the credential.
 */
import { DockerPatError, type ErrorCode } from './errors.js';
import type { HttpClient } from './http.js';
import { rateLimitedError } from './http-errors.js';
import { parseJsonBody, type HttpResponse } from './http-response.js';
import { decodeJwtClaims } from './jwt.js';
import { isLoopback } from './reference.js';
import { basicAuthorization } from './registry-client.js';
import type { SecretRegistry } from './secrets.js';

export interface TokenRequest {
  /** The challenge's `realm`. */
  realm: string;
  /** The challenge's `service`; empty when the challenge has none. */
  service: string;
  /** `repository:<name>:<actions>` each; empty asks only whether the credential is good. */
  scopes: string[];
  username: string;
  secret: string;
  /** The registry the token is for, named in errors. */
  registryHost: string;
  /** Receives the credential's derived forms and every token issued. */
  secrets: SecretRegistry;
}

export interface RegistryToken {
  token: string;
  /** The JWT's claims; undefined for an opaque token (GHCR), whose grants cannot be read. */
  claims: Record<string, unknown> | undefined;
  /** Seconds; never below the spec's minimum of 60. */
  expiresIn: number;
  /** Response headers (some registries report token metadata there). */
  headers: Record<string, string>;
}

const MIN_EXPIRES_IN = 60;

/**
 * The refusals token services are known to send, matched on the lower-cased message. Only these
 * fixed phrases are ever quoted back: a server's own text could echo what we sent.
 */
const BAD_CREDENTIALS_FIX =
  'Check the username and the token: the token must belong to that user (an organization access token goes with the organization name) and must not have been revoked or deleted.';

const KNOWN_REFUSALS: { phrase: string; code: ErrorCode; fix: string }[] = [
  { phrase: 'incorrect username or password', code: 'bad-credentials', fix: BAD_CREDENTIALS_FIX },
  {
    phrase: 'personal access token is expired',
    code: 'expired',
    fix: 'Create a new access token, update the CI secret with it, and delete the expired one.',
  },
  {
    phrase: 'access token has insufficient scopes',
    code: 'insufficient-scope',
    fix: "Use a token whose permission covers these actions (pushing needs Read & Write, deleting needs Read, Write, Delete), or ask for fewer actions.",
  },
  {
    phrase: 'must log in with a personal access token',
    code: 'password-not-allowed',
    fix: 'This account has two-factor authentication or single sign-on: create a personal access token and use it instead of the password.',
  },
];

const INACTIVE_WORDS = /\b(inactive|deactivated)\b/;
const INACTIVE_FIX = 'Activate the token again in the account settings, or create a new one and update the CI secret.';

export async function requestRegistryToken(http: HttpClient, request: TokenRequest): Promise<RegistryToken> {
  const url = tokenUrl(request);
  const authorization = basicAuthorization(request.username, request.secret, request.secrets);
  const res = await http.request({ method: 'GET', url: url.href, headers: { authorization, accept: 'application/json' } });
  if (res.status === 200) return readToken(res, request);
  throw refusal(res, request, url.host);
}

function tokenUrl(request: TokenRequest): URL {
  let url: URL;
  try {
    url = new URL(request.realm);
  } catch {
    throw badRealm(request, 'did not name a token service (no usable realm in its challenge)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw badRealm(request, `named a token service with the unsupported scheme ${url.protocol}`);
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw badRealm(request, `named a token service over plain HTTP (${url.host}), which would send the credential unencrypted`);
  }
  if (request.service) url.searchParams.set('service', request.service);
  for (const scope of request.scopes) url.searchParams.append('scope', scope);
  url.searchParams.set('account', request.username);
  return url;
}

function badRealm(request: TokenRequest, problem: string): DockerPatError {
  return new DockerPatError(
    'registry-error',
    `The registry ${request.registryHost} ${problem}.`,
    'Check the registry name; a registry that uses token authentication must name an HTTPS token service in its WWW-Authenticate challenge.',
    { registry: request.registryHost },
  );
}

function readToken(res: HttpResponse, request: TokenRequest): RegistryToken {
  const body = parseJsonBody(res, 'token response');
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  for (const name of ['token', 'access_token', 'refresh_token']) {
    if (typeof fields[name] === 'string') request.secrets.add(fields[name]);
  }
  const token = [fields.token, fields.access_token].find((value): value is string => typeof value === 'string' && value !== '');
  if (token === undefined) {
    throw new DockerPatError(
      'registry-error',
      `The token service for ${request.registryHost} answered without a token (asked for ${describeScopes(request.scopes)}).`,
      'The token service is misbehaving; run the job again later, and check the registry name if it persists.',
      { registry: request.registryHost },
    );
  }
  const expiresIn = typeof fields.expires_in === 'number' && Number.isFinite(fields.expires_in) ? Math.max(fields.expires_in, MIN_EXPIRES_IN) : MIN_EXPIRES_IN;
  return { token, claims: decodeJwtClaims(token), expiresIn, headers: res.headers };
}

function refusal(res: HttpResponse, request: TokenRequest, tokenHost: string): DockerPatError {
  const asked = describeScopes(request.scopes);
  const details = { registry: request.registryHost };
  const where = `The token service ${tokenHost} for ${request.registryHost}`;
  const { messages, codes } = readErrorBody(res.body);

  const known = KNOWN_REFUSALS.find((refusal) => messages.some((message) => message.includes(refusal.phrase)));
  if (known) return new DockerPatError(known.code, `${where} refused the token request (asked for ${asked}): ${known.phrase}.`, known.fix, details);
  if (messages.some((message) => INACTIVE_WORDS.test(message))) {
    return new DockerPatError('inactive', `${where} refused the token request (asked for ${asked}): the token is not active.`, INACTIVE_FIX, details);
  }
  if (res.status === 429 || codes.includes('TOOMANYREQUESTS')) return rateLimitedError(res, `a token for ${request.registryHost} (asked for ${asked})`, request.registryHost);
  if (res.status === 401 || res.status === 403) {
    const verb = res.status === 401 ? 'did not accept the credentials' : 'denied the token request';
    return new DockerPatError('bad-credentials', `${where} ${verb} (HTTP ${res.status}, asked for ${asked}).`, BAD_CREDENTIALS_FIX, details);
  }
  return new DockerPatError(
    'registry-error',
    `${where} answered HTTP ${res.status} to a token request (asked for ${asked}).`,
    res.status >= 500
      ? 'The token service is failing; run the job again later, and check the registry status page if it persists.'
      : 'Check the registry name; its token service did not behave like a Docker token service.',
    details,
  );
}

/**
 * Messages (lower-cased) and error codes from the shapes token services use: `{"details": ...}`
 * (Docker Hub), `{"detail"|"message": ...}` and the registry's `{"errors": [{code, message}]}`.
 */
function readErrorBody(text: string): { messages: string[]; codes: string[] } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { messages: [text.slice(0, 1000).toLowerCase()], codes: [] };
  }
  const messages: string[] = [];
  const codes: string[] = [];
  if (typeof body !== 'object' || body === null) return { messages, codes };
  const fields = body as Record<string, unknown>;
  for (const name of ['details', 'detail', 'message', 'error']) {
    if (typeof fields[name] === 'string') messages.push(fields[name].toLowerCase());
  }
  if (Array.isArray(fields.errors)) {
    for (const entry of fields.errors) {
      if (typeof entry !== 'object' || entry === null) continue;
      const { code, message } = entry as Record<string, unknown>;
      if (typeof code === 'string') codes.push(code.toUpperCase());
      if (typeof message === 'string') messages.push(message.toLowerCase());
    }
  }
  return { messages, codes };
}

function describeScopes(scopes: string[]): string {
  return scopes.length === 0 ? 'no repository scope' : scopes.join(' ');
}
