/** What every measurement needs: the running sandbox, the bundles under test and the credential. */
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import type { Sandbox } from '../sandbox/index.js';
import { PATS } from '../sandbox/fixtures.js';
import type { ActionBundles, Credentials } from './action-step.js';

export const PROJECT_ROOT = resolve(new URL('../..', import.meta.url).pathname);

export interface BenchContext {
  sandbox: Sandbox;
  bundles: ActionBundles & { cli: string };
  credentials: Credentials;
  /** Points the client at the sandbox's fake Docker Hub API. */
  hubEnv: Record<string, string>;
  /** Environment every login step runs with (see dockerOnlyPath). */
  stepEnv: Record<string, string>;
  /** A checkout of docker/login-action, from ANCHOR_ACTION_DIR. */
  anchorDir: string | undefined;
  /** Removes what the context created. */
  dispose(): void;
}

export const BUNDLES = {
  main: join(PROJECT_ROOT, 'dist/main/index.js'),
  post: join(PROJECT_ROOT, 'dist/post/index.js'),
  cli: join(PROJECT_ROOT, 'dist/cli/index.js'),
};

export function missingBundles(): string[] {
  return Object.values(BUNDLES).filter((path) => !existsSync(path));
}

function newestMtimeMs(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs;
    return Math.max(newest, mtime);
  }, 0);
}

/** Bundles older than the newest source file: the figures would be those of older code. */
export function staleBundles(): string[] {
  const newestSource = newestMtimeMs(join(PROJECT_ROOT, 'src'));
  return Object.values(BUNDLES).filter((path) => existsSync(path) && statSync(path).mtimeMs < newestSource);
}

function findExecutable(name: string, path: string): string | undefined {
  for (const dir of path.split(delimiter).filter((entry) => entry !== '')) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      continue;
    }
  }
  return undefined;
}

/**
 * A PATH directory holding only the docker CLI. With a fresh DOCKER_CONFIG, docker picks any
 * installed credential helper (docker-credential-pass here) as its default store; GitHub-hosted
 * runners have none, so hiding them makes every tool store in config.json, as it does there.
 */
function dockerOnlyPath(env: NodeJS.ProcessEnv): string {
  const dir = mkdtempSync(join(tmpdir(), 'docker-pat-bench-path-'));
  const docker = findExecutable('docker', env.PATH ?? '');
  if (docker !== undefined) symlinkSync(docker, join(dir, 'docker'));
  return dir;
}

export function createContext(sandbox: Sandbox, env: NodeJS.ProcessEnv): BenchContext {
  const anchor = env.ANCHOR_ACTION_DIR;
  const pathDir = dockerOnlyPath(env);
  return {
    sandbox,
    bundles: BUNDLES,
    credentials: { registryHost: sandbox.registry.host, username: PATS.aliceWrite.owner, secret: PATS.aliceWrite.secret },
    hubEnv: { ...sandbox.env },
    stepEnv: { PATH: pathDir },
    anchorDir: anchor === undefined || anchor === '' ? undefined : resolve(anchor),
    dispose: () => rmSync(pathDir, { recursive: true, force: true }),
  };
}
