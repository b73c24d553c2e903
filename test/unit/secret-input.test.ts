import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DockerPatError } from '../../src/core/errors.js';
import { classifySecret, normaliseSecret } from '../../src/core/secret-input.js';
import { GHCR_TOKENS, GITLAB_TOKENS, OATS, PATS } from '../sandbox/fixtures.js';
import { thrownBy } from '../support/docker-pat-error.js';

/** Everything a thrown error could show: message, fix, fields, stack and its serialisations. */
function everythingShown(error: DockerPatError): string {
  return [error.message, error.fix, error.stack, String(error), JSON.stringify(error), JSON.stringify(Object.entries(error))].join('\n');
}

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const tokenBody = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...TOKEN_ALPHABET), minLength: min, maxLength: max });
/** A canary secret: its prefix appears in no message text, so finding it means a leak. */
const canary = tokenBody(12, 40).map((body) => `Zq9${body}`);
const outerWhitespace = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r\n', '\u00a0', '\ufeff'), maxLength: 4 });
const innerBreak = fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u2003', '\u200b', '\u0000', '\u001b', '\u2060');

describe('normaliseSecret', () => {
  it('returns a clean secret unchanged', () => {
    expect(normaliseSecret('dckr_pat_jhQhxwAEBQjrxo4-n0tkOpEMivH', 'password')).toEqual({ value: 'dckr_pat_jhQhxwAEBQjrxo4-n0tkOpEMivH', trimmed: false });
  });

  it.each(['dckr_pat_jhQhxwAEBQjrxo4-n0tkOpEMivH\n', '  dckr_pat_jhQhxwAEBQjrxo4-n0tkOpEMivH', 'dckr_pat_jhQhxwAEBQjrxo4-n0tkOpEMivH\r\n', '\ufeffdckr_pat_jhQhxwAEBQjrxo4-n0tkOpEMivH'])(
    'strips surrounding whitespace from %j and says so',
    (raw) => {
      expect(normaliseSecret(raw, 'password')).toEqual({ value: 'dckr_pat_jhQhxwAEBQjrxo4-n0tkOpEMivH', trimmed: true });
    },
  );

  it.each(['', ' ', '\n', '\r\n\t ', '\ufeff'])('reports %j as empty-secret, naming the usual causes', (raw) => {
    const error = thrownBy(() => normaliseSecret(raw, 'password'));
    expect(error.code).toBe('empty-secret');
    expect(error.field).toBe('password');
    expect(error.message).toMatch(/^password: is empty\./);
    for (const cause of ['pull requests from forks', 'Dependabot', 'environment', 'reusable workflow', 'protected GitLab']) {
      expect(error.message).toContain(cause);
    }
    expect(error.fix.length).toBeGreaterThan(0);
  });

  it.each([
    ['a space', 'dckr_pat_abc def'],
    ['a line break', 'dckr_pat_abc\ndef'],
    ['a tab', 'dckr_pat_abc\tdef'],
    ['a no-break space', 'dckr_pat_abc\u00a0def'],
  ])('rejects a secret with %s inside as bad-input, without showing it', (_what, raw) => {
    const error = thrownBy(() => normaliseSecret(raw, 'password'));
    expect(error.code).toBe('bad-input');
    expect(error.message).toBe('password: has whitespace inside it; a token is one unbroken word.');
    expect(everythingShown(error)).not.toContain('dckr_pat_abc');
  });

  it.each([
    ['a zero-width space', 'abc\u200bdef'],
    ['a NUL', 'abc\u0000def'],
    ['an escape', 'abc\u001b[31mdef'],
  ])('rejects a secret with %s inside as bad-input', (_what, raw) => {
    const error = thrownBy(() => normaliseSecret(raw, 'token'));
    expect(error.code).toBe('bad-input');
    expect(error.message).toBe('token: contains control or invisible characters.');
    expect(error.fix).toMatch(/^Use /);
  });

  it('never shows a secret with inner whitespace or invisible characters, in any part of the error', () => {
    fc.assert(
      fc.property(canary, canary, innerBreak, outerWhitespace, (left, right, gap, around) => {
        const error = thrownBy(() => normaliseSecret(`${around}${left}${gap}${right}${around}`, 'password'));
        expect(error.code).toBe('bad-input');
        const shown = everythingShown(error);
        expect(shown).not.toContain(left);
        expect(shown).not.toContain(right);
      }),
      { numRuns: 3000 },
    );
  });

  it('returns the secret itself whatever whitespace surrounds it, and says whether any did', () => {
    fc.assert(
      fc.property(canary, outerWhitespace, outerWhitespace, (secret, before, after) => {
        expect(normaliseSecret(`${before}${secret}${after}`, 'password')).toEqual({ value: secret, trimmed: before !== '' || after !== '' });
      }),
      { numRuns: 3000 },
    );
  });

  it('throws only empty-secret or bad-input, never with the input in it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (raw) => {
        try {
          const { value } = normaliseSecret(raw, 'password');
          expect(value).toBe(raw.trim());
        } catch (error) {
          expect(error).toBeInstanceOf(DockerPatError);
          const e = error as DockerPatError;
          expect(['empty-secret', 'bad-input']).toContain(e.code);
          if (raw.trim().length >= 8) expect(everythingShown(e)).not.toContain(raw.trim());
        }
      }),
      { numRuns: 4000 },
    );
  });

  it('returns on huge input', () => {
    expect(normaliseSecret(`${' '.repeat(500_000)}x${' '.repeat(500_000)}`, 'password')).toEqual({ value: 'x', trimmed: true });
    expect(thrownBy(() => normaliseSecret('x '.repeat(500_000), 'password')).code).toBe('bad-input');
  });
});

describe('classifySecret', () => {
  it.each([
    ['dckr_pat_jhQhxwAEBQjrxo4-n0tkOpEMivH', 'pat'],
    [`dckr_pat_${'a'.repeat(27)}`, 'pat'],
    [`dckr_pat_${'_'.repeat(32)}`, 'pat'],
    ['dckr_oat_7awgM4jG5SQvxcvmNzhKj8PQjxo', 'oat'],
    ['85145afa-7f81-4235-82c9-e37df7c244a8', 'legacy-pat'],
    ['85145AFA-7F81-4235-82C9-E37DF7C244A8', 'legacy-pat'],
    [`dckr_pat_${'a'.repeat(26)}`, 'other'],
    [`dckr_pat_${'a'.repeat(33)}`, 'other'],
    [`dckr_pat_${'a'.repeat(26)}.`, 'other'],
    [`DCKR_PAT_${'a'.repeat(27)}`, 'other'],
    [`dckr_xyz_${'a'.repeat(27)}`, 'other'],
    ['85145afa7f81423582c9e37df7c244a8', 'other'],
    ['85145afa-7f81-4235-82c9-e37df7c244a', 'other'],
    ['g5145afa-7f81-4235-82c9-e37df7c244a8', 'other'],
    ['correct horse battery staple', 'other'],
    ['', 'other'],
  ])('%s is %s', (secret, shape) => {
    expect(classifySecret(secret)).toBe(shape);
  });

  it('classifies the sandbox fixtures', () => {
    for (const pat of Object.values(PATS)) expect(classifySecret(pat.secret)).toBe(pat === PATS.aliceLegacy ? 'legacy-pat' : 'pat');
    for (const oat of Object.values(OATS)) expect(classifySecret(oat.secret)).toBe('oat');
    for (const other of [...Object.values(GITLAB_TOKENS), ...Object.values(GHCR_TOKENS)]) expect(classifySecret(other.secret)).toBe('other');
  });

  it('recognises every PAT, OAT and UUID of the documented forms', () => {
    fc.assert(
      fc.property(tokenBody(27, 32), fc.uuid(), fc.boolean(), (body, uuid, upper) => {
        expect(classifySecret(`dckr_pat_${body}`)).toBe('pat');
        expect(classifySecret(`dckr_oat_${body}`)).toBe('oat');
        expect(classifySecret(upper ? uuid.toUpperCase() : uuid)).toBe('legacy-pat');
      }),
      { numRuns: 2000 },
    );
  });

  it('returns one of its four answers for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (secret) => {
        expect(['pat', 'oat', 'legacy-pat', 'other']).toContain(classifySecret(secret));
      }),
      { numRuns: 2000 },
    );
  });
});
