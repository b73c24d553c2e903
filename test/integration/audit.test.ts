/**
 * Token health against the sandbox, each finding from each source that can reveal it: Docker
 * Hub's token records (the audit), the Hub JWT's claims, GitLab's token self-description, GitHub's
 * expiry header on ghcr.io, and the expiry the user states. At the end, everything these tests
 * produced is searched for every secret involved.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { audit, type AuditReport } from '../../src/core/audit.js';
import { daysUntil, parseExpiryDate } from '../../src/core/dates.js';
import type { DockerPatError } from '../../src/core/errors.js';
import { tokenFindings, type FindingContext } from '../../src/core/findings.js';
import { GITHUB_EXPIRATION_HEADER, parseGithubTokenExpiration } from '../../src/core/github-token.js';
import { readGitlabTokenSelf } from '../../src/core/gitlab-api.js';
import { buildTokenHealth } from '../../src/core/health.js';
import { HttpClient } from '../../src/core/http.js';
import { HubApi } from '../../src/core/hub-api.js';
import { readHubTokenClaims } from '../../src/core/jwt.js';
import type { Finding, FindingCode, TokenHealth } from '../../src/core/model.js';
import { SecretRegistry } from '../../src/core/secrets.js';
import { requestRegistryToken } from '../../src/core/token-service.js';
import { ACCOUNTS, GHCR_TOKENS, GITLAB_TOKENS, OATS, PATS, daysFrom } from '../sandbox/fixtures.js';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { rejection } from '../support/docker-pat-error.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const WARN = { expiryWarningDays: 14, unusedWarningDays: 90 };

let sb: Sandbox;
let http: HttpClient;
/**
 * The moment the sandbox's fixture dates are relative to, read back from its state (it is a few
 * milliseconds after the start the sandbox was asked for); findings are judged at it.
 */
let START: Date;
const registries: SecretRegistry[] = [];
/** Every report, health, finding list and error these tests produced, for the leak check. */
const produced: unknown[] = [];

beforeAll(async () => {
  sb = await startSandbox({ now: new Date() });
  http = new HttpClient();
  const neverUsed = sb.hub.token(PATS.aliceNeverUsed.uuid);
  if (!neverUsed) throw new Error('the sandbox has no never-used token');
  START = new Date(Date.parse(neverUsed.created_at) + PATS.aliceNeverUsed.createdDaysAgo * DAY_MS);
});

afterAll(async () => {
  await http.close();
  await sb.stop();
});

function hubApi(): HubApi {
  const secrets = new SecretRegistry();
  registries.push(secrets);
  return new HubApi(http, sb.hubApiUrl, secrets);
}

function keep<T>(value: T): T {
  produced.push(value);
  return value;
}

const keptRejection = async (promise: Promise<unknown>): Promise<DockerPatError> => keep(await rejection(promise));

const findingsOf = (health: TokenHealth, context: Partial<FindingContext> = {}): Finding[] =>
  keep(tokenFindings(keep(health), { now: START, ...WARN, tokenType: 'pat', ...context }));
const codes = (findings: Finding[]): FindingCode[] => findings.map((finding) => finding.code);
const forToken = (report: AuditReport, label: string): FindingCode[] => codes(report.findings.filter((f) => f.token === label));

describe('audit: findings from the Docker Hub management API', () => {
  let report: AuditReport;

  beforeAll(async () => {
    report = keep(await audit({ hub: hubApi(), username: 'alice', password: ACCOUNTS.alice.password, now: START, ...WARN }));
  });

  it('lists every token of the account with its status', () => {
    expect(report.account).toBe('alice');
    expect(report.scope).toBe('personal');
    const stored = Object.values(PATS).filter((pat) => pat.owner === 'alice' && !pat.deleted);
    expect(report.tokens).toHaveLength(stored.length);
    const status = Object.fromEntries(report.tokens.map((token) => [token.label, token.status]));
    expect(status).toMatchObject({ 'old ci': 'expired', 'paused ci': 'inactive', nightly: 'active', forever: 'active' });
    expect(report.counts).toMatchObject({ tokens: stored.length, expired: 1, inactive: 1, active: stored.length - 2 });
  });

  it('finds the expired token (error)', () => {
    const finding = report.findings.find((f) => f.token === 'old ci');
    expect(finding).toMatchObject({ code: 'expired', severity: 'error' });
    expect(finding?.message).toContain('2 days ago');
  });

  it('finds the deactivated token (error)', () => {
    expect(forToken(report, 'paused ci')).toEqual(['inactive']);
  });

  it('finds the token expiring in 3 days, with its date', () => {
    const finding = report.findings.find((f) => f.token === 'nightly');
    expect(finding).toMatchObject({ code: 'expires-soon', severity: 'warning' });
    expect(finding?.message).toContain(`expires on ${daysFrom(START, 3).toISOString().slice(0, 10)} (in 3 days)`);
  });

  it('finds the never-used and the long-unused tokens', () => {
    expect(report.findings.find((f) => f.token === 'forgotten')?.message).toContain('never been used since it was created 120 days ago');
    expect(report.findings.find((f) => f.token === 'stale deploy')?.message).toContain('not been used for 200 days');
    expect(forToken(report, 'ci read')).toEqual([]);
  });

  it('finds the tokens that never expire', () => {
    expect(forToken(report, 'forever')).toEqual(['no-expiry']);
    expect(forToken(report, 'legacy')).toEqual(['no-expiry']);
    // The six Docker Desktop tokens share a label: their identical findings become one line.
    expect(forToken(report, 'Generated by Docker Desktop for CLI usage')).toEqual(['no-expiry']);
    const desktop = report.findings.find((f) => f.token === 'Generated by Docker Desktop for CLI usage');
    expect(desktop?.message).toMatch(/never expires\. \(6 tokens\)$/);
    expect(report.tokens.filter((t) => t.label === 'Generated by Docker Desktop for CLI usage').every((t) => t.findings.some((f) => f.code === 'no-expiry'))).toBe(true);
  });

  it('finds the six auto-generated tokens', () => {
    const finding = report.findings.find((f) => f.code === 'auto-generated-limit');
    expect(finding?.severity).toBe('warning');
    expect(finding?.message).toContain('6 auto-generated');
    expect(finding?.token).toBeUndefined();
  });

  it('sorts by urgency: errors first, then the soonest expiry', () => {
    const severities = report.findings.map((f) => f.severity);
    expect(severities.slice(0, 2)).toEqual(['error', 'error']);
    expect(severities).toEqual([...severities].sort((a, b) => ['error', 'warning', 'notice'].indexOf(a) - ['error', 'warning', 'notice'].indexOf(b)));
    expect(report.findings[2]).toMatchObject({ token: 'nightly', code: 'expires-soon' });
    expect(report.tokens.slice(0, 2).map((t) => t.label).sort()).toEqual(['old ci', 'paused ci']);
    expect(report.tokens[2]?.label).toBe('nightly');
    expect(report.counts).toMatchObject({ error: 2, warning: report.findings.length - 2 - report.counts.notice });
  });
});

describe('audit of an organization and of a 2FA account', () => {
  it('audits the organization tokens for its owner', async () => {
    const report = keep(await audit({ hub: hubApi(), username: 'alice', password: ACCOUNTS.alice.password, org: 'acme', now: START, ...WARN }));
    expect(report).toMatchObject({ account: 'acme', scope: 'organization' });
    expect(report.tokens.map((t) => [t.label, t.kind])).toEqual(
      expect.arrayContaining([
        [OATS.acmeCi.label, 'organization'],
        [OATS.acmeReadOnly.label, 'organization'],
      ]),
    );
    expect(forToken(report, OATS.acmeReadOnly.label)).toEqual(['no-expiry', 'unused']);
    expect(forToken(report, OATS.acmeCi.label)).toEqual([]);
  });

  it('audits a 2FA account with a code computed from its TOTP secret', async () => {
    const report = keep(
      await audit({ hub: hubApi(), username: 'bob', password: ACCOUNTS.bob.password, totp: { secret: ACCOUNTS.bob.totpSecret }, now: START, ...WARN }),
    );
    expect(report.tokens.map((t) => t.label)).toEqual([PATS.bobWrite.label]);
    expect(report.findings).toEqual([]);
  });

  it('fails cleanly on a wrong password, a wrong code and a PAT as password', async () => {
    expect((await keptRejection(audit({ hub: hubApi(), username: 'alice', password: 'wrong', now: START, ...WARN }))).code).toBe('bad-credentials');
    expect(
      (await keptRejection(audit({ hub: hubApi(), username: 'bob', password: ACCOUNTS.bob.password, totp: { code: '000000' }, now: START, ...WARN }))).code,
    ).toBe('bad-credentials');
    expect((await keptRejection(audit({ hub: hubApi(), username: 'alice', password: PATS.aliceAdmin.secret, now: START, ...WARN }))).field).toBe('hub-password');
  });
});

describe('health of the token in use, from each source', () => {
  it('hub-api: the listed record of the PAT in use, matched by the JWT source id', async () => {
    const hub = hubApi();
    const { claims } = await hub.exchangeToken('alice', PATS.aliceExpiresSoon.secret);
    const hubTokens = await hub.listAccessTokens(await hub.startSession('alice', ACCOUNTS.alice.password));
    const health = buildTokenHealth({ tokenType: 'pat', hubTokens, claims: readHubTokenClaims(claims ?? {}) });
    expect(health.label).toEqual({ value: 'nightly', source: 'hub-api' });
    expect(health.expiresAt).toEqual({ value: daysFrom(START, 3).toISOString(), source: 'hub-api' });
    expect(codes(findingsOf(health))).toEqual(['expires-soon']);
  });

  it('token-claims: the permission level, over-privileged for a pull-only job', async () => {
    const { claims } = await hubApi().exchangeToken('alice', PATS.aliceAdmin.secret);
    const health = buildTokenHealth({ tokenType: 'pat', claims: readHubTokenClaims(claims ?? {}) });
    expect(health.permission).toEqual({ value: 'repo:admin', source: 'token-claims' });
    expect(health.kind).toEqual({ value: 'personal', source: 'token-claims' });
    const findings = findingsOf(health, { neededPermission: 'repo:read', isOrganizationRepository: true });
    expect(codes(findings)).toEqual(['over-privileged', 'expiry-unknown', 'prefer-organization-token']);
    expect(findings[0]?.fix).toContain('Read-only (repo:read)');
  });

  it('token-claims: an organization token is no personal token', async () => {
    const { claims } = await hubApi().exchangeToken('acme', OATS.acmeCi.secret);
    const health = buildTokenHealth({ tokenType: 'oat', claims: readHubTokenClaims(claims ?? {}) });
    expect(health.kind).toEqual({ value: 'organization', source: 'token-claims' });
    expect(codes(findingsOf(health, { tokenType: 'oat', isOrganizationRepository: true }))).toEqual(['expiry-unknown']);
  });

  it('token-claims: the account password used instead of a token', async () => {
    await hubApi().exchangeToken('alice', ACCOUNTS.alice.password);
    const health = buildTokenHealth({ tokenType: 'password' });
    expect(codes(findingsOf(health, { tokenType: 'password', neededPermission: 'repo:read' }))).toEqual(['password-instead-of-token']);
  });

  it('gitlab-api: expiry, scopes and use from the token self-description', async () => {
    const read = await readGitlabTokenSelf(http, sb.gitlab.apiUrl, GITLAB_TOKENS.registryRead.secret);
    expect(read).toMatchObject({ name: 'ci pull', scopes: ['read_registry'], active: true });
    const readHealth = buildTokenHealth({ tokenType: 'pat', gitlab: read });
    expect(readHealth.expiresAt.source).toBe('gitlab-api');
    expect(codes(findingsOf(readHealth, { neededPermission: 'repo:read' }))).toEqual(['expires-soon']);

    const write = await readGitlabTokenSelf(http, sb.gitlab.url, GITLAB_TOKENS.registryWrite.secret);
    const writeHealth = buildTokenHealth({ tokenType: 'pat', gitlab: write });
    expect(writeHealth.lastUsed).toEqual({ value: null, source: 'gitlab-api' });
    const findings = findingsOf(writeHealth, { neededPermission: 'repo:read', unusedWarningDays: 7 });
    expect(codes(findings)).toEqual(['unused', 'over-privileged']);
    expect(findings[1]?.message).toContain('write_registry');
    expect(codes(findingsOf(writeHealth, { neededPermission: 'repo:write' }))).toEqual([]);
  });

  it('gitlab-api: a token that cannot describe itself gives no facts', async () => {
    expect(await readGitlabTokenSelf(http, sb.gitlab.apiUrl, 'glpat-NotAToken00000000000')).toBeUndefined();
  });

  it('github-header: a classic PAT reports its expiry on ghcr.io', async () => {
    const secrets = new SecretRegistry();
    registries.push(secrets);
    const expiryOf = async (token: { secret: string; username: string }) => {
      const issued = await requestRegistryToken(http, {
        realm: `${sb.ghcr.url}/token`,
        service: 'ghcr.io',
        scopes: [`repository:${token.username}/app:pull`],
        username: token.username,
        secret: token.secret,
        registryHost: sb.ghcr.host,
        secrets,
      });
      return parseGithubTokenExpiration(issued.headers[GITHUB_EXPIRATION_HEADER]);
    };
    const classicExpiry = await expiryOf(GHCR_TOKENS.classic);
    // The GHCR face counts from its own start, moments after the Hub's, and the header has whole seconds.
    expect(Math.abs((classicExpiry?.getTime() ?? 0) - daysFrom(START, GHCR_TOKENS.classic.expiresInDays).getTime())).toBeLessThan(60_000);
    const soon = buildTokenHealth({ tokenType: 'pat', githubExpiration: classicExpiry });
    expect(soon.expiresAt.source).toBe('github-header');
    const [finding] = findingsOf(soon);
    expect(finding).toMatchObject({ code: 'expires-soon' });
    expect(finding?.message).toContain(`(in ${daysUntil(classicExpiry ?? START, START)} days)`);
    const later = buildTokenHealth({ tokenType: 'pat', githubExpiration: await expiryOf(GHCR_TOKENS.readOnly) });
    expect(later.expiresAt.source).toBe('github-header');
    expect(findingsOf(later)).toEqual([]);
  });

  it('user: the stated expiry when nothing else knows it', async () => {
    const { claims } = await hubApi().exchangeToken('alice', PATS.aliceRead.secret);
    const facts = readHubTokenClaims(claims ?? {});
    const soon = buildTokenHealth({ tokenType: 'pat', claims: facts, userExpiresAt: parseExpiryDate(daysFrom(START, 5).toISOString().slice(0, 10)) });
    expect(soon.expiresAt.source).toBe('user');
    expect(codes(findingsOf(soon))).toEqual(['expires-soon']);
    const past = buildTokenHealth({ tokenType: 'pat', claims: facts, userExpiresAt: parseExpiryDate(daysFrom(START, -1).toISOString().slice(0, 10)) });
    expect(codes(findingsOf(past))).toEqual(['expired']);
  });
});

describe('secrets', () => {
  it('appear in no report, health, finding or error produced above', () => {
    const fixtureSecrets = [
      ...Object.values(ACCOUNTS).flatMap((account) => [account.password, 'totpSecret' in account ? account.totpSecret : '']),
      ...Object.values(PATS).map((pat) => pat.secret),
      ...Object.values(OATS).map((oat) => oat.secret),
      ...Object.values(GITLAB_TOKENS).map((token) => token.secret),
      ...Object.values(GHCR_TOKENS).map((token) => token.secret),
    ].filter((secret) => secret !== '');
    const derived = registries.flatMap((secrets) => secrets.values());
    // JWTs, 2FA login tokens and base64(user:token) were registered along the way.
    expect(derived.some((value) => value.split('.').length === 3)).toBe(true);
    const text = produced
      .map((item) => (item instanceof Error ? JSON.stringify({ ...item, message: item.message, stack: item.stack }) : JSON.stringify(item)))
      .join('\n');
    expect(produced.length).toBeGreaterThan(20);
    for (const secret of new Set([...fixtureSecrets, ...derived])) expect(text.includes(secret)).toBe(false);
  });
});
