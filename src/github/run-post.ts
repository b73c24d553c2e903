import * as core from '@actions/core';
import { isDockerPatError } from '../core/errors.js';
import { logout } from '../core/logout.js';
import { createMaskedSecretRegistry } from './masking.js';
import { registerSecretInputs } from './secret-inputs.js';
import { readPostState } from './state.js';

function reasonOf(error: unknown): string {
  if (isDockerPatError(error)) return `${error.code}: ${error.message} ${error.fix}`;
  const detail = error instanceof Error ? error.message : String(error);
  return `${detail} On a shared runner, remove this registry's entry from config.json by hand.`;
}

/**
 * The post step: remove exactly the credential main wrote and restore what was there before.
 * It only ever warns: a failed cleanup must not turn a green job red.
 */
export async function run(): Promise<void> {
  // Restoring a previous entry handles that entry's secret: it is masked like ours was.
  const secrets = createMaskedSecretRegistry();
  try {
    registerSecretInputs(secrets);
    const state = readPostState();
    if (state.credential === undefined) {
      core.debug('No credentials were written by this step: nothing to log out.');
      return;
    }
    if (!state.logout) {
      core.info(`logout is false: the credentials stay in ${state.credential.dockerConfigDir}.`);
      return;
    }
    await logout(state.credential, { env: process.env, secrets });
    core.info(`Logged out: removed the credentials this step wrote to ${state.credential.dockerConfigDir}.`);
  } catch (error) {
    core.warning(secrets.redact(`logout failed: ${reasonOf(error)}`), { title: 'logout' });
  }
}
