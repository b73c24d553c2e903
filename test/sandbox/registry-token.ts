/**
 * Tokens for the real registry. Every face of the sandbox (Docker Hub, GHCR, GitLab) ends up
 * presenting one of these, because the one registry process trusts one issuer and one audience.
 */
import { randomUUID } from 'node:crypto';
import { unixSeconds } from './clock.js';
import type { JwtSigner } from './jwt-signer.js';
import type { AccessEntry } from './scope.js';

export const REGISTRY_ISSUER = 'auth.docker.io';
export const REGISTRY_SERVICE = 'registry.docker.io';
export const TOKEN_LIFETIME_SECONDS = 300;

export interface IssuedToken {
  token: string;
  /** Real time in seconds, as in the JWT. */
  issuedAt: number;
  expiresAt: number;
}

export function issueRegistryToken(
  signer: JwtSigner,
  subject: string,
  access: AccessEntry[],
  overrides: { issuer?: string; audience?: string; extraClaims?: Record<string, unknown> } = {},
): IssuedToken {
  const issuedAt = unixSeconds();
  const expiresAt = issuedAt + TOKEN_LIFETIME_SECONDS;
  const token = signer.sign({
    iss: overrides.issuer ?? REGISTRY_ISSUER,
    sub: subject,
    aud: overrides.audience ?? REGISTRY_SERVICE,
    exp: expiresAt,
    nbf: issuedAt,
    iat: issuedAt,
    jti: randomUUID(),
    access,
    ...overrides.extraClaims,
  });
  return { token, issuedAt, expiresAt };
}

export function rfc3339(unix: number): string {
  return new Date(unix * 1000).toISOString();
}
