import * as core from '@actions/core';
import type { CoreDeps, SecretRegistry } from '../core/index.js';

/** The core's dependencies as the runner provides them; debug lines are redacted once more. */
export function actionCoreDeps(secrets: SecretRegistry, env: NodeJS.ProcessEnv = process.env): CoreDeps {
  return { secrets, env, debug: (message) => core.debug(secrets.redact(message)) };
}
