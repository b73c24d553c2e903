/** The expiry date a user states (`expires-at`), and whole days until it. */
import { badInput } from './errors.js';
import { quoteInput } from './reference.js';

const MS_PER_DAY = 86_400_000;
const DATE_FORM =
  'YYYY-MM-DD (e.g. 2027-01-31) or an ISO 8601 date and time with Z or a ±HH:MM offset (e.g. 2027-01-31T12:00:00Z)';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Date, 'T' (or a space, as RFC 3339 allows), HH:MM[:SS[.fraction]], then an optional offset. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * A bare date means the START of that day in UTC. Docker Hub shows an expiry as a calendar date,
 * and the moment it ends depends on a time zone we cannot know: a token shown as expiring
 * 2027-01-31 can already be unusable on that date in the time zones ahead of UTC, so the
 * earliest reading is the safe one — warnings come a little early rather than a day late.
 */
export function parseExpiryDate(input: string, field = 'expires-at'): Date {
  const text = input.trim();
  if (text === '') throw badInput(field, 'is empty.', DATE_FORM);
  const dateOnly = DATE_ONLY.exec(text);
  const dateTime = dateOnly ? undefined : DATE_TIME.exec(text);
  const parts = dateOnly ?? dateTime;
  if (!parts) throw badInput(field, `${quoteInput(text)} is not a date in a form this tool reads.`, DATE_FORM);
  const [, year, month, day, hours = '0', minutes = '0', seconds = '0', fraction = '', offset]: (string | undefined)[] = parts;
  if (dateTime && offset === undefined) {
    throw badInput(field, `${quoteInput(text)} has a time but no offset, so the moment depends on the runner's time zone.`, DATE_FORM);
  }
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  if (date.getUTCFullYear() !== Number(year) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) {
    throw badInput(field, `${quoteInput(text)} is not a real calendar date.`, DATE_FORM);
  }
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) {
    throw badInput(field, `${quoteInput(text)} is not a real time of day.`, DATE_FORM);
  }
  date.setUTCHours(Number(hours), Number(minutes), Number(seconds), Number(fraction.slice(0, 3).padEnd(3, '0')));
  return new Date(date.getTime() - offsetMinutes(offset, text, field) * 60_000);
}

/** Minutes east of UTC for `Z`, `±HH`, `±HHMM` or `±HH:MM`. */
function offsetMinutes(offset: string | undefined, text: string, field: string): number {
  if (offset === undefined || offset.toUpperCase() === 'Z') return 0;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 23 || minutes > 59) throw badInput(field, `${quoteInput(text)} has an impossible UTC offset.`, DATE_FORM);
  return (offset.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

/** Whole days from `now` until `target`, rounded down: negative once the target has passed. */
export function daysUntil(target: Date, now: Date): number {
  return Math.floor((target.getTime() - now.getTime()) / MS_PER_DAY);
}
