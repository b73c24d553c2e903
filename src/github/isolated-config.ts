import * as core from '@actions/core';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Creates a job-scoped DOCKER_CONFIG directory. Self-hosted runners share ~/.docker/config.json
 * between jobs, so one job's logout can remove another job's login. The directory lives in
 * RUNNER_TEMP, which the runner empties after every job; post therefore removes only the
 * credential, never the directory (later steps may have put more in it).
 */
export async function createIsolatedDockerConfig(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const parent = env.RUNNER_TEMP || tmpdir();
  // mkdtemp creates the directory 0700, with a random suffix no other job can predict.
  return mkdtemp(join(parent, 'docker-pat-'));
}

/** Points later steps (docker, skopeo, buildx...) at the isolated directory. */
export function exportDockerConfig(dir: string): void {
  core.exportVariable('DOCKER_CONFIG', dir);
}
