/**
 * Stores a registry credential where the docker CLI will find it (config.json, or the credential
 * helper config.json names) and undoes exactly that on logout, putting back what was there before.
 * A credential the helper held stays in the helper while docker-pat's is in use (see
 * credential-backup.ts), so a login never copies a secret out of the user's keychain.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ensurePrivateDirectory, errorCode, fileSystemError, removeAbandonedTempFiles } from './atomic-file.js';
import { withConfigLock, type ConfigLockOptions } from './config-lock.js';
import {
  backupPathFor,
  deleteBackup,
  findFingerprint,
  fingerprint,
  hasCredential,
  parkingServerUrl,
  readBackup,
  writeBackup,
  type CredentialState,
  type ParkedCredential,
} from './credential-backup.js';
import { helperErase, helperGet, helperStore, type HelperCredential, type HelperOptions } from './credential-helper.js';
import {
  basicAuthEntry,
  credentialHelperFor,
  deleteAuthEntry,
  getAuthEntry,
  helperAuthEntry,
  readDockerConfig,
  setAuthEntry,
  writeDockerConfig,
  type DockerConfig,
} from './docker-config.js';
import { badInput, DockerPatError } from './errors.js';
import { stringMember, type JsonNode } from './json-document.js';
import type { CredentialRecord } from './model.js';
import type { SecretRegistry } from './secrets.js';
import { checkUsername } from './username.js';

export interface CredentialStoreOptions {
  /** Environment for credential helpers; defaults to this process's. */
  env?: NodeJS.ProcessEnv;
  /** Receives every secret read back from a helper or a backup, so front ends can mask it. */
  secrets?: SecretRegistry;
  helperTimeoutMs?: number;
  lock?: ConfigLockOptions;
}

export interface StoreCredentialInput extends CredentialStoreOptions {
  dockerConfigDir: string;
  credentialKey: string;
  username: string;
  secret: string;
}

/** The fields of a docker `auths` entry that hold a secret (types.AuthConfig). */
const SECRET_ENTRY_FIELDS = ['auth', 'password', 'identitytoken', 'registrytoken'];

export async function storeCredential(input: StoreCredentialInput): Promise<CredentialRecord> {
  const { credentialKey, username, secret } = input;
  checkStoreInput(input);
  input.secrets?.addCredential(username, secret);
  const dockerConfigDir = resolve(input.dockerConfigDir);
  await ensurePrivateDirectory(dockerConfigDir);
  const helperOptions = toHelperOptions(input);
  return withConfigLock(
    dockerConfigDir,
    async () => {
      await removeAbandonedTempFiles(dockerConfigDir);
      const config = await readDockerConfig(dockerConfigDir);
      const helper = credentialHelperFor(config, credentialKey);
      const previous: CredentialState = {
        fileEntry: getAuthEntry(config, credentialKey),
        helperCredential: helper ? await helperGet(helper, credentialKey, helperOptions) : undefined,
      };
      if (previous.helperCredential) input.secrets?.addCredential(previous.helperCredential.username, previous.helperCredential.secret);
      registerEntrySecrets(previous.fileEntry, input.secrets);
      const entry = helper ? helperAuthEntry() : basicAuthEntry(username, secret);
      const written: CredentialState = { fileEntry: entry, helperCredential: helper ? { username, secret } : undefined };
      const backupPath = await keepBackup({ dockerConfigDir, credentialKey, helper, helperOptions }, previous, written);
      if (helper) await putInHelper(helper, credentialKey, { username, secret }, previous.helperCredential !== undefined, helperOptions);
      setAuthEntry(config, credentialKey, entry);
      await writeDockerConfig(config);
      return { dockerConfigDir, credentialKey, helper, backupPath };
    },
    input.lock,
  );
}

interface BackupTarget {
  dockerConfigDir: string;
  credentialKey: string;
  helper: string | undefined;
  helperOptions: HelperOptions;
}

/**
 * Saves the state this login replaces, before replacing it. A backup that recorded the state found
 * now comes from an earlier login of ours that was not undone (a second login in one job, or a
 * killed one): it still refers to the user's original, so it is kept, with the fingerprint that
 * matched as it is (a fresh one would only cost the login another derivation). A backup that no
 * longer matches is stale (the user logged in since) and gives way, with the credential it parked.
 * The helper credential is parked before the file names it, so the file never promises one that
 * is not there.
 */
async function keepBackup(target: BackupTarget, previous: CredentialState, written: CredentialState): Promise<string | undefined> {
  const { dockerConfigDir, credentialKey, helper, helperOptions } = target;
  const path = backupPathFor(dockerConfigDir, credentialKey);
  const existing = await readBackup(path);
  const ours = existing?.credentialKey === credentialKey ? await findFingerprint(existing.written, previous) : undefined;
  if (existing && ours) {
    await writeBackup(path, { ...existing, written: [ours, await fingerprint(written)] });
    return path;
  }
  const parkingUrl = parkingServerUrl(dockerConfigDir, credentialKey);
  let parked: ParkedCredential | undefined;
  if (helper && previous.helperCredential) {
    await putInHelper(helper, parkingUrl, previous.helperCredential, true, helperOptions);
    parked = { helper, serverUrl: parkingUrl };
  } else if (helper && existing?.parked?.helper === helper) {
    await helperErase(helper, parkingUrl, helperOptions);
  }
  if (!hasCredential(previous)) {
    await deleteBackup(path);
    return undefined;
  }
  await writeBackup(path, { credentialKey, fileEntry: previous.fileEntry, parked, written: [await fingerprint(written)] });
  return path;
}

/**
 * Undoes a storeCredential: restores the backed-up entry (then deletes the backup), or erases what
 * the login wrote. Running it again, or after the entry is gone, changes nothing and succeeds.
 */
export async function removeCredential(record: CredentialRecord, options: CredentialStoreOptions = {}): Promise<void> {
  const { dockerConfigDir, credentialKey, helper } = record;
  checkRecord(record);
  const helperOptions = toHelperOptions(options);
  if (!(await isDirectory(dockerConfigDir))) {
    if (helper && !record.backupPath) await helperErase(helper, credentialKey, helperOptions);
    return;
  }
  await withConfigLock(
    dockerConfigDir,
    async () => {
      await removeAbandonedTempFiles(dockerConfigDir);
      if (!record.backupPath) {
        if (helper) await helperErase(helper, credentialKey, helperOptions);
        await updateConfig(dockerConfigDir, (config) => deleteAuthEntry(config, credentialKey));
        return;
      }
      const backup = await readBackup(record.backupPath);
      if (!backup) return;
      const parkingUrl = parkingServerUrl(dockerConfigDir, credentialKey);
      const { fileEntry, parked } = backup;
      if (backup.credentialKey !== credentialKey || (parked && (parked.helper !== helper || parked.serverUrl !== parkingUrl))) {
        throw mismatchedRecord(record);
      }
      registerEntrySecrets(fileEntry, options.secrets);
      if (helper) {
        const original = parked ? await helperGet(helper, parkingUrl, helperOptions) : undefined;
        if (original) {
          options.secrets?.addCredential(original.username, original.secret);
          await putInHelper(helper, credentialKey, original, true, helperOptions);
        } else {
          await helperErase(helper, credentialKey, helperOptions);
        }
      }
      await updateConfig(dockerConfigDir, (config) => {
        if (fileEntry === undefined) return deleteAuthEntry(config, credentialKey);
        setAuthEntry(config, credentialKey, fileEntry);
        return true;
      });
      await deleteBackup(record.backupPath);
      // Only now: a removal killed before this point is run again and must still find the original.
      if (helper && parked) await helperErase(helper, parkingUrl, helperOptions);
    },
    options.lock,
  );
}

/**
 * Stores in the helper, erasing what it held first: some helpers (pass 0.6) keep one credential per
 * username, so a store under a new name would sit beside the old one and `get` could return either.
 */
async function putInHelper(helper: string, serverUrl: string, credential: HelperCredential, replacing: boolean, options: HelperOptions): Promise<void> {
  if (replacing) await helperErase(helper, serverUrl, options);
  await helperStore(helper, serverUrl, credential, options);
}

/** Applies `change` and writes config.json only when it changed something. */
async function updateConfig(dir: string, change: (config: DockerConfig) => boolean): Promise<void> {
  const config = await readDockerConfig(dir);
  if (change(config)) await writeDockerConfig(config);
}

function checkStoreInput({ credentialKey, username, secret }: StoreCredentialInput): void {
  if (!credentialKey || hasControlCharacter(credentialKey)) {
    throw badInput('registry', 'the credential key is empty or holds control characters', 'a registry host such as ghcr.io or registry.example.com:5000');
  }
  checkUsername(username);
  if (!secret) {
    throw new DockerPatError('empty-secret', 'The secret to store is empty.', 'Pass the token (or password) in the secret input.', { field: 'secret' });
  }
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** The record comes back through action state; it may only name the backup file this module would use. */
function checkRecord(record: CredentialRecord): void {
  if (!record.dockerConfigDir || !record.credentialKey) throw mismatchedRecord(record);
  if (record.backupPath !== undefined && record.backupPath !== backupPathFor(record.dockerConfigDir, record.credentialKey)) {
    throw mismatchedRecord(record);
  }
}

function mismatchedRecord(record: CredentialRecord): DockerPatError {
  return new DockerPatError(
    'bad-input',
    `The saved login record for ${record.credentialKey || 'an unnamed registry'} does not match a docker-pat login; nothing was removed.`,
    'Log out with `docker logout <registry>` instead.',
    { field: 'credential', registry: record.credentialKey },
  );
}

function registerEntrySecrets(entry: JsonNode | undefined, secrets: SecretRegistry | undefined): void {
  if (!secrets || entry?.kind !== 'object') return;
  for (const key of SECRET_ENTRY_FIELDS) secrets.add(stringMember(entry, key));
}

function toHelperOptions(options: CredentialStoreOptions): HelperOptions {
  return { env: withoutSecretValues(options.env ?? process.env, options.secrets), timeoutMs: options.helperTimeoutMs };
}

/**
 * A helper gets the credential it stores on stdin and needs none of the other secrets in this
 * process's environment (the token variable, an account password, the Action's inputs): every
 * variable holding a known secret is left out, so a helper that logs or forks cannot spread it.
 */
function withoutSecretValues(env: NodeJS.ProcessEnv, secrets: SecretRegistry | undefined): NodeJS.ProcessEnv {
  if (secrets === undefined) return env;
  const known = new Set(secrets.values());
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value === undefined || !(known.has(value) || known.has(value.trim()))));
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw fileSystemError(error, `read ${path}`);
  }
}
