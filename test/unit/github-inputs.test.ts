import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { DockerPatError, SecretRegistry } from '../../src/core/index.js';
import { INPUT_DEFAULTS, readActionSettings, type AuditSettings, type LoginSettings } from '../../src/github/inputs.js';
import { createMaskedSecretRegistry } from '../../src/github/masking.js';
import { ACCOUNTS, PATS } from '../sandbox/fixtures.js';
import { thrownBy } from '../support/docker-pat-error.js';
import { setInputs, useCapturedStdout } from './github-harness.js';

const token = PATS.aliceWrite.secret;
const base64Credential = Buffer.from(`alice:${token}`).toString('base64');

function login(inputs: Record<string, string>): LoginSettings {
  setInputs({ username: 'alice', password: token, ...inputs });
  const settings = readActionSettings(new SecretRegistry(), { HOME: '/home/runner' });
  if (settings.mode !== 'login') throw new Error('expected login settings');
  return settings;
}

const stdout = useCapturedStdout();

describe('masking comes first', () => {
  it('masks the password and base64(user:password) before any other command', () => {
    setInputs({ username: 'alice', password: `  ${token}\n` });
    readActionSettings(createMaskedSecretRegistry(), {});
    const lines = stdout.lines();
    const firstOther = lines.findIndex((line) => !line.startsWith('::add-mask::'));
    const masks = lines.slice(0, firstOther === -1 ? lines.length : firstOther);
    expect(masks).toContain(`::add-mask::${token}`);
    expect(masks).toContain(`::add-mask::${base64Credential}`);
    expect(lines.slice(masks.length).join('\n')).not.toContain(token);
  });

  it('masks before validating, so a bad input still finds the secret masked', () => {
    setInputs({ username: 'alice', password: token, needs: 'fly' });
    expect(thrownBy(() => readActionSettings(createMaskedSecretRegistry(), {})).code).toBe('bad-input');
    expect(stdout.lines()).toContain(`::add-mask::${token}`);
  });

  it('masks the Hub account password and TOTP secret too', () => {
    setInputs({ username: 'bob', password: PATS.bobWrite.secret, 'hub-password': ACCOUNTS.bob.password, 'hub-totp-secret': ACCOUNTS.bob.totpSecret });
    readActionSettings(createMaskedSecretRegistry(), {});
    expect(stdout.lines()).toEqual(expect.arrayContaining([`::add-mask::${ACCOUNTS.bob.password}`, `::add-mask::${ACCOUNTS.bob.totpSecret}`]));
  });
});

describe('login settings', () => {
  it('applies the defaults of action.yml when inputs are missing', () => {
    const settings = login({});
    expect(settings.check.registry.isDockerHub).toBe(true);
    expect(settings.check.needs).toEqual(['pull']);
    expect(settings.check.repositories).toEqual([]);
    expect(settings.check.expiresAt).toBeUndefined();
    expect(settings.check.expiryWarningDays).toBe(14);
    expect(settings.check.unusedWarningDays).toBe(90);
    expect(settings.check.dryRun).toBe(false);
    expect(settings.check.strict).toBe(false);
    expect(settings.check.hubAccount).toBeUndefined();
    expect(settings.logout).toBe(true);
    expect(settings.isolateConfig).toBe(false);
  });

  it('reads every input into the typed settings', () => {
    const settings = login({
      registry: '127.0.0.1:5000',
      needs: 'push',
      repositories: 'alice/app\nalice/site:pull,delete',
      'expires-at': '2031-05-06',
      'expiry-warning-days': '30',
      'unused-days': '7',
      'dry-run': 'true',
      strict: 'True',
      logout: 'false',
      'isolate-config': 'TRUE',
      'hub-password': ACCOUNTS.alice.password,
    });
    expect(settings.check.registry.host).toBe('127.0.0.1:5000');
    expect(settings.check.needs).toEqual(['pull', 'push']);
    expect(settings.check.repositories).toEqual([
      { name: 'alice/app', actions: ['pull', 'push'] },
      { name: 'alice/site', actions: ['pull', 'delete'] },
    ]);
    expect(settings.check.expiresAt?.toISOString().slice(0, 10)).toBe('2031-05-06');
    expect(settings.check).toMatchObject({ expiryWarningDays: 30, unusedWarningDays: 7, dryRun: true, strict: true, secret: token, username: 'alice' });
    expect(settings.check.hubAccount).toEqual({ password: ACCOUNTS.alice.password, totpSecret: undefined });
    expect(settings).toMatchObject({ logout: false, isolateConfig: true });
  });

  it('takes DOCKER_CONFIG as the credential directory', () => {
    setInputs({ username: 'alice', password: token });
    const settings = readActionSettings(new SecretRegistry(), { DOCKER_CONFIG: '/tmp/job-docker' }) as LoginSettings;
    expect(settings.check.dockerConfigDir).toBe('/tmp/job-docker');
  });

  it('strips surrounding whitespace from the password with a notice that never shows it', () => {
    const settings = login({ password: `${token}\n` });
    expect(settings.check.secret).toBe(token);
    const notices = stdout.lines().filter((line) => line.startsWith('::notice'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('password');
    expect(notices[0]).not.toContain(token);
  });

  it.each(['password', 'username'])('an empty %s is empty-secret naming the usual causes', (field) => {
    setInputs({ username: 'alice', password: token, [field]: ' \n' });
    const error = thrownBy(() => readActionSettings(new SecretRegistry(), {}));
    expect(error.code).toBe('empty-secret');
    expect(error.field).toBe(field);
    expect(error.fix).toMatch(/forks/);
    expect(error.fix).toMatch(/Dependabot/);
    expect(error.fix).toMatch(/reusable-workflow/);
  });

  it('inner whitespace in the password is bad-input without the secret', () => {
    setInputs({ username: 'alice', password: 'dckr_pat_abc def_secret_part' });
    const error = thrownBy(() => readActionSettings(new SecretRegistry(), {}));
    expect(error.code).toBe('bad-input');
    expect(`${error.message} ${error.fix}`).not.toContain('def_secret_part');
  });

  it.each([
    ['dry-run', 'yes'],
    ['strict', '1'],
    ['logout', 'off'],
    ['isolate-config', 'enabled'],
    ['expiry-warning-days', 'soon'],
    ['unused-days', '-3'],
    ['mode', 'scan'],
    ['needs', 'fly'],
    ['registry', 'ftp://example.com'],
    ['repositories', 'Alice/App'],
    ['expires-at', 'next tuesday'],
  ])('a bad %s is bad-input naming the field', (field, value) => {
    setInputs({ username: 'alice', password: token, [field]: value });
    const error = thrownBy(() => readActionSettings(new SecretRegistry(), {}));
    expect(error.code).toBe('bad-input');
    expect(error.message).toContain(field);
    expect(error.fix).not.toBe('');
  });

  it('hub-totp-secret without hub-password is bad-input', () => {
    setInputs({ username: 'bob', password: token, 'hub-totp-secret': ACCOUNTS.bob.totpSecret });
    expect(thrownBy(() => readActionSettings(new SecretRegistry(), {})).field).toBe('hub-totp-secret');
  });

  it('no thrown error ever contains the password, whatever surrounds it', () => {
    const marker = 'Zq7XkMarker';
    // Environment variables cannot hold NUL, so the runner can never pass one.
    const around = fc.string({ maxLength: 20 }).filter((s) => !s.includes('\0'));
    fc.assert(
      fc.property(around, around, fc.constantFrom('fly', 'pull', 'push,delete'), (before, after, needs) => {
        const password = `${before}${marker}${after}`;
        setInputs({ username: 'alice', password, needs });
        try {
          readActionSettings(new SecretRegistry(), {});
        } catch (error) {
          const text = error instanceof DockerPatError ? `${error.message} ${error.fix}` : String(error);
          expect(text).not.toContain(marker);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('audit settings', () => {
  it('needs the Hub account password, since the management API refuses tokens', () => {
    setInputs({ mode: 'audit', username: 'alice' });
    const error = thrownBy(() => readActionSettings(new SecretRegistry(), {}));
    expect(error).toMatchObject({ code: 'empty-secret', field: 'hub-password' });
  });

  it('reads the organization, issue reporting and the GitHub token', () => {
    setInputs({ mode: 'audit', username: 'alice', 'hub-password': ACCOUNTS.alice.password, organization: 'acme', 'report-issue': 'true', 'github-token': 'ghs_job_token_value' });
    const settings = readActionSettings(new SecretRegistry(), {}) as AuditSettings;
    expect(settings).toMatchObject({ mode: 'audit', username: 'alice', organization: 'acme', reportIssue: true, githubToken: 'ghs_job_token_value', unusedWarningDays: 90, expiryWarningDays: 14 });
    expect(settings.hubAccount.password).toBe(ACCOUNTS.alice.password);
  });

  it('report-issue without a GitHub token is empty-secret', () => {
    setInputs({ mode: 'audit', username: 'alice', 'hub-password': ACCOUNTS.alice.password, 'report-issue': 'true', 'github-token': '' });
    expect(thrownBy(() => readActionSettings(new SecretRegistry(), {})).field).toBe('github-token');
  });
});

describe('action.yml', () => {
  const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as { inputs: Record<string, { default?: string }> };

  it('declares exactly the defaults the inputs module falls back to', () => {
    const declared = Object.fromEntries(
      Object.entries(action.inputs)
        .filter(([name, spec]) => spec.default !== undefined && name !== 'github-token')
        .map(([name, spec]) => [name, spec.default]),
    );
    expect(declared).toEqual(INPUT_DEFAULTS);
    expect(action.inputs['github-token']?.default).toBe('${{ github.token }}');
  });
});
