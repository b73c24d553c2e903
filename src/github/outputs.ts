import * as core from '@actions/core';
import type { CheckReport, LoginReport } from '../core/model.js';

export const OUTPUT_NAMES = ['registry', 'token-type', 'scope', 'granted', 'expires-at', 'days-until-expiry', 'warnings', 'docker-config'] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];

function grantedJson(report: CheckReport): string {
  const proven = report.repositories.filter((r) => r.granted !== undefined);
  if (proven.length === 0) return '';
  return JSON.stringify(Object.fromEntries(proven.map((r) => [r.name, r.granted])));
}

function expiresAt(report: CheckReport): string {
  const value = report.health.expiresAt.value;
  if (value === null) return 'never';
  return value ?? '';
}

/** Every output as the string the runner stores; an unknown value is '' and never a guess. */
export function buildOutputs(report: LoginReport): Record<OutputName, string> {
  return {
    registry: report.registry.host,
    'token-type': report.tokenType,
    scope: report.permission ?? '',
    granted: grantedJson(report),
    'expires-at': expiresAt(report),
    'days-until-expiry': report.daysUntilExpiry === undefined ? '' : String(report.daysUntilExpiry),
    warnings: JSON.stringify(report.findings.filter((f) => f.severity === 'warning').map((f) => f.code)),
    'docker-config': report.credential?.dockerConfigDir ?? '',
  };
}

export function writeOutputs(report: LoginReport): void {
  for (const [name, value] of Object.entries(buildOutputs(report))) core.setOutput(name, value);
}
