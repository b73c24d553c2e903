import { badInput } from '../core/index.js';

/** The YAML 1.2 core-schema booleans the runner itself accepts for boolean inputs. */
const TRUE_WORDS = ['true', 'True', 'TRUE'];
const FALSE_WORDS = ['false', 'False', 'FALSE'];

/**
 * Like `core.getBooleanInput`, but a bad value becomes a `bad-input` error naming the field,
 * so it is rendered like every other input error instead of as a bare TypeError.
 */
export function parseBooleanInput(field: string, raw: string): boolean {
  if (TRUE_WORDS.includes(raw)) return true;
  if (FALSE_WORDS.includes(raw)) return false;
  throw badInput(field, `"${raw}" is not a boolean`, 'true or false');
}

/** A whole number of days, 0 or more (0 turns the warning off). */
export function parseDaysInput(field: string, raw: string): number {
  if (!/^\d{1,5}$/.test(raw)) throw badInput(field, `"${raw}" is not a number of days`, 'a whole number of days such as 14');
  return Number(raw);
}
