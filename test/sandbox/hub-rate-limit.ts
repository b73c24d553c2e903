/**
 * The Hub API's per-minute request limit: `X-RateLimit-Limit`, `-Remaining` and `-Reset` (unix
 * seconds) on every response, and 429 with `Retry-After` (seconds) once the window is used up.
 */
export class HubRateLimit {
  private windowEnd = 0;
  private used = 0;

  constructor(
    private readonly limit: number,
    private readonly windowSeconds = 60,
  ) {}

  /** Counts one request and returns the headers describing the window after it. */
  count(): Record<string, string> {
    const now = Math.floor(Date.now() / 1000);
    if (now >= this.windowEnd) {
      this.windowEnd = now + this.windowSeconds;
      this.used = 0;
    }
    this.used += 1;
    return {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(Math.max(0, this.limit - this.used)),
      'x-ratelimit-reset': String(this.windowEnd),
    };
  }

  /** Seconds to wait when the last counted request went over the limit, else undefined. */
  retryAfter(): number | undefined {
    if (this.used <= this.limit) return undefined;
    return Math.max(1, this.windowEnd - Math.floor(Date.now() / 1000));
  }
}
