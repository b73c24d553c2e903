/**
 * Tokens a face issued (GHCR's opaque ones, GitLab's JWTs for `container_registry`) mapped to
 * the registry JWT the real registry accepts, until that JWT expires.
 */
import { unixSeconds } from './clock.js';
import type { IssuedToken } from './registry-token.js';

export class TokenExchange {
  private readonly tokens = new Map<string, IssuedToken>();

  remember(faceToken: string, registryToken: IssuedToken): void {
    this.tokens.set(faceToken, registryToken);
  }

  registryTokenFor(faceToken: string): string | undefined {
    const entry = this.tokens.get(faceToken);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > unixSeconds()) return entry.token;
    this.tokens.delete(faceToken);
    return undefined;
  }
}
