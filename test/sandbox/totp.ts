/**
 * RFC 6238 TOTP (HMAC-SHA-1, 30-second steps, 6 digits), the sandbox's own implementation so
 * the fake Hub's 2FA check is independent of the client code it tests.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const STEP_SECONDS = 30;

function decodeBase32(secret: string): Buffer {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of secret.replace(/[\s=]/g, '').toUpperCase()) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) throw new Error('TOTP secret is not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** HOTP value of `counter` under a raw key, truncated to `digits`. */
export function hotp(key: Buffer, counter: number, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The 6-digit code for a base32 secret at a moment (milliseconds since the epoch). */
export function totpCode(base32Secret: string, atMs: number = Date.now()): string {
  return hotp(decodeBase32(base32Secret), Math.floor(atMs / 1000 / STEP_SECONDS));
}

/** True when `code` matches the current step or one step either side (clock drift). */
export function verifyTotp(base32Secret: string, code: string, atMs: number = Date.now()): boolean {
  const key = decodeBase32(base32Secret);
  const step = Math.floor(atMs / 1000 / STEP_SECONDS);
  const given = Buffer.from(code);
  return [step - 1, step, step + 1].some((counter) => {
    const expected = Buffer.from(hotp(key, counter));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}
