/** Small formatting rules shared by the text renderers. */
import type { Action, Fact, RegistryKind, TokenType } from '../core/model.js';

export const KIND_LABELS: Record<RegistryKind, string> = {
  dockerhub: 'Docker Hub',
  ghcr: 'GitHub Container Registry',
  gitlab: 'GitLab container registry',
  generic: 'registry',
};

export const TOKEN_TYPE_LABELS: Record<TokenType, string> = {
  pat: 'personal access token',
  oat: 'organization access token',
  password: 'account password',
  unknown: 'unknown kind of secret',
};

/** null means a known "none" (never used, never expires); undefined is unknown. */
export function factText<T>(fact: Fact<T>, none: string, show: (value: T) => string = String): string {
  if (fact.value === undefined) return 'unknown';
  if (fact.value === null) return none;
  return show(fact.value);
}

export function sourceText(fact: Fact<unknown>): string {
  return fact.value === undefined || fact.source === 'unknown' ? '' : ` (from ${fact.source})`;
}

/** ISO timestamps are shown as their UTC date: that is what Docker Hub's pages show too. */
export function dateText(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : iso;
}

export function actionsText(actions: readonly Action[] | undefined): string {
  if (actions === undefined) return 'unknown';
  return actions.length === 0 ? 'none' : actions.join(',');
}

export function permissionText(permission: string | string[]): string {
  return Array.isArray(permission) ? permission.join(',') : permission;
}

/** Left-aligned columns, two spaces apart. */
export function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}
