/**
 * Turns what is known about a token (TokenHealth) into findings a person can act on: each with a
 * stable code, a severity and the fix in one sentence. `scope-unchecked` is not produced here; it
 * depends on the registry check, which the orchestrator runs.
 */
import { daysUntil } from './dates.js';
import { describePermission } from './fixes.js';
import {
  FINDING_CODES,
  HUB_PERMISSIONS,
  type Action,
  type Finding,
  type HubPermission,
  type Severity,
  type TokenHealth,
  type TokenType,
} from './model.js';
import { actionsForPermission } from './permissions.js';

/** Most urgent first; sort with `compareFindings`. */
export const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'notice'];

/** Docker's guidance: keep at most five auto-generated (Docker Desktop) tokens. */
export const AUTO_GENERATED_LIMIT = 5;

export interface FindingContext {
  now: Date;
  /** A token expiring within this many days is reported; 0 reports only expired tokens. */
  expiryWarningDays: number;
  /** A token unused for this many days is reported; 0 turns the check off. */
  unusedWarningDays: number;
  /** The least Docker Hub level the job needs, when the job's needs are known. */
  neededPermission?: HubPermission;
  isOrganizationRepository?: boolean;
  tokenType: TokenType;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Registry actions each non-Hub token scope allows (GitLab and GitHub classic PATs), to judge a
 * scope list against the job's needs. Scopes not listed say nothing about the registry.
 */
const REGISTRY_SCOPE_ACTIONS: Record<string, Action[]> = {
  read_registry: ['pull'],
  write_registry: ['push'],
  api: ['pull', 'push', 'delete'],
  'read:packages': ['pull'],
  'write:packages': ['pull', 'push'],
  'delete:packages': ['pull', 'push', 'delete'],
};

export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
    FINDING_CODES.indexOf(a.code) - FINDING_CODES.indexOf(b.code)
  );
}

/** Findings about one token, most urgent first. */
export function tokenFindings(health: TokenHealth, context: FindingContext): Finding[] {
  const label = health.label.value ?? undefined;
  const subject = label === undefined ? 'The token' : `Token "${label}"`;
  const isPassword = context.tokenType === 'password' || health.kind.value === 'password';
  const findings: Finding[] = [];
  const add = (code: Finding['code'], severity: Severity, message: string, fix: string): void => {
    findings.push(label === undefined ? { code, severity, message, fix } : { code, severity, message, fix, token: label });
  };

  if (isPassword) {
    add(
      'password-instead-of-token',
      'warning',
      'The account password is used instead of an access token.',
      'Create a personal access token with only the permission this job needs and store it in place of the password.',
    );
  }

  const expiresAt = toDate(health.expiresAt.value);
  const expired = expiresAt !== undefined && expiresAt.getTime() <= context.now.getTime();
  if (expired) {
    add(
      'expired',
      'error',
      `${subject} expired on ${isoDay(expiresAt)} (${ago(daysUntil(context.now, expiresAt))}).`,
      'Create a new token, store it in the CI secret and delete the expired one; an expiry date cannot be extended.',
    );
  } else if (expiresAt !== undefined) {
    if (expiresAt.getTime() - context.now.getTime() <= context.expiryWarningDays * DAY_MS) {
      add(
        'expires-soon',
        'warning',
        `${subject} expires on ${isoDay(expiresAt)} (${inDays(daysUntil(expiresAt, context.now))}).`,
        `Create a replacement token and store it in the CI secret before ${isoDay(expiresAt)}; an expiry date cannot be extended.`,
      );
    }
  } else if (health.expiresAt.value === null && !isPassword) {
    add(
      'no-expiry',
      'warning',
      `${subject} never expires.`,
      'Create a replacement token with an expiry date, switch the CI secret to it and delete this one.',
    );
  } else if (!isPassword) {
    add(
      'expiry-unknown',
      'notice',
      `The expiry date of ${subject.charAt(0).toLowerCase()}${subject.slice(1)} is unknown.`,
      'Give the expiry date shown in the token settings (expires-at), or the Docker Hub account credential, so expiry can be watched.',
    );
  }

  // An expired token can only be deleted, so "reactivate it" would be the wrong fix.
  if (health.active.value === false && !expired) {
    add(
      'inactive',
      'error',
      `${subject} is deactivated.`,
      'Activate the token again in the registry token settings, or create a new one and store it in the CI secret.',
    );
  }

  const unused = context.unusedWarningDays > 0 && !isPassword ? unusedFinding(health, subject, context) : undefined;
  if (unused) add('unused', 'warning', unused, 'Delete the token if nothing uses it any more; a forgotten credential is an open door.');

  const overPrivileged = isPassword ? undefined : overPrivilege(subject, health.permission.value, context.neededPermission);
  if (overPrivileged) add('over-privileged', 'warning', overPrivileged.message, overPrivileged.fix);

  const isPersonal = context.tokenType === 'pat' || health.kind.value === 'personal' || health.kind.value === 'auto-generated';
  if (context.isOrganizationRepository && isPersonal && !isPassword) {
    add(
      'prefer-organization-token',
      'notice',
      `${subject} is a personal access token used for an organization's repositories.`,
      'Create an organization access token limited to these repositories, so the job does not depend on one person.',
    );
  }

  return findings.sort(compareFindings);
}

/** The account-wide finding of an audit: too many Docker Desktop tokens. */
export function autoGeneratedLimitFinding(autoGeneratedCount: number): Finding | undefined {
  if (autoGeneratedCount < AUTO_GENERATED_LIMIT) return undefined;
  return {
    code: 'auto-generated-limit',
    severity: 'warning',
    message: `The account has ${autoGeneratedCount} auto-generated (Docker Desktop) tokens, ${AUTO_GENERATED_LIMIT} or more.`,
    fix: 'Delete the auto-generated tokens of machines that no longer sign in with Docker Desktop; each one is a standing credential.',
  };
}

function unusedFinding(health: TokenHealth, subject: string, context: FindingContext): string | undefined {
  const lastUsed = toDate(health.lastUsed.value);
  if (lastUsed !== undefined) {
    const days = daysUntil(context.now, lastUsed);
    return days >= context.unusedWarningDays ? `${subject} has not been used for ${days} days (last used ${isoDay(lastUsed)}).` : undefined;
  }
  const createdAt = toDate(health.createdAt.value);
  if (health.lastUsed.value !== null || createdAt === undefined) return undefined;
  const days = daysUntil(context.now, createdAt);
  return days >= context.unusedWarningDays
    ? `${subject} has never been used since it was created ${days} days ago (${isoDay(createdAt)}).`
    : undefined;
}

function overPrivilege(
  subject: string,
  permission: HubPermission | string[] | null | undefined,
  needed: HubPermission | undefined,
): { message: string; fix: string } | undefined {
  if (needed === undefined || permission === null || permission === undefined) return undefined;
  if (!Array.isArray(permission)) {
    if (HUB_PERMISSIONS.indexOf(permission) <= HUB_PERMISSIONS.indexOf(needed)) return undefined;
    return {
      message: `${subject} has ${permission}, which is broader than this job needs (${needed}).`,
      fix: `Create a ${describePermission(needed)} token for this job, or lower this token's permission if nothing else uses it.`,
    };
  }
  const neededActions = actionsForPermission(needed);
  const broader = permission.filter((scope) => (REGISTRY_SCOPE_ACTIONS[scope] ?? []).some((a) => !neededActions.includes(a)));
  if (broader.length === 0) return undefined;
  return {
    message: `${subject} has ${broader.join(', ')}, which is broader than this job needs (${neededActions.join(', ')}).`,
    fix: `Create a token without ${broader.join(', ')} for this job, keeping only the registry scopes for ${neededActions.join(', ')}.`,
  };
}

function toDate(value: string | null | undefined): Date | undefined {
  if (value === null || value === undefined) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function inDays(days: number): string {
  if (days <= 0) return 'in less than a day';
  return days === 1 ? 'in 1 day' : `in ${days} days`;
}

function ago(days: number): string {
  if (days <= 0) return 'less than a day ago';
  return days === 1 ? '1 day ago' : `${days} days ago`;
}
