/**
 * A cross-process lock on a docker config directory, so that concurrent logins (parallel CI jobs
 * sharing DOCKER_CONFIG) cannot lose each other's read-modify-write of config.json.
 *
 * The lock is a file created with O_EXCL holding its owner's pid, host and a random token. A lock
 * whose owner is gone (same host, pid not running) or that is older than any real hold is stale
 * and is removed; removal is serialised through a second O_EXCL file so that two waiters never
 * both delete a lock, which could delete a fresh one taken in between.
 */
import { randomUUID } from 'node:crypto';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { errorCode, fileSystemError, isProcessAlive } from './atomic-file.js';
import { DockerPatError } from './errors.js';

export const LOCK_FILE_NAME = '.docker-pat.lock';

export interface ConfigLockOptions {
  /** How long to wait for another holder before failing. */
  timeoutMs?: number;
  /** A lock older than this is stale whoever holds it; above the longest hold (two helper calls). */
  staleMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_STALE_MS = 60_000;
/** The owner writes its record right after creating the file; an empty lock older than this was never finished. */
const UNWRITTEN_LOCK_GRACE_MS = 2_000;
/** Removal of a stale lock takes microseconds; a removal marker this old belongs to a killed process. */
const BREAKER_STALE_MS = 5_000;
const FIRST_DELAY_MS = 5;
const MAX_DELAY_MS = 200;

interface LockRecord {
  pid: number;
  host: string;
  token: string;
}

/** Runs `action` while holding the directory's lock; the directory must exist. */
export async function withConfigLock<T>(dir: string, action: () => Promise<T>, options: ConfigLockOptions = {}): Promise<T> {
  const lockPath = join(dir, LOCK_FILE_NAME);
  const token = await acquire(lockPath, options);
  try {
    return await action();
  } finally {
    await release(lockPath, token);
  }
}

async function acquire(lockPath: string, options: ConfigLockOptions): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const record: LockRecord = { pid: process.pid, host: hostname(), token: randomUUID() };
  const deadline = Date.now() + timeoutMs;
  let delay = FIRST_DELAY_MS;
  for (;;) {
    if (await tryCreate(lockPath, record)) return record.token;
    if (Date.now() >= deadline) throw await lockTimeout(lockPath, timeoutMs);
    if ((await isStale(lockPath, staleMs)) && (await removeStaleLock(lockPath, staleMs))) continue;
    await new Promise((done) => setTimeout(done, delay * (0.5 + Math.random())));
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  }
}

async function tryCreate(lockPath: string, record: LockRecord): Promise<boolean> {
  let handle;
  try {
    handle = await open(lockPath, 'wx', 0o600);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw fileSystemError(error, `create the lock file ${lockPath}`);
  }
  try {
    await handle.writeFile(JSON.stringify(record));
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(lockPath).catch(() => undefined);
    throw fileSystemError(error, `write the lock file ${lockPath}`);
  }
  return true;
}

async function readRecord(lockPath: string): Promise<LockRecord | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(lockPath, 'utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { pid, host, token } = value as Record<string, unknown>;
    if (typeof pid !== 'number' || typeof host !== 'string' || typeof token !== 'string') return undefined;
    return { pid, host, token };
  } catch {
    return undefined;
  }
}

async function ageMs(path: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function isStale(lockPath: string, staleMs: number): Promise<boolean> {
  const age = await ageMs(lockPath);
  if (age === undefined) return false;
  if (age > staleMs) return true;
  const record = await readRecord(lockPath);
  if (!record) return age > UNWRITTEN_LOCK_GRACE_MS;
  return record.host === hostname() && !isProcessAlive(record.pid);
}

/** False when another process is removing it at this moment; the caller then waits as for a live lock. */
async function removeStaleLock(lockPath: string, staleMs: number): Promise<boolean> {
  const breakerPath = `${lockPath}.break`;
  let handle;
  try {
    handle = await open(breakerPath, 'wx', 0o600);
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw fileSystemError(error, `create ${breakerPath}`);
    const age = await ageMs(breakerPath);
    if (age !== undefined && age > BREAKER_STALE_MS) await unlink(breakerPath).catch(() => undefined);
    return false;
  }
  try {
    await handle.close();
    if (await isStale(lockPath, staleMs)) await unlink(lockPath).catch(() => undefined);
  } finally {
    await unlink(breakerPath).catch(() => undefined);
  }
  return true;
}

/** Deletes the lock only if it is still ours: a holder judged stale may have lost it to another process. */
async function release(lockPath: string, token: string): Promise<void> {
  const record = await readRecord(lockPath);
  if (record?.token === token) await unlink(lockPath).catch(() => undefined);
}

async function lockTimeout(lockPath: string, timeoutMs: number): Promise<DockerPatError> {
  const owner = await readRecord(lockPath);
  const holder = owner ? `process ${owner.pid} on ${owner.host}` : 'another process';
  return new DockerPatError(
    'timeout',
    `Could not lock the docker config directory within ${Math.round(timeoutMs / 1000)} s: ${holder} holds ${lockPath}.`,
    `Retry when the other login has finished; if no such process is running, delete ${lockPath}.`,
    { field: 'DOCKER_CONFIG' },
  );
}
