/** Stable error codes shown by every front end; documented in README.md. */
export const ERROR_CODES = [
  'bad-input',
  'empty-secret',
  'bad-credentials',
  'expired',
  'inactive',
  'password-not-allowed',
  'insufficient-scope',
  'rate-limited',
  'unreachable',
  'tls',
  'timeout',
  'registry-error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface DockerPatErrorDetails {
  /** The input field at fault, for `bad-input` and `empty-secret`. */
  field?: string;
  /** The registry host the failure concerns. */
  registry?: string;
}

/**
 * The only error type the core throws on purpose. Its message and fix never contain a secret:
 * callers build them from names, hosts and codes only, and front ends still redact them.
 */
export class DockerPatError extends Error {
  readonly code: ErrorCode;
  /** One sentence telling the user the most likely fix. */
  readonly fix: string;
  readonly field?: string;
  readonly registry?: string;

  constructor(code: ErrorCode, message: string, fix: string, details: DockerPatErrorDetails = {}) {
    super(message);
    this.name = 'DockerPatError';
    this.code = code;
    this.fix = fix;
    this.field = details.field;
    this.registry = details.registry;
  }
}

/** A `bad-input` error naming the field and its valid form. */
export function badInput(field: string, problem: string, validForm: string): DockerPatError {
  return new DockerPatError('bad-input', `${field}: ${problem}`, `Use ${validForm}.`, { field });
}

export function isDockerPatError(value: unknown): value is DockerPatError {
  return value instanceof DockerPatError;
}
