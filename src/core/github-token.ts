/**
 * GitHub tells when a classic personal access token expires in the
 * `github-authentication-token-expiration` response header, as "YYYY-MM-DD HH:MM:SS" followed by
 * "UTC" or a numeric offset ("+0000", "-07:00"). It is the only expiry signal for a token used
 * with ghcr.io, so it is read leniently: an unreadable value is "unknown", never an error.
 */

export const GITHUB_EXPIRATION_HEADER = 'github-authentication-token-expiration';

const EXPIRATION = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?\s*(UTC|GMT|Z|[+-]\d{2}:?\d{2})?$/i;

export function parseGithubTokenExpiration(headerValue: string | undefined): Date | undefined {
  const match = EXPIRATION.exec(headerValue?.trim() ?? '');
  if (!match) return undefined;
  const [, year, month, day, hours, minutes, seconds, zone = 'UTC'] = match;
  const utcMs = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hours), Number(minutes), Number(seconds));
  const check = new Date(utcMs);
  const isRealDate =
    check.getUTCFullYear() === Number(year) &&
    check.getUTCMonth() === Number(month) - 1 &&
    check.getUTCDate() === Number(day) &&
    Number(hours) < 24 &&
    Number(minutes) < 60 &&
    Number(seconds) < 60;
  if (!isRealDate) return undefined;
  return new Date(utcMs - offsetMinutes(zone) * 60_000);
}

/** Minutes east of UTC. */
function offsetMinutes(zone: string): number {
  if (!/^[+-]/.test(zone)) return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  return zone.startsWith('-') ? -minutes : minutes;
}
