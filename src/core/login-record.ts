/**
 * What a `docker-pat login` wrote, kept beside config.json so a later `docker-pat logout` (a
 * separate process, e.g. a GitLab after_script) undoes exactly that. It holds no secret. It is
 * written atomically and deleted only once the credential it describes is gone, so a logout that
 * fails half-way can simply be run again.
 */
import { createHash } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { errorCode, fileSystemError, readFileCapped, UnusableFileError, writeFileAtomic } from './atomic-file.js';
import { DockerPatError } from './errors.js';
import type { CredentialRecord } from './model.js';

/** A record is a few hundred bytes; anything larger was not written by docker-pat. */
const MAX_RECORD_BYTES = 64 * 1024;

/** The directory is made absolute, as storeCredential records it, so a relative one finds the same file. */
function recordPath(dockerConfigDir: string, credentialKey: string): string {
  const digest = createHash('sha256').update(credentialKey).digest('hex').slice(0, 16);
  return join(resolve(dockerConfigDir), `.docker-pat-login-${digest}.json`);
}

export async function saveLoginRecord(record: CredentialRecord): Promise<void> {
  await writeFileAtomic(recordPath(record.dockerConfigDir, record.credentialKey), JSON.stringify(record));
}

/** The login to undo for this registry, or undefined when docker-pat login left none here. */
export async function readLoginRecord(dockerConfigDir: string, credentialKey: string): Promise<CredentialRecord | undefined> {
  const path = recordPath(dockerConfigDir, credentialKey);
  let bytes: Buffer | undefined;
  try {
    bytes = await readFileCapped(path, MAX_RECORD_BYTES);
  } catch (error) {
    if (error instanceof UnusableFileError) throw notALoginRecord(path);
    throw error;
  }
  if (bytes === undefined) return undefined;
  const record = parseRecord(bytes.toString('utf8'));
  if (record === undefined || record.dockerConfigDir !== resolve(dockerConfigDir) || record.credentialKey !== credentialKey) {
    throw notALoginRecord(path);
  }
  return record;
}

/** Deletes the record of a login that has been undone; one already gone is fine. */
export async function forgetLoginRecord(record: CredentialRecord): Promise<void> {
  const path = recordPath(record.dockerConfigDir, record.credentialKey);
  try {
    await unlink(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw fileSystemError(error, `delete ${path}`);
  }
}

/** The shape of a record that came back from a file or the Action's state; its paths are checked on use. */
export function isCredentialRecord(value: unknown): value is CredentialRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const optionalString = (field: unknown): boolean => field === undefined || typeof field === 'string';
  return typeof v.dockerConfigDir === 'string' && typeof v.credentialKey === 'string' && optionalString(v.helper) && optionalString(v.backupPath);
}

function parseRecord(text: string): CredentialRecord | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isCredentialRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function notALoginRecord(path: string): DockerPatError {
  return new DockerPatError(
    'bad-input',
    `${path} is not the record of a docker-pat login in this directory, so nothing was removed.`,
    `Remove the registry's credential with \`docker logout <registry>\` (DOCKER_CONFIG set to this directory), then delete ${path}.`,
    { field: `DOCKER_CONFIG/${basename(path)}` },
  );
}
