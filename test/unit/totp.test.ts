import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DockerPatError } from '../../src/core/errors.js';
import { decodeBase32, hotp, normaliseTotpCode, totp, totpFromBase32, type TotpAlgorithm } from '../../src/core/totp.js';
import { ACCOUNTS } from '../sandbox/fixtures.js';
import { thrownBy } from '../support/docker-pat-error.js';

/** RFC 6238 appendix B: the seeds are ASCII, one length per hash. */
const SEEDS: Record<TotpAlgorithm, Buffer> = {
  sha1: Buffer.from('12345678901234567890'),
  sha256: Buffer.from('12345678901234567890123456789012'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};

const RFC6238_VECTORS: Array<[number, TotpAlgorithm, string]> = [
  [59, 'sha1', '94287082'],
  [59, 'sha256', '46119246'],
  [59, 'sha512', '90693936'],
  [1111111109, 'sha1', '07081804'],
  [1111111109, 'sha256', '68084774'],
  [1111111109, 'sha512', '25091201'],
  [1111111111, 'sha1', '14050471'],
  [1111111111, 'sha256', '67062674'],
  [1111111111, 'sha512', '99943326'],
  [1234567890, 'sha1', '89005924'],
  [1234567890, 'sha256', '91819424'],
  [1234567890, 'sha512', '93441116'],
  [2000000000, 'sha1', '69279037'],
  [2000000000, 'sha256', '90698825'],
  [2000000000, 'sha512', '38618901'],
  [20000000000, 'sha1', '65353130'],
  [20000000000, 'sha256', '77737706'],
  [20000000000, 'sha512', '47863826'],
];

/** RFC 4226 appendix D, counters 0..9. */
const RFC4226_CODES = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];

/** A plain RFC 4648 encoder, written independently of the decoder under test. */
function encodeBase32(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...bytes].map((b) => b.toString(2).padStart(8, '0')).join('');
  let out = '';
  for (let i = 0; i < bits.length; i += 5) out += alphabet[parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
  return out.padEnd(Math.ceil(out.length / 8) * 8, '=');
}

describe('totp', () => {
  it.each(RFC6238_VECTORS)('RFC 6238 vector at %i s with %s', (seconds, algorithm, code) => {
    expect(totp(SEEDS[algorithm], new Date(seconds * 1000), { algorithm, digits: 8 })).toBe(code);
  });

  it('gives the 6-digit code by default (the low six digits of the 8-digit one)', () => {
    expect(totp(SEEDS.sha1, new Date(59_000))).toBe('287082');
    expect(totp(SEEDS.sha1, new Date(1111111109_000))).toBe('081804');
  });

  it.each(RFC4226_CODES.map((code, counter) => [counter, code] as const))('RFC 4226 HOTP counter %i', (counter, code) => {
    expect(hotp(SEEDS.sha1, BigInt(counter))).toBe(code);
  });

  it('keeps one code for the whole 30 s step and changes at the boundary', () => {
    const start = new Date(1111111110_000);
    const sameStep = totp(SEEDS.sha1, start);
    expect(totp(SEEDS.sha1, new Date(start.getTime() + 29_999))).toBe(sameStep);
    expect(totp(SEEDS.sha1, new Date(start.getTime() - 1))).not.toBe(sameStep);
    expect(totp(SEEDS.sha1, new Date(1111111109_000))).toBe('081804');
  });

  it('honours another step length', () => {
    expect(totp(SEEDS.sha1, new Date(120_000), { stepSeconds: 60 })).toBe(hotp(SEEDS.sha1, 2n));
  });

  it('computes from a base32 secret like the fixture account uses', () => {
    // bob's secret is base32 for the RFC seed, so the RFC vector applies to it.
    expect(totpFromBase32(ACCOUNTS.bob.totpSecret, new Date(59_000), { digits: 8 })).toBe('94287082');
  });
});

describe('decodeBase32', () => {
  it.each([
    ['MY======', 'f'],
    ['MZXQ====', 'fo'],
    ['MZXW6===', 'foo'],
    ['MZXW6YQ=', 'foob'],
    ['MZXW6YTB', 'fooba'],
    ['MZXW6YTBOI======', 'foobar'],
  ])('decodes the RFC 4648 vector %s', (encoded, plain) => {
    expect(decodeBase32(encoded).toString()).toBe(plain);
  });

  it('accepts lower case, spaces, hyphens and missing padding', () => {
    expect(decodeBase32('mzxw 6ytb-oi').toString()).toBe('foobar');
  });

  it('round-trips any bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
        const encoded = encodeBase32(bytes);
        expect([...decodeBase32(encoded)]).toEqual([...bytes]);
        expect([...decodeBase32(encoded.replace(/=/g, '').toLowerCase())]).toEqual([...bytes]);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses characters outside the alphabet without echoing the secret', () => {
    const secret = 'GEZDGNBVGY3TQOJ1';
    const error = thrownBy(() => decodeBase32(secret));
    expect(error.code).toBe('bad-input');
    expect(error.field).toBe('hub-totp-secret');
    expect(error.fix).toMatch(/base32/);
    expect(`${error.message} ${error.fix}`).not.toContain(secret);
  });

  it('refuses impossible lengths, padding in the middle and empty input', () => {
    expect(thrownBy(() => decodeBase32('GEZ')).code).toBe('bad-input');
    expect(thrownBy(() => decodeBase32('MY==MZXQ')).code).toBe('bad-input');
    expect(thrownBy(() => decodeBase32('========')).code).toBe('bad-input');
    const empty = thrownBy(() => decodeBase32('  ', 'totp'));
    expect(empty.code).toBe('empty-secret');
    expect(empty.field).toBe('totp');
  });

  it('never echoes any malformed secret (property)', () => {
    // Secret-like strings: the base32 alphabet plus characters it refuses, long enough that
    // they cannot occur in the fixed wording by chance.
    const secretChar = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ2345670189!=-'.split(''));
    fc.assert(
      fc.property(fc.array(secretChar, { minLength: 8, maxLength: 40 }), (chars) => {
        const secret = chars.join('');
        try {
          decodeBase32(secret);
        } catch (error) {
          expect(error).toBeInstanceOf(DockerPatError);
          const { message, fix } = error as DockerPatError;
          expect(`${message}\n${fix}`).not.toContain(secret);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('normaliseTotpCode', () => {
  it('accepts 6 or 8 digits, ignoring spaces', () => {
    expect(normaliseTotpCode('123 456')).toBe('123456');
    expect(normaliseTotpCode('12345678')).toBe('12345678');
  });

  it('refuses anything else without echoing it', () => {
    const error = thrownBy(() => normaliseTotpCode('12345x'));
    expect(error.code).toBe('bad-input');
    expect(error.field).toBe('hub-totp-code');
    expect(error.message).not.toContain('12345x');
    expect(thrownBy(() => normaliseTotpCode('1234567')).code).toBe('bad-input');
  });
});
