/**
 * The Action's secret inputs, registered with the secret registry before anything else reads them:
 * main so no validation message, notice or debug line can show one, post so the credential
 * helpers it runs are not handed them in their environment (the runner sets INPUT_* for post too).
 */
import * as core from '@actions/core';
import type { SecretRegistry } from '../core/secrets.js';

const SECRET_INPUTS = ['password', 'hub-password', 'hub-totp-secret', 'github-token'] as const;
export type SecretInput = (typeof SECRET_INPUTS)[number];

/** Untrimmed, so a pasted trailing newline can be reported instead of silently changing the value. */
export function rawSecretInput(name: SecretInput): string {
  return core.getInput(name, { trimWhitespace: false });
}

/** Every secret input as given and trimmed, and base64(user:password). */
export function registerSecretInputs(secrets: SecretRegistry): void {
  for (const name of SECRET_INPUTS) {
    const raw = rawSecretInput(name);
    secrets.add(raw);
    secrets.add(raw.trim());
  }
  const username = core.getInput('username');
  const password = rawSecretInput('password').trim();
  if (username !== '' && password !== '') secrets.addCredential(username, password);
}
