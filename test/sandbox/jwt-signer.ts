/** ES256 JWTs signed with the sandbox issuer key, in the form registry 2.8 accepts. */
import { sign } from 'node:crypto';
import type { SigningKey } from './keys.js';

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

export class JwtSigner {
  constructor(private readonly key: SigningKey) {}

  /** Claims go in as given: registry tokens need a string `aud` and an `exp`. */
  sign(claims: Record<string, unknown>): string {
    const header = { typ: 'JWT', alg: 'ES256', kid: this.key.kid, x5c: this.key.x5c };
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(input), { key: this.key.privateKey, dsaEncoding: 'ieee-p1363' });
    return `${input}.${signature.toString('base64url')}`;
  }
}
