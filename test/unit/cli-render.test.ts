import { describe, expect, it } from '@jest/globals';
import { EXIT, exitCodeFor } from '../../src/cli/exit-code.js';
import { renderAudit } from '../../src/cli/render-audit.js';
import { renderCheck } from '../../src/cli/render-check.js';
import { chooseStyle, type Style } from '../../src/cli/style.js';
import { auditReport, failedReport, gitlabReport, hubReport, warningReport } from './cli-reports.js';

const NOW = new Date('2030-01-01T00:00:00Z');
const TS = String(NOW.getTime() / 1000);
const PLAIN: Style = { colour: false, gitlab: false, now: () => NOW };
const GITLAB: Style = { colour: true, gitlab: true, now: () => NOW };
const ESC = '\u001b';

const text = (lines: string[]) => lines.join('\n');

describe('exit codes', () => {
  it.each([
    ['ok', false, 0],
    ['ok', true, 0],
    ['warning', false, 3],
    ['warning', true, 1],
    ['error', false, 1],
    ['error', true, 1],
  ] as const)('%s (strict %s) → %i', (verdict, strict, code) => {
    expect(exitCodeFor(verdict, strict)).toBe(code);
  });
  it('usage errors are 2', () => expect(EXIT.usage).toBe(2));
});

describe('style', () => {
  it('colours a terminal, never a pipe, never with NO_COLOR; GitLab logs render ANSI', () => {
    expect(chooseStyle({}, true)).toMatchObject({ colour: true, gitlab: false });
    expect(chooseStyle({}, false)).toMatchObject({ colour: false, gitlab: false });
    expect(chooseStyle({ NO_COLOR: '1' }, true)).toMatchObject({ colour: false });
    expect(chooseStyle({ NO_COLOR: '' }, true)).toMatchObject({ colour: true });
    expect(chooseStyle({ GITLAB_CI: 'true' }, false)).toMatchObject({ colour: true, gitlab: true });
    expect(chooseStyle({ GITLAB_CI: 'true', NO_COLOR: '1' }, false)).toMatchObject({ colour: false, gitlab: true });
    expect(chooseStyle({ GITLAB_CI: 'false' }, false)).toMatchObject({ gitlab: false });
  });
});

describe('check report as text', () => {
  it('for a person: details, repositories table and the result, no escape codes', () => {
    const out = text(renderCheck(hubReport(), { command: 'check', dryRun: false, exitCode: 0 }, PLAIN));
    expect(out).not.toContain(ESC);
    expect(out).toContain('docker-pat check: alice @ registry-1.docker.io (Docker Hub)');
    expect(out).toMatch(/token +personal access token, permission repo:write/);
    expect(out).toMatch(/label +ci push \(from hub-api\)/);
    expect(out).toMatch(/expires +2030-03-01 \(in 59 days\) \(from hub-api\)/);
    expect(out).toMatch(/last used +never \(from hub-api\)/);
    expect(out).toMatch(/repository +needs +granted/);
    expect(out).toMatch(/alice\/app +pull,push +pull,push +ok/);
    expect(out).toMatch(/library\/alpine +pull +pull +ok/);
    expect(out.split('\n').at(-1)).toBe('OK    the token fits the job.');
  });

  it('warnings: each with its fix, and the exit code said', () => {
    const lines = renderCheck(warningReport(), { command: 'check', dryRun: false, exitCode: 3 }, PLAIN);
    expect(lines).toContain('WARN  expires-soon: The token expires on 2030-01-04, in 3 days.');
    expect(lines).toContain('      fix: Create a new token and update the variable before then.');
    expect(lines).toContain('WARN  over-privileged: The token can delete; the job needs pull only.');
    expect(lines).toContain('NOTE  expiry-unknown: The expiry of the token is unknown.');
    expect(lines.at(-1)).toBe('WARN  the token fits the job. 2 warning(s); exit code 3 (--strict makes warnings fail).');
    const strict = renderCheck(warningReport(), { command: 'check', dryRun: false, exitCode: 1 }, PLAIN);
    expect(strict.at(-1)).toBe('ERROR check failed (2 warning(s) with --strict); exit code 1.');
  });

  it('a failure names the code, the message and the fix', () => {
    const lines = renderCheck(failedReport(), { command: 'login', dryRun: false, exitCode: 1 }, PLAIN);
    expect(lines).toContain('ERROR insufficient-scope: the job needs pull, push on alice/app, but the token is granted pull.');
    expect(lines).toContain('      fix: Create a Read & Write token.');
    expect(text(lines)).toMatch(/alice\/app +pull,push +pull +missing/);
    expect(lines.at(-1)).toBe('ERROR login failed (insufficient-scope); exit code 1. No credentials were left stored.');
  });

  it('login says where the credential went, or that a dry run wrote nothing', () => {
    expect(renderCheck(hubReport(), { command: 'login', dryRun: false, exitCode: 0 }, PLAIN).at(-1)).toBe(
      'OK    logged in to registry-1.docker.io: credentials stored in /home/ci/.docker/config.json.',
    );
    const helper = hubReport({ credential: { dockerConfigDir: '/d', credentialKey: 'k', helper: 'pass', backupPath: undefined } });
    expect(renderCheck(helper, { command: 'login', dryRun: false, exitCode: 0 }, PLAIN).at(-1)).toContain('credentials stored in docker-credential-pass.');
    expect(renderCheck(hubReport({ credential: undefined }), { command: 'login', dryRun: true, exitCode: 0 }, PLAIN).at(-1)).toBe(
      'OK    the token fits the job; dry run, no credentials were written.',
    );
  });

  it('another registry: scopes it reports, unknown grants and no repositories said plainly', () => {
    const out = text(renderCheck(gitlabReport(), { command: 'check', dryRun: false, exitCode: 0 }, PLAIN));
    expect(out).toContain('carol @ registry.gitlab.com (GitLab container registry)');
    expect(out).toMatch(/permission read_registry,write_registry/);
    expect(out).toMatch(/expires +never \(from gitlab-api\)/);
    expect(out).toMatch(/last used +unknown/);
    expect(out).toMatch(/group\/app +pull +unknown +ok/);
    const none = text(renderCheck(hubReport({ repositories: [] }), { command: 'check', dryRun: false, exitCode: 0 }, PLAIN));
    expect(none).toContain('none named: only authentication and the permission level were checked (use --repository)');
  });

  it('in GitLab: details in a collapsed section, findings and result visible after it, coloured', () => {
    const lines = renderCheck(warningReport(), { command: 'check', dryRun: false, exitCode: 3 }, GITLAB);
    const start = lines.findIndex((l) => l.includes('section_start'));
    const end = lines.findIndex((l) => l.includes('section_end'));
    expect(lines[start]).toBe(`${ESC}[0Ksection_start:${TS}:docker_pat_check[collapsed=true]\r${ESC}[0K${ESC}[1mdocker-pat check: alice @ registry-1.docker.io (Docker Hub)${ESC}[0m`);
    expect(lines[end]).toBe(`${ESC}[0Ksection_end:${TS}:docker_pat_check\r${ESC}[0K`);
    expect(start).toBe(0);
    const warn = lines.findIndex((l) => l.includes('expires-soon'));
    expect(warn).toBeGreaterThan(end);
    expect(lines[warn]).toBe(`${ESC}[1;93mWARN ${ESC}[0m expires-soon: The token expires on 2030-01-04, in 3 days.`);
    const error = renderCheck(failedReport(), { command: 'check', dryRun: false, exitCode: 1 }, GITLAB);
    expect(error).toContain(`${ESC}[1;91mERROR${ESC}[0m insufficient-scope: the job needs pull, push on alice/app, but the token is granted pull.`);
  });
});

describe('audit report as text', () => {
  it('a table of every token (label, type, permission, created, last used, expires, status, findings), then findings', () => {
    const lines = renderAudit(auditReport(), 1, PLAIN);
    expect(lines[0]).toBe('docker-pat audit: 3 personal access token(s) of alice');
    expect(lines[1]).toMatch(/^ {2}label +type +permission +created +last used +expires +status +findings$/);
    expect(lines[2]).toMatch(/^ {2}old ci +personal +repo:write +2029-10-01 +2029-12-29 +2029-12-30 +expired +expired$/);
    expect(lines[3]).toMatch(/^ {2}nightly +personal +repo:write +2029-10-01 +never +2030-01-04 +active +expires-soon$/);
    expect(lines[4]).toMatch(/^ {2}acme ci +organization +acme\/app:repo-pull +unknown +unknown +never +active +-$/);
    expect(lines).toContain('ERROR [old ci] expired: The token expired on 2029-12-30.');
    expect(lines).toContain('WARN  [nightly] expires-soon: The token expires on 2030-01-04, in 3 days.');
    expect(lines.at(-1)).toBe('ERROR 1 error(s), 1 warning(s); exit code 1.');
    expect(renderAudit(auditReport(), 3, PLAIN).at(-1)).toBe('WARN  1 warning(s); exit code 3 (--strict makes warnings fail).');
    expect(renderAudit({ ...auditReport(), findings: [] }, 0, PLAIN).at(-1)).toBe('OK    no token needs attention.');
  });

  it('in GitLab the table is a collapsed section', () => {
    const lines = renderAudit(auditReport(), 1, GITLAB);
    expect(lines[0]).toContain('section_start:');
    expect(lines[0]).toContain(':docker_pat_audit[collapsed=true]');
  });
});
