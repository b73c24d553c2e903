/**
 * Undoing a login. Kept apart from login so the Action's post step bundles only credential
 * storage, not the HTTP client: it runs at the end of every job and should start fast.
 */
import { removeCredential } from './credential-store.js';
import { forgetLoginRecord, readLoginRecord } from './login-record.js';
import type { CredentialRecord, RegistryRef } from './model.js';
import type { SecretRegistry } from './secrets.js';

export interface LogoutDeps {
  /** The environment credential helpers run with; the same as at login. */
  env?: NodeJS.ProcessEnv;
  secrets?: SecretRegistry;
}

/** Removes the credential, then the login's record: a stale record could later undo someone else's login. */
export async function logout(record: CredentialRecord, deps: LogoutDeps = {}): Promise<void> {
  await removeCredential(record, { env: deps.env, secrets: deps.secrets });
  await forgetLoginRecord(record);
}

/**
 * Undoes what an earlier `login` in another process wrote for this registry; false when that
 * login left nothing (it never ran, ran dry, or was undone already).
 */
export async function logoutRegistry(dockerConfigDir: string, registry: RegistryRef, deps: LogoutDeps = {}): Promise<boolean> {
  const record = await readLoginRecord(dockerConfigDir, registry.credentialKey);
  if (!record) return false;
  await logout(record, deps);
  return true;
}
