/**
 * Docker Hub's REST API (hub.docker.com), for what the registry cannot tell: the token exchange
 * that reveals a PAT's permission level, and the account's token records (expiry, last use,
 * active). The records need an account session (password, plus a TOTP code on a 2FA account):
 * Docker Hub refuses PATs and PAT-issued JWTs there. Every JWT, password and 2FA token is
 * registered with the SecretRegistry before anything else happens with it. No request is ever
 * repeated after a refusal: Docker Hub locks accounts after failed logins.
 */
import { DockerPatError, badInput } from './errors.js';
import type { HttpClient, HttpRequest } from './http.js';
import { parseJsonBody, type HttpResponse } from './http-response.js';
import { decodeJwtClaims } from './jwt.js';
import { HUB_PERMISSIONS, type HubPermission } from './model.js';
import { parseHubPermission } from './permissions.js';
import { parseRetryAfter } from './retry-after.js';
import { classifySecret } from './secret-input.js';
import type { SecretRegistry } from './secrets.js';
import { TOTP_CODE_FIELD, TOTP_SECRET_FIELD, decodeBase32, normaliseTotpCode, totp } from './totp.js';

const HUB_PASSWORD_FIELD = 'hub-password';

export interface HubApiOptions {
  /** Tokens per page when listing; Docker Hub's own tool asks for 100. */
  pageSize?: number;
  /** A bound on listing, so a misbehaving server cannot keep us paging. */
  maxPages?: number;
  now?: () => Date;
}

/** Docker Hub API quota from the last response's X-RateLimit-* headers. */
export interface HubRateLimit {
  /** Requests allowed per minute. */
  limit: number | undefined;
  remaining: number | undefined;
  resetAt: Date | undefined;
}

/** One token as the management API lists it; personal and organization tokens alike. */
export interface HubTokenRecord {
  /**
   * The PAT's uuid or the OAT's id, matched against the `docker_pat|<id>` source of a JWT. A
   * legacy PAT's uuid is its secret, so ids stay inside the core and never reach a report.
   */
  id: string;
  label: string;
  kind: 'personal' | 'organization' | 'auto-generated';
  /** A PAT's level; an OAT's grants as `path:scope` strings; raw scopes when no level is known. */
  permission: HubPermission | string[] | undefined;
  /** ISO 8601 timestamps; lastUsed and expiresAt are null for "never", undefined when not reported. */
  createdAt: string | undefined;
  lastUsed: string | null | undefined;
  expiresAt: string | null | undefined;
  active: boolean | undefined;
}

export interface HubTokenExchange {
  accessToken: string;
  claims: Record<string, unknown> | undefined;
}

export interface TotpInput {
  /** A code a person typed. */
  code?: string;
  /** The base32 secret, for automation. */
  secret?: string;
  now: Date;
}

/**
 * A password session on Docker Hub. The JWT sits in a private field so that serialising or
 * logging the session object cannot reveal it.
 */
export class HubSession {
  readonly username: string;
  readonly #jwt: string;

  constructor(username: string, jwt: string) {
    this.username = username;
    this.#jwt = jwt;
  }

  authorization(): string {
    return `Bearer ${this.#jwt}`;
  }
}

const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_MAX_PAGES = 50;
const CREATE_PAT_FIX = 'Create a personal access token in Docker Hub (Account settings → Personal access tokens) and use it instead.';

/**
 * Why 'bad-credentials' for a PAT used where the management API wants a password session: the
 * credential is valid but of the wrong kind for this API, and the user's fix is to supply a
 * different credential. 'password-not-allowed' means the opposite case (a password where a PAT is
 * required), 'insufficient-scope' would send the user to create a broader PAT, which Docker Hub
 * would refuse just the same, and 'bad-input' is for values we can judge by their form (a
 * `dckr_pat_` value given as the password is caught that way before any request).
 */
const PAT_NOT_ALLOWED_FIX =
  "Give the Docker Hub account's password (and its 2FA code or TOTP secret) as the account credential; Docker Hub's token management API refuses personal and organization access tokens.";

export class HubApi {
  /** The quota Docker Hub reported on its last answer. */
  rateLimit: HubRateLimit | undefined;
  private readonly baseUrl: string;
  private readonly host: string;
  private readonly pageSize: number;
  private readonly maxPages: number;
  private readonly now: () => Date;

  constructor(
    private readonly http: HttpClient,
    baseUrl: string,
    private readonly secrets: SecretRegistry,
    options: HubApiOptions = {},
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.host = new URL(this.baseUrl).host;
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
    this.now = options.now ?? (() => new Date());
  }

  /** POST /v2/auth/token: a short-lived Hub JWT whose claims carry the token's level and id. */
  async exchangeToken(identifier: string, secret: string): Promise<HubTokenExchange> {
    this.secrets.add(secret);
    const res = await this.post('/v2/auth/token', { identifier, secret });
    if (res.status === 200) {
      const accessToken = this.readToken(res, 'access_token', 'token exchange');
      return { accessToken, claims: decodeJwtClaims(accessToken) };
    }
    if (res.status === 401) throw this.exchangeRefusal(res, identifier);
    throw this.unexpected(res, 'token exchange');
  }

  /**
   * POST /v2/users/login, and on a 2FA account POST /v2/users/2fa-login with the code (typed, or
   * computed from the TOTP secret). The TOTP input is checked before the password is sent, so a
   * malformed secret costs no login attempt.
   */
  async startSession(username: string, password: string, totpInput?: TotpInput): Promise<HubSession> {
    this.secrets.add(password);
    this.secrets.add(totpInput?.secret);
    if (password.trim() === '') {
      throw new DockerPatError('empty-secret', `${HUB_PASSWORD_FIELD}: is empty`, "Give the Docker Hub account's password.", { field: HUB_PASSWORD_FIELD });
    }
    const shape = classifySecret(password.trim());
    if (shape === 'pat' || shape === 'oat') {
      throw badInput(HUB_PASSWORD_FIELD, 'is an access token, not the account password', "the Docker Hub account's password");
    }
    const code = this.totpCode(totpInput);

    const login = await this.post('/v2/users/login', { username, password });
    if (login.status === 200) return new HubSession(username, this.readToken(login, 'token', 'login'));
    if (login.status !== 401) throw this.unexpected(login, 'login');

    const body = readObjectOrEmpty(login);
    const secondFactor = stringField(body, 'login_2fa_token');
    if (!secondFactor) throw this.loginRefusal(username, body);
    this.secrets.add(secondFactor);
    if (code === undefined) {
      throw new DockerPatError(
        'bad-input',
        `${TOTP_SECRET_FIELD}: Docker Hub account ${username} has two-factor authentication, and no TOTP secret or code was given.`,
        "Give the account's base32 TOTP secret for automation, or the current 6-digit code when running it by hand.",
        { field: TOTP_SECRET_FIELD },
      );
    }

    const verified = await this.post('/v2/users/2fa-login', { login_2fa_token: secondFactor, code });
    if (verified.status === 200) return new HubSession(username, this.readToken(verified, 'token', '2FA login'));
    if (verified.status === 401) {
      throw new DockerPatError(
        'bad-credentials',
        `Docker Hub refused the two-factor code for account ${username}.`,
        totpInput?.secret
          ? "Check that the TOTP secret belongs to this account and that this machine's clock is right."
          : 'Enter the code your authenticator app shows now; each code is valid for 30 seconds only.',
        { field: totpInput?.secret ? TOTP_SECRET_FIELD : TOTP_CODE_FIELD, registry: this.host },
      );
    }
    throw this.unexpected(verified, '2FA login');
  }

  /** GET /v2/access-tokens, every page: the account's personal access tokens. */
  async listAccessTokens(session: HubSession): Promise<HubTokenRecord[]> {
    const items = await this.listAll(session, '/v2/access-tokens', 'personal access token list');
    return items.map((item) => this.personalRecord(item));
  }

  /** GET /v2/orgs/{org}/access-tokens, every page: an organization's access tokens (owners only). */
  async listOrgAccessTokens(session: HubSession, org: string): Promise<HubTokenRecord[]> {
    const items = await this.listAll(session, `/v2/orgs/${encodeURIComponent(org)}/access-tokens`, `access token list of organization ${org}`, org);
    return items.map((item) => this.organizationRecord(item));
  }

  private totpCode(input: TotpInput | undefined): string | undefined {
    if (input?.code) return normaliseTotpCode(input.code);
    if (input?.secret) return totp(decodeBase32(input.secret), input.now);
    return undefined;
  }

  private async listAll(session: HubSession, path: string, what: string, org?: string): Promise<unknown[]> {
    const items: unknown[] = [];
    for (let page = 1; page <= this.maxPages; page++) {
      const res = await this.send({
        method: 'GET',
        url: `${this.baseUrl}${path}?page=${page}&page_size=${this.pageSize}`,
        headers: { Accept: 'application/json', Authorization: session.authorization() },
      });
      if (res.status !== 200) throw this.managementRefusal(res, session.username, what, org);
      const body = this.readObject(res, what);
      const results = body.results;
      if (!Array.isArray(results)) throw this.malformed(what);
      items.push(...results);
      if (body.next === null || body.next === undefined || results.length === 0) return items;
    }
    throw new DockerPatError(
      'registry-error',
      `${this.host}: the ${what} did not end within ${this.maxPages} pages of ${this.pageSize}.`,
      'Delete tokens that are no longer needed, or report this if the account has far fewer tokens.',
      { registry: this.host },
    );
  }

  private personalRecord(item: unknown): HubTokenRecord {
    const record = this.asObject(item, 'personal access token list');
    const scopes = stringArray(record.scopes);
    const level = highestPermission(scopes);
    return {
      id: this.requiredString(record, 'uuid', 'personal access token list'),
      label: stringField(record, 'token_label') ?? '',
      kind: /^auto/i.test(stringField(record, 'generated_by') ?? '') ? 'auto-generated' : 'personal',
      permission: level ?? (scopes.length > 0 ? scopes : undefined),
      createdAt: stringField(record, 'created_at'),
      lastUsed: nullableString(record, 'last_used' in record ? 'last_used' : 'last_used_at'),
      expiresAt: nullableString(record, 'expires_at'),
      active: booleanField(record, 'is_active'),
    };
  }

  private organizationRecord(item: unknown): HubTokenRecord {
    const record = this.asObject(item, 'organization access token list');
    const resources = Array.isArray(record.resources) ? record.resources : [];
    const grants = resources.flatMap((resource) => {
      const entry = this.asObject(resource, 'organization access token list');
      const path = stringField(entry, 'path') ?? '';
      return stringArray(entry.scopes).map((scope) => `${path}:${scope}`);
    });
    return {
      id: this.requiredString(record, 'id', 'organization access token list'),
      label: stringField(record, 'label') ?? '',
      kind: 'organization',
      permission: grants,
      createdAt: stringField(record, 'created_at'),
      lastUsed: nullableString(record, 'last_used_at' in record ? 'last_used_at' : 'last_used'),
      expiresAt: nullableString(record, 'expires_at'),
      active: booleanField(record, 'is_active'),
    };
  }

  private post(path: string, body: Record<string, string>): Promise<HttpResponse> {
    return this.send({
      method: 'POST',
      url: `${this.baseUrl}${path}`,
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  private async send(request: HttpRequest): Promise<HttpResponse> {
    const res = await this.http.request(request);
    this.rateLimit = readRateLimit(res) ?? this.rateLimit;
    if (res.status === 429) throw this.rateLimited(res);
    return res;
  }

  private readToken(res: HttpResponse, key: string, what: string): string {
    const token = stringField(this.readObject(res, `${what} answer`), key);
    if (!token) throw this.malformed(`${what} answer`);
    this.secrets.add(token);
    return token;
  }

  private readObject(res: HttpResponse, what: string): Record<string, unknown> {
    return this.asObject(parseJsonBody(res, `Docker Hub ${what}`), what);
  }

  private asObject(value: unknown, what: string): Record<string, unknown> {
    if (isObject(value)) return value;
    throw this.malformed(what);
  }

  private requiredString(record: Record<string, unknown>, key: string, what: string): string {
    const value = stringField(record, key);
    if (!value) throw this.malformed(what);
    return value;
  }

  private exchangeRefusal(res: HttpResponse, identifier: string): DockerPatError {
    const body = readObjectOrEmpty(res);
    const detail = (stringField(body, 'message') ?? stringField(body, 'detail') ?? '').toLowerCase();
    const details = { registry: this.host };
    const secondFactor = stringField(body, 'login_2fa_token');
    this.secrets.add(secondFactor);
    if (secondFactor || detail.includes('must log in with a personal access token')) {
      return new DockerPatError(
        'password-not-allowed',
        `Docker Hub refused a password for ${identifier}: the account needs a personal access token to sign in (two-factor authentication or SSO is on).`,
        CREATE_PAT_FIX,
        details,
      );
    }
    if (detail.includes('expired')) {
      return new DockerPatError('expired', `Docker Hub refused the token for ${identifier}: it has expired.`, 'Create a new token and store it in the CI secret; an expiry date cannot be extended.', details);
    }
    if (/inactive|deactivated|disabled|revoked/.test(detail)) {
      return new DockerPatError('inactive', `Docker Hub refused the token for ${identifier}: it is deactivated.`, 'Activate the token again in Docker Hub (Account settings → Personal access tokens), or create a new one.', details);
    }
    return new DockerPatError(
      'bad-credentials',
      `Docker Hub refused the credentials for ${identifier}.`,
      'Check the username (an organization access token signs in with the organization name) and that the secret is a current token of that account.',
      details,
    );
  }

  private loginRefusal(username: string, body: Record<string, unknown>): DockerPatError {
    const detail = (stringField(body, 'detail') ?? stringField(body, 'message') ?? '').toLowerCase();
    if (detail.includes('personal access token')) {
      return new DockerPatError('bad-credentials', `Docker Hub refused the account credential for ${username}: it is an access token, not the password.`, PAT_NOT_ALLOWED_FIX, {
        field: HUB_PASSWORD_FIELD,
        registry: this.host,
      });
    }
    return new DockerPatError(
      'bad-credentials',
      `Docker Hub refused the account password for ${username}.`,
      "Check the account password; it must be the account's password, not an access token, and it was not retried so the account is not locked.",
      { field: HUB_PASSWORD_FIELD, registry: this.host },
    );
  }

  private managementRefusal(res: HttpResponse, username: string, what: string, org: string | undefined): DockerPatError {
    const body = readObjectOrEmpty(res);
    const detail = (stringField(body, 'message') ?? stringField(body, 'detail') ?? '').toLowerCase();
    const details = { registry: this.host };
    if ((res.status === 401 || res.status === 403) && /personal access token|organization access token/.test(detail)) {
      return new DockerPatError(
        'bad-credentials',
        `Docker Hub refused to show the ${what}: the session was opened with an access token, and token management needs the account password.`,
        PAT_NOT_ALLOWED_FIX,
        { ...details, field: HUB_PASSWORD_FIELD },
      );
    }
    if (res.status === 401) {
      return new DockerPatError('bad-credentials', `Docker Hub refused the session of ${username} for the ${what}.`, 'Run again to open a new session; if it repeats, check the account password.', details);
    }
    if (res.status === 403 && org !== undefined) {
      return new DockerPatError('insufficient-scope', `Docker Hub refused the ${what} to ${username}: only the organization's owners may read it.`, `Use the credential of an owner of organization ${org}.`, details);
    }
    if (res.status === 404 && org !== undefined) {
      return new DockerPatError('bad-input', `organization: Docker Hub has no organization ${org} visible to ${username}.`, 'Use the name of an organization the account owns.', { ...details, field: 'organization' });
    }
    return this.unexpected(res, what);
  }

  private rateLimited(res: HttpResponse): DockerPatError {
    const retryAfterMs = parseRetryAfter(res.headers, this.now().getTime());
    const retryAfter = retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000);
    const quota = this.rateLimit?.limit === undefined ? '' : ` (${this.rateLimit.limit} requests per minute)`;
    const wait = retryAfter === undefined ? 'a minute' : `${retryAfter} s`;
    return new DockerPatError(
      'rate-limited',
      `${this.host}: Docker Hub's API rate limit is reached${quota}; retry after ${wait}.`,
      `Wait ${wait} before running again, and avoid running many audits at the same time.`,
      { registry: this.host },
    );
  }

  private unexpected(res: HttpResponse, what: string): DockerPatError {
    return new DockerPatError('registry-error', `${this.host}: Docker Hub answered ${res.status} to the ${what}.`, 'Try again later; if it persists, check https://www.dockerstatus.com.', {
      registry: this.host,
    });
  }

  private malformed(what: string): DockerPatError {
    return new DockerPatError('registry-error', `${this.host}: Docker Hub sent an unexpected ${what}.`, 'Check that the Docker Hub API URL points at Docker Hub; if it does, try again later.', {
      registry: this.host,
    });
  }
}

function highestPermission(scopes: string[]): HubPermission | undefined {
  const levels = scopes.map((scope) => parseHubPermission(scope));
  return HUB_PERMISSIONS.findLast((permission) => levels.includes(permission));
}

function readRateLimit(res: HttpResponse): HubRateLimit | undefined {
  const limit = numberHeader(res, 'x-ratelimit-limit');
  const remaining = numberHeader(res, 'x-ratelimit-remaining');
  const reset = numberHeader(res, 'x-ratelimit-reset');
  if (limit === undefined && remaining === undefined && reset === undefined) return undefined;
  return { limit, remaining, resetAt: reset === undefined ? undefined : new Date(reset * 1000) };
}

function numberHeader(res: HttpResponse, name: string): number | undefined {
  const value = res.headers[name];
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}

/** Error bodies are only read for their wording; an unreadable one is no reason to hide the status. */
function readObjectOrEmpty(res: HttpResponse): Record<string, unknown> {
  try {
    const value = parseJsonBody(res, 'Docker Hub error');
    return isObject(value) ? value : {};
  } catch {
    return {};
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * null is Docker Hub's "never" (never used, never expires); a missing field is "not reported",
 * since older API versions have no expires_at at all.
 */
function nullableString(record: Record<string, unknown>, key: string): string | null | undefined {
  return record[key] === null ? null : stringField(record, key);
}

function booleanField(record: Record<string, unknown>, key: string): boolean | undefined {
  const value = record[key];
  return typeof value === 'boolean' ? value : undefined;
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
