/**
 * The --json documents. Each field is copied by name (never the whole core object) so the shape is
 * stable for scripts and nothing the core adds later can slip a secret into it.
 */
import type { DockerPatError } from '../core/errors.js';
import type { CheckReport, Fact, Finding, LoginReport, RegistryRef, TokenHealth } from '../core/model.js';

export const JSON_SCHEMA_VERSION = 1;

/** `known: false` is unknown; a known null is a known "none" (never used, never expires). */
type FactJson = { known: boolean; value: unknown; source: string };

function fact(f: Fact<unknown>): FactJson {
  return f.value === undefined ? { known: false, value: null, source: 'unknown' } : { known: true, value: f.value, source: f.source };
}

function healthJson(h: TokenHealth): Record<keyof TokenHealth, FactJson> {
  return {
    label: fact(h.label),
    kind: fact(h.kind),
    permission: fact(h.permission),
    expiresAt: fact(h.expiresAt),
    lastUsed: fact(h.lastUsed),
    createdAt: fact(h.createdAt),
    active: fact(h.active),
  };
}

export function findingJson(f: Finding): Record<string, string> {
  return { code: f.code, severity: f.severity, message: f.message, fix: f.fix, ...(f.token === undefined ? {} : { token: f.token }) };
}

/** A core error, or (code `unexpected`) a failure the core did not classify. */
export type ErrorLike = Pick<DockerPatError, 'message' | 'fix'> & Partial<Pick<DockerPatError, 'field' | 'registry'>> & { code: string };

function errorJson(error: ErrorLike): Record<string, string> {
  return {
    code: error.code,
    message: error.message,
    fix: error.fix,
    ...(error.field === undefined ? {} : { field: error.field }),
    ...(error.registry === undefined ? {} : { registry: error.registry }),
  };
}

function registryJson(r: RegistryRef): Record<string, unknown> {
  return { input: r.input, host: r.host, credentialKey: r.credentialKey, isDockerHub: r.isDockerHub };
}

export function checkReportJson(command: 'check' | 'login', report: CheckReport | LoginReport, exitCode: number, dryRun: boolean): Record<string, unknown> {
  const credential = 'credential' in report ? report.credential : undefined;
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    command,
    verdict: report.verdict,
    exitCode,
    registry: registryJson(report.registry),
    kind: report.kind,
    username: report.username,
    tokenType: report.tokenType,
    permission: report.permission ?? null,
    repositories: report.repositories.map((r) => ({ name: r.name, needed: r.needed, granted: r.granted ?? null, ok: r.ok, method: r.method })),
    health: healthJson(report.health),
    daysUntilExpiry: report.daysUntilExpiry ?? null,
    findings: report.findings.map(findingJson),
    error: report.error === undefined ? null : errorJson(report.error),
    ...(command === 'login'
      ? {
          dryRun,
          credential: credential === undefined ? null : { dockerConfigDir: credential.dockerConfigDir, credentialKey: credential.credentialKey, helper: credential.helper ?? null },
        }
      : {}),
  };
}

/** For a failure before any report exists (no token, unreadable stdin). */
export function failureJson(command: string, error: ErrorLike, exitCode: number): Record<string, unknown> {
  return { schemaVersion: JSON_SCHEMA_VERSION, command, verdict: 'error', exitCode, error: errorJson(error) };
}

export function logoutJson(registry: string, dockerConfigDir: string, removed: boolean): Record<string, unknown> {
  return { schemaVersion: JSON_SCHEMA_VERSION, command: 'logout', registry, dockerConfigDir, removed };
}
