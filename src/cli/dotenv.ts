/**
 * The dotenv report for `artifacts: reports: dotenv`. GitLab reads each line as KEY=value (no
 * quotes, no multi-line values), expands `$` in values, and lets anyone who can read the job
 * download the file: so only non-secret single-word values, and an empty value for unknown.
 */
import { writeFileAtomic } from '../core/atomic-file.js';
import { DockerPatError } from '../core/errors.js';
import type { CheckReport } from '../core/model.js';
import { permissionText } from './format.js';

export type DotenvValues = Record<string, string>;

/** `name:pull,push` per repository, `;` between them; `none` for no grant, `unknown` when unproven. */
function grantedText(report: CheckReport): string {
  return report.repositories.map((r) => `${r.name}:${r.granted === undefined ? 'unknown' : r.granted.length === 0 ? 'none' : r.granted.join(',')}`).join(';');
}

function scopeText(report: CheckReport): string {
  if (report.permission !== undefined) return report.permission;
  const fromHealth = report.health.permission.value;
  return fromHealth === undefined || fromHealth === null ? '' : permissionText(fromHealth);
}

function expiresText(report: CheckReport): string {
  const value = report.health.expiresAt.value;
  if (value === null) return 'never';
  return value ?? '';
}

export function dotenvValues(report: CheckReport): DotenvValues {
  return {
    DOCKER_PAT_VERDICT: report.verdict,
    DOCKER_PAT_ERROR: report.error?.code ?? '',
    DOCKER_PAT_REGISTRY: report.registry.host,
    DOCKER_PAT_TOKEN_TYPE: report.tokenType,
    DOCKER_PAT_SCOPE: scopeText(report),
    DOCKER_PAT_GRANTED: grantedText(report),
    DOCKER_PAT_EXPIRES_AT: expiresText(report),
    DOCKER_PAT_DAYS_UNTIL_EXPIRY: report.daysUntilExpiry === undefined ? '' : String(report.daysUntilExpiry),
    DOCKER_PAT_WARNINGS: [...new Set(report.findings.filter((f) => f.severity === 'warning').map((f) => f.code))].join(','),
  };
}

/**
 * Whitespace and `$` cannot survive GitLab's parser (one line, values expanded), so they are
 * replaced; `redact` is the last guard against a secret reaching a downloadable artifact.
 */
export function formatDotenv(values: DotenvValues, redact: (text: string) => string): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}=${redact(value).replace(/[\s$]+/g, '_')}\n`)
    .join('');
}

/** Written whole or not at all: GitLab would publish a torn file as it found it. */
export async function writeDotenv(path: string, content: string): Promise<void> {
  try {
    await writeFileAtomic(path, content, 0o644);
  } catch (error) {
    const detail = error instanceof DockerPatError ? error.message : `Could not write ${path}.`;
    throw new DockerPatError('bad-input', `--dotenv: ${detail}`, 'Give a file path in an existing, writable directory.', { field: '--dotenv' });
  }
}
