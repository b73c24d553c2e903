/**
 * What a `docker-pat login` wrote, kept beside config.json so a later `docker-pat logout` (a
 * separate process, e.g. a GitLab after_script) undoes exactly that. It holds no secret.
 */
import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CredentialRecord } from './model.js';

function recordPath(dockerConfigDir: string, credentialKey: string): string {
  const digest = createHash('sha256').update(credentialKey).digest('hex').slice(0, 16);
  return join(dockerConfigDir, `.docker-pat-login-${digest}.json`);
}

export async function saveLoginRecord(record: CredentialRecord): Promise<void> {
  await writeFile(recordPath(record.dockerConfigDir, record.credentialKey), JSON.stringify(record), { mode: 0o600 });
}

export async function takeLoginRecord(dockerConfigDir: string, credentialKey: string): Promise<CredentialRecord | undefined> {
  const path = recordPath(dockerConfigDir, credentialKey);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  await rm(path, { force: true });
  const parsed: unknown = JSON.parse(text);
  if (!isRecord(parsed) || parsed.dockerConfigDir !== dockerConfigDir || parsed.credentialKey !== credentialKey) return undefined;
  return parsed;
}

function isRecord(value: unknown): value is CredentialRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.dockerConfigDir === 'string' &&
    typeof v.credentialKey === 'string' &&
    (v.helper === undefined || typeof v.helper === 'string') &&
    (v.backupPath === undefined || typeof v.backupPath === 'string')
  );
}
