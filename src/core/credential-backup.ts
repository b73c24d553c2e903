/**
 * What a login replaced, recorded in a 0600 file beside config.json so logout can put it back.
 *
 * Without a credential helper the previous `auths` entry is kept here as it was: config.json holds
 * the same bytes in the clear, so the file adds no exposure. With a helper the previous credential
 * never leaves the helper: it is parked there under a server URL derived for the purpose, and this
 * file only records that it did so, where, and fingerprints of what docker-pat wrote.
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

/** Where the helper's previous credential waits for logout. Neither field is a secret. */
export interface ParkedCredential {
  helper: string;
  serverUrl: string;
}

export interface CredentialBackup {
  credentialKey: string;
  /** `auths[key]` as the login found it; undefined when absent. */
  fileEntry: JsonNode | undefined;
  /** Undefined without a helper, or when the helper held no credential for the key. */
  parked: ParkedCredential | undefined;
  /**
   * Fingerprints of the states docker-pat may have left: the one a login replaced and the one it
   * wrote, since a crash can stop it between the two writes. A later login that finds either knows
   * the entry is its own and keeps this backup of the user's original.
   */
  written: string[];
}

const FORMAT_KEY = 'docker-pat-backup';
/** 2: helper credentials are parked in the helper; a version-1 file held them here and is refused. */
const FORMAT_VERSION = '2';

export function backupPathFor(dockerConfigDir: string, credentialKey: string): string {
  const digest = createHash('sha256').update(credentialKey).digest('hex').slice(0, 16);
  return join(dockerConfigDir, `.docker-pat-backup-${digest}.json`);
}

/**
 * The server URL under which the helper keeps the credential a login replaced. Its host is a
 * digest under the reserved `.invalid` domain (RFC 2606), because helpers key credentials
 * differently: pass and wincred use the whole string, but osxkeychain keeps only the scheme, host,
 * port and path, and matches any path when asked without one, so a suffix such as
 * `<key>#docker-pat-backup` or `<key>/docker-pat-backup` could land on (or be found as) the real
 * entry. A host of its own is distinct in every helper and can never name a registry someone pulls
 * from. The digest covers the config directory too: jobs with different DOCKER_CONFIG directories
 * may share one helper, and each must keep its own original.
 */
export function parkingServerUrl(dockerConfigDir: string, credentialKey: string): string {
  const digest = createHash('sha256').update(JSON.stringify([dockerConfigDir, credentialKey])).digest('hex').slice(0, 32);
  return `https://${digest}.docker-pat-backup.invalid`;
}

export function hasCredential(state: CredentialState): boolean {
  return state.fileEntry !== undefined || state.helperCredential !== undefined;
}

/**
 * A one-way digest: equal states give equal fingerprints. Only states docker-pat wrote itself are
 * fingerprinted into a backup, never the user's original.
 */
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
  if (backup.fileEntry !== undefined) members.push(['entry', backup.fileEntry]);
  if (backup.parked) {
    members.push([
      'parkedInHelper',
      jsonObject([
        ['helper', jsonString(backup.parked.helper)],
        ['serverUrl', jsonString(backup.parked.serverUrl)],
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
  if (root.kind !== 'object') throw notABackup(path);
  const version = root.members.get(FORMAT_KEY)?.value;
  if (version?.kind !== 'scalar' || version.raw !== FORMAT_VERSION) throw notABackup(path);
  const credentialKey = stringMember(root, 'credentialKey');
  const written = root.members.get('written')?.value;
  if (credentialKey === undefined || written?.kind !== 'array') throw notABackup(path);
  const fingerprints = written.items.map((item) => (item.kind === 'string' ? item.value : undefined));
  if (fingerprints.some((item) => item === undefined)) throw notABackup(path);
  return {
    credentialKey,
    fileEntry: root.members.get('entry')?.value,
    parked: readParked(root, path),
    written: fingerprints as string[],
  };
}

function readParked(root: JsonObject, path: string): ParkedCredential | undefined {
  const node = root.members.get('parkedInHelper')?.value;
  if (node === undefined) return undefined;
  if (node.kind !== 'object') throw notABackup(path);
  const helper = stringMember(node, 'helper');
  const serverUrl = stringMember(node, 'serverUrl');
  if (helper === undefined || serverUrl === undefined) throw notABackup(path);
  return { helper, serverUrl };
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
