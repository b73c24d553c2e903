/**
 * The docker credential helper protocol: `docker-credential-NAME store|get|erase` with the payload
 * on stdin (never in argv, where other users can read it). Helper output may echo a secret, so it
 * is parsed but never quoted in our messages; failures are summarised.
 */
import { spawn } from 'node:child_process';
import { errorCode } from './atomic-file.js';
import { CONFIG_FIELD } from './docker-config.js';
import { DockerPatError } from './errors.js';

export interface HelperCredential {
  username: string;
  secret: string;
}

export interface HelperOptions {
  /** Environment for the helper (PATH finds it; pass needs GNUPGHOME, PASSWORD_STORE_DIR…). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_OUTPUT_BYTES = 1024 * 1024;
/** What the reference helpers print when `get` finds nothing (docker's errCredentialsNotFound). */
const NOT_FOUND_MESSAGE = 'credentials not found in native keychain';

type HelperAction = 'store' | 'get' | 'erase';

interface HelperResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function helperProgram(name: string): string {
  return `docker-credential-${name}`;
}

export async function helperStore(name: string, serverUrl: string, credential: HelperCredential, options: HelperOptions = {}): Promise<void> {
  const payload = JSON.stringify({ ServerURL: serverUrl, Username: credential.username, Secret: credential.secret });
  const result = await runHelper(name, 'store', payload, serverUrl, options);
  if (result.exitCode !== 0) throw helperFailed(name, 'store', serverUrl, result);
}

/** The stored credential, or undefined when the helper has none for this server. */
export async function helperGet(name: string, serverUrl: string, options: HelperOptions = {}): Promise<HelperCredential | undefined> {
  const result = await runHelper(name, 'get', serverUrl, serverUrl, options);
  if (result.exitCode !== 0) {
    if (saysNotFound(result)) return undefined;
    throw helperFailed(name, 'get', serverUrl, result);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.stdout);
  } catch {
    throw helperFailed(name, 'get', serverUrl, result, 'printed something that is not JSON');
  }
  const { Username: username, Secret: secret } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  if (typeof username !== 'string' || typeof secret !== 'string') {
    throw helperFailed(name, 'get', serverUrl, result, 'printed JSON without string Username and Secret');
  }
  // Some helpers (pass 0.6) answer a miss with exit 0 and empty fields.
  if (username === '' && secret === '') return undefined;
  return { username, secret };
}

/** Erases the server's credential; succeeds when there is none, though some helpers fail erase on a miss. */
export async function helperErase(name: string, serverUrl: string, options: HelperOptions = {}): Promise<void> {
  const result = await runHelper(name, 'erase', serverUrl, serverUrl, options);
  if (result.exitCode === 0 || saysNotFound(result)) return;
  if ((await helperGet(name, serverUrl, options)) === undefined) return;
  throw helperFailed(name, 'erase', serverUrl, result);
}

function saysNotFound(result: HelperResult): boolean {
  return result.stdout.trim() === NOT_FOUND_MESSAGE || result.stderr.trim() === NOT_FOUND_MESSAGE;
}

function runHelper(name: string, action: HelperAction, input: string, serverUrl: string, options: HelperOptions): Promise<HelperResult> {
  const program = helperProgram(name);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = spawn(program, [action], { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], shell: false });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let outputBytes = 0;
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const abandon = (error: DockerPatError): void => {
      child.kill('SIGKILL');
      child.stdout.destroy();
      child.stderr.destroy();
      finish(() => reject(error));
    };
    const timer = setTimeout(() => abandon(helperTimedOut(name, action, serverUrl, timeoutMs)), timeoutMs);
    const collect = (chunks: Buffer[]) => (chunk: Buffer) => {
      outputBytes += chunk.length;
      if (outputBytes > MAX_OUTPUT_BYTES) abandon(helperFailed(name, action, serverUrl, undefined, 'printed more than 1 MiB'));
      else chunks.push(chunk);
    };
    child.stdout.on('data', collect(stdout));
    child.stderr.on('data', collect(stderr));
    child.on('error', (error) => finish(() => reject(helperNotRunnable(name, serverUrl, error))));
    child.on('close', (exitCode, signal) =>
      finish(() => resolve({ exitCode, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') })),
    );
    // A helper that exits without reading its input closes the pipe; its exit status tells the story.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

function helperNotRunnable(name: string, serverUrl: string, error: unknown): DockerPatError {
  const program = helperProgram(name);
  const missing = errorCode(error) === 'ENOENT';
  return new DockerPatError(
    'bad-input',
    missing
      ? `The docker config names the credential helper "${name}", but ${program} is not on PATH, so the credential for ${serverUrl} cannot be stored.`
      : `The credential helper ${program} could not be started (${errorCode(error) ?? 'unknown error'}).`,
    missing
      ? `Install ${program} on PATH, or remove "credsStore"/"credHelpers" naming "${name}" from config.json to store the credential in config.json.`
      : `Make ${program} an executable program on PATH, or remove "credsStore"/"credHelpers" naming "${name}" from config.json.`,
    { field: CONFIG_FIELD, registry: serverUrl },
  );
}

function helperTimedOut(name: string, action: HelperAction, serverUrl: string, timeoutMs: number): DockerPatError {
  const program = helperProgram(name);
  return new DockerPatError(
    'timeout',
    `${program} ${action} for ${serverUrl} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped.`,
    `Check that ${program} works without a prompt here (an unlocked keyring or gpg agent), or remove it from config.json.`,
    { field: CONFIG_FIELD, registry: serverUrl },
  );
}

/** Describes a failure by exit status and a known cause; the helper's own words are never repeated. */
function helperFailed(name: string, action: HelperAction, serverUrl: string, result: HelperResult | undefined, problem?: string): DockerPatError {
  const program = helperProgram(name);
  const status = result ? (result.signal ? `was killed by ${result.signal}` : `exited with status ${result.exitCode}`) : '';
  const what = problem ?? status;
  const cause = result ? knownCause(`${result.stdout}\n${result.stderr}`) : undefined;
  return new DockerPatError(
    'bad-input',
    `${program} ${action} for ${serverUrl} failed: it ${what}${cause ? `; it looks like ${cause.problem}` : ''} (its output is not shown because it may contain credentials).`,
    cause?.fix ?? `Run \`${program} list\` to check that the helper works here, or remove it from config.json to store the credential in config.json.`,
    { field: CONFIG_FIELD, registry: serverUrl },
  );
}

const KNOWN_CAUSES: Array<{ pattern: RegExp; problem: string; fix: string }> = [
  {
    pattern: /pass not initiali[sz]ed|password store is empty|pass init/i,
    problem: 'the pass password store is not initialised',
    fix: 'Run `pass init <gpg-key-id>` for this user, or remove "credsStore" from config.json.',
  },
  {
    pattern: /org\.freedesktop\.secrets|dbus|secret service/i,
    problem: 'no Secret Service (D-Bus keyring) is running',
    fix: 'Start a keyring service for this session, or remove "credsStore" from config.json.',
  },
];

function knownCause(output: string): { problem: string; fix: string } | undefined {
  return KNOWN_CAUSES.find(({ pattern }) => pattern.test(output));
}
