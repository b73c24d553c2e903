/** Turns what a check learned into the one report every front end renders. */
import type { CheckState } from './check.js';
import { daysUntil } from './dates.js';
import { compareFindings, tokenFindings } from './findings.js';
import { buildTokenHealth } from './health.js';
import type { CheckReport, CheckSettings, Finding, FindingCode, RepositoryNeed, RepositoryVerdict } from './model.js';
import { minimalPermissionFor } from './permissions.js';

export function summariseReport(settings: CheckSettings, state: CheckState, now: Date): CheckReport {
  const health = buildTokenHealth({ ...state.health, tokenType: state.tokenType });
  const neededActions = state.repositories.length > 0 ? [...new Set(state.repositories.flatMap((r) => r.actions))] : settings.needs;
  const findings: Finding[] = tokenFindings(health, {
    now,
    expiryWarningDays: settings.expiryWarningDays,
    unusedWarningDays: settings.unusedWarningDays,
    neededPermission: state.kind === 'dockerhub' ? minimalPermissionFor(neededActions) : undefined,
    isOrganizationRepository: state.repositories.some((r) => isOtherNamespace(r.name, settings.username)),
    tokenType: state.tokenType,
  });
  const scopeNotice = scopeUnchecked(settings, state);
  if (scopeNotice && !state.error) findings.push(scopeNotice);
  const shown = findings.filter((f) => !(state.error?.code === 'expired' && EXPIRY_FINDINGS.has(f.code))).sort(compareFindings);

  const expiresAt = typeof health.expiresAt.value === 'string' ? new Date(health.expiresAt.value) : undefined;
  const hasError = state.error !== undefined || shown.some((f) => f.severity === 'error');
  return {
    registry: settings.registry,
    kind: state.kind,
    username: settings.username,
    tokenType: state.tokenType,
    permission: state.permission,
    repositories: state.verdicts.length > 0 ? state.verdicts : state.repositories.map(uncheckedVerdict),
    health,
    findings: shown,
    error: state.error,
    verdict: hasError ? 'error' : shown.some((f) => f.severity === 'warning') ? 'warning' : 'ok',
    daysUntilExpiry: expiresAt && !Number.isNaN(expiresAt.getTime()) ? daysUntil(expiresAt, now) : undefined,
  };
}

/** The registry already said the token is expired: guesses about its expiry would only contradict it. */
const EXPIRY_FINDINGS = new Set<FindingCode>(['expiry-unknown', 'expires-soon', 'no-expiry']);

/** A repository the check never reached (it stopped at the credential) is listed, its grant unknown. */
function uncheckedVerdict(need: RepositoryNeed): RepositoryVerdict {
  return { name: need.name, needed: need.actions, granted: undefined, ok: false, method: 'unchecked' };
}

/** A repository outside the user's own namespace (and not an official image) belongs to an organization. */
function isOtherNamespace(repository: string, username: string): boolean {
  const namespace = repository.split('/')[0];
  return namespace !== username.toLowerCase() && namespace !== 'library';
}

/** Says plainly when only authentication, not the job's actions, could be checked. */
function scopeUnchecked(settings: CheckSettings, state: CheckState): Finding | undefined {
  const levelKnown = state.kind === 'dockerhub' && state.permission !== undefined;
  if (settings.repositories.length === 0 && !levelKnown) {
    return {
      code: 'scope-unchecked',
      severity: 'notice',
      message: `${settings.registry.host}: no repositories were named, so only authentication was checked, not ${settings.needs.join(', ')}.`,
      fix: 'List the repositories the job uses (repositories: myorg/app:pull,push) to have their access proven.',
    };
  }
  const unproven = state.verdicts.filter((v) => v.method === 'probe' && v.needed.includes('delete'));
  if (unproven.length > 0) {
    return {
      code: 'scope-unchecked',
      severity: 'notice',
      message: `${settings.registry.host}: delete on ${unproven.map((v) => v.name).join(', ')} cannot be proven without deleting something; pull and push were proven.`,
      fix: 'Nothing to do unless the delete step fails; then give the token delete permission on those repositories.',
    };
  }
  return undefined;
}
