import * as core from '@actions/core';
import { SecretRegistry } from '../core/secrets.js';

/**
 * A secret registry wired to the runner's log masking. The runner masks only values that came
 * from `secrets.*`; the values the client derives (base64(user:token), JWTs) and every value in
 * runs under act or @github/local-action need their own add-mask, issued before anything is printed.
 */
export function createMaskedSecretRegistry(): SecretRegistry {
  const secrets = new SecretRegistry();
  secrets.subscribe((secret) => core.setSecret(secret));
  return secrets;
}
