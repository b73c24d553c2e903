/**
 * How long a server asks a client to wait before asking again: the HTTP Retry-After header, or the
 * X-Retry-After header Docker Hub used before it.
 */

/**
 * Milliseconds the server asks us to wait: Retry-After as seconds or an HTTP date, or Docker Hub's
 * older X-Retry-After (a unix time; small values read as seconds). Undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: Record<string, string>, nowMs: number): number | undefined {
  const retryAfter = headers['retry-after']?.trim();
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - nowMs);
  }
  const legacy = headers['x-retry-after']?.trim();
  if (legacy && /^\d+$/.test(legacy)) {
    const value = Number(legacy);
    return value >= 1e9 ? Math.max(0, value * 1000 - nowMs) : value * 1000;
  }
  return undefined;
}
