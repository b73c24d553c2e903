/**
 * The core names the Docker Hub account fields after the Action's inputs (hub-password, ...);
 * on the command line they come from environment variables or prompts, so messages say that.
 */
import type { DockerPatError } from '../core/errors.js';
import { HUB_PASSWORD_ENV, HUB_TOTP_SECRET_ENV } from './commands.js';

const CLI_FIELD_NAMES: Record<string, string> = {
  'hub-password': HUB_PASSWORD_ENV,
  'hub-totp-secret': HUB_TOTP_SECRET_ENV,
  'hub-totp-code': 'two-factor code',
};

export interface FieldRenamed {
  code: DockerPatError['code'];
  message: string;
  fix: string;
  field?: string;
  registry?: string;
}

export function withCliFieldName(error: DockerPatError): FieldRenamed {
  const renamed = error.field === undefined ? undefined : CLI_FIELD_NAMES[error.field];
  const base = { code: error.code, message: error.message, fix: error.fix, field: error.field, registry: error.registry };
  if (renamed === undefined || error.field === undefined) return base;
  const prefix = `${error.field}:`;
  return { ...base, field: renamed, message: error.message.startsWith(prefix) ? `${renamed}:${error.message.slice(prefix.length)}` : error.message };
}
