/**
 * The docker CLI's config.json: where it is, reading it without trusting it, and writing it back
 * exactly as `docker login` would, with every key we do not own kept as it was.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { readFileCapped, UnusableFileError, writeFileAtomic } from './atomic-file.js';
import { DockerPatError } from './errors.js';
import {
  formatJsonDocument,
  jsonObject,
  jsonString,
  JsonSyntaxError,
  parseJsonDocument,
  type JsonNode,
  type JsonObject,
} from './json-document.js';

const CONFIG_FILE_NAME = 'config.json';
/** Real configs are a few KiB; anything this large is not one, and reading it whole is a risk. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
export const CONFIG_FIELD = 'DOCKER_CONFIG/config.json';

const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export interface DockerConfig {
  path: string;
  /** The whole document as read; unknown keys and odd values are kept verbatim. */
  root: JsonObject;
}

/** DOCKER_CONFIG when set (made absolute, so a later step in another directory finds it), else ~/.docker. */
export function resolveDockerConfigDir(env: NodeJS.ProcessEnv, homedir: string): string {
  const configured = env.DOCKER_CONFIG;
  if (configured) return resolve(configured);
  if (!homedir || !isAbsolute(homedir)) {
    throw new DockerPatError(
      'bad-input',
      'DOCKER_CONFIG is not set and there is no home directory to hold .docker/config.json.',
      'Set DOCKER_CONFIG to the directory where config.json should be written.',
      { field: 'DOCKER_CONFIG' },
    );
  }
  return join(homedir, '.docker');
}


function dockerConfigPath(dir: string): string {
  return join(dir, CONFIG_FILE_NAME);
}

/** A missing or empty file is an empty config; anything the docker CLI could not load is refused. */
export async function readDockerConfig(dir: string): Promise<DockerConfig> {
  const path = dockerConfigPath(dir);
  let bytes: Buffer | undefined;
  try {
    bytes = await readFileCapped(path, MAX_CONFIG_BYTES);
  } catch (error) {
    if (error instanceof UnusableFileError) throw invalidConfig(path, error.problem);
    throw error;
  }
  if (bytes === undefined) return { path, root: jsonObject() };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalidConfig(path, 'is not UTF-8 text');
  }
  if (text.trim() === '') return { path, root: jsonObject() };
  let root: JsonNode;
  try {
    root = parseJsonDocument(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw invalidConfig(path, `is not valid JSON (${error.message})`);
    throw error;
  }
  if (root.kind !== 'object') throw invalidConfig(path, 'does not hold a JSON object');
  checkShape(root, path);
  return { path, root };
}

function checkShape(root: JsonObject, path: string): void {
  const auths = root.members.get('auths')?.value;
  if (auths && !isObjectOrNull(auths)) throw invalidConfig(path, 'has an "auths" value that is not an object');
  const credsStore = root.members.get('credsStore')?.value;
  if (credsStore && credsStore.kind !== 'string' && !isNull(credsStore)) {
    throw invalidConfig(path, 'has a "credsStore" value that is not a string');
  }
  const credHelpers = root.members.get('credHelpers')?.value;
  if (credHelpers && !isObjectOrNull(credHelpers)) throw invalidConfig(path, 'has a "credHelpers" value that is not an object');
  if (credHelpers?.kind === 'object') {
    for (const member of credHelpers.members.values()) {
      if (member.value.kind !== 'string') throw invalidConfig(path, 'has a "credHelpers" entry that is not a string');
    }
  }
}

function isNull(node: JsonNode): boolean {
  return node.kind === 'scalar' && node.raw === 'null';
}

function isObjectOrNull(node: JsonNode): boolean {
  return node.kind === 'object' || isNull(node);
}

function invalidConfig(path: string, problem: string): DockerPatError {
  return new DockerPatError(
    'bad-input',
    `${path} ${problem}; docker-pat left it untouched.`,
    `Repair or remove ${path}: the docker CLI expects a JSON object such as {"auths": {}}.`,
    { field: CONFIG_FIELD },
  );
}

/**
 * The credential helper the docker CLI would use for this key: `credHelpers[key]` wins over
 * `credsStore`; undefined means the credential goes into config.json itself.
 */
export function credentialHelperFor(config: DockerConfig, credentialKey: string): string | undefined {
  const perRegistry = memberObject(config.root, 'credHelpers')?.members.get(credentialKey)?.value;
  if (perRegistry?.kind === 'string' && perRegistry.value !== '') return checkHelperName(config.path, perRegistry.value, 'credHelpers');
  const store = config.root.members.get('credsStore')?.value;
  if (store?.kind === 'string' && store.value !== '') return checkHelperName(config.path, store.value, 'credsStore');
  return undefined;
}

/** The name becomes part of a program name we execute, so it may not hold a path. */
function checkHelperName(path: string, name: string, key: string): string {
  if (HELPER_NAME.test(name)) return name;
  throw new DockerPatError(
    'bad-input',
    `"${key}" in ${path} names a credential helper that is not a plain program suffix.`,
    `Set "${key}" to the suffix of a docker-credential-NAME program on PATH (letters, digits, ".", "_", "-"), or remove it.`,
    { field: CONFIG_FIELD },
  );
}

function memberObject(object: JsonObject, key: string): JsonObject | undefined {
  const value = object.members.get(key)?.value;
  return value?.kind === 'object' ? value : undefined;
}

export function getAuthEntry(config: DockerConfig, credentialKey: string): JsonNode | undefined {
  return memberObject(config.root, 'auths')?.members.get(credentialKey)?.value;
}

/**
 * Sets `auths[key]`. A new key goes before the first key that sorts after it, so a file last written
 * by the docker CLI (which sorts them) stays sorted; `auths` itself is created first, as the CLI orders it.
 */
export function setAuthEntry(config: DockerConfig, credentialKey: string, entry: JsonNode): void {
  let auths = memberObject(config.root, 'auths');
  if (!auths) {
    auths = jsonObject();
    const existing = config.root.members.get('auths');
    if (existing) existing.value = auths;
    else config.root.members = new Map([['auths', { rawKey: '"auths"', value: auths }], ...config.root.members]);
  }
  const member = auths.members.get(credentialKey);
  if (member) {
    member.value = entry;
    return;
  }
  const added = { rawKey: JSON.stringify(credentialKey), value: entry };
  const keyBytes = Buffer.from(credentialKey);
  const members = [...auths.members];
  const index = members.findIndex(([key]) => Buffer.compare(Buffer.from(key), keyBytes) > 0);
  members.splice(index === -1 ? members.length : index, 0, [credentialKey, added]);
  auths.members = new Map(members);
}

/** Removes `auths[key]`; an emptied `auths` stays as `{}`, as `docker logout` leaves it. */
export function deleteAuthEntry(config: DockerConfig, credentialKey: string): boolean {
  return memberObject(config.root, 'auths')?.members.delete(credentialKey) ?? false;
}

/** The entry `docker login` writes without a helper: base64 of `username:secret`. */
export function basicAuthEntry(username: string, secret: string): JsonObject {
  return jsonObject([['auth', jsonString(Buffer.from(`${username}:${secret}`).toString('base64'))]]);
}

/** With a credential helper the CLI still records the registry, with no secret in it. */
export function helperAuthEntry(): JsonObject {
  return jsonObject();
}

export function formatDockerConfig(config: DockerConfig): string {
  return formatJsonDocument(config.root);
}

/** Atomic replace, mode 0600; the caller holds the config lock. */
export async function writeDockerConfig(config: DockerConfig): Promise<void> {
  await writeFileAtomic(config.path, formatDockerConfig(config));
}
