/**
 * The entry a login replaced, kept in a 0600 file beside config.json so logout can put it back.
 * It may hold another credential, so it never leaves that directory (the CredentialRecord that
 * travels through action state only names the file).
 */
import { createHash } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { errorCode, fileSystemError, readFileCapped, UnusableFileError, writeFileAtomic } from './atomic-file.js';
import { MAX_CONFIG_BYTES } from './docker-config.js';
import type { HelperCredential } from './credential-helper.js';
import { DockerPatError } from './errors.js';
import {
  formatJsonDocument,
  jsonObject,
  jsonString,
  parseJsonDocument,
  stringMember,
  type JsonNode,
  type JsonObject,
} from './json-document.js';

/** What a credential key resolved to at one moment. */
export interface CredentialState {
  /** `auths[key]` exactly as it was; undefined when absent. */
  fileEntry: JsonNode | undefined;
  /** What the credential helper held for the key; undefined without a helper or a stored credential. */
  helperCredential: HelperCredential | undefined;
}

export interface CredentialBackup {
  credentialKey: string;
  previous: CredentialState;
  /**
   * Fingerprints of the states docker-pat may have left: the one a login replaced and the one it
   * wrote, since a crash can stop it between the two writes. A later login that finds either knows
   * the entry is its own and keeps this backup of the user's original.
   */
  written: string[];
}

const FORMAT_KEY = 'docker-pat-backup';
const FORMAT_VERSION = '1';

export function backupPathFor(dockerConfigDir: string, credentialKey: string): string {
  const digest = createHash('sha256').update(credentialKey).digest('hex').slice(0, 16);
  return join(dockerConfigDir, `.docker-pat-backup-${digest}.json`);
}

export function hasCredential(state: CredentialState): boolean {
  return state.fileEntry !== undefined || state.helperCredential !== undefined;
}

/** A one-way digest: equal states give equal fingerprints, and the file never holds a second copy of a secret. */
export function fingerprint(state: CredentialState): string {
  const parts = [
    state.fileEntry === undefined ? null : formatJsonDocument(state.fileEntry),
    state.helperCredential?.username ?? null,
    state.helperCredential?.secret ?? null,
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export async function writeBackup(path: string, backup: CredentialBackup): Promise<void> {
  const members: Array<[string, JsonNode]> = [
    [FORMAT_KEY, { kind: 'scalar', raw: FORMAT_VERSION }],
    ['credentialKey', jsonString(backup.credentialKey)],
  ];
  if (backup.previous.fileEntry !== undefined) members.push(['entry', backup.previous.fileEntry]);
  const helperCredential = backup.previous.helperCredential;
  if (helperCredential) {
    members.push([
      'helperCredential',
      jsonObject([
        ['Username', jsonString(helperCredential.username)],
        ['Secret', jsonString(helperCredential.secret)],
      ]),
    ]);
  }
  members.push(['written', { kind: 'array', items: backup.written.map(jsonString) }]);
  await writeFileAtomic(path, formatJsonDocument(jsonObject(members)));
}

/** The backup, or undefined when there is none (never taken, or already restored). */
export async function readBackup(path: string): Promise<CredentialBackup | undefined> {
  let bytes: Buffer | undefined;
  try {
    bytes = await readFileCapped(path, 2 * MAX_CONFIG_BYTES);
  } catch (error) {
    if (error instanceof UnusableFileError) throw notABackup(path);
    throw error;
  }
  if (bytes === undefined) return undefined;
  let root: JsonNode;
  try {
    root = parseJsonDocument(bytes.toString('utf8'));
  } catch {
    throw notABackup(path);
  }
  if (root.kind !== 'object' || root.members.get(FORMAT_KEY)?.value.kind !== 'scalar') throw notABackup(path);
  const credentialKey = stringMember(root, 'credentialKey');
  const written = root.members.get('written')?.value;
  if (credentialKey === undefined || written?.kind !== 'array') throw notABackup(path);
  const fingerprints = written.items.map((item) => (item.kind === 'string' ? item.value : undefined));
  if (fingerprints.some((item) => item === undefined)) throw notABackup(path);
  return {
    credentialKey,
    written: fingerprints as string[],
    previous: { fileEntry: root.members.get('entry')?.value, helperCredential: readHelperCredential(root, path) },
  };
}

function readHelperCredential(root: JsonObject, path: string): HelperCredential | undefined {
  const node = root.members.get('helperCredential')?.value;
  if (node === undefined) return undefined;
  if (node.kind !== 'object') throw notABackup(path);
  const username = stringMember(node, 'Username');
  const secret = stringMember(node, 'Secret');
  if (username === undefined || secret === undefined) throw notABackup(path);
  return { username, secret };
}

export async function deleteBackup(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw fileSystemError(error, `delete ${path}`);
  }
}

function notABackup(path: string): DockerPatError {
  return new DockerPatError(
    'bad-input',
    `${path} is not a docker-pat credential backup that can be restored.`,
    `Check ${path} by hand (it may hold the credential that was there before docker-pat logged in), then delete it.`,
    { field: `DOCKER_CONFIG/${basename(path)}` },
  );
}
