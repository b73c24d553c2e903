/** `docker-pat audit`: every token of a Docker Hub account or organization, from the management API. */
import { DEFAULT_HUB_API_URL, HttpClient, HubApi, audit } from '../core/index.js';
import { exitCodeFor } from './exit-code.js';
import { auditReportJson, auditVerdict, renderAudit } from './render-audit.js';
import type { RunContext } from './run.js';
import type { AuditCommandSettings } from './settings.js';

export async function runAudit(settings: AuditCommandSettings, context: RunContext): Promise<number> {
  const { io, secrets, output, style } = context;
  const now = context.deps.now?.() ?? new Date();
  const http = new HttpClient({ env: io.env });
  try {
    const hub = new HubApi(http, io.env.DOCKER_PAT_HUB_API_URL || DEFAULT_HUB_API_URL, secrets, { now: () => now });
    const { password, totpSecret, totpCode } = settings.hubAccount;
    const report = await audit({
      hub,
      username: settings.username,
      password,
      ...(totpSecret || totpCode ? { totp: { ...(totpSecret ? { secret: totpSecret } : {}), ...(totpCode ? { code: totpCode } : {}) } } : {}),
      ...(settings.organization === undefined ? {} : { org: settings.organization }),
      now,
      expiryWarningDays: settings.expiryWarningDays,
      unusedWarningDays: settings.unusedWarningDays,
    });
    const exitCode = exitCodeFor(auditVerdict(report), settings.strict);
    if (settings.output.json) output.json(auditReportJson(report, exitCode));
    else output.out(renderAudit(report, exitCode, style));
    return exitCode;
  } finally {
    await http.close();
  }
}
