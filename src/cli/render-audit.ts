/** An account audit as a table sorted by urgency, then every finding with its fix. */
import type { AuditReport, AuditedToken } from '../core/audit.js';
import type { Finding } from '../core/model.js';
import { EXIT } from './exit-code.js';
import { dateText, permissionText, table } from './format.js';
import { JSON_SCHEMA_VERSION, findingJson } from './report-json.js';
import { levelLine, paint, section, type Style } from './style.js';

export function auditVerdict(report: AuditReport): 'ok' | 'warning' | 'error' {
  if (report.counts.error > 0) return 'error';
  return report.counts.warning > 0 ? 'warning' : 'ok';
}

function when(value: string | null | undefined, none: string): string {
  if (value === undefined) return 'unknown';
  return value === null ? none : dateText(value);
}

function tokenRow(token: AuditedToken): string[] {
  return [
    token.label,
    token.kind,
    token.permission === undefined ? 'unknown' : permissionText(token.permission),
    when(token.createdAt, 'unknown'),
    when(token.lastUsed, 'never'),
    when(token.expiresAt, 'never'),
    token.status,
    token.findings.map((f) => f.code).join(',') || '-',
  ];
}

function findingLines(style: Style, finding: Finding): string[] {
  const subject = finding.token === undefined ? '' : `[${finding.token}] `;
  return levelLine(style, finding.severity, `${subject}${finding.code}: ${finding.message}`, [`fix: ${finding.fix}`]);
}

export function renderAudit(report: AuditReport, exitCode: number, style: Style): string[] {
  const header = `docker-pat audit: ${report.tokens.length} ${report.scope} access token(s) of ${report.account}`;
  const rows = [['label', 'type', 'permission', 'created', 'last used', 'expires', 'status', 'findings'], ...report.tokens.map(tokenRow)];
  const lines = [
    ...section(style, 'docker_pat_audit', paint(style, 'bold', header), table(rows).map((line) => `  ${line}`)),
    ...report.findings.flatMap((finding) => findingLines(style, finding)),
  ];
  const { error, warning } = report.counts;
  if (exitCode === EXIT.failed) lines.push(...levelLine(style, 'error', `${error} error(s), ${warning} warning(s); exit code 1.`));
  else if (exitCode === EXIT.warnings) lines.push(...levelLine(style, 'warning', `${warning} warning(s); exit code 3 (--strict makes warnings fail).`));
  else lines.push(...levelLine(style, 'ok', 'no token needs attention.'));
  return lines;
}

/** Same convention as the check's facts: `known: false` is unknown, a known null is "never". */
function dateJson(value: string | null | undefined): { known: boolean; value: string | null } {
  return value === undefined ? { known: false, value: null } : { known: true, value };
}

export function auditReportJson(report: AuditReport, exitCode: number): Record<string, unknown> {
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    command: 'audit',
    verdict: auditVerdict(report),
    exitCode,
    account: report.account,
    scope: report.scope,
    generatedAt: report.generatedAt,
    tokens: report.tokens.map((t) => ({
      label: t.label,
      kind: t.kind,
      permission: t.permission ?? null,
      createdAt: dateJson(t.createdAt),
      lastUsed: dateJson(t.lastUsed),
      expiresAt: dateJson(t.expiresAt),
      status: t.status,
      findings: t.findings.map(findingJson),
    })),
    findings: report.findings.map(findingJson),
    counts: { ...report.counts },
  };
}
