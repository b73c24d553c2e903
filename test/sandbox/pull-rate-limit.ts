/**
 * Docker Hub's pull rate limit as the registry shows it on manifest requests: `ratelimit-limit`
 * and `ratelimit-remaining` as `<n>;w=<window>`, and `docker-ratelimit-source`. A GET counts as a
 * pull, a HEAD does not; at zero, GETs get 429 TOOMANYREQUESTS. `unlimited` drops the headers, as
 * for a paid account.
 */
export interface PullRateLimitSettings {
  limit: number;
  remaining: number;
  windowSeconds: number;
  unlimited: boolean;
  /** Sent with the 429 when set (whether Hub sends one is unconfirmed). */
  retryAfter: number | undefined;
}

export const PULL_LIMIT_MESSAGE =
  'You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limits';

export class PullRateLimit {
  private settings: PullRateLimitSettings = { limit: 1000, remaining: 1000, windowSeconds: 21600, unlimited: false, retryAfter: undefined };

  configure(changes: Partial<PullRateLimitSettings>): void {
    this.settings = { ...this.settings, ...changes };
  }

  exhausted(): boolean {
    return !this.settings.unlimited && this.settings.remaining <= 0;
  }

  consume(): void {
    if (!this.settings.unlimited) this.settings.remaining = Math.max(0, this.settings.remaining - 1);
  }

  headers(): Record<string, string> {
    if (this.settings.unlimited) return {};
    const window = `;w=${this.settings.windowSeconds}`;
    return {
      'ratelimit-limit': `${this.settings.limit}${window}`,
      'ratelimit-remaining': `${this.settings.remaining}${window}`,
      'docker-ratelimit-source': '127.0.0.1',
    };
  }

  tooManyRequests(): { headers: Record<string, string>; body: unknown } {
    const headers: Record<string, string> = this.headers();
    if (this.settings.retryAfter !== undefined) headers['retry-after'] = String(this.settings.retryAfter);
    return { headers, body: { errors: [{ code: 'TOOMANYREQUESTS', message: PULL_LIMIT_MESSAGE, detail: null }] } };
  }
}
