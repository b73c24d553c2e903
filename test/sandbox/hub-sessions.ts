/**
 * Hub API sessions: the JWTs `/v2/auth/token` and `/v2/users/login` hand out (10-minute
 * lifetime, claims as observed on hub.docker.com), and the pending second step of a 2FA login.
 * The fake knows every JWT it issued, so a forged or expired one is simply unknown.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { unixSeconds } from './clock.js';
import type { AuthenticatedCredential } from './credentials.js';
import type { AccountRecord } from './hub-state.js';
import { stableUuid } from './hub-state.js';
import type { JwtSigner } from './jwt-signer.js';
import { verifyTotp } from './totp.js';

export const HUB_SESSION_SECONDS = 600;
const TWO_FACTOR_WINDOW_MS = 5 * 60 * 1000;

/** What a session was opened with; management endpoints accept only password sessions. */
export type SessionOrigin = AuthenticatedCredential;

interface Session {
  origin: SessionOrigin;
  expiresAt: number;
}

function sourceClaim(origin: SessionOrigin): string {
  switch (origin.kind) {
    case 'pat':
      return `docker_pat|${origin.pat.uuid}`;
    case 'oat':
      return `docker_oat|${origin.oat.id}`;
    case 'password':
      return `docker_password|${origin.account.uuid}`;
  }
}

export class HubSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly pendingTwoFactor = new Map<string, { account: AccountRecord; until: number }>();

  constructor(private readonly signer: JwtSigner) {}

  issue(origin: SessionOrigin): string {
    const issuedAt = unixSeconds();
    const sessionId = randomUUID();
    const username = origin.kind === 'oat' ? origin.org : origin.account.username;
    const uuid = origin.kind === 'oat' ? stableUuid(`org:${origin.org}`) : origin.account.uuid;
    const token = this.signer.sign({
      aud: 'https://hub.docker.com',
      iss: 'https://api.docker.com/',
      sub: uuid,
      iat: issuedAt,
      exp: issuedAt + HUB_SESSION_SECONDS,
      jti: sessionId,
      ...(origin.kind === 'pat' ? { scope: origin.pat.scope } : {}),
      'https://hub.docker.com': {
        username,
        email: origin.kind === 'oat' ? '' : origin.account.email,
        uuid,
        session_id: sessionId,
        roles: [],
        source: sourceClaim(origin),
      },
    });
    this.sessions.set(token, { origin, expiresAt: issuedAt + HUB_SESSION_SECONDS });
    return token;
  }

  lookup(token: string): SessionOrigin | undefined {
    const session = this.sessions.get(token);
    if (session === undefined) return undefined;
    if (session.expiresAt <= unixSeconds()) {
      this.sessions.delete(token);
      return undefined;
    }
    return session.origin;
  }

  beginTwoFactor(account: AccountRecord): string {
    const token = randomBytes(24).toString('base64url');
    this.pendingTwoFactor.set(token, { account, until: Date.now() + TWO_FACTOR_WINDOW_MS });
    return token;
  }

  /** The account when the pending login exists and the code is right; the login is then used up. */
  completeTwoFactor(token: string, code: string): AccountRecord | undefined {
    const pending = this.pendingTwoFactor.get(token);
    if (pending === undefined || pending.until < Date.now() || pending.account.totpSecret === undefined) return undefined;
    if (!verifyTotp(pending.account.totpSecret, code)) return undefined;
    this.pendingTwoFactor.delete(token);
    return pending.account;
  }
}
