import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dotenvValues, formatDotenv, writeDotenv } from '../../src/cli/dotenv.js';
import { auditReportJson } from '../../src/cli/render-audit.js';
import { checkReportJson, failureJson } from '../../src/cli/report-json.js';
import { DockerPatError } from '../../src/core/errors.js';
import { SecretRegistry } from '../../src/core/secrets.js';
import { auditReport, failedReport, gitlabReport, hubReport, warningReport } from './cli-reports.js';

/** GitLab reads `^(.*?)=(.*)$` per line and expands `$`; we also keep values to one word. */
const DOTENV_LINE = /^[A-Z][A-Z0-9_]*=[^\s$]*$/;

describe('dotenv report', () => {
  it('holds the non-secret results, empty when unknown', () => {
    expect(dotenvValues(warningReport())).toEqual({
      DOCKER_PAT_VERDICT: 'warning',
      DOCKER_PAT_ERROR: '',
      DOCKER_PAT_REGISTRY: 'registry-1.docker.io',
      DOCKER_PAT_TOKEN_TYPE: 'pat',
      DOCKER_PAT_SCOPE: 'repo:write',
      DOCKER_PAT_GRANTED: 'alice/app:pull,push;library/alpine:pull',
      DOCKER_PAT_EXPIRES_AT: '2030-03-01T00:00:00Z',
      DOCKER_PAT_DAYS_UNTIL_EXPIRY: '3',
      DOCKER_PAT_WARNINGS: 'expires-soon,over-privileged',
    });
    expect(dotenvValues(failedReport())).toMatchObject({ DOCKER_PAT_VERDICT: 'error', DOCKER_PAT_ERROR: 'insufficient-scope', DOCKER_PAT_GRANTED: 'alice/app:pull', DOCKER_PAT_SCOPE: 'repo:read' });
    expect(dotenvValues(gitlabReport())).toMatchObject({
      DOCKER_PAT_SCOPE: 'read_registry,write_registry',
      DOCKER_PAT_GRANTED: 'group/app:unknown',
      DOCKER_PAT_EXPIRES_AT: 'never',
      DOCKER_PAT_DAYS_UNTIL_EXPIRY: '',
    });
    const denied = hubReport({ repositories: [{ name: 'alice/app', needed: ['pull'], granted: [], ok: false, method: 'jwt' }], health: hubReport().health, permission: undefined });
    expect(dotenvValues(denied)).toMatchObject({ DOCKER_PAT_GRANTED: 'alice/app:none', DOCKER_PAT_SCOPE: '' });
  });

  it('is written as KEY=value lines GitLab accepts', async () => {
    const content = formatDotenv(dotenvValues(warningReport()), (t) => t);
    const lines = content.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(9);
    for (const line of lines) expect(line).toMatch(DOTENV_LINE);
    const dir = await mkdtemp(join(tmpdir(), 'cli-dotenv-'));
    try {
      const file = join(dir, 'docker-pat.env');
      await writeDotenv(file, content);
      expect(await readFile(file, 'utf8')).toBe(content);
      expect((await stat(file)).mode & 0o777).toBe(0o644);
      await expect(writeDotenv(join(dir, 'missing', 'x.env'), content)).rejects.toMatchObject({ code: 'bad-input', field: '--dotenv' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps every value on one line without whitespace or $, and masks registered secrets (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,20}$/), fc.string({ maxLength: 40 })), fc.string({ minLength: 8, maxLength: 20 }), (values, secret) => {
        const secrets = new SecretRegistry();
        secrets.add(secret);
        const withSecret = { ...values, DOCKER_PAT_CANARY: `x${secret}y` };
        const lines = formatDotenv(withSecret, (t) => secrets.redact(t)).split('\n').slice(0, -1);
        return (
          lines.length === Object.keys(withSecret).length &&
          lines.every((line) => DOTENV_LINE.test(line)) &&
          lines.find((l) => l.startsWith('DOCKER_PAT_CANARY='))?.includes('***') === true
        );
      }),
      { numRuns: 3000 },
    );
  });
});

describe('--json documents', () => {
  it('a check report: a stable shape, unknown facts marked, no credential backup path', () => {
    const json = checkReportJson('login', hubReport(), 0, false);
    expect(Object.keys(json)).toEqual([
      'schemaVersion', 'command', 'verdict', 'exitCode', 'registry', 'kind', 'username', 'tokenType', 'permission', 'repositories',
      'health', 'daysUntilExpiry', 'findings', 'error', 'dryRun', 'credential',
    ]);
    expect(json).toMatchObject({
      schemaVersion: 1,
      command: 'login',
      verdict: 'ok',
      registry: { input: 'docker.io', host: 'registry-1.docker.io', credentialKey: 'https://index.docker.io/v1/', isDockerHub: true },
      repositories: [{ name: 'alice/app', needed: ['pull', 'push'], granted: ['pull', 'push'], ok: true, method: 'jwt' }, { name: 'library/alpine' }],
      credential: { dockerConfigDir: '/home/ci/.docker', credentialKey: 'https://index.docker.io/v1/', helper: null },
      error: null,
    });
    const health = json.health as Record<string, unknown>;
    expect(health.lastUsed).toEqual({ known: true, value: null, source: 'hub-api' });
    expect(health.createdAt).toEqual({ known: false, value: null, source: 'unknown' });
    expect(JSON.stringify(json)).not.toContain('backup');
    expect(Object.keys(checkReportJson('check', hubReport(), 0, false))).not.toContain('credential');
  });

  it('a failure carries the code, message and fix, and nothing else of the error object', () => {
    const json = checkReportJson('check', failedReport(), 1, false);
    expect(json.error).toEqual({ code: 'insufficient-scope', message: 'the job needs pull, push on alice/app, but the token is granted pull.', fix: 'Create a Read & Write token.', registry: 'registry-1.docker.io' });
    expect(JSON.stringify(json)).not.toMatch(/stack|DockerPatError/);
    const early = failureJson('check', new DockerPatError('empty-secret', 'DOCKER_PAT is not set.', 'Export it.', { field: 'DOCKER_PAT' }), 1);
    expect(early).toEqual({ schemaVersion: 1, command: 'check', verdict: 'error', exitCode: 1, error: { code: 'empty-secret', message: 'DOCKER_PAT is not set.', fix: 'Export it.', field: 'DOCKER_PAT' } });
  });

  it('an audit: tokens with dates marked known or not, findings, counts and the verdict', () => {
    const json = auditReportJson(auditReport(), 1);
    expect(json).toMatchObject({ schemaVersion: 1, command: 'audit', verdict: 'error', exitCode: 1, account: 'alice', scope: 'personal', counts: { tokens: 3, error: 1, warning: 1 } });
    const tokens = json.tokens as Array<Record<string, unknown>>;
    expect(tokens[1]).toMatchObject({ label: 'nightly', lastUsed: { known: true, value: null }, expiresAt: { known: true, value: '2030-01-04T00:00:00Z' } });
    expect(tokens[2]).toMatchObject({ label: 'acme ci', permission: ['acme/app:repo-pull'], createdAt: { known: false, value: null }, findings: [] });
    expect((json.findings as unknown[])[0]).toEqual({ code: 'expired', severity: 'error', message: 'The token expired on 2029-12-30.', fix: 'Create a new token.', token: 'old ci' });
    expect(auditReportJson({ ...auditReport(), counts: { ...auditReport().counts, error: 0 } }, 3).verdict).toBe('warning');
  });
});
