/**
 * A check or login report as text for a person or a GitLab job log: the details (in a collapsed
 * section on GitLab), then each finding and the result on lines of their own, which stay visible.
 */
import type { CheckReport, Finding, LoginReport, TokenHealth } from '../core/model.js';
import { EXIT } from './exit-code.js';
import { KIND_LABELS, TOKEN_TYPE_LABELS, actionsText, dateText, factText, permissionText, sourceText, table } from './format.js';
import { levelLine, paint, section, type Level, type Style } from './style.js';

export interface CheckRenderContext {
  command: 'check' | 'login';
  dryRun: boolean;
  exitCode: number;
}

export function renderCheck(report: CheckReport | LoginReport, context: CheckRenderContext, style: Style): string[] {
  const header = `docker-pat ${context.command}: ${report.username} @ ${report.registry.host} (${KIND_LABELS[report.kind]})`;
  return [
    ...section(style, `docker_pat_${context.command}`, paint(style, 'bold', header), details(report, style)),
    ...report.findings.flatMap((finding) => findingLines(style, finding)),
    ...errorLines(report, style),
    ...resultLines(report, context, style),
  ];
}

function details(report: CheckReport, style: Style): string[] {
  const health = report.health;
  const permission = report.permission ?? (Array.isArray(health.permission.value) ? permissionText(health.permission.value) : undefined);
  const rows: string[][] = [
    ['token', `${TOKEN_TYPE_LABELS[report.tokenType]}${permission === undefined ? '' : `, permission ${permission}`}`],
    ...healthRows(health, report.daysUntilExpiry, style),
  ];
  const lines = table(rows).map((line) => `  ${line}`);
  if (report.repositories.length === 0) {
    lines.push('  repositories  none named: only authentication and the permission level were checked (use --repository)');
    return lines;
  }
  const repoRows = [
    ['repository', 'needs', 'granted', ''],
    ...report.repositories.map((r) => [r.name, actionsText(r.needed), actionsText(r.granted), r.method === 'unchecked' ? 'not checked' : r.ok ? paint(style, 'green', 'ok') : paint(style, 'red', 'missing')]),
  ];
  lines.push('', ...table(repoRows).map((line) => `  ${line}`));
  return lines;
}

function healthRows(health: TokenHealth, daysUntilExpiry: number | undefined, style: Style): string[][] {
  const dim = (text: string) => paint(style, 'dim', text);
  const days = daysUntilExpiry === undefined ? '' : daysUntilExpiry < 0 ? ` (${-daysUntilExpiry} days ago)` : ` (in ${daysUntilExpiry} days)`;
  const rows: string[][] = [
    ['expires', `${factText(health.expiresAt, 'never', dateText)}${days}${dim(sourceText(health.expiresAt))}`],
    ['last used', `${factText(health.lastUsed, 'never', dateText)}${dim(sourceText(health.lastUsed))}`],
  ];
  if (health.label.value !== undefined) rows.unshift(['label', `${factText(health.label, 'none')}${dim(sourceText(health.label))}`]);
  if (health.createdAt.value !== undefined) rows.push(['created', `${factText(health.createdAt, 'unknown', dateText)}${dim(sourceText(health.createdAt))}`]);
  if (health.active.value !== undefined) rows.push(['active', `${factText(health.active, 'unknown', (a) => (a ? 'yes' : 'no'))}${dim(sourceText(health.active))}`]);
  return rows;
}

function findingLines(style: Style, finding: Finding): string[] {
  const level: Level = finding.severity;
  return levelLine(style, level, `${finding.code}: ${finding.message}`, [`fix: ${finding.fix}`]);
}

function errorLines(report: CheckReport, style: Style): string[] {
  if (report.error === undefined) return [];
  return levelLine(style, 'error', `${report.error.code}: ${report.error.message}`, [`fix: ${report.error.fix}`]);
}

function resultLines(report: CheckReport | LoginReport, context: CheckRenderContext, style: Style): string[] {
  const warnings = report.findings.filter((f) => f.severity === 'warning').length;
  if (context.exitCode === EXIT.failed) {
    const why = report.error ? report.error.code : report.verdict === 'warning' ? `${warnings} warning(s) with --strict` : 'a check failed';
    const stored = 'credential' in report && report.credential !== undefined;
    const nothingStored = context.command === 'login' && !stored ? ' No credentials were left stored.' : '';
    return levelLine(style, 'error', `${context.command} failed (${why}); exit code 1.${nothingStored}`);
  }
  const done = context.command === 'login' ? loginOutcome(report as LoginReport, context.dryRun) : 'the token fits the job.';
  if (context.exitCode === EXIT.warnings) return levelLine(style, 'warning', `${done} ${warnings} warning(s); exit code 3 (--strict makes warnings fail).`);
  return levelLine(style, 'ok', done);
}

function loginOutcome(report: LoginReport, dryRun: boolean): string {
  if (dryRun || report.credential === undefined) return 'the token fits the job; dry run, no credentials were written.';
  const where = report.credential.helper === undefined ? `${report.credential.dockerConfigDir}/config.json` : `docker-credential-${report.credential.helper}`;
  return `logged in to ${report.registry.host}: credentials stored in ${where}.`;
}
