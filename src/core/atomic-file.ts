/**
 * Private files in the docker config directory, written so that a crash at any instant leaves
 * either the old or the new content: a 0600 temp file in the same directory, fsync, rename.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, mkdir, open, readdir, realpath, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DockerPatError } from './errors.js';

const PRIVATE_FILE_MODE = 0o600;
const PRIVATE_DIR_MODE = 0o700;
const TEMP_FILE = /^\..+\.docker-pat-(\d+)-[0-9a-f]+\.tmp$/;

/** Creates the directory (and missing parents) 0700, as the docker CLI does; an existing one is left as it is. */
export async function ensurePrivateDirectory(dir: string): Promise<void> {
  try {
    const created = await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    if (created !== undefined) await chmod(dir, PRIVATE_DIR_MODE);
  } catch (error) {
    throw fileSystemError(error, `create the directory ${dir}`);
  }
}

/** Replaces `path` (or the file a symlink at `path` points to) with `text`, mode 0600 unless told otherwise. */
export async function writeFileAtomic(path: string, text: string, mode = PRIVATE_FILE_MODE): Promise<void> {
  const target = await resolveSymlink(path);
  const temp = join(dirname(target), `.${basename(target)}.docker-pat-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.chmod(mode);
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw fileSystemError(error, `write ${target}`);
  }
  await syncDirectory(dirname(target));
}

/** Reads a file of at most `maxBytes`; undefined when it does not exist. */
export async function readFileCapped(path: string, maxBytes: number): Promise<Buffer | undefined> {
  let handle;
  try {
    // Non-blocking, so a FIFO planted as config.json is refused instead of hanging the read.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw fileSystemError(error, `read ${path}`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new UnusableFileError(path, 'is not a regular file');
    if (stats.size > maxBytes) throw new UnusableFileError(path, `is larger than ${maxBytes} bytes`);
    const content = await handle.readFile();
    if (content.length > maxBytes) throw new UnusableFileError(path, `is larger than ${maxBytes} bytes`);
    return content;
  } catch (error) {
    if (error instanceof UnusableFileError) throw error;
    throw fileSystemError(error, `read ${path}`);
  } finally {
    await handle.close();
  }
}

/** A file too large to be a config, or not a regular file. The caller names the field. */
export class UnusableFileError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path} ${problem}`);
    this.name = 'UnusableFileError';
  }
}

/** Deletes temp files left by writers that were killed mid-write (their process is gone). */
export async function removeAbandonedTempFiles(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const match = TEMP_FILE.exec(name);
    if (match && !isProcessAlive(Number(match[1]))) await unlink(join(dir, name)).catch(() => undefined);
  }
}

/** True when a process with this id exists on this machine (EPERM: it exists but is not ours). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** Turns an fs failure into an error naming the path and the cause, never file content. */
export function fileSystemError(error: unknown, what: string): DockerPatError {
  if (error instanceof DockerPatError) return error;
  const code = errorCode(error) ?? 'unknown error';
  const cause: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on device',
    EDQUOT: 'disk quota exceeded',
    ENOTDIR: 'a path component is not a directory',
    EISDIR: 'it is a directory',
  };
  return new DockerPatError(
    'bad-input',
    `Could not ${what}: ${cause[code] ?? code}.`,
    'Point DOCKER_CONFIG at a directory this user can write (default ~/.docker), or fix its permissions.',
    { field: 'DOCKER_CONFIG' },
  );
}

async function resolveSymlink(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

/** Makes the rename itself durable; some file systems cannot fsync a directory, which is harmless. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    return;
  }
}
