/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), so an unattended job can answer a
 * 2FA Docker Hub login from the account's TOTP secret. The secret and the codes never enter an
 * error message: a malformed secret is reported by its field and the expected form only.
 */
import { createHmac } from 'node:crypto';
import { DockerPatError, badInput } from './errors.js';

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface TotpOptions {
  /** HMAC hash; authenticator apps and Docker Hub use SHA-1. */
  algorithm?: TotpAlgorithm;
  digits?: 6 | 8;
  stepSeconds?: number;
}

export const TOTP_SECRET_FIELD = 'hub-totp-secret';
export const TOTP_CODE_FIELD = 'hub-totp-code';

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE32_FORM = 'the base32 TOTP secret shown when 2FA was set up (letters A-Z and digits 2-7)';

/**
 * RFC 4648 base32, case-insensitive. Spaces and hyphens are ignored because authenticator setup
 * screens show the secret in groups; `=` padding is accepted only at the end.
 */
export function decodeBase32(input: string, field = TOTP_SECRET_FIELD): Buffer {
  const compact = input.replace(/[\s-]/g, '').toUpperCase();
  if (compact === '') {
    throw new DockerPatError('empty-secret', `${field}: is empty`, `Give ${BASE32_FORM}.`, { field });
  }
  const unpadded = compact.replace(/=+$/, '');
  if (unpadded.length === 0 || [...unpadded].some((c) => !BASE32_ALPHABET.includes(c))) {
    throw badInput(field, 'is not a base32 string', BASE32_FORM);
  }
  // 8 base32 characters carry 5 bytes; 1, 3 or 6 leftover characters cannot end a byte cleanly.
  if ([1, 3, 6].includes(unpadded.length % 8)) {
    throw badInput(field, 'has a length no base32 encoding produces (a character is missing or extra)', BASE32_FORM);
  }
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const c of unpadded) {
    buffer = ((buffer << 5) | BASE32_ALPHABET.indexOf(c)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** RFC 4226 HOTP value for one counter. */
export function hotp(key: Buffer, counter: bigint, algorithm: TotpAlgorithm = 'sha1', digits: 6 | 8 = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(counter);
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** RFC 6238 TOTP for the time step containing `now`. */
export function totp(key: Buffer, now: Date, options: TotpOptions = {}): string {
  const step = options.stepSeconds ?? 30;
  const counter = BigInt(Math.floor(now.getTime() / 1000 / step));
  return hotp(key, counter, options.algorithm ?? 'sha1', options.digits ?? 6);
}

/** The current code for a base32 secret as stored in authenticator apps. */
export function totpFromBase32(secret: string, now: Date, options: TotpOptions = {}, field = TOTP_SECRET_FIELD): string {
  return totp(decodeBase32(secret, field), now, options);
}

/** Checks a code a person typed; it is not echoed back, like any credential. */
export function normaliseTotpCode(code: string, field = TOTP_CODE_FIELD): string {
  const compact = code.replace(/\s/g, '');
  if (!/^\d{6}$|^\d{8}$/.test(compact)) {
    throw badInput(field, 'is not a one-time code', 'the 6-digit code your authenticator app shows now');
  }
  return compact;
}
