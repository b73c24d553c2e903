/**
 * Everything the CLI or a pipeline printed or wrote, kept so each test file can prove at its end
 * that no secret, nothing derived from one, and no JWT ever appeared in any of it.
 */
import { expect } from '@jest/globals';

/** A JWT as the sandbox and real registries issue them (header.payload.signature, base64url). */
const JWT = /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/;

export class Canary {
  private readonly seen: string[] = [];
  private readonly secrets = new Set<string>();

  /** A secret and what tools derive from it (base64 of user:secret, as in config.json). */
  watch(secret: string, username?: string): void {
    this.secrets.add(secret);
    if (username !== undefined) this.secrets.add(Buffer.from(`${username}:${secret}`).toString('base64'));
  }

  record(...texts: string[]): void {
    this.seen.push(...texts);
  }

  get recorded(): number {
    return this.seen.length;
  }

  expectNoLeak(): void {
    const all = this.seen.join('\n');
    for (const secret of this.secrets) expect(all.includes(secret) ? `leaked: ${secret.slice(0, 12)}…` : 'clean').toBe('clean');
    expect(JWT.exec(all)?.[0] ?? 'no JWT').toBe('no JWT');
  }
}
