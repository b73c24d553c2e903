/**
 * Audit mode: list every token of the account (or organization) from Docker Hub's management
 * API, report what needs attention in the summary, and optionally keep the audit issue in step.
 */
import * as core from '@actions/core';
import { audit, DEFAULT_HUB_API_URL, HttpClient, HubApi, type AuditReport, type SecretRegistry } from '../core/index.js';
import { annotateFindings, failStep } from './annotations.js';
import { syncAuditIssue } from './audit-issue.js';
import { renderAuditIssueBody, renderAuditSummary } from './audit-summary.js';
import type { AuditSettings } from './inputs.js';
import { writeSummary } from './summary.js';

async function readAudit(settings: AuditSettings, secrets: SecretRegistry, env: NodeJS.ProcessEnv): Promise<AuditReport> {
  const http = new HttpClient({ env, onRequest: (r) => core.debug(secrets.redact(`${r.method} ${r.url} → ${r.status} (attempt ${r.attempt})`)) });
  try {
    const hub = new HubApi(http, env.DOCKER_PAT_HUB_API_URL || DEFAULT_HUB_API_URL, secrets);
    return await audit({
      hub,
      username: settings.username,
      password: settings.hubAccount.password,
      totp: settings.hubAccount.totpSecret === undefined ? undefined : { secret: settings.hubAccount.totpSecret },
      org: settings.organization,
      now: new Date(),
      expiryWarningDays: settings.expiryWarningDays,
      unusedWarningDays: settings.unusedWarningDays,
    });
  } finally {
    await http.close();
  }
}

function runUrl(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  return server && repository && runId ? `${server}/${repository}/actions/runs/${runId}` : undefined;
}

/** An issue is as public as a log: a token label could hold a pasted secret. */
function redactedBody(body: string | undefined, secrets: SecretRegistry): string | undefined {
  return body === undefined ? undefined : secrets.redact(body);
}

async function reportIssue(settings: AuditSettings, report: AuditReport, secrets: SecretRegistry, env: NodeJS.ProcessEnv): Promise<void> {
  const outcome = await syncAuditIssue(
    { apiUrl: env.GITHUB_API_URL || 'https://api.github.com', repository: env.GITHUB_REPOSITORY ?? '', token: settings.githubToken },
    { account: report.account, attention: redactedBody(renderAuditIssueBody(report, runUrl(env)), secrets) },
  );
  if (outcome.action === 'none') core.info('Audit issue: nothing needs attention and no issue is open.');
  else core.info(`Audit issue #${outcome.number} ${outcome.action}: ${outcome.url}`);
}

export async function runAudit(settings: AuditSettings, secrets: SecretRegistry, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const report = await readAudit(settings, secrets, env);
  annotateFindings(report.findings, secrets);
  core.setOutput('warnings', JSON.stringify([...new Set(report.findings.filter((f) => f.severity === 'warning').map((f) => f.code))]));
  await writeSummary(secrets.redact(renderAuditSummary(report)));
  if (settings.reportIssue) await reportIssue(settings, report, secrets, env);
  const { error, warning } = report.counts;
  if (error > 0) {
    failStep({ title: 'audit', message: `audit: ${error} token finding(s) are errors (expired or deactivated tokens still listed). Fix them as the summary says.` }, secrets);
  } else if (settings.strict && warning > 0) {
    failStep({ title: 'strict', message: `strict: the audit found ${warning} warning(s), and strict is on. Fix them as the summary says, or set strict: false.` }, secrets);
  } else {
    core.info(`Audit of ${report.account}: ${report.counts.tokens} tokens, ${warning} warning(s).`);
  }
}
