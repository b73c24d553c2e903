/**
 * What a login replaced, recorded in a 0600 file beside config.json so logout can put it back.
 *
 * Without a credential helper the previous `auths` entry is kept here as it was: config.json holds
 * the same bytes in the clear, so the file adds no exposure. With a helper the previous credential
 * never leaves the helper: it is parked there under a server URL derived for the purpose, and this
 * file only records that it did so, where, and fingerprints of what docker-pat wrote.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
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
  written: Fingerprint[];
}

/** scrypt's cost (N), block size (r) and parallelisation (p). */
export interface ScryptParameters {
  N: number;
  r: number;
  p: number;
}

/** A salted scrypt digest of one credential state, with what it takes to derive it again. */
export interface Fingerprint extends ScryptParameters {
  salt: Buffer;
  hash: Buffer;
}

const FORMAT_KEY = 'docker-pat-backup';
/**
 * 3: fingerprints are salted scrypt digests. Older files are refused, to be checked by hand: a
 * version-2 file holds unsalted SHA-256 fingerprints (a fast guessing oracle for the secret), a
 * version-1 file the helper credential itself.
 */
const FORMAT_VERSION = '3';

/**
 * The fingerprint covers the secret, which may be an account password, and with a credential helper
 * this file is the only trace of it on disk: each guess at it costs a 4 MiB scrypt run (about 10 ms
 * on one CI core) instead of one SHA-256, and the salt makes a guess good for one fingerprint only.
 * A login derives at most three, so the cost stays what a login can afford.
 */
const SCRYPT_PARAMETERS: ScryptParameters = { N: 4096, r: 8, p: 1 };
const SALT_BYTES = 16;
const HASH_BYTES = 32;
/**
 * Bounds on what a backup may ask for, so a crafted file cannot make a login spend seconds or
 * gigabytes: at most eight times the work (and so the memory) of SCRYPT_PARAMETERS, in at most as
 * many fingerprints as a login writes.
 */
const MAX_SCRYPT_WORK = 8 * SCRYPT_PARAMETERS.N * SCRYPT_PARAMETERS.r * SCRYPT_PARAMETERS.p;
/** scrypt's own memory cap: above the 128·N·r bytes (at most 32 MiB) that MAX_SCRYPT_WORK allows. */
const MAX_SCRYPT_MEMORY = 64 * 1024 * 1024;
const MAX_FINGERPRINTS = 2;

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
 * A one-way digest under a fresh random salt: the same state gives a different fingerprint each
 * time, so only findFingerprint can tell that they match. Only states docker-pat wrote itself are
 * fingerprinted into a backup, never the user's original.
 */
export async function fingerprint(state: CredentialState): Promise<Fingerprint> {
  const salt = randomBytes(SALT_BYTES);
  return { ...SCRYPT_PARAMETERS, salt, hash: await derive(state, salt, SCRYPT_PARAMETERS) };
}

/** The fingerprint of `state` among `candidates`, or undefined; the candidates are derived side by side. */
export async function findFingerprint(candidates: Fingerprint[], state: CredentialState): Promise<Fingerprint | undefined> {
  const matches = await Promise.all(candidates.map(async (candidate) => timingSafeEqual(await derive(state, candidate.salt, candidate), candidate.hash)));
  return candidates.find((_, index) => matches[index]);
}

function derive(state: CredentialState, salt: Buffer, { N, r, p }: ScryptParameters): Promise<Buffer> {
  const text = JSON.stringify([
    state.fileEntry === undefined ? null : formatJsonDocument(state.fileEntry),
    state.helperCredential?.username ?? null,
    state.helperCredential?.secret ?? null,
  ]);
  return new Promise((resolve, reject) => {
    scrypt(text, salt, HASH_BYTES, { N, r, p, maxmem: MAX_SCRYPT_MEMORY }, (error, hash) => (error ? reject(error) : resolve(hash)));
  });
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
  members.push(['written', { kind: 'array', items: backup.written.map(fingerprintNode) }]);
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
  if (credentialKey === undefined || written?.kind !== 'array' || written.items.length > MAX_FINGERPRINTS) throw notABackup(path);
  const fingerprints = written.items.map(readFingerprint);
  if (fingerprints.some((item) => item === undefined)) throw notABackup(path);
  return {
    credentialKey,
    fileEntry: root.members.get('entry')?.value,
    parked: readParked(root, path),
    written: fingerprints as Fingerprint[],
  };
}

function fingerprintNode({ N, r, p, salt, hash }: Fingerprint): JsonNode {
  return jsonObject([
    ['kdf', jsonString('scrypt')],
    ['N', { kind: 'scalar', raw: String(N) }],
    ['r', { kind: 'scalar', raw: String(r) }],
    ['p', { kind: 'scalar', raw: String(p) }],
    ['salt', jsonString(salt.toString('base64'))],
    ['hash', jsonString(hash.toString('base64'))],
  ]);
}

/** The fingerprint a node holds, or undefined when it is not one this module could have written. */
function readFingerprint(node: JsonNode): Fingerprint | undefined {
  if (node.kind !== 'object' || stringMember(node, 'kdf') !== 'scrypt') return undefined;
  const [N, r, p] = ['N', 'r', 'p'].map((key) => positiveInteger(node.members.get(key)?.value));
  const salt = base64Member(node, 'salt');
  const hash = base64Member(node, 'hash');
  if (N === undefined || r === undefined || p === undefined || salt === undefined || hash === undefined) return undefined;
  const affordable = (N & (N - 1)) === 0 && N >= 2 && r <= 32 && p <= 16 && N * r * p <= MAX_SCRYPT_WORK;
  if (!affordable || salt.length < SALT_BYTES || hash.length !== HASH_BYTES) return undefined;
  return { N, r, p, salt, hash };
}

function positiveInteger(node: JsonNode | undefined): number | undefined {
  return node?.kind === 'scalar' && /^[1-9][0-9]{0,8}$/.test(node.raw) ? Number(node.raw) : undefined;
}

/** Canonical base64 only: Buffer.from would skip stray characters and decode a different value. */
function base64Member(node: JsonObject, key: string): Buffer | undefined {
  const text = stringMember(node, key);
  if (text === undefined) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
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
