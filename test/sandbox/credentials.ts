/**
 * Who a username + secret pair is, for the token service and the Hub API alike. A PAT counts only
 * for its owner and an OAT only for its organization; a deleted token is simply unknown.
 */
import type { AccountRecord, HubState, OatRecord, PatRecord } from './hub-state.js';

export type AuthenticatedCredential =
  | { kind: 'password'; account: AccountRecord }
  | { kind: 'pat'; account: AccountRecord; pat: PatRecord }
  | { kind: 'oat'; org: string; oat: OatRecord };

export type Credential = { kind: 'anonymous' } | AuthenticatedCredential;

export type AuthenticationFailure = 'bad-credentials' | 'expired' | 'inactive';

export type Authentication = { credential: AuthenticatedCredential } | { failure: AuthenticationFailure };

function tokenState(state: HubState, token: PatRecord | OatRecord): AuthenticationFailure | undefined {
  if (state.isExpired(token)) return 'expired';
  return token.isActive ? undefined : 'inactive';
}

export function authenticate(state: HubState, username: string, secret: string): Authentication {
  const name = username.toLowerCase();
  const pat = state.patBySecret(secret);
  const owner = pat === undefined ? undefined : state.account(pat.owner);
  if (pat !== undefined && owner !== undefined && pat.owner === name) {
    const failure = tokenState(state, pat);
    return failure === undefined ? { credential: { kind: 'pat', account: owner, pat } } : { failure };
  }
  const oat = state.oatBySecret(secret);
  if (oat !== undefined && oat.org === name) {
    const failure = tokenState(state, oat);
    return failure === undefined ? { credential: { kind: 'oat', org: oat.org, oat } } : { failure };
  }
  const account = state.account(name);
  if (account !== undefined && account.password === secret) return { credential: { kind: 'password', account } };
  return { failure: 'bad-credentials' };
}

/** The name a registry token's `sub` carries. */
export function subjectOf(credential: Credential): string {
  switch (credential.kind) {
    case 'anonymous':
      return '';
    case 'oat':
      return credential.org;
    default:
      return credential.account.username;
  }
}

/** Records a successful use on the token, as the Hub's `last_used` does. */
export function recordUse(state: HubState, credential: Credential): void {
  if (credential.kind === 'pat') state.markUsed(credential.pat);
  if (credential.kind === 'oat') state.markUsed(credential.oat);
}
