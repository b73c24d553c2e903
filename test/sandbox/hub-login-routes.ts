/**
 * The Hub API's ways in: `POST /v2/auth/token` (identifier + secret: password, PAT or OAT),
 * the deprecated `POST /v2/users/login`, and `POST /v2/users/2fa-login` with a TOTP code.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, recordUse, type AuthenticationFailure } from './credentials.js';
import type { HubSessions, SessionOrigin } from './hub-sessions.js';
import type { HubState } from './hub-state.js';
import { readJsonObject, sendJson } from './http-util.js';
import { HUB_2FA_REQUIRED, HUB_LOGIN_FAILED, INCORRECT_CREDENTIALS, PAT_EXPIRED } from './messages.js';
import type { SandboxSettings } from './settings.js';

export interface HubLoginDeps {
  state: HubState;
  sessions: HubSessions;
  settings: SandboxSettings;
}

type Login = { origin: SessionOrigin } | { failure: AuthenticationFailure } | { twoFactorToken: string };

function logIn(deps: HubLoginDeps, identifier: string, secret: string): Login {
  const result = authenticate(deps.state, identifier, secret);
  if ('failure' in result) return result;
  const credential = result.credential;
  if (credential.kind === 'password' && credential.account.totpSecret !== undefined) {
    return { twoFactorToken: deps.sessions.beginTwoFactor(credential.account) };
  }
  recordUse(deps.state, credential);
  return { origin: credential };
}

function failureText(deps: HubLoginDeps, failure: AuthenticationFailure, badCredentials: string): string {
  return { 'bad-credentials': badCredentials, expired: PAT_EXPIRED, inactive: deps.settings.inactiveTokenMessage }[failure];
}

function stringFields(body: Record<string, unknown> | undefined, names: string[]): string[] | undefined {
  const values = names.map((name) => body?.[name]);
  return values.every((value): value is string => typeof value === 'string' && value !== '') ? values : undefined;
}

export async function handleAuthToken(deps: HubLoginDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const fields = stringFields(await readJsonObject(req), ['identifier', 'secret']);
  if (fields === undefined) {
    return sendJson(res, 400, { fields: { identifier: ['required'], secret: ['required'] }, text: 'identifier and secret are required' });
  }
  const login = logIn(deps, fields[0] ?? '', fields[1] ?? '');
  if ('failure' in login) return sendJson(res, 401, { message: failureText(deps, login.failure, INCORRECT_CREDENTIALS), errinfo: {} });
  if ('twoFactorToken' in login) return sendJson(res, 401, { message: HUB_2FA_REQUIRED, errinfo: {}, login_2fa_token: login.twoFactorToken });
  sendJson(res, 200, { access_token: deps.sessions.issue(login.origin) });
}

export async function handleUsersLogin(deps: HubLoginDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const fields = stringFields(await readJsonObject(req), ['username', 'password']);
  if (fields === undefined) return sendJson(res, 400, { fields: { username: ['required'], password: ['required'] }, text: 'username and password are required' });
  const login = logIn(deps, fields[0] ?? '', fields[1] ?? '');
  if ('failure' in login) return sendJson(res, 401, { detail: failureText(deps, login.failure, HUB_LOGIN_FAILED) });
  if ('twoFactorToken' in login) return sendJson(res, 401, { detail: HUB_2FA_REQUIRED, login_2fa_token: login.twoFactorToken });
  sendJson(res, 200, { token: deps.sessions.issue(login.origin) });
}

export async function handleTwoFactorLogin(deps: HubLoginDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const fields = stringFields(await readJsonObject(req), ['login_2fa_token', 'code']);
  const account = fields === undefined ? undefined : deps.sessions.completeTwoFactor(fields[0] ?? '', fields[1] ?? '');
  if (account === undefined) return sendJson(res, 401, { detail: HUB_LOGIN_FAILED });
  sendJson(res, 200, { token: deps.sessions.issue({ kind: 'password', account }) });
}
