/**
 * Markdown for an audit: the job summary and the body of the audit issue. Tokens arrive sorted
 * by urgency from the core; this only lays them out.
 */
import type { AuditedToken, AuditReport } from '../core/index.js';
import type { Finding } from '../core/model.js';
import { SEVERITY_ICON, cell } from './markdown.js';

/** Findings someone has to act on; notices (such as an unknown expiry) only inform. */
function attentionFindings(report: AuditReport): Finding[] {
  return report.findings.filter((f) => f.severity !== 'notice');
}

function day(value: string | null | undefined, none: string): string {
  if (value === undefined) return 'unknown';
  return value === null ? none : value.slice(0, 10);
}

function permission(token: AuditedToken): string {
  if (token.permission === undefined) return 'unknown';
  return Array.isArray(token.permission) ? token.permission.join(', ') : token.permission;
}

function findingCodes(token: AuditedToken): string {
  return token.findings.length === 0 ? '✅' : token.findings.map((f) => `${SEVERITY_ICON[f.severity]} ${f.code}`).join('<br>');
}

function tokenRow(token: AuditedToken): string {
  const cells = [token.label, token.kind, permission(token), day(token.createdAt, 'unknown'), day(token.lastUsed, 'never'), day(token.expiresAt, 'never'), token.status];
  return `| ${cells.map(cell).join(' | ')} | ${findingCodes(token)} |`;
}

function findingLine(finding: Finding): string {
  const token = finding.token === undefined ? '' : ` (${cell(finding.token)})`;
  return `- ${SEVERITY_ICON[finding.severity]} **${finding.code}**${token}: ${finding.message} ${finding.fix}`;
}

function countsLine(report: AuditReport): string {
  const c = report.counts;
  return `${c.tokens} tokens: ${c.active} active, ${c.inactive} inactive, ${c.expired} expired. Findings: ${c.error} errors, ${c.warning} warnings, ${c.notice} notices.`;
}

function renderAuditTable(report: AuditReport): string[] {
  if (report.tokens.length === 0) return ['No access tokens.'];
  return [
    '| Token | Type | Permission | Created | Last used | Expires | Status | Findings |',
    '|---|---|---|---|---|---|---|---|',
    ...report.tokens.map(tokenRow),
  ];
}

export function renderAuditSummary(report: AuditReport): string {
  const owner = report.scope === 'organization' ? `organization ${report.account}` : report.account;
  const lines = [`### docker-pat audit: ${owner}`, '', countsLine(report), '', ...renderAuditTable(report), ''];
  const attention = attentionFindings(report);
  lines.push(attention.length === 0 ? 'Nothing needs attention.' : '#### Needs attention', '');
  lines.push(...attention.map(findingLine));
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The audit issue's body, or undefined when nothing needs attention (the issue then closes). */
export function renderAuditIssueBody(report: AuditReport, runUrl: string | undefined): string | undefined {
  const attention = attentionFindings(report);
  if (attention.length === 0) return undefined;
  const lines = [
    `The docker-pat audit of ${report.account} on ${report.generatedAt.slice(0, 10)} found ${attention.length} thing(s) to fix, most urgent first:`,
    '',
    ...attention.map(findingLine),
    '',
    ...renderAuditTable(report),
    '',
    'This issue is updated by every audit run and closed once nothing needs attention.',
  ];
  if (runUrl !== undefined) lines.push(`Latest run: ${runUrl}`);
  return `${lines.join('\n')}\n`;
}
