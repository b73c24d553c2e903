/**
 * The job summary of a login: one table per registry. Pure markdown rendering, so tests can read
 * exactly what a user sees; `writeSummary` is the only part that touches the runner.
 */
import * as core from '@actions/core';
import type { Action, Fact, Finding, FactSource, LoginReport, RepositoryVerdict } from '../core/model.js';
import { findingsBesideFailure } from './annotations.js';
import { SEVERITY_ICON, cell } from './markdown.js';

export interface SummaryContext {
  /** The job's declared needs, shown when no repository list was given. */
  needs: readonly Action[];
  dryRun: boolean;
}

const VERDICT_TEXT: Record<LoginReport['verdict'], string> = { ok: '✅ fits the job', warning: '⚠️ fits the job, with warnings', error: '❌ does not fit the job' };

const SOURCE_TEXT: Record<FactSource, string> = {
  'hub-api': "Docker Hub's management API",
  'token-claims': 'the token itself',
  'gitlab-api': "GitLab's token API",
  'github-header': "GitHub's token expiration header",
  user: 'the expires-at input',
  'login-error': "the registry's login error",
  unknown: 'an unknown source',
};

export const AUTHENTICATION_ONLY =
  'No repository access could be checked: the token was checked for authentication only. List the repositories the job uses in `repositories` to check them.';

function actions(list: readonly Action[] | undefined): string {
  return list === undefined ? 'unknown' : list.length === 0 ? 'none' : list.join(', ');
}

function expiryText(report: LoginReport): string {
  const fact = report.health.expiresAt;
  if (fact.value === undefined && report.error?.code === 'expired') return 'expired (the registry refused the token as expired)';
  if (fact.value === undefined) return 'unknown (the registry cannot report it; set expires-at)';
  if (fact.value === null) return `never expires (from ${SOURCE_TEXT[fact.source]})`;
  const days = report.daysUntilExpiry;
  const left = days === undefined ? '' : days < 0 ? `, expired ${-days} days ago` : `, ${days} days left`;
  return `${fact.value.slice(0, 10)}${left} (from ${SOURCE_TEXT[fact.source]})`;
}

function lastUsedText(fact: Fact<string>): string | undefined {
  if (fact.value === undefined) return undefined;
  return fact.value === null ? 'never' : fact.value.slice(0, 10);
}

function overviewTable(report: LoginReport, context: SummaryContext): string[] {
  const rows: [string, string][] = [
    ['Result', VERDICT_TEXT[report.verdict]],
    ['User', report.username],
    ['Token type', report.tokenType],
    ['Permission level', report.permission ?? 'unknown'],
    ['Job needs', actions(context.needs)],
    ['Expiry', expiryText(report)],
  ];
  const lastUsed = lastUsedText(report.health.lastUsed);
  if (lastUsed !== undefined) rows.push(['Last used', lastUsed]);
  rows.push(['Credentials', credentialText(report, context)]);
  return ['| | |', '|---|---|', ...rows.map(([name, value]) => `| ${name} | ${cell(value)} |`)];
}

function credentialText(report: LoginReport, context: SummaryContext): string {
  if (report.credential !== undefined) return `written to ${report.credential.dockerConfigDir}`;
  return context.dryRun ? 'none written (dry run)' : 'none written';
}

function repositoryRow(verdict: RepositoryVerdict): string {
  // A check that stopped at the credential never reached the repository: neither pass nor fail.
  const icon = verdict.method === 'unchecked' ? '➖ not checked' : verdict.ok ? '✅' : '❌';
  return `| ${cell(verdict.name)} | ${actions(verdict.needed)} | ${actions(verdict.granted)} | ${icon} |`;
}

function repositoryTable(report: LoginReport): string[] {
  if (report.repositories.length === 0) return [];
  return ['| Repository | Needed | Granted | |', '|---|---|---|---|', ...report.repositories.map(repositoryRow)];
}

/** True when nothing but authentication was proven: no repository grant and no permission level. */
function authenticationOnly(report: LoginReport): boolean {
  return report.permission === undefined && report.repositories.every((r) => r.granted === undefined);
}

function findingLine(finding: Finding): string {
  return `- ${SEVERITY_ICON[finding.severity]} **${finding.code}**: ${finding.message} ${finding.fix}`;
}

export function renderLoginSummary(report: LoginReport, context: SummaryContext): string {
  const lines = [`### docker-pat: ${report.registry.host}`, '', ...overviewTable(report, context), ''];
  const repositories = repositoryTable(report);
  if (repositories.length > 0) lines.push(...repositories, '');
  if (report.error === undefined && authenticationOnly(report)) lines.push(AUTHENTICATION_ONLY, '');
  if (report.error !== undefined) lines.push(`- ❌ **${report.error.code}**: ${report.error.message} ${report.error.fix}`);
  lines.push(...findingsBesideFailure(report).map(findingLine));
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Appends to the job summary; runs without GITHUB_STEP_SUMMARY (hand-run bundles) skip it. */
export async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.debug('GITHUB_STEP_SUMMARY is not set: no job summary written.');
    return;
  }
  await core.summary.addRaw(markdown, true).write();
}
