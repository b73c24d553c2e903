import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseGithubTokenExpiration } from '../../src/core/github-token.js';

describe('parseGithubTokenExpiration', () => {
  it.each([
    ['2026-12-31 12:00:00 UTC', '2026-12-31T12:00:00.000Z'],
    ['2026-12-31 12:00:00 +0000', '2026-12-31T12:00:00.000Z'],
    ['2026-12-31 12:00:00 +0200', '2026-12-31T10:00:00.000Z'],
    ['2026-12-31 12:00:00 -07:00', '2026-12-31T19:00:00.000Z'],
    ['2026-12-31 23:30:00 -0100', '2027-01-01T00:30:00.000Z'],
    ['2026-12-31T12:00:00Z', '2026-12-31T12:00:00.000Z'],
    ['  2026-02-28 00:00:00 utc ', '2026-02-28T00:00:00.000Z'],
    ['2026-12-31 12:00:00', '2026-12-31T12:00:00.000Z'],
  ])('reads %j', (header, iso) => {
    expect(parseGithubTokenExpiration(header)?.toISOString()).toBe(iso);
  });

  it.each([undefined, '', 'never', '2026-02-30 12:00:00 UTC', '2026-12-31 24:00:00 UTC', '2026-12-31', '31/12/2026 12:00:00 UTC'])(
    'gives undefined for %j',
    (header) => {
      expect(parseGithubTokenExpiration(header)).toBeUndefined();
    },
  );

  it('reads back any moment written in the header format (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        (date, offset) => {
          const moment = new Date(Math.floor(date.getTime() / 1000) * 1000);
          const local = new Date(moment.getTime() + offset * 60_000).toISOString();
          const sign = offset < 0 ? '-' : '+';
          const zone = `${sign}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}${String(Math.abs(offset) % 60).padStart(2, '0')}`;
          const header = `${local.slice(0, 10)} ${local.slice(11, 19)} ${zone}`;
          expect(parseGithubTokenExpiration(header)?.getTime()).toBe(moment.getTime());
        },
      ),
      { numRuns: 3000 },
    );
  });
});
