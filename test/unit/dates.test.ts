import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { daysUntil, parseExpiryDate } from '../../src/core/dates.js';
import { DockerPatError } from '../../src/core/errors.js';
import { thrownBy } from '../support/docker-pat-error.js';

const DAY = 86_400_000;

function pad(n: number, width = 2): string {
  return String(Math.abs(n)).padStart(width, '0');
}

/** Dates whose ISO form has a four-digit year. */
const date = fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true });

describe('parseExpiryDate', () => {
  it('reads YYYY-MM-DD as the start of that day in UTC', () => {
    expect(parseExpiryDate('2027-01-31').toISOString()).toBe('2027-01-31T00:00:00.000Z');
    expect(parseExpiryDate(' 2028-02-29\n').toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(parseExpiryDate('0099-12-31').toISOString()).toBe('0099-12-31T00:00:00.000Z');
  });

  it.each([
    ['2027-01-31T12:00:00Z', '2027-01-31T12:00:00.000Z'],
    ['2027-01-31t12:00:00z', '2027-01-31T12:00:00.000Z'],
    ['2027-01-31 12:00:00Z', '2027-01-31T12:00:00.000Z'],
    ['2027-01-31T12:00Z', '2027-01-31T12:00:00.000Z'],
    ['2027-01-31T12:00:00.5Z', '2027-01-31T12:00:00.500Z'],
    ['2027-01-31T12:00:00.123456789Z', '2027-01-31T12:00:00.123Z'],
    ['2027-01-31T12:00:00+02:00', '2027-01-31T10:00:00.000Z'],
    ['2027-01-31T12:00:00-0530', '2027-01-31T17:30:00.000Z'],
    ['2027-01-31T01:00:00+14', '2027-01-30T11:00:00.000Z'],
    ['2027-12-31T23:59:59-12:00', '2028-01-01T11:59:59.000Z'],
    ['2022-05-20T00:54:18Z', '2022-05-20T00:54:18.000Z'],
  ])('reads %s', (input, iso) => {
    expect(parseExpiryDate(input).toISOString()).toBe(iso);
  });

  it.each([
    ['', 'is empty'],
    ['2026-02-30', 'not a real calendar date'],
    ['2027-02-29', 'not a real calendar date'],
    ['2026-04-31', 'not a real calendar date'],
    ['2026-13-01', 'not a real calendar date'],
    ['2026-00-10', 'not a real calendar date'],
    ['2026-01-00', 'not a real calendar date'],
    ['2026-02-30T00:00:00Z', 'not a real calendar date'],
    ['2027-01-31T24:00:00Z', 'not a real time of day'],
    ['2027-01-31T23:60:00Z', 'not a real time of day'],
    ['2027-01-31T23:59:60Z', 'not a real time of day'],
    ['2027-01-31T12:00:00+24:00', 'impossible UTC offset'],
    ['2027-01-31T12:00:00+01:60', 'impossible UTC offset'],
    ['2027-01-31T12:00:00', 'no offset'],
    ['2027-01-31T12:00', 'no offset'],
    ['2026-1-5', 'not a date in a form'],
    ['31/01/2027', 'not a date in a form'],
    ['01/31/2027', 'not a date in a form'],
    ['20270131', 'not a date in a form'],
    ['2027-01-31T', 'not a date in a form'],
    ['2027-01-31T12Z', 'not a date in a form'],
    ['2027-01-31T12:00:00.Z', 'not a date in a form'],
    ['2027-01-31T12:00:00 Z', 'not a date in a form'],
    ['+012027-01-31', 'not a date in a form'],
    ['tomorrow', 'not a date in a form'],
    ['1769819388', 'not a date in a form'],
    ['２０２７-01-31', 'not a date in a form'],
  ])('rejects %j (%s), naming both forms', (input, problem) => {
    const error = thrownBy(() => parseExpiryDate(input));
    expect(error.code).toBe('bad-input');
    expect(error.field).toBe('expires-at');
    expect(error.message).toMatch(/^expires-at: /);
    expect(error.message).toContain(problem);
    expect(error.fix).toContain('YYYY-MM-DD');
    expect(error.fix).toContain('ISO 8601');
  });

  it('names the field it was given', () => {
    expect(thrownBy(() => parseExpiryDate('x', '--expires-at')).message).toMatch(/^--expires-at: /);
  });

  it('reads back every instant written as ISO 8601 with Z', () => {
    fc.assert(
      fc.property(date, (d) => {
        expect(parseExpiryDate(d.toISOString()).getTime()).toBe(d.getTime());
      }),
      { numRuns: 3000 },
    );
  });

  it('reads the same instant whatever the offset it is written in', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }), fc.constantFrom(':', ''), (d, offset, colon) => {
        const local = new Date(d.getTime() + offset * 60_000);
        if (local.getUTCFullYear() < 1 || local.getUTCFullYear() > 9999) return;
        const [day, time] = local.toISOString().slice(0, 23).split('T');
        const sign = offset < 0 ? '-' : '+';
        const text = `${day}T${time}${sign}${pad(Math.trunc(Math.abs(offset) / 60))}${colon}${pad(Math.abs(offset) % 60)}`;
        expect(parseExpiryDate(text).getTime()).toBe(d.getTime());
      }),
      { numRuns: 3000 },
    );
  });

  it('reads every real calendar date as the start of its day', () => {
    fc.assert(
      fc.property(date, (d) => {
        const day = d.toISOString().slice(0, 10);
        expect(parseExpiryDate(day).toISOString()).toBe(`${day}T00:00:00.000Z`);
      }),
      { numRuns: 3000 },
    );
  });

  it('rejects every day past the end of its month', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 9 }), (year, month, extra) => {
        const probe = new Date(0);
        probe.setUTCFullYear(year, month, 0);
        const day = probe.getUTCDate() + extra;
        if (day > 99) return;
        const error = thrownBy(() => parseExpiryDate(`${pad(year, 4)}-${pad(month)}-${pad(day)}`));
        expect(error.message).toContain('not a real calendar date');
      }),
      { numRuns: 2000 },
    );
  });

  it('throws nothing but bad-input for any text', () => {
    const soup = fc
      .array(fc.constantFrom('2027', '-', '01', '31', '02', '30', 'T', ':', '00', '59', '60', 'Z', '+', '.', '5', ' ', '24'), { maxLength: 12 })
      .map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), soup), (input) => {
        try {
          expect(Number.isNaN(parseExpiryDate(input).getTime())).toBe(false);
        } catch (error) {
          expect(error).toBeInstanceOf(DockerPatError);
          expect((error as DockerPatError).code).toBe('bad-input');
          expect((error as DockerPatError).field).toBe('expires-at');
        }
      }),
      { numRuns: 4000 },
    );
  });

  it('returns on huge hostile input', () => {
    for (const input of [`2027-01-31T12:00:00.${'1'.repeat(500_000)}`, '2'.repeat(500_000), `2027-01-31T12:00:00.${'1'.repeat(500_000)}x`]) {
      try {
        parseExpiryDate(input);
      } catch (error) {
        expect((error as DockerPatError).code).toBe('bad-input');
      }
    }
    expect(parseExpiryDate(`2027-01-31T12:00:00.${'1'.repeat(500_000)}Z`).toISOString()).toBe('2027-01-31T12:00:00.111Z');
  });
});

describe('daysUntil', () => {
  const now = new Date('2027-01-01T12:00:00Z');

  it.each([
    ['2027-01-01T12:00:00Z', 0],
    ['2027-01-02T11:59:59Z', 0],
    ['2027-01-02T12:00:00Z', 1],
    ['2027-01-31T00:00:00Z', 29],
    ['2027-01-01T11:59:59Z', -1],
    ['2026-12-31T12:00:00Z', -1],
    ['2026-12-31T11:59:59Z', -2],
  ])('from %s is %i', (target, days) => {
    expect(daysUntil(new Date(target), now)).toBe(days);
  });

  it('counts whole days, rounding down', () => {
    fc.assert(
      fc.property(fc.integer({ min: -4000, max: 4000 }), fc.integer({ min: 0, max: DAY - 1 }), (days, rest) => {
        expect(daysUntil(new Date(now.getTime() + days * DAY + rest), now)).toBe(days);
      }),
      { numRuns: 2000 },
    );
  });
});
