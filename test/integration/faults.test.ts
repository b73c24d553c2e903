/**
 * Every fault the sandbox can inject ends in the right error code, within the client's time
 * bound, with no credential written. Timeouts are shortened so the suite stays fast; the bound
 * asserted is the configured deadline, not a measured speed.
 */
import { beforeEach, describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { login } from '../../src/core/login.js';
import { SecretRegistry } from '../../src/core/secrets.js';
import { PATS } from '../sandbox/fixtures.js';
import { checkSettings } from '../support/settings.js';
import { useSandbox } from '../support/use-sandbox.js';

const sb = useSandbox();
beforeEach(() => {
  sb().clearFaults();
  sb().requests.clear();
});

const DEADLINE_MS = 4000;

async function loginWithFault() {
  const settings = checkSettings({ registry: sb().registry.host, username: 'alice', secret: PATS.aliceWrite.secret, needs: 'push', repositories: 'alice/app' });
  const delays: number[] = [];
  const started = Date.now();
  const report = await login(settings, {
    secrets: new SecretRegistry(),
    env: { ...sb().env },
    http: { requestTimeoutMs: 1500, connectTimeoutMs: 1000, deadlineMs: DEADLINE_MS, sleep: async (ms) => void delays.push(ms) },
  });
  return { report, elapsed: Date.now() - started, delays, written: readdirSync(settings.dockerConfigDir) };
}

describe.each(['registry', 'auth', 'hub'] as const)('faults in the %s service', (service) => {
  it.each([
    ['a burst of 5xx longer than the retries', { kind: '5xx', status: 503 }, 10, 'registry-error'],
    ['429 without Retry-After', { kind: '429' }, 10, 'rate-limited'],
    ['429 with Retry-After', { kind: '429', retryAfter: 2 }, 10, 'rate-limited'],
    ['a connection reset mid-body', { kind: 'reset' }, 10, 'unreachable'],
    ['a server that never answers', { kind: 'hang' }, 10, 'timeout'],
    ['a slow-drip body', { kind: 'slow-body', bytesPerSecond: 5 }, 10, 'timeout'],
    ['malformed JSON', { kind: 'malformed-json' }, 10, 'registry-error'],
    ['a 50 MB body', { kind: 'oversized', bytes: 50 * 1024 * 1024 }, 10, 'registry-error'],
  ] as const)('%s', async (_name, fault, times, code) => {
    sb().injectFault(service, fault, { times });
    const { report, elapsed, written } = await loginWithFault();
    // The Hub API only enriches the report: its faults degrade it, never fail the login.
    if (service === 'hub') {
      expect(report.error).toBeUndefined();
      expect(report.permission).toBeUndefined();
      expect(report.repositories[0]?.ok).toBe(true);
      return;
    }
    if (service === 'registry' && fault.kind === 'malformed-json') {
      // The registry's /v2/ ping body is never parsed; the check goes through.
      expect(report.error).toBeUndefined();
      return;
    }
    expect(report.error?.code).toBe(code);
    expect(elapsed).toBeLessThan(DEADLINE_MS + 2000);
    expect(written.filter((f) => f === 'config.json')).toEqual([]);
  });
});

describe('retries', () => {
  it('rides out a short 5xx burst and honours Retry-After', async () => {
    sb().injectFault('auth', { kind: '429', retryAfter: 1 }, { times: 1 });
    sb().injectFault('registry', { kind: '5xx', status: 502 }, { times: 1 });
    const { report, delays } = await loginWithFault();
    expect(report.error).toBeUndefined();
    expect(delays).toContain(1000);
  });

  it('never retries a 401', async () => {
    const settings = checkSettings({ registry: sb().registry.host, username: 'alice', secret: 'dckr_pat_WrongWrongWrongWrongWrong00', needs: 'pull' });
    const report = await login(settings, { secrets: new SecretRegistry(), env: { ...sb().env }, http: { sleep: async () => undefined } });
    expect(report.error?.code).toBe('bad-credentials');
    expect(sb().requests.entries().filter((e) => e.status === 401 && (e.authorization !== 'none' || e.path === '/v2/auth/token'))).toHaveLength(1);
  });
});
